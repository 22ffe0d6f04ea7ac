/**
 * Synthetic imaging disc for the import benchmark: N uncompressed 16-bit CT-like DICOM files of about
 * `bytesPerFile` bytes each (512×512 frames; several frames per file when bytesPerFile is larger, fewer rows when
 * smaller), one patient, studies of `seriesPerStudy` series of `filesPerSeries` files, written streaming (one frame
 * buffer reused, never the whole disc in memory). Optionally a dcmtk DICOMDIR and an ISO 9660 + Joliet image.
 *
 *   npx tsx tests/bench/disc-fixture.ts DIR [FILES=2000] [BYTES_PER_FILE=524288] [--iso FILE] [--dicomdir]
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { encodeElements, wrapPart10, type RawElement } from '../fixtures/imaging/dicom';

const execFileP = promisify(execFile);

export interface SyntheticDiscOptions {
  /** Folder to write into (created; should be empty). */
  dir: string;
  files: number;
  /** Target size of each file (header + pixel data). */
  bytesPerFile: number;
  filesPerSeries?: number;
  seriesPerStudy?: number;
  /** Also write an ISO 9660 + Joliet image of the folder here (xorriso). */
  iso?: string;
  /** Also write a DICOMDIR (dcmtk dcmmkdir). */
  dicomdir?: boolean;
  seed?: number;
}

export interface SyntheticDisc {
  /** Bytes of DICOM files written (DICOMDIR excluded). */
  bytes: number;
  files: number;
  /** Relative paths of the DICOM files, in writing order. */
  paths: string[];
  studies: number;
  series: number;
  isoBytes?: number;
}

const COLUMNS = 512;
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** Deterministic UIDs under a fixed test root, derived from the seed and a label. */
function uidFor(seed: number, label: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(`${seed}:${label}`).digest('hex').slice(0, 28)}`).toString();
  return `2.25.${digits}`.slice(0, 64);
}

/** xorshift32: fast deterministic noise. */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i + 4 <= bytes; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

/** A CT-like phantom: air around a body disc with soft tissue, bone ring and noise, as Int16 little endian. */
function phantomFrames(rows: number, pool: number, seed: number): Buffer {
  const frameBytes = rows * COLUMNS * 2;
  const total = frameBytes + pool;
  const rand = noise(total, seed);
  const out = Buffer.allocUnsafe(total);
  const pixels = total / 2;
  for (let i = 0; i < pixels; i += 1) {
    const p = i % (rows * COLUMNS);
    const y = Math.floor(p / COLUMNS) - rows / 2;
    const x = (p % COLUMNS) - COLUMNS / 2;
    const r = Math.sqrt(x * x + y * y * ((COLUMNS / Math.max(rows, 1)) ** 2));
    let hu = r > 230 ? -1000 : r > 215 ? 700 : 40;
    hu += (rand[i * 2]! - 128) / 4;
    out.writeInt16LE(Math.round(hu), i * 2);
  }
  return out;
}

function header(opts: {
  seed: number;
  studyIndex: number;
  seriesIndex: number;
  instance: number;
  rows: number;
  frames: number;
  pixelBytes: number;
}): Buffer {
  const sop = uidFor(opts.seed, `sop-${opts.studyIndex}-${opts.seriesIndex}-${opts.instance}`);
  const text = (tag: [number, number], vr: string, value: string): RawElement => ({ tag, vr, value });
  const elements: RawElement[] = [
    text([0x0008, 0x0016], 'UI', CT_IMAGE),
    text([0x0008, 0x0018], 'UI', sop),
    text([0x0008, 0x0020], 'DA', '20240301'),
    text([0x0008, 0x0030], 'TM', '101500'),
    text([0x0008, 0x0050], 'SH', `BENCH${opts.studyIndex + 1}`),
    text([0x0008, 0x0060], 'CS', 'CT'),
    text([0x0008, 0x1030], 'LO', `SYNTHETIC STUDY ${opts.studyIndex + 1}`),
    text([0x0008, 0x103e], 'LO', `SERIES ${opts.seriesIndex + 1}`),
    text([0x0010, 0x0010], 'PN', 'BENCH^PATIENT'),
    text([0x0010, 0x0020], 'LO', 'BENCH-1'),
    text([0x0010, 0x0030], 'DA', '19700101'),
    text([0x0010, 0x0040], 'CS', 'O'),
    text([0x0020, 0x000d], 'UI', uidFor(opts.seed, `study-${opts.studyIndex}`)),
    text([0x0020, 0x000e], 'UI', uidFor(opts.seed, `series-${opts.studyIndex}-${opts.seriesIndex}`)),
    text([0x0020, 0x0010], 'SH', String(opts.studyIndex + 1)),
    text([0x0020, 0x0011], 'IS', String(opts.seriesIndex + 1)),
    text([0x0020, 0x0013], 'IS', String(opts.instance + 1)),
    { tag: [0x0028, 0x0002], vr: 'US', value: [1] },
    text([0x0028, 0x0004], 'CS', 'MONOCHROME2'),
    { tag: [0x0028, 0x0010], vr: 'US', value: [opts.rows] },
    { tag: [0x0028, 0x0011], vr: 'US', value: [COLUMNS] },
    { tag: [0x0028, 0x0100], vr: 'US', value: [16] },
    { tag: [0x0028, 0x0101], vr: 'US', value: [16] },
    { tag: [0x0028, 0x0102], vr: 'US', value: [15] },
    { tag: [0x0028, 0x0103], vr: 'US', value: [1] },
    text([0x0028, 0x1050], 'DS', '40'),
    text([0x0028, 0x1051], 'DS', '400'),
    text([0x0028, 0x1052], 'DS', '0'),
    text([0x0028, 0x1053], 'DS', '1'),
  ];
  if (opts.frames > 1) elements.push(text([0x0028, 0x0008], 'IS', String(opts.frames)));
  const dataSet = encodeElements(elements);
  // Pixel Data element header (OW, explicit length); the value is written separately, straight from the pool.
  const pixelHeader = Buffer.alloc(12);
  pixelHeader.writeUInt16LE(0x7fe0, 0);
  pixelHeader.writeUInt16LE(0x0010, 2);
  pixelHeader.write('OW', 4, 'latin1');
  pixelHeader.writeUInt32LE(opts.pixelBytes, 8);
  return Buffer.concat([wrapPart10(dataSet, { sopClassUid: CT_IMAGE, sopInstanceUid: sop, transferSyntaxUid: EXPLICIT_LE }), pixelHeader]);
}

/** Writes the synthetic disc; resolves with what was written. */
export async function makeSyntheticDisc(options: SyntheticDiscOptions): Promise<SyntheticDisc> {
  const seed = options.seed ?? 1;
  const filesPerSeries = Math.max(1, options.filesPerSeries ?? 250);
  const seriesPerStudy = Math.max(1, options.seriesPerStudy ?? 4);
  const headerEstimate = header({ seed, studyIndex: 0, seriesIndex: 0, instance: 0, rows: 512, frames: 2, pixelBytes: 0 }).length;
  const pixelBudget = Math.max(COLUMNS * 2, options.bytesPerFile - headerEstimate);
  const fullFrame = 512 * COLUMNS * 2;
  const frames = Math.max(1, Math.floor(pixelBudget / fullFrame));
  const rows = frames > 1 || pixelBudget >= fullFrame ? 512 : Math.max(1, Math.floor(pixelBudget / (COLUMNS * 2)));
  const frameBytes = rows * COLUMNS * 2;
  const pixelBytes = frameBytes * frames;
  const POOL = 64 * 1024;
  // One pool of pixel bytes, reused by every file at a file-dependent offset (random-ish, no per-file allocation).
  const pool = phantomFrames(rows, POOL + frameBytes * (frames - 1), seed);

  await fsp.mkdir(options.dir, { recursive: true });
  const paths: string[] = [];
  let bytes = 0;
  const studies = new Set<number>();
  let seriesCount = 0;
  for (let i = 0; i < options.files; i += 1) {
    const seriesGlobal = Math.floor(i / filesPerSeries);
    const studyIndex = Math.floor(seriesGlobal / seriesPerStudy);
    const seriesIndex = seriesGlobal % seriesPerStudy;
    const instance = i % filesPerSeries;
    if (instance === 0) seriesCount += 1;
    studies.add(studyIndex);
    const rel = `DICOM/ST${String(studyIndex + 1).padStart(6, '0')}/SE${String(seriesIndex + 1).padStart(6, '0')}/IM${String(instance + 1).padStart(6, '0')}`;
    const abs = path.join(options.dir, rel);
    if (instance === 0) await fsp.mkdir(path.dirname(abs), { recursive: true });
    const head = header({ seed, studyIndex, seriesIndex, instance, rows, frames, pixelBytes });
    const offset = ((i * 2654435761) >>> 0) % POOL & ~1;
    const handle = await fsp.open(abs, 'w');
    try {
      await handle.write(head);
      for (let written = 0; written < pixelBytes; ) {
        const n = Math.min(1024 * 1024, pixelBytes - written);
        await handle.write(pool, offset + written, n);
        written += n;
      }
    } finally {
      await handle.close();
    }
    bytes += head.length + pixelBytes;
    paths.push(rel);
  }
  if (options.dicomdir) {
    await execFileP('dcmmkdir', ['-q', '+r', '+I', '+F', 'SYNTHETIC', '+D', 'DICOMDIR', 'DICOM'], { cwd: options.dir, maxBuffer: 16 * 1024 * 1024 });
  }
  const result: SyntheticDisc = { bytes, files: options.files, paths, studies: studies.size, series: seriesCount };
  if (options.iso) {
    await execFileP('xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-joliet-long', '-V', 'SYNTHETIC', '-o', options.iso, options.dir]);
    result.isoBytes = (await fsp.stat(options.iso)).size;
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const iso = flag('--iso');
  const dicomdir = args.includes('--dicomdir');
  const [dir, files = '2000', perFile = String(512 * 1024)] = args.filter((a) => a !== '--dicomdir');
  if (!dir) {
    console.error('usage: tsx tests/bench/disc-fixture.ts DIR [FILES] [BYTES_PER_FILE] [--iso FILE] [--dicomdir]');
    process.exit(2);
  }
  const started = Date.now();
  const disc = await makeSyntheticDisc({ dir, files: Number(files), bytesPerFile: Number(perFile), iso, dicomdir });
  console.log(
    `${disc.files} files, ${(disc.bytes / 1e6).toFixed(1)} MB, ${disc.studies} studies, ${disc.series} series` +
      `${disc.isoBytes ? `, ISO ${(disc.isoBytes / 1e6).toFixed(1)} MB` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
