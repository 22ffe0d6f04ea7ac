import type { PositionalFile } from './flush';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A small streaming zip writer (PKWARE APPNOTE 6.3): entries stored or DEFLATEd, never encrypted, ZIP64 when an
 * entry, an offset or the entry count needs it. Why our own: no zip writer is installed (archiver, yazl, jszip are
 * not dependencies), jszip holds whole archives in memory, and what a packet needs is small — stored entries whose
 * sizes are known before their data streams through, plus a few small deflated text files.
 *
 * Stored entries: the local header is written with the (known) sizes and a zero CRC, the data streams straight to
 * the file while its CRC-32 is computed, then the CRC is patched in place (a positioned write). So no data
 * descriptors are needed and readers that only look at local headers see complete information.
 * Directories are explicit entries ("NAME/"), so the archive lists the same tree as the folder and the ISO.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

export interface ZipWriterOptions {
  /** Modification time of every entry (DOS time, local clock, 2-second resolution). */
  date: Date;
  /** Tests only: write ZIP64 records even for small entries, to exercise readers on them. */
  forceZip64?: boolean;
}

interface CentralEntry {
  name: Buffer;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  directory: boolean;
  zip64: boolean;
}

export class ZipWriter {
  readonly #handle: PositionalFile;
  readonly #options: ZipWriterOptions;
  readonly #entries: CentralEntry[] = [];
  #position = 0;
  readonly #dosTime: number;
  readonly #dosDate: number;

  constructor(handle: PositionalFile, options: ZipWriterOptions) {
    this.#handle = handle;
    this.#options = options;
    const d = options.date;
    const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
    this.#dosTime = (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2);
    this.#dosDate = ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  }

  /** Bytes written so far. */
  get position(): number {
    return this.#position;
  }

  async addDirectory(name: string): Promise<void> {
    const entryName = name.endsWith('/') ? name : `${name}/`;
    await this.#writeLocal({ name: Buffer.from(entryName, 'ascii'), method: 0, crc: 0, compressedSize: 0, size: 0, directory: true });
  }

  /** A small file from memory; DEFLATEd when that makes it smaller. */
  async addBytes(name: string, data: Buffer, options: { deflate?: boolean } = {}): Promise<void> {
    const crc = crc32(data);
    let method: 0 | 8 = 0;
    let body = data;
    if (options.deflate && data.length > 0) {
      const deflated = deflateRawSync(data, { level: 6 });
      if (deflated.length < data.length) {
        method = 8;
        body = deflated;
      }
    }
    await this.#writeLocal({ name: Buffer.from(name, 'ascii'), method, crc, compressedSize: body.length, size: data.length, directory: false });
    await this.#write(body);
  }

  /**
   * A stored file whose size is known in advance, streamed from `chunks`. Throws (and leaves the archive
   * unusable — the caller deletes it) when the stream yields a different number of bytes.
   */
  async addStream(name: string, size: number, chunks: AsyncIterable<Buffer>): Promise<void> {
    const entry = await this.#writeLocal({ name: Buffer.from(name, 'ascii'), method: 0, crc: 0, compressedSize: size, size, directory: false });
    let crc = 0;
    let written = 0;
    for await (const chunk of chunks) {
      crc = crc32(chunk, crc);
      written += chunk.length;
      if (written > size) throw new Error('zip entry longer than announced');
      await this.#write(chunk);
    }
    if (written !== size) throw new Error('zip entry shorter than announced');
    entry.crc = crc;
    const patch = Buffer.alloc(4);
    patch.writeUInt32LE(crc >>> 0, 0);
    await this.#handle.write(patch, 0, 4, entry.offset + 14);
  }

  /** Writes the central directory and the end records. */
  async finish(): Promise<void> {
    const centralStart = this.#position;
    const parts: Buffer[] = [];
    for (const entry of this.#entries) parts.push(this.#centralRecord(entry));
    const central = Buffer.concat(parts);
    await this.#write(central);
    const centralSize = central.length;
    const count = this.#entries.length;
    const needZip64 = this.#options.forceZip64 === true || count >= MAX16 || centralStart >= MAX32 || centralSize >= MAX32;
    if (needZip64) {
      const zip64EndOffset = this.#position;
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(ZIP64_END, 0);
      end64.writeBigUInt64LE(44n, 4); // size of the rest of this record
      end64.writeUInt16LE(45, 12); // version made by
      end64.writeUInt16LE(45, 14); // version needed
      end64.writeUInt32LE(0, 16);
      end64.writeUInt32LE(0, 20);
      end64.writeBigUInt64LE(BigInt(count), 24);
      end64.writeBigUInt64LE(BigInt(count), 32);
      end64.writeBigUInt64LE(BigInt(centralSize), 40);
      end64.writeBigUInt64LE(BigInt(centralStart), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(ZIP64_LOCATOR, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
      locator.writeUInt32LE(1, 16);
      await this.#write(Buffer.concat([end64, locator]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(needZip64 ? MAX16 : count, 8);
    end.writeUInt16LE(needZip64 ? MAX16 : count, 10);
    end.writeUInt32LE(needZip64 ? MAX32 : centralSize, 12);
    end.writeUInt32LE(needZip64 ? MAX32 : centralStart, 16);
    end.writeUInt16LE(0, 20);
    await this.#write(end);
  }

  async #write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.#handle.write(data, offset, data.length - offset, this.#position);
      offset += bytesWritten;
      this.#position += bytesWritten;
    }
  }

  async #writeLocal(entry: Omit<CentralEntry, 'offset' | 'zip64'>): Promise<CentralEntry> {
    const offset = this.#position;
    const zip64 = this.#options.forceZip64 === true || entry.size >= MAX32 || entry.compressedSize >= MAX32 || offset >= MAX32;
    const full: CentralEntry = { ...entry, offset, zip64 };
    // ZIP64 in a local header: both sizes go in the extra field, and both 32-bit fields say 0xFFFFFFFF.
    const extra = zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
      extra.writeBigUInt64LE(BigInt(entry.size), 4);
      extra.writeBigUInt64LE(BigInt(entry.compressedSize), 12);
    }
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4);
    header.writeUInt16LE(0, 6); // flags: no encryption, no data descriptor, names are ASCII
    header.writeUInt16LE(entry.method, 8);
    header.writeUInt16LE(this.#dosTime, 10);
    header.writeUInt16LE(this.#dosDate, 12);
    header.writeUInt32LE(entry.crc >>> 0, 14);
    header.writeUInt32LE(zip64 ? MAX32 : entry.compressedSize, 18);
    header.writeUInt32LE(zip64 ? MAX32 : entry.size, 22);
    header.writeUInt16LE(entry.name.length, 26);
    header.writeUInt16LE(extra.length, 28);
    await this.#write(Buffer.concat([header, entry.name, extra]));
    this.#entries.push(full);
    return full;
  }

  #centralRecord(entry: CentralEntry): Buffer {
    const force = this.#options.forceZip64 === true;
    const bigSize = force || entry.size >= MAX32;
    const bigCompressed = force || entry.compressedSize >= MAX32;
    const bigOffset = force || entry.offset >= MAX32;
    const fields: bigint[] = [];
    if (bigSize) fields.push(BigInt(entry.size));
    if (bigCompressed) fields.push(BigInt(entry.compressedSize));
    if (bigOffset) fields.push(BigInt(entry.offset));
    const extra = Buffer.alloc(fields.length > 0 ? 4 + fields.length * 8 : 0);
    if (fields.length > 0) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(fields.length * 8, 2);
      fields.forEach((value, index) => extra.writeBigUInt64LE(value, 4 + index * 8));
    }
    const zip64 = fields.length > 0 || entry.zip64;
    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL_HEADER, 0);
    record.writeUInt16LE((3 << 8) | (zip64 ? 45 : 20), 4); // made by: Unix, so the mode bits below are read
    record.writeUInt16LE(zip64 ? 45 : 20, 6);
    record.writeUInt16LE(0, 8);
    record.writeUInt16LE(entry.method, 10);
    record.writeUInt16LE(this.#dosTime, 12);
    record.writeUInt16LE(this.#dosDate, 14);
    record.writeUInt32LE(entry.crc >>> 0, 16);
    record.writeUInt32LE(bigCompressed ? MAX32 : entry.compressedSize, 20);
    record.writeUInt32LE(bigSize ? MAX32 : entry.size, 24);
    record.writeUInt16LE(entry.name.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt16LE(0, 32); // comment length
    record.writeUInt16LE(0, 34); // disk number
    record.writeUInt16LE(0, 36); // internal attributes
    // External attributes: Unix mode in the high 16 bits (drwxr-xr-x / -rw-r--r--), MS-DOS directory bit.
    const mode = entry.directory ? 0o040755 : 0o100644;
    record.writeUInt32LE(((mode << 16) | (entry.directory ? 0x10 : 0)) >>> 0, 38);
    record.writeUInt32LE(bigOffset ? MAX32 : entry.offset, 42);
    return Buffer.concat([record, entry.name, extra]);
  }
}
