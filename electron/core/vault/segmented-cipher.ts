import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import { hkdf, wipe } from './keys';

/**
 * Encrypted files in fixed-size segments (the STREAM construction), so any byte range can be decrypted by reading
 * only the segments that hold it, and truncation, reordering and tampering are all detected.
 *
 *   header (32 bytes): 'SOB1' | version u8 | segment size u32 BE | salt (16) | nonce prefix (7)
 *   segments: AES-256-GCM(plaintext[i]) || tag (16), every segment full-size except the last
 *
 * per-file key = HKDF(master key, salt); nonce = prefix || segment counter u32 BE || last-segment flag u8;
 * AAD = the header bytes. The flag makes a file cut at a segment boundary fail (its new last segment was sealed as
 * "not last"); the counter in the nonce makes swapped segments fail. Empty plaintext = one empty final segment.
 * 64 KiB segments also keep each cipher update() at ≤ 64 KiB, which is AES-GCM's fast path in Node.
 */

export const SEGMENT_SIZE = 64 * 1024;
export const FILE_HEADER_BYTES = 32;
const MAGIC = Buffer.from('SOB1', 'latin1');
const VERSION = 1;
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const PREFIX_BYTES = 7;
const MAX_SEGMENTS = 0xffffffff;
/** Segments read per disk read when decrypting: ~1 MiB, few syscalls, bounded memory. */
const SEGMENTS_PER_READ = 16;
const FILE_KEY_INFO = 'second-opinion/v1/segmented-file';
const WRITE_BATCH_BYTES = 1024 * 1024;

type DamagedCode = 'VAULT_DAMAGED' | 'BACKUP_INVALID';

interface FileHeader {
  bytes: Buffer;
  segmentSize: number;
  salt: Buffer;
  prefix: Buffer;
}

function buildHeader(segmentSize: number): FileHeader {
  const salt = randomBytes(SALT_BYTES);
  const prefix = randomBytes(PREFIX_BYTES);
  const bytes = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt8(VERSION, 4);
  bytes.writeUInt32BE(segmentSize, 5);
  salt.copy(bytes, 9);
  prefix.copy(bytes, 9 + SALT_BYTES);
  return { bytes, segmentSize, salt, prefix };
}

function parseHeader(bytes: Buffer): FileHeader | null {
  if (bytes.length !== FILE_HEADER_BYTES) return null;
  if (!bytes.subarray(0, 4).equals(MAGIC) || bytes.readUInt8(4) !== VERSION) return null;
  const segmentSize = bytes.readUInt32BE(5);
  // Bounds keep a hostile header from asking for huge buffers; the AAD check catches any other edit.
  if (segmentSize < 1024 || segmentSize > 1024 * 1024) return null;
  return {
    bytes: Buffer.from(bytes),
    segmentSize,
    salt: bytes.subarray(9, 9 + SALT_BYTES),
    prefix: bytes.subarray(9 + SALT_BYTES, FILE_HEADER_BYTES),
  };
}

function nonceFor(header: FileHeader, counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  header.prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, PREFIX_BYTES);
  nonce.writeUInt8(last ? 1 : 0, 11);
  return nonce;
}

/**
 * Plaintext length of a segmented body (the bytes after the header), or null when no encryption could have produced
 * that length. Every segment but the last is full; the last holds 1..segmentSize bytes, or 0 only when it is the only one.
 */
export function plaintextSizeOf(bodyBytes: number, segmentSize: number): number | null {
  const sealed = segmentSize + TAG_BYTES;
  if (bodyBytes < TAG_BYTES) return null;
  const segments = Math.ceil(bodyBytes / sealed);
  const lastSealed = bodyBytes - (segments - 1) * sealed;
  if (lastSealed < TAG_BYTES) return null;
  if (lastSealed === TAG_BYTES && segments > 1) return null;
  return (segments - 1) * segmentSize + (lastSealed - TAG_BYTES);
}

/** Encrypts a stream incrementally; holds at most one segment of plaintext. */
export class SegmentEncryptor {
  readonly header: Buffer;
  readonly #fileHeader: FileHeader;
  readonly #key: Buffer;
  readonly #pending: Buffer;
  #pendingLength = 0;
  #counter = 0;
  #finished = false;

  constructor(masterKey: Buffer, segmentSize: number = SEGMENT_SIZE) {
    this.#fileHeader = buildHeader(segmentSize);
    this.header = this.#fileHeader.bytes;
    this.#key = hkdf(masterKey, this.#fileHeader.salt, FILE_KEY_INFO);
    this.#pending = Buffer.alloc(segmentSize);
  }

  /** Takes plaintext, returns the segments it completed (possibly none). */
  update(chunk: Uint8Array): Buffer[] {
    if (this.#finished) throw new AppError('INTERNAL');
    const out: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      // A full segment is sealed only once more data arrives, because only then do we know it is not the last.
      if (this.#pendingLength === this.#pending.length) out.push(this.#sealPending(false));
      // Fast path: whole segments straight from the caller's chunk, without copying, when more data follows them.
      if (this.#pendingLength === 0 && chunk.length - offset > this.#pending.length) {
        out.push(this.#seal(chunk.subarray(offset, offset + this.#pending.length), false));
        offset += this.#pending.length;
        continue;
      }
      const take = Math.min(chunk.length - offset, this.#pending.length - this.#pendingLength);
      this.#pending.set(chunk.subarray(offset, offset + take), this.#pendingLength);
      this.#pendingLength += take;
      offset += take;
    }
    return out;
  }

  /** Seals the last segment (possibly empty) and wipes the file key and buffered plaintext. */
  final(): Buffer {
    if (this.#finished) throw new AppError('INTERNAL');
    const last = this.#sealPending(true);
    this.#finished = true;
    wipe(this.#key);
    wipe(this.#pending);
    return last;
  }

  /** Wipes key and buffered plaintext without producing output (on errors). */
  abort(): void {
    this.#finished = true;
    wipe(this.#key);
    wipe(this.#pending);
  }

  #sealPending(last: boolean): Buffer {
    const sealed = this.#seal(this.#pending.subarray(0, this.#pendingLength), last);
    this.#pendingLength = 0;
    return sealed;
  }

  #seal(plaintext: Uint8Array, last: boolean): Buffer {
    if (this.#counter > MAX_SEGMENTS) throw new AppError('INTERNAL');
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonceFor(this.#fileHeader, this.#counter, last));
    cipher.setAAD(this.header);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    this.#counter += 1;
    return sealed;
  }
}

/**
 * Writes header + segments to an open file handle from `position` on. Used for blob files (position 0) and inside
 * backup files (after their plaintext outer header).
 */
export class SegmentWriter {
  readonly #handle: fsp.FileHandle;
  readonly #encryptor: SegmentEncryptor;
  #position: number;
  #headerWritten = false;
  /** Sealed segments waiting to be written: coalesced to ~1 MiB so a large file costs few syscalls. */
  #queued: Buffer[] = [];
  #queuedBytes = 0;

  constructor(handle: fsp.FileHandle, position: number, masterKey: Buffer) {
    this.#handle = handle;
    this.#position = position;
    this.#encryptor = new SegmentEncryptor(masterKey);
  }

  /** Bytes written so far (after finish(): the end of the segmented data). */
  get position(): number {
    return this.#position + this.#queuedBytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    const segments = this.#encryptor.update(chunk);
    if (!this.#headerWritten) {
      segments.unshift(this.#encryptor.header);
      this.#headerWritten = true;
    }
    this.#queue(segments);
    if (this.#queuedBytes >= WRITE_BATCH_BYTES) await this.#flush();
  }

  async finish(): Promise<void> {
    const segments = [this.#encryptor.final()];
    if (!this.#headerWritten) segments.unshift(this.#encryptor.header);
    this.#headerWritten = true;
    this.#queue(segments);
    await this.#flush();
  }

  abort(): void {
    this.#encryptor.abort();
    this.#queued = [];
    this.#queuedBytes = 0;
  }

  #queue(buffers: Buffer[]): void {
    for (const buffer of buffers) {
      this.#queued.push(buffer);
      this.#queuedBytes += buffer.length;
    }
  }

  async #flush(): Promise<void> {
    if (this.#queued.length === 0) return;
    const buffers = this.#queued;
    const expected = this.#queuedBytes;
    this.#queued = [];
    this.#queuedBytes = 0;
    const { bytesWritten } = await this.#handle.writev(buffers, this.#position);
    if (bytesWritten !== expected) throw new AppError('IO_ERROR');
    this.#position += bytesWritten;
  }
}

export interface EncryptResult {
  plaintextBytes: number;
  fileBytes: number;
}

/**
 * Streams `source` into a new encrypted file (created exclusively, mode 0600), fsyncs it and closes it.
 * `onPlaintext` sees every plaintext chunk (the blob store hashes there). On failure the file is removed.
 */
export async function encryptToFile(
  source: AsyncIterable<Uint8Array>,
  file: string,
  masterKey: Buffer,
  onPlaintext?: (chunk: Uint8Array) => void,
): Promise<EncryptResult> {
  const handle = await fsp.open(file, 'wx', 0o600);
  const writer = new SegmentWriter(handle, 0, masterKey);
  let plaintextBytes = 0;
  try {
    for await (const chunk of source) {
      onPlaintext?.(chunk);
      plaintextBytes += chunk.length;
      await writer.write(chunk);
    }
    await writer.finish();
    await handle.sync();
  } catch (error) {
    writer.abort();
    await handle.close();
    await fsp.rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return { plaintextBytes, fileBytes: writer.position };
}

export interface SegmentedLayout {
  header: FileHeader;
  plaintextBytes: number;
}

/** Reads and checks the segment header at `base` of an open file, and the plaintext length the file size implies. */
export async function readLayout(
  handle: fsp.FileHandle,
  base: number,
  fileBytes: number,
  damaged: DamagedCode = 'VAULT_DAMAGED',
): Promise<SegmentedLayout> {
  const bytes = Buffer.alloc(FILE_HEADER_BYTES);
  const { bytesRead } = await handle.read(bytes, 0, FILE_HEADER_BYTES, base);
  const header = bytesRead === FILE_HEADER_BYTES ? parseHeader(bytes) : null;
  if (!header) throw new AppError(damaged);
  const plaintextBytes = plaintextSizeOf(fileBytes - base - FILE_HEADER_BYTES, header.segmentSize);
  if (plaintextBytes === null) throw new AppError(damaged);
  return { header, plaintextBytes };
}

/** Plaintext size of a segmented file, from its header and size alone (nothing is decrypted). */
export async function plaintextSizeOfFile(file: string): Promise<number> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    return (await readLayout(handle, 0, size)).plaintextBytes;
  } finally {
    await handle.close();
  }
}

export interface DecryptOptions {
  /** Where the segmented data starts inside the file (a backup has an outer header first). */
  base?: number;
  /** Which error a failed check becomes. */
  damaged?: DamagedCode;
}

/**
 * Decrypts plaintext bytes [start, endInclusive] of a segmented file, reading only the segments that hold them.
 * The range is clamped to the plaintext; a start past the end yields nothing. Authentication failures throw
 * AppError(damaged) — at the segment where they happen, after earlier segments were already yielded.
 */
export async function* decryptSegments(
  file: string,
  masterKey: Buffer,
  start = 0,
  endInclusive?: number,
  options: DecryptOptions = {},
): AsyncGenerator<Buffer> {
  const base = options.base ?? 0;
  const damaged = options.damaged ?? 'VAULT_DAMAGED';
  const handle = await fsp.open(file, 'r');
  let key: Buffer | undefined;
  try {
    const { size } = await handle.stat();
    const { header, plaintextBytes } = await readLayout(handle, base, size, damaged);
    key = hkdf(masterKey, header.salt, FILE_KEY_INFO);
    const reader = new SegmentReader(handle, base, size, header, key, plaintextBytes, damaged);
    if (plaintextBytes === 0) {
      // Nothing to return, but the lone empty segment is still authenticated so an emptied or forged file is caught.
      await reader.readSegments(0, 0);
      return;
    }
    const end = Math.min(endInclusive ?? plaintextBytes - 1, plaintextBytes - 1);
    if (start > end) return;
    yield* reader.range(start, end);
  } finally {
    wipe(key);
    await handle.close();
  }
}

class SegmentReader {
  readonly #segmentCount: number;

  constructor(
    private readonly handle: fsp.FileHandle,
    private readonly base: number,
    private readonly fileBytes: number,
    private readonly header: FileHeader,
    private readonly key: Buffer,
    plaintextBytes: number,
    private readonly damaged: DamagedCode,
  ) {
    this.#segmentCount = Math.max(1, Math.ceil(plaintextBytes / header.segmentSize));
  }

  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    const size = this.header.segmentSize;
    const first = Math.floor(start / size);
    const last = Math.floor(end / size);
    for (let batch = first; batch <= last; batch += SEGMENTS_PER_READ) {
      const batchLast = Math.min(last, batch + SEGMENTS_PER_READ - 1);
      const plaintexts = await this.readSegments(batch, batchLast);
      for (const [i, plain] of plaintexts.entries()) {
        const segmentStart = (batch + i) * size;
        const from = Math.max(0, start - segmentStart);
        const to = Math.min(plain.length, end - segmentStart + 1);
        yield plain.subarray(from, to);
      }
    }
  }

  /** Decrypts segments first..last (inclusive) with one read. */
  async readSegments(first: number, last: number): Promise<Buffer[]> {
    const sealedSize = this.header.segmentSize + TAG_BYTES;
    const offset = this.base + FILE_HEADER_BYTES + first * sealedSize;
    const length = Math.min((last - first + 1) * sealedSize, this.fileBytes - offset);
    // Not zero-filled: a short read throws below, so bytes never read are never used.
    const buffer = Buffer.allocUnsafe(Math.max(0, length));
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, offset);
    if (bytesRead !== buffer.length) throw new AppError(this.damaged);
    const out: Buffer[] = [];
    for (let index = first; index <= last; index += 1) {
      const at = (index - first) * sealedSize;
      out.push(this.#open(buffer.subarray(at, Math.min(at + sealedSize, buffer.length)), index));
    }
    return out;
  }

  #open(sealed: Buffer, index: number): Buffer {
    if (sealed.length < TAG_BYTES) throw new AppError(this.damaged);
    const isLast = index === this.#segmentCount - 1;
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonceFor(this.header, index, isLast));
    decipher.setAAD(this.header.bytes);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      decipher.final(); // checks the tag; GCM returns no further bytes here (so no copy to join them)
      return plain;
    } catch {
      throw new AppError(this.damaged);
    }
  }
}

/**
 * A Readable of plaintext bytes [start, endInclusive] (inclusive, like HTTP Range). Damage surfaces as a stream
 * 'error' with AppError VAULT_DAMAGED; bad arguments throw immediately.
 */
export function decryptRange(file: string, masterKey: Buffer, start = 0, endInclusive?: number, options: DecryptOptions = {}): Readable {
  if (!Number.isSafeInteger(start) || start < 0) throw new AppError('INVALID_INPUT');
  if (endInclusive !== undefined && (!Number.isSafeInteger(endInclusive) || endInclusive < -1)) {
    throw new AppError('INVALID_INPUT');
  }
  return Readable.from(decryptSegments(file, masterKey, start, endInclusive, options), { objectMode: false });
}
