import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '../../../shared/errors';
import { fsyncDir, tempSuffix } from './fs-util';
import { parseHeader, type VaultHeader } from './header';
import { decryptSegments, SegmentWriter } from './segmented-cipher';

/**
 * One-file backups.
 *
 *   outer header (plaintext): 'SOBK' | version u8 | 3 zero bytes | length u32 BE | vault.json as it was at backup time
 *   body: a segmented-cipher stream (see segmented-cipher.ts) under the `backup` subkey, whose plaintext is
 *         entries [path length u16 BE | path UTF-8 | size u64 BE | bytes], ended by a path length of 0.
 *
 * The outer header lets the backup be opened with the passphrase or recovery key that was valid when it was made.
 * Entries are vault.json, vault.db (a SQLCipher-encrypted snapshot) and the blob files (already encrypted), so the
 * backup holds no plaintext even inside its own encryption. The stream's last-segment flag proves the entry list
 * was not cut short.
 */

const MAGIC = Buffer.from('SOBK', 'latin1');
const VERSION = 1;
const OUTER_FIXED_BYTES = 12;
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_PATH_BYTES = 512;
const COPY_CHUNK = 64 * 1024;
const ENTRY_PATH = /^(vault\.json|vault\.db|blobs\/([0-9a-f]{2})\/([0-9a-f]{64}))$/;

export type BackupEntry = { path: string; data: Buffer } | { path: string; file: string; size: number };
/** Progress callback: `done` of `total` (bytes for backup, files for verify). */
export type Progress = (done: number, total: number) => void;

/** Writes a backup to a temp name beside `destFile`, fsyncs, then renames it into place (replacing any old file). */
export async function writeBackupFile(
  destFile: string,
  headerText: string,
  backupKey: Buffer,
  entries: readonly BackupEntry[],
  onProgress?: Progress,
): Promise<{ bytes: number }> {
  const destDir = path.dirname(path.resolve(destFile));
  await fsp.mkdir(destDir, { recursive: true });
  const temp = path.join(destDir, `.${path.basename(destFile)}.tmp-${tempSuffix()}`);
  const handle = await fsp.open(temp, 'wx', 0o600);
  const outer = outerHeader(headerText);
  const writer = new SegmentWriter(handle, outer.length, backupKey);
  try {
    const { bytesWritten } = await handle.write(outer, 0, outer.length, 0);
    if (bytesWritten !== outer.length) throw new AppError('IO_ERROR');
    await writeEntries(writer, entries, onProgress);
    await writer.finish();
    await handle.sync();
    await handle.close();
    await fsp.rename(temp, destFile);
  } catch (error) {
    writer.abort();
    await handle.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(destDir);
  return { bytes: writer.position };
}

function outerHeader(headerText: string): Buffer {
  const json = Buffer.from(headerText, 'utf8');
  const fixed = Buffer.alloc(OUTER_FIXED_BYTES);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt8(VERSION, 4);
  fixed.writeUInt32BE(json.length, 8);
  return Buffer.concat([fixed, json]);
}

async function writeEntries(writer: SegmentWriter, entries: readonly BackupEntry[], onProgress?: Progress): Promise<void> {
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  let done = 0;
  for (const entry of entries) {
    await writer.write(entryHead(entry.path, entrySize(entry)));
    if ('data' in entry) await writer.write(entry.data);
    else await copyFileInto(writer, entry.file, entry.size);
    done += entrySize(entry);
    onProgress?.(done, total);
  }
  await writer.write(Buffer.alloc(2)); // path length 0 = end of entries
}

function entrySize(entry: BackupEntry): number {
  return 'data' in entry ? entry.data.length : entry.size;
}

function entryHead(entryPath: string, size: number): Buffer {
  const name = Buffer.from(entryPath, 'utf8');
  const head = Buffer.alloc(2 + name.length + 8);
  head.writeUInt16BE(name.length, 0);
  name.copy(head, 2);
  head.writeBigUInt64BE(BigInt(size), 2 + name.length);
  return head;
}

/** Copies exactly `size` bytes; a file that changed size meanwhile would make the entry list lie, so it fails. */
async function copyFileInto(writer: SegmentWriter, file: string, size: number): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(COPY_CHUNK);
    let copied = 0;
    while (copied < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(COPY_CHUNK, size - copied), copied);
      if (bytesRead === 0) throw new AppError('IO_ERROR');
      await writer.write(buffer.subarray(0, bytesRead));
      copied += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export interface BackupHeader {
  header: VaultHeader;
  /** Where the encrypted body starts. */
  bodyOffset: number;
}

/** Reads the plaintext outer header. Anything that is not a backup of ours → BACKUP_INVALID. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') throw new AppError('BACKUP_INVALID');
    throw error;
  }
  try {
    const fixed = await readAt(handle, 0, OUTER_FIXED_BYTES);
    if (!fixed.subarray(0, 4).equals(MAGIC) || fixed.readUInt8(4) !== VERSION) throw new AppError('BACKUP_INVALID');
    const length = fixed.readUInt32BE(8);
    if (length === 0 || length > MAX_HEADER_BYTES) throw new AppError('BACKUP_INVALID');
    const text = (await readAt(handle, OUTER_FIXED_BYTES, length)).toString('utf8');
    return { header: parseHeader(text, 'BACKUP_INVALID'), bodyOffset: OUTER_FIXED_BYTES + length };
  } finally {
    await handle.close();
  }
}

async function readAt(handle: fsp.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new AppError('BACKUP_INVALID');
  return buffer;
}

/**
 * Decrypts the body into `stagingDir`: vault.db and blob files are written (exclusive create, fsync); the inner
 * vault.json is returned for the caller to write last. Any damage, unexpected path or duplicate → BACKUP_INVALID.
 */
export async function extractBackup(file: string, bodyOffset: number, backupKey: Buffer, stagingDir: string): Promise<string> {
  const reader = new ByteReader(decryptSegments(file, backupKey, 0, undefined, { base: bodyOffset, damaged: 'BACKUP_INVALID' }));
  const dirs = new Set<string>([stagingDir]);
  let headerText: string | null = null;
  let sawDatabase = false;
  try {
    for (;;) {
      const entry = await readEntryHead(reader);
      if (!entry) break;
      if (entry.path === 'vault.json') {
        if (headerText !== null || entry.size > MAX_HEADER_BYTES) throw new AppError('BACKUP_INVALID');
        headerText = (await reader.exact(entry.size)).toString('utf8');
        continue;
      }
      sawDatabase ||= entry.path === 'vault.db';
      await writeEntryFile(reader, path.join(stagingDir, ...entry.path.split('/')), entry.size, dirs);
    }
    if (!(await reader.atEnd())) throw new AppError('BACKUP_INVALID');
  } catch (error) {
    throw asBackupError(error);
  } finally {
    await reader.close();
  }
  if (headerText === null || !sawDatabase) throw new AppError('BACKUP_INVALID');
  for (const dir of dirs) await fsyncDir(dir);
  return headerText;
}

async function readEntryHead(reader: ByteReader): Promise<{ path: string; size: number } | null> {
  const length = (await reader.exact(2)).readUInt16BE(0);
  if (length === 0) return null;
  if (length > MAX_PATH_BYTES) throw new AppError('BACKUP_INVALID');
  const entryPath = (await reader.exact(length)).toString('utf8');
  const match = ENTRY_PATH.exec(entryPath);
  // The path is checked against the three shapes we write, so a crafted backup cannot write outside the folder.
  if (!match || (match[2] !== undefined && !match[3]?.startsWith(match[2]))) throw new AppError('BACKUP_INVALID');
  const size = (await reader.exact(8)).readBigUInt64BE(0);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('BACKUP_INVALID');
  return { path: entryPath, size: Number(size) };
}

async function writeEntryFile(reader: ByteReader, target: string, size: number, dirs: Set<string>): Promise<void> {
  const dir = path.dirname(target);
  if (!dirs.has(dir)) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    dirs.add(dir);
    dirs.add(path.dirname(dir));
  }
  // 'wx': a duplicate entry fails instead of overwriting the first copy.
  const handle = await fsp.open(target, 'wx', 0o600);
  try {
    for await (const chunk of reader.take(size)) await writeAll(handle, chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: fsp.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

function asBackupError(error: unknown): unknown {
  if (isAppError(error)) return error;
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') return new AppError('BACKUP_INVALID');
  return error;
}

/** Exact-length reads over a stream of chunks, holding at most one chunk. */
class ByteReader {
  readonly #source: AsyncGenerator<Buffer>;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(source: AsyncGenerator<Buffer>) {
    this.#source = source;
  }

  async exact(length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.take(length)) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }

  /** Yields exactly `length` bytes; running out first → BACKUP_INVALID. */
  async *take(length: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0) {
      if (this.#pending.length === 0 && !(await this.#fill())) throw new AppError('BACKUP_INVALID');
      const part = this.#pending.subarray(0, Math.min(left, this.#pending.length));
      this.#pending = this.#pending.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  /** True when no bytes are left (this also authenticates the final segment). */
  async atEnd(): Promise<boolean> {
    if (this.#pending.length > 0) return false;
    return !(await this.#fill());
  }

  async close(): Promise<void> {
    await this.#source.return(undefined);
  }

  async #fill(): Promise<boolean> {
    while (!this.#ended) {
      const next = await this.#source.next();
      if (next.done) {
        this.#ended = true;
        break;
      }
      if (next.value.length > 0) {
        this.#pending = next.value;
        return true;
      }
    }
    return false;
  }
}
