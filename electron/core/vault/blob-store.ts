import { createHash, createHmac } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3-multiple-ciphers';
import { AppError, isAppError } from '../../../shared/errors';
import { toAppError } from '../errors';
import { fsyncDir, pathExists, tempSuffix } from './fs-util';
import { decryptSegments, encryptToFile, plaintextSizeOfFile, SEGMENT_SIZE } from './segmented-cipher';

/**
 * Encrypted, content-addressed file storage in `<vault>/blobs/`:
 *
 *   blobs/tmp/<random>        files being written (anything here after a restart is a crash leftover)
 *   blobs/<id[0..2]>/<id>     finished files, id = HMAC-SHA256(blobNames key, sha256 of the plaintext), hex
 *
 * The keyed name deduplicates identical content without revealing the content hash, which would tell an observer
 * which known documents the vault holds. The store never writes database rows itself except through `record`, so
 * callers can insert the row in their own transaction once the file is durable.
 */

export interface BlobInfo {
  id: string;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
  /** Plaintext size in bytes. */
  size: number;
  /** false when identical content was already stored (the new copy was discarded). */
  created: boolean;
}

export type BlobSource = Uint8Array | string | AsyncIterable<Uint8Array>;

export interface BlobKeys {
  blobs: Buffer;
  blobNames: Buffer;
}

export interface CleanupResult {
  tempFiles: number;
  orphanFiles: number;
}

const ID_PATTERN = /^[0-9a-f]{64}$/;
const SHARD_PATTERN = /^[0-9a-f]{2}$/;
const TMP_DIR = 'tmp';

export function isBlobId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

export class BlobStore {
  readonly root: string;
  #keys: BlobKeys | null;
  readonly #streams = new Set<Readable>();

  /** The store keeps references to the key buffers; whoever owns them wipes them after `close()`. */
  constructor(root: string, keys: BlobKeys) {
    this.root = root;
    this.#keys = keys;
  }

  /** Encrypts `source` (bytes, a file path, or a stream of chunks) into the store. Streams; never buffers a whole file. */
  async put(source: BlobSource): Promise<BlobInfo> {
    const tmpDir = path.join(this.root, TMP_DIR);
    await fsp.mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const temp = path.join(tmpDir, tempSuffix());
    const hash = createHash('sha256');
    const { plaintextBytes } = await encryptToFile(chunksOf(source), temp, this.#requireKeys().blobs, (chunk) =>
      hash.update(chunk),
    ).catch((error: unknown) => {
      throw toAppError(error);
    });
    try {
      const sha256 = hash.digest('hex');
      const id = this.#nameFor(sha256);
      const created = await this.#moveIntoPlace(temp, id);
      return { id, sha256, size: plaintextBytes, created };
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw toAppError(error);
    }
  }

  /** Inserts the row for a stored file. Call inside the caller's transaction, after `put` resolved. */
  record(db: Database.Database, info: Pick<BlobInfo, 'id' | 'sha256' | 'size'>, now: Date = new Date()): void {
    if (!isBlobId(info.id)) throw new AppError('INVALID_INPUT');
    db.prepare('INSERT OR IGNORE INTO blobs (id, sha256, size, created_at) VALUES (?, ?, ?, ?)').run(
      info.id,
      info.sha256,
      info.size,
      now.toISOString(),
    );
  }

  /**
   * Plaintext bytes [start, end] (inclusive, like HTTP Range; end defaults to the last byte). Damage and missing
   * files surface as a stream 'error' carrying an AppError; closing the store destroys open streams with LOCKED.
   */
  openRange(id: string, start = 0, end?: number): Readable {
    const file = this.#fileOf(id);
    const key = this.#requireKeys().blobs;
    if (!Number.isSafeInteger(start) || start < 0) throw new AppError('INVALID_INPUT');
    if (end !== undefined && (!Number.isSafeInteger(end) || end < -1)) throw new AppError('INVALID_INPUT');
    const stream = Readable.from(mapErrors(decryptSegments(file, key, start, end)), { objectMode: false });
    this.#streams.add(stream);
    stream.once('close', () => this.#streams.delete(stream));
    return stream;
  }

  /** The whole plaintext in memory: for small files only (use openRange for anything large). */
  async readAll(id: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.openRange(id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async has(id: string): Promise<boolean> {
    if (!isBlobId(id)) return false;
    return pathExists(this.#fileOf(id));
  }

  /** Plaintext size, computed from the file size (nothing is decrypted). */
  async statSize(id: string): Promise<number> {
    const file = this.#fileOf(id);
    return plaintextSizeOfFile(file).catch((error: unknown) => {
      throw toAppError(error);
    });
  }

  /** Decrypts the whole file and compares its hash: null when fine, otherwise a description without content. */
  async verify(id: string, sha256: string): Promise<string | null> {
    if (!(await this.has(id))) return 'The encrypted file is missing.';
    const hash = createHash('sha256');
    try {
      for await (const chunk of decryptSegments(this.#fileOf(id), this.#requireKeys().blobs)) hash.update(chunk);
    } catch (error) {
      if (isAppError(error) && error.code === 'VAULT_DAMAGED') return 'The encrypted file is damaged and cannot be read.';
      throw toAppError(error);
    }
    if (hash.digest('hex') !== sha256) return 'The file does not match its recorded fingerprint.';
    return null;
  }

  /**
   * Removes crash leftovers: everything in blobs/tmp, and finished files that have no row (the process stopped
   * between writing the file and committing its row). Run only when nothing else is writing to this vault (on open).
   * Files with names the store never creates are left alone rather than guessed about.
   */
  async cleanup(db: Database.Database): Promise<CleanupResult> {
    const tempFiles = await this.#emptyTmp();
    const known = new Set(db.prepare('SELECT id FROM blobs').pluck().all() as string[]);
    let orphanFiles = 0;
    for (const shard of await readdirOrEmpty(this.root)) {
      if (!SHARD_PATTERN.test(shard)) continue;
      for (const name of await readdirOrEmpty(path.join(this.root, shard))) {
        if (!isBlobId(name) || !name.startsWith(shard) || known.has(name)) continue;
        await fsp.rm(path.join(this.root, shard, name), { force: true });
        orphanFiles += 1;
      }
    }
    return { tempFiles, orphanFiles };
  }

  /** Path of a stored file (e.g. for backups, which copy the ciphertext as is). Validates the id first. */
  fileOf(id: string): string {
    return this.#fileOf(id);
  }

  /** A fresh path under blobs/tmp for scratch files that cleanup must remove after a crash. */
  async tempPath(label: string): Promise<string> {
    const tmpDir = path.join(this.root, TMP_DIR);
    await fsp.mkdir(tmpDir, { recursive: true, mode: 0o700 });
    return path.join(tmpDir, `${label}-${tempSuffix()}`);
  }

  /** Stops all use: open streams end with LOCKED, and the key references are dropped. */
  close(): void {
    this.#keys = null;
    for (const stream of this.#streams) stream.destroy(new AppError('LOCKED'));
    this.#streams.clear();
  }

  #requireKeys(): BlobKeys {
    if (!this.#keys) throw new AppError('LOCKED');
    return this.#keys;
  }

  #nameFor(sha256: string): string {
    return createHmac('sha256', this.#requireKeys().blobNames).update(Buffer.from(sha256, 'hex')).digest('hex');
  }

  #fileOf(id: string): string {
    // Validated before any path is built, so an id can never point outside the store.
    if (!isBlobId(id)) throw new AppError('NOT_FOUND');
    return path.join(this.root, id.slice(0, 2), id);
  }

  /** true when the file was moved into place, false when identical content was already stored. */
  async #moveIntoPlace(temp: string, id: string): Promise<boolean> {
    const final = this.#fileOf(id);
    if (await pathExists(final)) {
      await fsp.rm(temp, { force: true });
      return false;
    }
    const shardDir = path.dirname(final);
    const shardIsNew = !(await pathExists(shardDir));
    await fsp.mkdir(shardDir, { recursive: true, mode: 0o700 });
    if (shardIsNew) await fsyncDir(this.root);
    await fsp.rename(temp, final);
    await fsyncDir(shardDir);
    return true;
  }

  async #emptyTmp(): Promise<number> {
    const tmpDir = path.join(this.root, TMP_DIR);
    const entries = await readdirOrEmpty(tmpDir);
    for (const entry of entries) await fsp.rm(path.join(tmpDir, entry), { recursive: true, force: true });
    return entries.length;
  }
}

/** Feeds the cipher ≤ 64 KiB slices: AES-GCM's fast path, and bounded memory for file sources. */
async function* chunksOf(source: BlobSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield* createReadStream(source, { highWaterMark: SEGMENT_SIZE }) as AsyncIterable<Buffer>;
    return;
  }
  if (source instanceof Uint8Array) {
    for (let offset = 0; offset < source.length; offset += SEGMENT_SIZE) {
      yield source.subarray(offset, offset + SEGMENT_SIZE);
    }
    return;
  }
  yield* source;
}

async function* mapErrors<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw toAppError(error);
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
