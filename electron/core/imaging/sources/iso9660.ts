import { promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { toAppError } from '../../errors';
import { imagingErrors, streamErrors } from '../errors';
import { DEFAULT_ISO_LIMITS, type IsoLimits } from '../limits';
import type { DiscSource, SourceEntry, SourceProblem } from './types';
import { compareNames, problem, rangeStream, readAt } from './util';

/*
 * ISO 9660 + Joliet reader, written here on purpose: there is no maintained npm package that reads an ISO image by
 * byte ranges (the existing ones are unmaintained, buffer the whole image, or shell out to 7-Zip). Images of imaging
 * discs are 0.1–8 GB, so this reader only ever does positioned reads on one file descriptor: the volume descriptors,
 * the directory records, and then each file's extents when the caller streams it. Nothing on the disc is executed.
 *
 * References: ECMA-119 (ISO 9660) §8.4 (primary volume descriptor), §8.5 (supplementary), §9.1 (directory record);
 * Joliet specification (UCS-2 big-endian names in a supplementary descriptor whose escape sequence is %/@, %/C or %/E).
 * Not read: Rock Ridge (POSIX names; the Joliet tree carries the long names on real discs), interleaved files
 * (reported and skipped), UDF (see detect.ts: UDF-only images are refused with a clear message).
 */

export const ISO_SECTOR = 2048;
export const ISO_FIRST_DESCRIPTOR = 16 * ISO_SECTOR;

interface DirRecord {
  name: Buffer;
  /** Absolute byte offset of the data. */
  offset: number;
  length: number;
  flags: number;
  interleaved: boolean;
}

interface VolumeRoot {
  joliet: boolean;
  blockSize: number;
  root: DirRecord;
}

interface IsoFile {
  path: string;
  extents: Array<{ offset: number; length: number }>;
  size: number;
}

// Flag 0x01 (hidden) is ignored on purpose: hidden files are listed like any other.
const FLAG_DIRECTORY = 0x02;
const FLAG_ASSOCIATED = 0x04;
const FLAG_MULTI_EXTENT = 0x80;

class DamagedIso extends Error {}

/** Problems kept for one image; a hostile image could otherwise produce one per 34-byte record, millions of them. */
const MAX_PROBLEMS = 10_000;

function parseRecord(buf: Buffer, pos: number, blockSize: number): DirRecord & { recordLength: number } {
  const recordLength = buf[pos]!;
  if (recordLength < 34 || pos + recordLength > buf.length) throw new DamagedIso('record length');
  const extAttrLength = buf[pos + 1]!;
  const extent = buf.readUInt32LE(pos + 2);
  const length = buf.readUInt32LE(pos + 10);
  const flags = buf[pos + 25]!;
  const unitSize = buf[pos + 26]!;
  const gap = buf[pos + 27]!;
  const nameLength = buf[pos + 32]!;
  if (33 + nameLength > recordLength) throw new DamagedIso('name length');
  return {
    recordLength,
    name: buf.subarray(pos + 33, pos + 33 + nameLength),
    offset: (extent + extAttrLength) * blockSize,
    length,
    flags,
    interleaved: unitSize !== 0 || gap !== 0,
  };
}

const JOLIET_ESCAPES = ['%/@', '%/C', '%/E'];
const utf16be = new TextDecoder('utf-16be');

function decodeName(raw: Buffer, joliet: boolean): string {
  let name = joliet ? utf16be.decode(raw.subarray(0, raw.length & ~1)) : raw.toString('latin1');
  name = name.replace(/;\d*$/, '');
  if (!joliet && name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

function isSafeName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\u0000]/.test(name);
}

async function readVolumes(handle: FileHandle, size: number, limits: IsoLimits): Promise<VolumeRoot[]> {
  let primary: VolumeRoot | undefined;
  let joliet: VolumeRoot | undefined;
  for (let i = 0; i < limits.maxVolumeDescriptors; i += 1) {
    const pos = ISO_FIRST_DESCRIPTOR + i * ISO_SECTOR;
    if (pos + ISO_SECTOR > size) break;
    const vd = await readAt(handle, pos, ISO_SECTOR);
    if (vd.length < ISO_SECTOR || vd.toString('latin1', 1, 6) !== 'CD001') break;
    const type = vd[0]!;
    if (type === 255) break;
    if (type !== 1 && type !== 2) continue;
    const blockSize = vd.readUInt16LE(128);
    if (blockSize !== 512 && blockSize !== 1024 && blockSize !== 2048) continue;
    let root: DirRecord;
    try {
      root = parseRecord(vd, 156, blockSize);
    } catch {
      continue;
    }
    if ((root.flags & FLAG_DIRECTORY) === 0) continue;
    if (type === 1 && !primary) primary = { joliet: false, blockSize, root };
    if (type === 2 && !joliet && vd[881] !== 2) {
      const escapes = vd.toString('latin1', 88, 120);
      if (JOLIET_ESCAPES.some((e) => escapes.includes(e))) joliet = { joliet: true, blockSize, root };
    }
  }
  // Prefer Joliet (long, mixed-case names); fall back to the primary tree if the Joliet one cannot be read.
  return [joliet, primary].filter((v): v is VolumeRoot => v !== undefined);
}

async function listTree(
  handle: FileHandle,
  size: number,
  volume: VolumeRoot,
  limits: IsoLimits,
  problems: SourceProblem[],
): Promise<IsoFile[]> {
  const files: IsoFile[] = [];
  const visited = new Set<number>();
  let directories = 0;
  let directoryBytes = 0;
  let limitNoted = false;
  const noteLimit = (rel: string): void => {
    if (!limitNoted) problems.push(problem(rel, 'limit-reached'));
    limitNoted = true;
  };
  // Directory records can point anywhere, also into the middle of other directories, so a few MB of records can be
  // read again and again: problems and queued directories are capped like directories themselves, or a 32 MB image
  // made the reader hold gigabytes.
  const note = (item: SourceProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(item);
    else noteLimit(item.path);
  };
  const inImage = (offset: number, length: number): boolean => offset >= 0 && offset + length <= size;

  // The root must be readable, or the image is unusable.
  const { root } = volume;
  if (!inImage(root.offset, root.length) || root.length > limits.maxDirectoryBytes || root.length === 0) {
    throw new DamagedIso('root');
  }
  // Only where each directory is (never its name bytes, which would keep its whole parent's records in memory).
  const queue: Array<{ rel: string; record: Pick<DirRecord, 'offset' | 'length'>; depth: number } | undefined> = [
    { rel: '', record: root, depth: 0 },
  ];
  for (let next = 0; next < queue.length; next += 1) {
    const { rel, record, depth } = queue[next]!;
    queue[next] = undefined; // done with it: let it go
    if (visited.has(record.offset)) {
      note(problem(rel, 'loop'));
      continue;
    }
    visited.add(record.offset);
    directories += 1;
    directoryBytes += record.length;
    if (directories > limits.maxDirectories || directoryBytes > limits.maxTotalDirectoryBytes) {
      noteLimit(rel);
      break;
    }
    if (!inImage(record.offset, record.length) || record.length > limits.maxDirectoryBytes) {
      if (rel === '') throw new DamagedIso('root');
      note(problem(rel, 'damaged'));
      continue;
    }
    const data = await readAt(handle, record.offset, record.length);
    if (data.length < record.length) {
      if (rel === '') throw new DamagedIso('root');
      note(problem(rel, 'damaged'));
      continue;
    }
    let pending: { name: string; extents: Array<{ offset: number; length: number }>; size: number } | undefined;
    let pos = 0;
    let first = true;
    while (pos < data.length) {
      const recordLength = data[pos]!;
      if (recordLength === 0) {
        // Records never cross a sector; zero padding up to the next sector boundary.
        pos = (Math.floor(pos / ISO_SECTOR) + 1) * ISO_SECTOR;
        continue;
      }
      let rec: DirRecord & { recordLength: number };
      try {
        rec = parseRecord(data, pos, volume.blockSize);
      } catch {
        if (rel === '' && first) throw new DamagedIso('root records');
        note(problem(rel || '/', 'damaged'));
        break;
      }
      pos += rec.recordLength;
      first = false;
      if (rec.name.length === 1 && (rec.name[0] === 0 || rec.name[0] === 1)) continue; // '.' and '..'
      if (rec.flags & FLAG_ASSOCIATED) continue;
      const name = decodeName(rec.name, volume.joliet);
      const childRel = rel ? `${rel}/${name}` : name;
      if (!isSafeName(name)) {
        note(problem(childRel, 'unsafe-path'));
        continue;
      }
      if (rec.flags & FLAG_DIRECTORY) {
        if (depth + 1 > limits.maxDepth || queue.length - next > limits.maxDirectories) {
          noteLimit(childRel);
          continue;
        }
        queue.push({ rel: childRel, record: { offset: rec.offset, length: rec.length }, depth: depth + 1 });
        continue;
      }
      if (rec.interleaved) {
        note(problem(childRel, 'unsupported-layout'));
        continue;
      }
      if (!inImage(rec.offset, rec.length)) {
        note(problem(childRel, 'damaged'));
        pending = undefined;
        continue;
      }
      // Multi-extent files (> 4 GiB, or split by the authoring tool): same name, flag 0x80 on all but the last.
      if (pending && pending.name !== name) {
        note(problem(pending.name, 'damaged'));
        pending = undefined;
      }
      const extent = { offset: rec.offset, length: rec.length };
      if (rec.flags & FLAG_MULTI_EXTENT) {
        pending ??= { name, extents: [], size: 0 };
        pending.extents.push(extent);
        pending.size += rec.length;
        continue;
      }
      const extents = pending ? [...pending.extents, extent] : [extent];
      const total = pending ? pending.size + rec.length : rec.length;
      pending = undefined;
      if (files.length >= limits.maxEntries) {
        noteLimit(childRel);
        return files;
      }
      files.push({ path: childRel, extents, size: total });
    }
    if (pending) note(problem(rel ? `${rel}/${pending.name}` : pending.name, 'damaged'));
  }
  return files;
}

/** Opens an ISO 9660 image (with Joliet when present). Throws a patient-readable AppError if it cannot be listed. */
export async function openIsoSource(file: string, limits: IsoLimits = DEFAULT_ISO_LIMITS): Promise<DiscSource> {
  let handle: FileHandle;
  let stat: Stats;
  try {
    handle = await fsp.open(file, 'r');
    stat = await handle.stat();
  } catch (error) {
    throw toAppError(error);
  }
  const size = stat.size;
  const problems: SourceProblem[] = [];
  let files: IsoFile[];
  try {
    const volumes = await readVolumes(handle, size, limits);
    if (volumes.length === 0) throw new DamagedIso('no volume descriptor');
    let listed: IsoFile[] | undefined;
    for (const volume of volumes) {
      const attempt: SourceProblem[] = [];
      try {
        listed = await listTree(handle, size, volume, limits, attempt);
        problems.push(...attempt);
        break;
      } catch (error) {
        if (!(error instanceof DamagedIso)) throw error;
      }
    }
    if (!listed) throw new DamagedIso('no readable tree');
    files = listed;
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof DamagedIso) throw imagingErrors.damagedIso();
    throw toAppError(error);
  }
  files.sort((a, b) => a.extents[0]!.offset - b.extents[0]!.offset || compareNames(a.path, b.path));
  let closed = false;

  const toEntry = (f: IsoFile): SourceEntry => ({
    path: f.path,
    size: f.size,
    open: () => {
      if (closed) throw imagingErrors.sourceClosed();
      return rangeStream(handle, f.extents, streamErrors.outsideImage);
    },
    async readHead(n: number): Promise<Buffer> {
      if (closed) throw imagingErrors.sourceClosed();
      const want = Math.max(0, Math.min(n, f.size));
      const parts: Buffer[] = [];
      let got = 0;
      for (const extent of f.extents) {
        if (got >= want) break;
        const toRead = Math.min(extent.length, want - got);
        const part = await readAt(handle, extent.offset, toRead);
        parts.push(part);
        got += part.length;
        if (part.length < toRead) break;
      }
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    },
  });

  return {
    kind: 'iso',
    location: file,
    problems,
    async *entries() {
      for (const f of files) {
        if (closed) throw imagingErrors.sourceClosed();
        yield toEntry(f);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
