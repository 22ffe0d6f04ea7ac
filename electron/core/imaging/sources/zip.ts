import { promises as fsp } from 'node:fs';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { isAppError } from '../../../../shared/errors';
import { toAppError } from '../../errors';
import { imagingErrors, streamErrors } from '../errors';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../limits';
import type { DiscSource, SourceEntry, SourceProblem } from './types';
import { problem, readHeadFromStream } from './util';

/**
 * Normalises a zip entry name to a safe relative path, or returns null when it is unsafe: absolute ('/x', '\\x'),
 * a drive letter ('C:…'), a UNC path, a '..' segment, or a NUL character. Backslashes count as separators (some
 * Windows tools write them). '.' and empty segments are dropped.
 */
export function normaliseArchivePath(name: string): string | null {
  if (name.includes('\u0000')) return null;
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return null;
  const parts: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return null;
    parts.push(segment);
  }
  return parts.length > 0 ? parts.join('/') : null;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

type EntryVerdict =
  | { kind: 'file'; path: string }
  | { kind: 'directory' }
  | { kind: 'problem'; problem: SourceProblem };

function judgeEntry(entry: Entry, limits: ZipLimits): EntryVerdict {
  const raw = entry.fileName as unknown as Buffer; // decodeStrings: false → Buffer
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  const host = entry.versionMadeBy >> 8;
  const unixMode = host === 3 || host === 19 ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
  const isDir = name.endsWith('/') || unixMode === S_IFDIR || (host === 0 && (entry.externalFileAttributes & 0x10) !== 0);
  const safe = normaliseArchivePath(name);
  if (safe === null) {
    // A directory entry like '../' is as unsafe as a file: report it too.
    return { kind: 'problem', problem: problem(name, 'unsafe-path') };
  }
  if (isDir) return { kind: 'directory' };
  if (unixMode === S_IFLNK) return { kind: 'problem', problem: problem(safe, 'symlink') };
  if (unixMode !== 0 && unixMode !== S_IFREG) return { kind: 'problem', problem: problem(safe, 'special-file') };
  if (entry.isEncrypted()) return { kind: 'problem', problem: problem(safe, 'encrypted') };
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return { kind: 'problem', problem: problem(safe, 'unsupported-compression') };
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) return { kind: 'problem', problem: problem(safe, 'too-large') };
  if (exceedsRatio(entry.uncompressedSize, entry.compressedSize, limits)) {
    return { kind: 'problem', problem: problem(safe, 'suspicious-compression') };
  }
  return { kind: 'file', path: safe };
}

function exceedsRatio(uncompressed: number, compressed: number, limits: ZipLimits): boolean {
  if (uncompressed <= limits.ratioThresholdBytes) return false;
  return uncompressed > Math.max(compressed, 1) * limits.maxRatio;
}

/**
 * Counts bytes coming out of the inflater and stops the stream as soon as the entry produces more than it declared,
 * more than the per-entry cap, or more than the ratio allows. yauzl's own size validation does the first check too;
 * this guard does not depend on it.
 */
class BombGuard extends Transform {
  private seen = 0;

  constructor(
    private readonly declared: number,
    private readonly compressed: number,
    private readonly limits: ZipLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (
      this.seen > this.declared ||
      this.seen > this.limits.maxEntryBytes ||
      exceedsRatio(this.seen, this.compressed, this.limits)
    ) {
      callback(streamErrors.bomb());
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.seen === this.declared ? null : streamErrors.damagedEntry());
  }
}

function streamError(error: unknown): Error {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : '';
  if (/too many bytes/i.test(message)) return streamErrors.bomb();
  // Errors of the file system (ENOENT, EIO, EACCES…: the drive went away) keep their meaning. Everything else yauzl
  // or zlib says while reading an entry is about the archive's content: "file data overflows file bounds",
  // "unexpected EOF", "not enough bytes in the stream", bad local headers, bad deflate data. Those used to become
  // INTERNAL ("something went wrong inside the app").
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return toAppError(error);
  if (message === 'closed') return imagingErrors.sourceClosed();
  return streamErrors.damagedEntry();
}

function nextEntry(zipfile: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zipfile.off('entry', onEntry);
      zipfile.off('end', onEnd);
      zipfile.off('error', onError);
    };
    const onEntry = (entry: Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    zipfile.on('entry', onEntry);
    zipfile.on('end', onEnd);
    zipfile.on('error', onError);
    zipfile.readEntry();
  });
}

/**
 * A .zip archive through yauzl (central directory, ZIP64, lazy entries). Entries with unsafe paths, links,
 * encryption, unknown compression or bomb-like sizes are skipped and reported in `problems`; the rest is streamed.
 * If every file of the archive has an unsafe path, listing throws an AppError saying so.
 */
export async function openZipSource(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<DiscSource> {
  let zipfile: ZipFile;
  try {
    zipfile = await yauzl.openPromise(file, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false, // we decode and validate names ourselves, so one bad name does not abort the listing
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code) throw toAppError(error);
    throw imagingErrors.damagedZip();
  }
  const problems: SourceProblem[] = [];
  let listed: Array<{ entry: Entry; path: string }> | undefined;
  let closed = false;
  let direct: Promise<fsp.FileHandle> | null = null;

  /**
   * The first n bytes of a stored (uncompressed) entry with one positional read. Through yauzl's stream the same
   * bytes arrive in 16 KiB pieces through two piped streams: reading back a packet of thousands of images that way
   * took several times longer than writing it. Sizes were checked when listing (a stored entry's two sizes match).
   */
  async function readStoredHead(entry: Entry, n: number): Promise<Buffer> {
    if (closed) throw imagingErrors.sourceClosed();
    const want = Math.min(n, entry.uncompressedSize);
    if (want <= 0) return Buffer.alloc(0);
    try {
      const { fileDataStart } = await zipfile.readLocalFileHeaderPromise(entry, { minimal: true });
      direct ??= fsp.open(file, 'r');
      const handle = await direct;
      const bytes = Buffer.alloc(want);
      const { bytesRead } = await handle.read(bytes, 0, want, fileDataStart);
      if (bytesRead !== want) throw streamErrors.damagedEntry();
      return bytes;
    } catch (error) {
      throw closed ? imagingErrors.sourceClosed() : streamError(error);
    }
  }

  async function list(): Promise<Array<{ entry: Entry; path: string }>> {
    const files: Array<{ entry: Entry; path: string }> = [];
    const seen = new Set<string>();
    let total = 0;
    let unsafe = 0;
    for (;;) {
      let entry: Entry | null;
      try {
        entry = await nextEntry(zipfile);
      } catch {
        throw imagingErrors.damagedZip();
      }
      if (!entry) break;
      const verdict = judgeEntry(entry, limits);
      if (verdict.kind === 'directory') continue;
      if (verdict.kind === 'problem') {
        if (verdict.problem.reason === 'unsafe-path') unsafe += 1;
        problems.push(verdict.problem);
        continue;
      }
      if (seen.has(verdict.path)) {
        problems.push(problem(verdict.path, 'duplicate-path'));
        continue;
      }
      if (files.length >= limits.maxEntries) {
        problems.push(problem(verdict.path, 'limit-reached'));
        break;
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) throw imagingErrors.archiveTooLarge();
      // The ratio rule for the archive as a whole: entries can share one compressed body (a "non-recursive" zip
      // bomb), each under the per-entry threshold, together unpacking to thousands of times the archive's size.
      if (exceedsRatio(total, zipfile.fileSize, limits)) throw imagingErrors.archiveTooLarge();
      seen.add(verdict.path);
      files.push({ entry, path: verdict.path });
    }
    if (files.length === 0 && unsafe > 0) throw imagingErrors.onlyUnsafePaths();
    return files;
  }

  const toEntry = ({ entry, path }: { entry: Entry; path: string }): SourceEntry => {
    const open = (): Readable => {
      if (closed) throw imagingErrors.sourceClosed();
      const out = new PassThrough({ highWaterMark: 64 * 1024 });
      zipfile.openReadStream(entry, (error, raw) => {
        if (error || !raw) {
          out.destroy(streamError(error));
          return;
        }
        if (out.destroyed) {
          raw.destroy();
          return;
        }
        const guard = new BombGuard(entry.uncompressedSize, entry.compressedSize, limits);
        const fail = (err: unknown): void => {
          if (!out.destroyed) out.destroy(streamError(err));
          raw.destroy();
          guard.destroy();
        };
        raw.on('error', fail);
        guard.on('error', fail);
        // The consumer may stop early (readHead): stop inflating too.
        out.on('close', () => {
          raw.destroy();
          guard.destroy();
        });
        raw.pipe(guard).pipe(out);
      });
      return out;
    };
    return {
      path,
      size: entry.uncompressedSize,
      open,
      readHead: (n: number) => (entry.compressionMethod === 0 ? readStoredHead(entry, n) : readHeadFromStream(open(), Math.min(n, entry.uncompressedSize))),
    };
  };

  return {
    kind: 'zip',
    location: file,
    problems,
    async *entries() {
      listed ??= await list();
      for (const item of listed) {
        if (closed) throw imagingErrors.sourceClosed();
        yield toEntry(item);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      zipfile.close();
      const handle = await direct?.catch(() => null);
      await handle?.close().catch(() => undefined);
    },
  };
}
