/**
 * Real, valid seed files for the mutation fuzzers, built at test time (synthetic data only), each with the offsets of
 * its length/count/offset fields so that mutations can tamper with them on purpose:
 * DICOM instances (explicit/implicit, grey/colour/multi-frame, SR, encapsulated PDF, RLE and JPEG pixel data, no
 * preamble), a DICOMDIR, ISO 9660 images (primary + Joliet, nested folders), zip archives, PDFs and pictures.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { makeMultiPageTiff } from '../fixtures/documents/generate';
import { srContent } from '../fixtures/imaging/discs';
import {
  baseElements,
  encapsulatedPixelData,
  encodeElements,
  imageElements,
  makeInstance,
  SOP_CLASS,
  stripPart10,
  TSX,
  wrapPart10,
  type RawElement,
} from '../fixtures/imaging/dicom';
import { writeZip, type ZipEntrySpec } from '../fixtures/imaging/zip-writer';
import type { Field, Seed } from './mutate';

// Fixed UIDs keep the seeds identical from run to run (a seed file must not change under a fixed fuzz seed).
const UID = (n: number) => `2.25.4711${String(n).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------------------------------
// DICOM

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/**
 * Length fields of every element and item (walking into sequences and encapsulated pixel data), plus the values of
 * US/UL elements (rows, columns, bits, group lengths…). `start` is where the meta group or data set begins.
 */
export function dicomFields(bytes: Buffer, start: number): Field[] {
  const fields: Field[] = [];
  let pos = start;
  let explicitDataSet: boolean | null = null;
  while (pos + 8 <= bytes.length && fields.length < 2000) {
    const group = bytes.readUInt16LE(pos);
    if (group === 0xfffe) {
      fields.push({ at: pos + 4, size: 4, le: true });
      pos += 8; // into the item (or past a delimiter)
      continue;
    }
    const vr = bytes.toString('latin1', pos + 4, pos + 6);
    if (group !== 0x0002 && explicitDataSet === null) explicitDataSet = /^[A-Z]{2}$/.test(vr);
    const explicit = group === 0x0002 || explicitDataSet === true;
    if (!explicit) {
      const length = bytes.readUInt32LE(pos + 4);
      fields.push({ at: pos + 4, size: 4, le: true });
      pos += 8;
      if (length !== 0xffffffff) pos += length; // implicit VR: sequences are not told apart, so stepped over
      continue;
    }
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) break;
      const length = bytes.readUInt32LE(pos + 8);
      fields.push({ at: pos + 8, size: 4, le: true });
      pos += 12;
      if (vr !== 'SQ' && length !== 0xffffffff) pos += length;
    } else {
      const length = bytes.readUInt16LE(pos + 6);
      fields.push({ at: pos + 6, size: 2, le: true });
      if (vr === 'US' && length >= 2) fields.push({ at: pos + 8, size: 2, le: true });
      if (vr === 'UL' && length >= 4) fields.push({ at: pos + 8, size: 4, le: true });
      pos += 8 + length;
    }
  }
  return fields;
}

function dicomSeed(name: string, bytes: Buffer, start = 132): Seed {
  // Mutations mostly land in the header: everything before the pixel data (or the first 4 KiB).
  return { name, bytes, fields: dicomFields(bytes, start), hot: [0, Math.min(bytes.length, 4096)] };
}

/** Fixed dates, so that a seed PDF is the same bytes in every run (pdf-lib stamps "now" by default). */
function fixDates(doc: PDFDocument): void {
  doc.setCreationDate(new Date(Date.UTC(2024, 0, 1)));
  doc.setModificationDate(new Date(Date.UTC(2024, 0, 1)));
}

/** A minimal one-page PDF (pdf-lib), for encapsulated-PDF instances and disc reports. */
export async function tinyPdf(text: string, options: { objectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 150, size: 10, font });
  doc.setTitle('Seed report');
  fixDates(doc);
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? false }));
}

/** An 8-bit greyscale RLE Lossless frame (PackBits literal runs) of rows × columns pixels. */
function rleFrame(rows: number, columns: number): Buffer {
  const pixels = Buffer.alloc(rows * columns);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7) & 0xff;
  const runs: Buffer[] = [];
  for (let i = 0; i < pixels.length; i += 128) {
    const chunk = pixels.subarray(i, i + 128);
    runs.push(Buffer.from([chunk.length - 1]), chunk);
  }
  const header = Buffer.alloc(64);
  header.writeUInt32LE(1, 0);
  header.writeUInt32LE(64, 4);
  return Buffer.concat([header, ...runs]);
}

function encapsulatedInstance(ts: string, frame: Buffer, info: { rows: number; columns: number; samples?: number; photometric?: string }, n: number): Buffer {
  const sopInstanceUid = UID(n);
  const elements: RawElement[] = [
    ...baseElements({ sopInstanceUid, studyUid: UID(n + 1), seriesUid: UID(n + 2) }),
    ...imageElements({ rows: info.rows, columns: info.columns, bitsAllocated: 8, samples: info.samples, photometric: info.photometric }),
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([frame]) },
  ];
  return wrapPart10(encodeElements(elements), { sopClassUid: SOP_CLASS.sc, sopInstanceUid, transferSyntaxUid: ts });
}

export async function dicomSeeds(): Promise<Seed[]> {
  const patient = { name: 'FUZZ^SEED', id: 'FZ-1', birthDate: '19710409', sex: 'F' };
  const study = { uid: UID(1), date: '20240301', description: 'CT CHEST' };
  const series = (n: number) => ({ uid: UID(n), number: 1, modality: 'CT', description: 'AXIAL' });
  const ct = makeInstance({ patient, study, series: series(2), sopInstanceUid: UID(3), image: { rows: 16, columns: 16, bitsAllocated: 16, signed: true, windowCenter: 40, windowWidth: 400, slope: 1, intercept: -1024 } });
  const implicit = makeInstance({ patient, study, series: series(4), sopInstanceUid: UID(5), transferSyntax: TSX.implicit, image: { rows: 8, columns: 8, bitsAllocated: 16 } });
  const rgb = makeInstance({ patient, study, series: series(6), sopInstanceUid: UID(7), sopClassUid: SOP_CLASS.sc, image: { rows: 8, columns: 8, bitsAllocated: 8, photometric: 'RGB' } });
  const multi = makeInstance({ patient, study, series: series(8), sopInstanceUid: UID(9), image: { rows: 8, columns: 8, bitsAllocated: 8, frames: 3, photometric: 'MONOCHROME1' } });
  const sr = makeInstance({ patient, study, series: { ...series(10), modality: 'SR' }, sopInstanceUid: UID(11), sopClassUid: SOP_CLASS.comprehensiveSr, image: null, extra: srContent() });
  const pdf = await tinyPdf('Radiology report: seed.');
  const encapsulatedPdf = makeInstance({
    patient,
    study,
    series: { ...series(12), modality: 'DOC' },
    sopInstanceUid: UID(13),
    sopClassUid: SOP_CLASS.encapsulatedPdf,
    image: null,
    extra: { DocumentTitle: 'Seed report', MIMETypeOfEncapsulatedDocument: 'application/pdf', EncapsulatedDocument: [pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.length)] },
  });
  const rle = encapsulatedInstance('1.2.840.10008.1.2.5', rleFrame(8, 8), { rows: 8, columns: 8 }, 20);
  const jpegFrame = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).greyscale().jpeg({ quality: 90 }).toBuffer();
  const jpeg = encapsulatedInstance('1.2.840.10008.1.2.4.50', jpegFrame, { rows: 8, columns: 8 }, 30);
  const raw = stripPart10(ct);
  return [
    dicomSeed('dicom-ct-explicit', ct),
    dicomSeed('dicom-implicit', implicit),
    dicomSeed('dicom-rgb', rgb),
    dicomSeed('dicom-multiframe-mono1', multi),
    dicomSeed('dicom-sr', sr),
    dicomSeed('dicom-encapsulated-pdf', encapsulatedPdf),
    dicomSeed('dicom-rle', rle),
    dicomSeed('dicom-jpeg-baseline', jpeg),
    dicomSeed('dicom-no-preamble', raw, 0),
  ];
}

/** A DICOMDIR (Media Storage Directory) listing `fileIds` as PATIENT/STUDY/SERIES/IMAGE records. */
export function makeDicomdir(fileIds: string[]): Buffer {
  const records: RawElement[][] = [
    [
      { tag: [0x0004, 0x1400], vr: 'UL', value: [0] },
      { tag: [0x0004, 0x1410], vr: 'US', value: [0xffff] },
      { tag: [0x0004, 0x1420], vr: 'UL', value: [0] },
      { tag: [0x0004, 0x1430], vr: 'CS', value: 'PATIENT' },
      { tag: [0x0010, 0x0010], vr: 'PN', value: 'FUZZ^SEED' },
    ],
    ...fileIds.map((fileId, i): RawElement[] => [
      { tag: [0x0004, 0x1400], vr: 'UL', value: [0] },
      { tag: [0x0004, 0x1410], vr: 'US', value: [0xffff] },
      { tag: [0x0004, 0x1420], vr: 'UL', value: [0] },
      { tag: [0x0004, 0x1430], vr: 'CS', value: 'IMAGE' },
      { tag: [0x0004, 0x1500], vr: 'CS', value: fileId },
      { tag: [0x0004, 0x1510], vr: 'UI', value: SOP_CLASS.ct },
      { tag: [0x0004, 0x1511], vr: 'UI', value: UID(100 + i) },
      { tag: [0x0004, 0x1512], vr: 'UI', value: TSX.explicit },
    ]),
  ];
  const dataSet = encodeElements([
    { tag: [0x0004, 0x1130], vr: 'CS', value: 'FUZZDISC' },
    { tag: [0x0004, 0x1200], vr: 'UL', value: [0] },
    { tag: [0x0004, 0x1202], vr: 'UL', value: [0] },
    { tag: [0x0004, 0x1212], vr: 'US', value: [0] },
    { tag: [0x0004, 0x1220], vr: 'SQ', value: records },
  ]);
  return wrapPart10(dataSet, { sopClassUid: '1.2.840.10008.1.3.10', sopInstanceUid: UID(99), transferSyntaxUid: TSX.explicit });
}

export function dicomdirSeeds(): Seed[] {
  const ids = ['DICOM\\P1\\S1\\IM1', 'DICOM\\P1\\S1\\IM2', 'dicom\\p1\\s2\\im1', 'DICOM\\P2\\S1\\IM1;1', 'DICOM\\..\\..\\ETC\\X'];
  return [dicomSeed('dicomdir-5', makeDicomdir(ids)), dicomSeed('dicomdir-1', makeDicomdir(['IM1']))];
}

// ---------------------------------------------------------------------------------------------------------------
// ISO 9660 (+ Joliet), written here so that every field's offset is known.

export type Tree = { [name: string]: Buffer | Tree };

const SECTOR = 2048;

function both16(buf: Buffer, at: number, v: number): void {
  buf.writeUInt16LE(v, at);
  buf.writeUInt16BE(v, at + 2);
}
function both32(buf: Buffer, at: number, v: number): void {
  buf.writeUInt32LE(v, at);
  buf.writeUInt32BE(v, at + 4);
}

function dirRecord(name: Buffer, extent: number, length: number, flags: number): Buffer {
  const size = 33 + name.length + ((33 + name.length) % 2);
  const r = Buffer.alloc(size);
  r[0] = size;
  both32(r, 2, extent);
  both32(r, 10, length);
  r[25] = flags;
  both16(r, 28, 1);
  r[32] = name.length;
  name.copy(r, 33);
  return r;
}

/**
 * An ISO image of `tree`: PVD at 16, Joliet SVD at 17 (unless `joliet` is false), terminator, then one sector per
 * directory (primary tree, then Joliet tree), then file data. Returns the image and the offsets of every directory
 * record (for field tampering) and the end of the directory area.
 */
export function makeIso(tree: Tree, options: { joliet?: boolean } = {}): { image: Buffer; records: number[]; directoriesEnd: number } {
  const joliet = options.joliet ?? true;
  type Dir = { entries: Array<[string, Buffer | Dir]>; sector: number; jsector: number };
  const dirs: Dir[] = [];
  const files: Array<{ data: Buffer; sector: number }> = [];
  const build = (node: Tree): Dir => {
    const dir: Dir = { entries: [], sector: 0, jsector: 0 };
    dirs.push(dir);
    for (const [name, value] of Object.entries(node).sort(([a], [b]) => (a < b ? -1 : 1))) {
      dir.entries.push([name, Buffer.isBuffer(value) ? value : build(value)]);
    }
    return dir;
  };
  const root = build(tree);
  let next = 16 + (joliet ? 3 : 2);
  for (const dir of dirs) dir.sector = next++;
  if (joliet) for (const dir of dirs) dir.jsector = next++;
  const directoriesEnd = next * SECTOR;
  const fileSector = new Map<Buffer, number>();
  for (const dir of dirs) {
    for (const [, value] of dir.entries) {
      if (Buffer.isBuffer(value) && !fileSector.has(value)) {
        fileSector.set(value, next);
        files.push({ data: value, sector: next });
        next += Math.max(1, Math.ceil(value.length / SECTOR));
      }
    }
  }
  const image = Buffer.alloc(next * SECTOR);
  const records: number[] = [];
  const descriptor = (sector: number, type: number, rootSector: number): void => {
    const d = image.subarray(sector * SECTOR, (sector + 1) * SECTOR);
    d[0] = type;
    d.write('CD001', 1, 'latin1');
    d[6] = 1;
    d.write('FUZZDISC'.padEnd(32, ' '), 40, 'latin1');
    both32(d, 80, next);
    both16(d, 120, 1);
    both16(d, 124, 1);
    both16(d, 128, SECTOR);
    if (type === 2) d.write('%/E', 88, 'latin1');
    dirRecord(Buffer.from([0]), rootSector, SECTOR, 2).copy(d, 156);
    records.push(sector * SECTOR + 156);
  };
  descriptor(16, 1, root.sector);
  if (joliet) descriptor(17, 2, root.jsector);
  const term = image.subarray((joliet ? 18 : 17) * SECTOR);
  term[0] = 255;
  term.write('CD001', 1, 'latin1');
  term[6] = 1;
  const writeDir = (dir: Dir, parent: Dir, jol: boolean): void => {
    const at = (jol ? dir.jsector : dir.sector) * SECTOR;
    let pos = at;
    const put = (record: Buffer): void => {
      record.copy(image, pos);
      records.push(pos);
      pos += record.length;
    };
    put(dirRecord(Buffer.from([0]), jol ? dir.jsector : dir.sector, SECTOR, 2));
    put(dirRecord(Buffer.from([1]), jol ? parent.jsector : parent.sector, SECTOR, 2));
    for (const [name, value] of dir.entries) {
      const encoded = jol ? Buffer.from(name, 'utf16le').swap16() : Buffer.from(Buffer.isBuffer(value) ? `${name.toUpperCase()};1` : name.toUpperCase(), 'latin1');
      if (Buffer.isBuffer(value)) put(dirRecord(encoded, fileSector.get(value)!, value.length, 0));
      else put(dirRecord(encoded, jol ? value.jsector : value.sector, SECTOR, 2));
    }
  };
  const parents = new Map<Dir, Dir>([[root, root]]);
  for (const dir of dirs) for (const [, value] of dir.entries) if (!Buffer.isBuffer(value)) parents.set(value, dir);
  for (const dir of dirs) {
    writeDir(dir, parents.get(dir)!, false);
    if (joliet) writeDir(dir, parents.get(dir)!, true);
  }
  for (const file of files) file.data.copy(image, file.sector * SECTOR);
  return { image, records, directoriesEnd };
}

/** Every tamperable field of the directory records (both byte orders), and the PVD/SVD block sizes. */
function isoFields(records: number[]): Field[] {
  const fields: Field[] = [];
  for (const at of records) {
    fields.push(
      { at, size: 1, le: true }, // record length
      { at: at + 1, size: 1, le: true }, // extended attribute length
      { at: at + 2, size: 4, le: true }, // extent
      { at: at + 6, size: 4, le: false },
      { at: at + 10, size: 4, le: true }, // data length
      { at: at + 14, size: 4, le: false },
      { at: at + 25, size: 1, le: true }, // flags (directory, multi-extent, associated)
      { at: at + 26, size: 1, le: true }, // interleave unit
      { at: at + 32, size: 1, le: true }, // name length
    );
  }
  for (const sector of [16, 17]) fields.push({ at: sector * SECTOR + 128, size: 2, le: true });
  return fields;
}

export function discTree(instances: Buffer[], extra: Tree = {}): Tree {
  const dicom: Tree = {};
  instances.forEach((bytes, i) => {
    const p = `P${(i % 2) + 1}`;
    const s = `S${i % 3}`;
    const pNode = (dicom[p] ??= {}) as Tree;
    const sNode = (pNode[s] ??= {}) as Tree;
    sNode[`IM${i}`] = bytes;
  });
  return { DICOM: dicom, 'README.TXT': Buffer.from('Disc made for fuzzing.\r\n'), ...extra };
}

export function isoSeeds(instances: Buffer[]): Seed[] {
  const seeds: Seed[] = [];
  const trees: Array<[string, Tree, boolean]> = [
    ['iso-joliet-disc', discTree(instances.slice(0, 3), { DICOMDIR: makeDicomdir(['DICOM\\P1\\S0\\IM0', 'DICOM\\P2\\S1\\IM1']) }), true],
    ['iso-primary-only', { A: { B: { C: { FILE: Buffer.from('deep file') } } }, ROOT: Buffer.from('root file') }, false],
  ];
  for (const [name, tree, joliet] of trees) {
    const { image, records, directoriesEnd } = makeIso(tree, { joliet });
    seeds.push({ name, bytes: image, fields: isoFields(records), hot: [16 * SECTOR, directoriesEnd] });
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------------------------
// zip

/** Offsets of the size/count/offset fields of local headers, central directory entries and the end record. */
export function zipFields(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  const f = (at: number, size: 2 | 4) => fields.push({ at, size, le: true });
  for (let at = bytes.indexOf('PK'); at >= 0 && at + 4 <= bytes.length; at = bytes.indexOf('PK', at + 1)) {
    const sig = bytes.readUInt32LE(at);
    if (sig === 0x04034b50 && at + 30 <= bytes.length) {
      [6, 8, 26, 28].forEach((o) => f(at + o, 2));
      [18, 22].forEach((o) => f(at + o, 4));
    } else if (sig === 0x02014b50 && at + 46 <= bytes.length) {
      [4, 8, 10, 28, 30, 32].forEach((o) => f(at + o, 2));
      [20, 24, 38, 42].forEach((o) => f(at + o, 4));
    } else if (sig === 0x06054b50 && at + 22 <= bytes.length) {
      [8, 10, 20].forEach((o) => f(at + o, 2));
      [12, 16].forEach((o) => f(at + o, 4));
    }
  }
  return fields;
}

export function zipSeeds(instances: Buffer[]): Seed[] {
  const entries: ZipEntrySpec[] = [
    { name: 'DICOM/', unixMode: 0o40755 },
    ...instances.slice(0, 3).map((data, i) => ({ name: `DICOM/IM${i}`, data, method: (i % 2 ? 0 : 8) as 0 | 8 })),
    { name: 'DICOMDIR', data: makeDicomdir(['DICOM\\IM0', 'DICOM\\IM1']) },
    { name: 'README.TXT', data: Buffer.from('Disc made for fuzzing.\r\n'), method: 0 },
  ];
  const disc = writeZip(entries);
  const small = writeZip([{ name: 'a/b/c.dcm', data: instances[0]! }]);
  const centralStart = disc.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return [
    { name: 'zip-disc', bytes: disc, fields: zipFields(disc), hot: [Math.max(0, centralStart), disc.length] },
    { name: 'zip-one', bytes: small, fields: zipFields(small) },
  ];
}

/** A zip whose single entry inflates to `size` zero bytes (deflate's best ratio is about 1000:1). */
export function zipBomb(size: number, options: { declaredSize?: number; name?: string } = {}): Buffer {
  const compressed = deflateRawSync(Buffer.alloc(size), { level: 9 });
  return writeZip([
    {
      name: options.name ?? 'IM1',
      compressed,
      declaredSize: options.declaredSize ?? size,
      crc: options.declaredSize === undefined ? crc32(Buffer.alloc(size)) : 0,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// PDF and pictures

/** Offsets of ASCII numbers in a PDF (object numbers, /Length, /Count, xref offsets…), for numeric tampering. */
export function pdfNumbers(bytes: Buffer): Array<{ at: number; len: number }> {
  const text = bytes.toString('latin1');
  const out: Array<{ at: number; len: number }> = [];
  const re = /(?<=[\s/[<(]|^)-?\d+(?=[\s/\]>)R]|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && out.length < 4000) out.push({ at: m.index, len: m[0].length });
  return out;
}

export interface PdfSeed extends Seed {
  numbers: Array<{ at: number; len: number }>;
}

export async function pdfSeeds(): Promise<PdfSeed[]> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['SURGICAL PATHOLOGY REPORT: invasive ductal carcinoma, grade 2.', 'Page two: estrogen receptor positive.']) {
    const page = doc.addPage([300, 200]);
    page.drawText(text, { x: 10, y: 150, size: 8, font });
  }
  fixDates(doc);
  const twoPages = Buffer.from(await doc.save({ useObjectStreams: false }));
  const withImage = await (async () => {
    const d = await PDFDocument.create();
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#406080' } }).png().toBuffer();
    const image = await d.embedPng(png);
    const page = d.addPage([200, 200]);
    page.drawImage(image, { x: 10, y: 10, width: 100, height: 100 });
    page.drawText('Scan with a header line of text for the reader.', { x: 10, y: 150, size: 8, font: await d.embedFont(StandardFonts.Courier) });
    fixDates(d);
    return Buffer.from(await d.save({ useObjectStreams: false }));
  })();
  const objectStreams = await tinyPdf('Lab results: hemoglobin 13.1 g/dL.', { objectStreams: true });
  const seeds: Array<[string, Buffer]> = [
    ['pdf-two-pages', twoPages],
    ['pdf-image', withImage],
    ['pdf-object-streams', objectStreams],
  ];
  return seeds.map(([name, bytes]) => ({ name, bytes, fields: [], numbers: pdfNumbers(bytes), hot: [0, bytes.length] }));
}

/** PNG chunk lengths and IHDR width/height; JPEG segment lengths and frame size; TIFF IFD counts and offsets. */
export function imageFields(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  if (bytes[0] === 0x89) {
    for (let at = 8; at + 8 <= bytes.length; ) {
      const length = bytes.readUInt32BE(at);
      fields.push({ at, size: 4, le: false });
      if (bytes.toString('latin1', at + 4, at + 8) === 'IHDR') fields.push({ at: at + 8, size: 4, le: false }, { at: at + 12, size: 4, le: false });
      at += 12 + length;
    }
  } else if (bytes[0] === 0xff) {
    for (let at = 2; at + 4 <= bytes.length; ) {
      if (bytes[at] !== 0xff) break;
      const marker = bytes[at + 1]!;
      if (marker === 0xda) break;
      fields.push({ at: at + 2, size: 2, le: false });
      if (marker >= 0xc0 && marker <= 0xc3) fields.push({ at: at + 5, size: 2, le: false }, { at: at + 7, size: 2, le: false });
      at += 2 + bytes.readUInt16BE(at + 2);
    }
  } else if (bytes.toString('latin1', 0, 2) === 'II') {
    fields.push({ at: 4, size: 4, le: true });
    const seen = new Set<number>();
    for (let ifd = bytes.readUInt32LE(4); ifd > 0 && ifd + 2 <= bytes.length && !seen.has(ifd); ) {
      seen.add(ifd);
      const count = bytes.readUInt16LE(ifd);
      fields.push({ at: ifd, size: 2, le: true });
      for (let i = 0; i < count && ifd + 2 + i * 12 + 12 <= bytes.length; i += 1) {
        const entry = ifd + 2 + i * 12;
        fields.push({ at: entry + 4, size: 4, le: true }, { at: entry + 8, size: 4, le: true });
      }
      const nextAt = ifd + 2 + count * 12;
      if (nextAt + 4 > bytes.length) break;
      fields.push({ at: nextAt, size: 4, le: true });
      ifd = bytes.readUInt32LE(nextAt);
    }
  }
  return fields;
}

export async function imageSeeds(): Promise<Seed[]> {
  const picture = (background: string, channels: 3 | 4 = 3) => sharp({ create: { width: 12, height: 10, channels, background } });
  const png = await picture('#336699').png().toBuffer();
  const greyAlpha = await picture('#ffffff80', 4).greyscale().png().toBuffer();
  const jpeg = await picture('#996633').jpeg({ quality: 80 }).toBuffer();
  const progressive = await picture('#123456').jpeg({ progressive: true }).withMetadata({ orientation: 6 }).toBuffer();
  const page = await picture('#eeeeee').png().toBuffer();
  const tiff = await makeMultiPageTiff([page, page]);
  const seeds: Array<[string, Buffer]> = [
    ['png-rgb', png],
    ['png-grey-alpha', greyAlpha],
    ['jpeg', jpeg],
    ['jpeg-progressive-exif', progressive],
    ['tiff-two-pages', tiff],
  ];
  return seeds.map(([name, bytes]) => ({ name, bytes, fields: imageFields(bytes), hot: [0, Math.min(bytes.length, 512)] }));
}
