import type { PositionalFile } from './flush';

/**
 * A streaming ISO 9660 writer (ECMA-119, interchange level 1) with a Joliet supplementary tree, for packets meant
 * to be burnt to a CD/DVD. Why our own: the app cannot rely on xorriso/mkisofs being on people's computers, and no
 * npm package writes ISO 9660 + Joliet as a stream.
 *
 * Everything about the image is decided before any file data is written: every file's size is known in advance
 * (stored files from the vault's records, generated files from memory), so the layout — volume descriptors, path
 * tables, directories, then each file's extent in order — is computed first, the header sectors are written, and
 * file data then streams through in that order. The whole image is never held in memory.
 *
 * Level 1: file names 8.3 (A–Z 0–9 _), directory names up to 8 characters, depth ≤ 8, one extent per file (< 4 GiB).
 * The Joliet tree carries the same names (UCS-2) and points at the same extents.
 */

export const SECTOR = 2048;
const SYSTEM_AREA_SECTORS = 16;

const FILE_NAME = /^[A-Z0-9_]{1,8}(\.[A-Z0-9_]{1,3})?$/;
const DIR_NAME = /^[A-Z0-9_]{1,8}$/;
const VOLUME_ID = /^[A-Z0-9_]{1,16}$/;
/** ECMA-119 6.8.2.1: at most 8 levels of directories, the root being level 1. */
const MAX_DIRECTORY_LEVEL = 8;

export interface IsoFileSpec {
  /** '/'-separated, e.g. 'DICOM/P0000001/S0000001/E0000001/I0000001'. */
  path: string;
  size: number;
}

export interface IsoOptions {
  volumeId: string;
  date: Date;
  publisher?: string;
  application?: string;
}

interface DirNode {
  name: string;
  parent: DirNode | null;
  dirs: Map<string, DirNode>;
  files: Map<string, FileNode>;
  level: number;
  number: number;
  /** Sector and byte length of this directory's records, in each tree. */
  extent: [number, number];
  length: [number, number];
}

interface FileNode {
  name: string;
  size: number;
  extent: number;
  path: string;
}

export interface IsoLayout {
  /** Total sectors of the image. */
  sectors: number;
  /** Bytes of the image: sectors × 2048. */
  bytes: number;
  /** Files in the order their data must be written, with the sector each starts at. */
  files: { path: string; size: number; extent: number }[];
  /** The first sectors: system area, volume descriptors, path tables and directories. */
  header: Buffer;
}

function compareIdentifiers(a: string, b: string): number {
  // ECMA-119 9.3: by name padded with spaces, then by extension padded with spaces (byte values).
  const [an = '', ae = ''] = a.split('.');
  const [bn = '', be = ''] = b.split('.');
  const width = Math.max(an.length, bn.length);
  const byName = an.padEnd(width, ' ') < bn.padEnd(width, ' ') ? -1 : an.padEnd(width, ' ') > bn.padEnd(width, ' ') ? 1 : 0;
  if (byName !== 0) return byName;
  const extWidth = Math.max(ae.length, be.length);
  const x = ae.padEnd(extWidth, ' ');
  const y = be.padEnd(extWidth, ' ');
  return x < y ? -1 : x > y ? 1 : 0;
}

function both16(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(value, 0);
  b.writeUInt16BE(value, 2);
  return b;
}

function both32(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(value, 0);
  b.writeUInt32BE(value, 4);
  return b;
}

function recordingDate(date: Date): Buffer {
  return Buffer.from([
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0, // GMT offset in 15-minute units: UTC
  ]);
}

function decDateTime(date: Date): Buffer {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const text =
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${pad(Math.floor(date.getUTCMilliseconds() / 10))}`;
  return Buffer.concat([Buffer.from(text, 'ascii'), Buffer.from([0])]);
}

const UNSET_DATE = Buffer.concat([Buffer.from('0000000000000000', 'ascii'), Buffer.from([0])]);

function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** A fixed-width text field: a-characters padded with spaces (primary) or UCS-2 padded with U+0020 (Joliet). */
function field(text: string, width: number, joliet: boolean): Buffer {
  const out = Buffer.alloc(width);
  if (joliet) {
    for (let i = 0; i + 1 < width; i += 2) out.writeUInt16BE(0x0020, i);
    const encoded = ucs2(text).subarray(0, width - (width % 2));
    encoded.copy(out, 0);
  } else {
    out.fill(0x20);
    out.write(text.slice(0, width), 0, 'ascii');
  }
  return out;
}

function identifierBytes(name: string, isFile: boolean, joliet: boolean): Buffer {
  // Files carry the version ';1'; a file without an extension keeps its separator: 'DICOMDIR.;1'.
  const iso = isFile ? `${name.includes('.') ? name : `${name}.`};1` : name;
  if (!joliet) return Buffer.from(iso, 'ascii');
  return ucs2(isFile ? `${name};1` : name);
}

function directoryRecord(identifier: Buffer, extent: number, length: number, isDir: boolean, date: Date): Buffer {
  const pad = identifier.length % 2 === 0 ? 1 : 0;
  const size = 33 + identifier.length + pad;
  const record = Buffer.alloc(size);
  record[0] = size;
  record[1] = 0;
  both32(extent).copy(record, 2);
  both32(length).copy(record, 10);
  recordingDate(date).copy(record, 18);
  record[25] = isDir ? 0x02 : 0x00;
  record[26] = 0;
  record[27] = 0;
  both16(1).copy(record, 28);
  record[32] = identifier.length;
  identifier.copy(record, 33);
  return record;
}

/** Packs records into sectors: a record never crosses a sector boundary (ECMA-119 6.8.1.1). */
function packRecords(records: Buffer[]): Buffer {
  const sectors: Buffer[] = [];
  let current: Buffer[] = [];
  let used = 0;
  for (const record of records) {
    if (used + record.length > SECTOR) {
      sectors.push(Buffer.concat([...current, Buffer.alloc(SECTOR - used)]));
      current = [];
      used = 0;
    }
    current.push(record);
    used += record.length;
  }
  sectors.push(Buffer.concat([...current, Buffer.alloc(SECTOR - used)]));
  return Buffer.concat(sectors);
}

function sectorsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / SECTOR));
}

function buildTree(files: IsoFileSpec[]): { root: DirNode; fileNodes: FileNode[] } {
  const root: DirNode = { name: '', parent: null, dirs: new Map(), files: new Map(), level: 1, number: 1, extent: [0, 0], length: [0, 0] };
  const fileNodes: FileNode[] = [];
  for (const spec of files) {
    const parts = spec.path.split('/');
    const fileName = parts.pop()!;
    if (!FILE_NAME.test(fileName)) throw new Error(`ISO 9660 level 1 file name not allowed: ${fileName}`);
    if (!Number.isSafeInteger(spec.size) || spec.size < 0 || spec.size > 0xffffffff) throw new Error('file too large for ISO 9660 level 1');
    let dir = root;
    for (const part of parts) {
      if (!DIR_NAME.test(part)) throw new Error(`ISO 9660 level 1 directory name not allowed: ${part}`);
      let next = dir.dirs.get(part);
      if (!next) {
        if (dir.files.has(part)) throw new Error(`a file and a directory share the name ${part}`);
        next = { name: part, parent: dir, dirs: new Map(), files: new Map(), level: dir.level + 1, number: 0, extent: [0, 0], length: [0, 0] };
        if (next.level > MAX_DIRECTORY_LEVEL) throw new Error('directories nested deeper than ISO 9660 allows (8 levels)');
        dir.dirs.set(part, next);
      }
      dir = next;
    }
    if (dir.files.has(fileName) || dir.dirs.has(fileName)) throw new Error(`duplicate name in the image: ${spec.path}`);
    const node: FileNode = { name: fileName, size: spec.size, extent: 0, path: spec.path };
    dir.files.set(fileName, node);
    fileNodes.push(node);
  }
  return { root, fileNodes };
}

/** Directories in path-table order: by level, then parent number, then name; numbers assigned in that order. */
function pathTableOrder(root: DirNode): DirNode[] {
  const order: DirNode[] = [root];
  for (let i = 0; i < order.length; i += 1) {
    const dir = order[i]!;
    const children = [...dir.dirs.values()].sort((a, b) => compareIdentifiers(a.name, b.name));
    for (const child of children) order.push(child);
  }
  order.forEach((dir, index) => (dir.number = index + 1));
  return order;
}

function pathTable(order: DirNode[], joliet: boolean, bigEndian: boolean): Buffer {
  const parts: Buffer[] = [];
  for (const dir of order) {
    const identifier = dir.parent === null ? Buffer.from([0]) : identifierBytes(dir.name, false, joliet);
    const record = Buffer.alloc(8 + identifier.length + (identifier.length % 2));
    record[0] = identifier.length;
    record[1] = 0;
    const tree = joliet ? 1 : 0;
    if (bigEndian) {
      record.writeUInt32BE(dir.extent[tree], 2);
      record.writeUInt16BE(dir.parent?.number ?? 1, 6);
    } else {
      record.writeUInt32LE(dir.extent[tree], 2);
      record.writeUInt16LE(dir.parent?.number ?? 1, 6);
    }
    identifier.copy(record, 8);
    parts.push(record);
  }
  return Buffer.concat(parts);
}

function directoryRecords(dir: DirNode, joliet: boolean, date: Date): Buffer[] {
  const tree = joliet ? 1 : 0;
  const parent = dir.parent ?? dir;
  const records = [
    directoryRecord(Buffer.from([0]), dir.extent[tree], dir.length[tree], true, date),
    directoryRecord(Buffer.from([1]), parent.extent[tree], parent.length[tree], true, date),
  ];
  const entries: { name: string; dir?: DirNode; file?: FileNode }[] = [
    ...[...dir.dirs.values()].map((child) => ({ name: child.name, dir: child })),
    ...[...dir.files.values()].map((file) => ({ name: file.name, file })),
  ].sort((a, b) => compareIdentifiers(a.name, b.name));
  for (const entry of entries) {
    if (entry.dir) {
      records.push(directoryRecord(identifierBytes(entry.name, false, joliet), entry.dir.extent[tree], entry.dir.length[tree], true, date));
    } else {
      const file = entry.file!;
      records.push(directoryRecord(identifierBytes(entry.name, true, joliet), file.size === 0 ? 0 : file.extent, file.size, false, date));
    }
  }
  return records;
}

function volumeDescriptor(
  kind: 'primary' | 'joliet',
  options: IsoOptions,
  totalSectors: number,
  pathTableSize: number,
  lTable: number,
  mTable: number,
  root: DirNode,
): Buffer {
  const joliet = kind === 'joliet';
  const tree = joliet ? 1 : 0;
  const d = Buffer.alloc(SECTOR);
  d[0] = joliet ? 2 : 1;
  d.write('CD001', 1, 'ascii');
  d[6] = 1;
  field('', 32, joliet).copy(d, 8); // system identifier
  field(options.volumeId, 32, joliet).copy(d, 40);
  both32(totalSectors).copy(d, 80);
  if (joliet) Buffer.from('%/E', 'ascii').copy(d, 88); // UCS-2 level 3
  both16(1).copy(d, 120); // volume set size
  both16(1).copy(d, 124); // volume sequence number
  both16(SECTOR).copy(d, 128);
  both32(pathTableSize).copy(d, 132);
  d.writeUInt32LE(lTable, 140);
  d.writeUInt32LE(0, 144);
  d.writeUInt32BE(mTable, 148);
  d.writeUInt32BE(0, 152);
  directoryRecord(Buffer.from([0]), root.extent[tree], root.length[tree], true, options.date).copy(d, 156);
  field(options.volumeId, 128, joliet).copy(d, 190); // volume set identifier
  field(options.publisher ?? '', 128, joliet).copy(d, 318);
  field(options.application ?? '', 128, joliet).copy(d, 446); // data preparer
  field(options.application ?? '', 128, joliet).copy(d, 574);
  field('', 37, joliet).copy(d, 702);
  field('', 37, joliet).copy(d, 739);
  field('', 37, joliet).copy(d, 776);
  decDateTime(options.date).copy(d, 813);
  decDateTime(options.date).copy(d, 830);
  UNSET_DATE.copy(d, 847);
  UNSET_DATE.copy(d, 864);
  d[881] = 1; // file structure version
  return d;
}

/** Computes the whole image layout. Files are written in the order given. */
export function layoutIso(files: IsoFileSpec[], options: IsoOptions): IsoLayout {
  if (!VOLUME_ID.test(options.volumeId)) throw new Error('volume identifier must be 1–16 characters A–Z 0–9 _');
  const { root, fileNodes } = buildTree(files);
  const order = pathTableOrder(root);

  // Path table sizes depend only on names, directory sizes only on names and counts: compute both first.
  const pathTableSize = [pathTable(order, false, false).length, pathTable(order, true, false).length];
  for (const dir of order) {
    for (const tree of [0, 1] as const) dir.length[tree] = packRecords(directoryRecords(dir, tree === 1, options.date)).length;
  }
  let sector = SYSTEM_AREA_SECTORS + 3; // primary, Joliet, terminator
  const tables: number[] = [];
  for (const tree of [0, 1]) {
    for (let copy = 0; copy < 2; copy += 1) {
      tables.push(sector);
      sector += sectorsFor(pathTableSize[tree]!);
    }
  }
  for (const tree of [0, 1] as const) {
    for (const dir of order) {
      dir.extent[tree] = sector;
      sector += dir.length[tree] / SECTOR;
    }
  }
  const headerSectors = sector;
  for (const file of fileNodes) {
    file.extent = sector;
    sector += Math.ceil(file.size / SECTOR);
  }
  const totalSectors = sector;

  const header = Buffer.alloc(headerSectors * SECTOR);
  volumeDescriptor('primary', options, totalSectors, pathTableSize[0]!, tables[0]!, tables[1]!, root).copy(header, 16 * SECTOR);
  volumeDescriptor('joliet', options, totalSectors, pathTableSize[1]!, tables[2]!, tables[3]!, root).copy(header, 17 * SECTOR);
  const terminator = Buffer.alloc(SECTOR);
  terminator[0] = 255;
  terminator.write('CD001', 1, 'ascii');
  terminator[6] = 1;
  terminator.copy(header, 18 * SECTOR);
  pathTable(order, false, false).copy(header, tables[0]! * SECTOR);
  pathTable(order, false, true).copy(header, tables[1]! * SECTOR);
  pathTable(order, true, false).copy(header, tables[2]! * SECTOR);
  pathTable(order, true, true).copy(header, tables[3]! * SECTOR);
  for (const tree of [0, 1] as const) {
    for (const dir of order) packRecords(directoryRecords(dir, tree === 1, options.date)).copy(header, dir.extent[tree] * SECTOR);
  }
  return {
    sectors: totalSectors,
    bytes: totalSectors * SECTOR,
    files: fileNodes.map((file) => ({ path: file.path, size: file.size, extent: file.extent })),
    header,
  };
}

/**
 * Writes an image from a layout: the header first, then each file's bytes (streamed from `open`) padded to whole
 * sectors. `open` must yield exactly the announced size.
 */
export class IsoWriter {
  readonly #handle: PositionalFile;
  readonly #layout: IsoLayout;
  #position = 0;
  #next = 0;

  constructor(handle: PositionalFile, layout: IsoLayout) {
    this.#handle = handle;
    this.#layout = layout;
  }

  async start(): Promise<void> {
    await this.#write(this.#layout.header);
  }

  /** The next file in layout order. */
  async addFile(path: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    const spec = this.#layout.files[this.#next];
    if (!spec || spec.path !== path) throw new Error('ISO files must be written in layout order');
    this.#next += 1;
    if (spec.size > 0 && this.#position !== spec.extent * SECTOR) throw new Error('ISO writer out of step with its layout');
    let written = 0;
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > spec.size) throw new Error('ISO file longer than announced');
      await this.#write(chunk);
    }
    if (written !== spec.size) throw new Error('ISO file shorter than announced');
    const rest = (SECTOR - (spec.size % SECTOR)) % SECTOR;
    if (rest > 0) await this.#write(Buffer.alloc(rest));
  }

  async finish(): Promise<void> {
    if (this.#next !== this.#layout.files.length) throw new Error('ISO image missing files');
    if (this.#position !== this.#layout.bytes) throw new Error('ISO image size differs from its layout');
  }

  async #write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.#handle.write(data, offset, data.length - offset, this.#position);
      offset += bytesWritten;
      this.#position += bytesWritten;
    }
  }
}
