import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { PacketFormat } from '../../../shared/contract/export';
import { openSource } from '../imaging/sources/open';
import type { SourceEntry } from '../imaging/sources/types';
import { FileFlusher, FlushingFile } from './flush';
import { IsoWriter, layoutIso } from './iso-writer';
import { directoriesOf, type PlanFile } from './plan';
import { ZipWriter } from './zip-writer';

/**
 * Writes a planned packet to its temporary place — a folder, a .zip or an .iso, all with the same tree — and reads
 * it back to check it. Data comes from `open(file)`, which for stored files decrypts and verifies as it streams.
 */

export type OpenFile = (file: PlanFile) => AsyncIterable<Buffer>;

export interface WriteOptions {
  format: PacketFormat;
  /** The temporary folder (format 'folder') or file (zip, iso); it must not exist yet. */
  target: string;
  files: PlanFile[];
  open: OpenFile;
  volumeId: string;
  date: Date;
  application: string;
}

async function* fromMemory(data: Buffer): AsyncGenerator<Buffer> {
  // Slices, so progress and cancellation see large generated files (RECORDS.PDF) move.
  for (let offset = 0; offset < data.length; offset += 1024 * 1024) yield data.subarray(offset, offset + 1024 * 1024);
}

export function memoryOrOpen(open: OpenFile): OpenFile {
  return (file) => (file.source.kind === 'memory' ? fromMemory(file.source.data) : open(file));
}

async function writeFolder(options: WriteOptions): Promise<void> {
  await fsp.mkdir(options.target, { recursive: false });
  const made = new Set<string>();
  for (const dir of directoriesOf(options.files)) {
    await fsp.mkdir(path.join(options.target, ...dir.split('/')));
    made.add(dir);
  }
  // Each file goes to disk while the next ones are written (see flush.ts), all before the folder gets its final name.
  const flusher = new FileFlusher();
  try {
    for (const file of options.files) {
      const handle = await fsp.open(path.join(options.target, ...file.path.split('/')), 'wx');
      try {
        for await (const chunk of options.open(file)) {
          let offset = 0;
          while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
        }
      } catch (error) {
        await handle.close();
        throw error;
      }
      await flusher.add(handle);
    }
    await flusher.drain();
  } catch (error) {
    await flusher.abandon();
    throw error;
  }
  for (const dir of ['', ...made]) await syncDir(path.join(options.target, ...dir.split('/').filter(Boolean)));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined); // not supported everywhere (Windows); best effort
  } finally {
    await handle.close();
  }
}

async function writeZip(options: WriteOptions): Promise<void> {
  const handle = await fsp.open(options.target, 'wx');
  const file = new FlushingFile(handle);
  try {
    const zip = new ZipWriter(file, { date: options.date });
    for (const dir of directoriesOf(options.files)) await zip.addDirectory(dir);
    for (const planned of options.files) {
      if (planned.source.kind === 'memory') await zip.addBytes(planned.path, planned.source.data, { deflate: planned.deflate ?? false });
      else await zip.addStream(planned.path, planned.size, options.open(planned));
    }
    await zip.finish();
    await file.finish();
  } finally {
    await file.settle();
    await handle.close();
  }
}

async function writeIso(options: WriteOptions): Promise<void> {
  const layout = layoutIso(
    options.files.map((file) => ({ path: file.path, size: file.size })),
    { volumeId: options.volumeId, date: options.date, application: options.application.toUpperCase().replace(/[^A-Z0-9_ ]/g, '_') },
  );
  const byPath = new Map(options.files.map((file) => [file.path, file]));
  const handle = await fsp.open(options.target, 'wx');
  const file = new FlushingFile(handle);
  try {
    const iso = new IsoWriter(file, layout);
    await iso.start();
    for (const spec of layout.files) await iso.addFile(spec.path, options.open(byPath.get(spec.path)!));
    await iso.finish();
    await file.finish();
  } finally {
    await file.settle();
    await handle.close();
  }
}

export async function writePacket(options: WriteOptions): Promise<void> {
  const open = memoryOrOpen(options.open);
  const withOpen = { ...options, open };
  if (options.format === 'folder') await writeFolder(withOpen);
  else if (options.format === 'zip') await writeZip(withOpen);
  else await writeIso(withOpen);
}

/** Bytes the finished packet will take (the zip's exact size is known only after writing). */
export function isoSizeOf(files: PlanFile[], volumeId: string, date: Date): number {
  return layoutIso(files.map((file) => ({ path: file.path, size: file.size })), { volumeId, date }).bytes;
}

export interface CheckResult {
  ok: boolean;
  files: number;
  bytes: number;
  problems: string[];
  /** Paths read back in full whose SHA-256 differs from the plan's. */
  differing: string[];
}

/** Files up to this size are read back in one call, several at once; larger ones are streamed. */
const CHECK_WHOLE_FILE_MAX = 8 * 1024 * 1024;
const CHECK_READ_AHEAD = 8;

interface CheckItem {
  path: string;
  size: number;
  /** The file's SHA-256, or null when fewer bytes than its listed size could be read. */
  sha256: Promise<string | null>;
}

async function hashEntry(entry: SourceEntry, onRead: (bytes: number) => void): Promise<string | null> {
  const hash = createHash('sha256');
  if (entry.size <= CHECK_WHOLE_FILE_MAX) {
    // One read per file: a packet is mostly thousands of small images, where per-chunk overhead dominates.
    const bytes = await entry.readHead(entry.size);
    onRead(bytes.length);
    return bytes.length === entry.size ? hash.update(bytes).digest('hex') : null;
  }
  let read = 0;
  for await (const chunk of entry.open()) {
    hash.update(chunk as Buffer);
    read += (chunk as Buffer).length;
    onRead((chunk as Buffer).length);
  }
  return read === entry.size ? hash.digest('hex') : null;
}

/**
 * Reads the written packet back with the app's own disc readers (the same code that imports discs) and compares
 * every file with the plan: present, nothing extra, same size, same SHA-256. A few files are read ahead, so the
 * disk is busy while the previous file is hashed.
 */
export async function checkPacket(target: string, files: PlanFile[], onBytes: (bytes: number) => void, signal: AbortSignal): Promise<CheckResult> {
  const expected = new Map(files.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const problems: string[] = [];
  const differing: string[] = [];
  let bytes = 0;
  const onRead = (read: number) => {
    bytes += read;
    onBytes(bytes);
  };
  const pending: CheckItem[] = [];
  const settle = async (item: CheckItem) => {
    const sha256 = await item.sha256;
    if (sha256 === null) problems.push(`${item.path}: shorter than its listed size`);
    else if (sha256 !== expected.get(item.path)?.sha256) {
      problems.push(`${item.path}: content differs from what was planned`);
      differing.push(item.path);
    }
  };
  const source = await openSource(target);
  try {
    for await (const entry of source.entries()) {
      if (signal.aborted) break;
      const want = expected.get(entry.path);
      if (!want) {
        problems.push(`unexpected file ${entry.path}`);
        continue;
      }
      seen.add(entry.path);
      if (entry.size !== want.size) {
        problems.push(`${entry.path}: ${entry.size} bytes instead of ${want.size}`);
        continue;
      }
      const sha256 = hashEntry(entry, onRead);
      sha256.catch(() => undefined); // awaited in order by settle(); never an unhandled rejection meanwhile
      pending.push({ path: entry.path, size: entry.size, sha256 });
      if (pending.length >= CHECK_READ_AHEAD) await settle(pending.shift()!);
    }
    while (pending.length > 0) await settle(pending.shift()!);
    for (const problem of source.problems) problems.push(`${problem.path}: ${problem.message}`);
  } finally {
    await Promise.allSettled(pending.map((item) => item.sha256));
    await source.close();
  }
  for (const file of files) if (!seen.has(file.path)) problems.push(`missing ${file.path}`);
  return { ok: problems.length === 0 && !signal.aborted, files: seen.size, bytes, problems, differing };
}
