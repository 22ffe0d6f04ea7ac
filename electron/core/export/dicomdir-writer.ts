/**
 * Writes a DICOMDIR (PS3.10 §8, PS3.3 Annex F Basic Directory IOD): a Part 10 file, explicit VR little endian,
 * whose Directory Record Sequence lists the records depth-first (PATIENT → STUDY → SERIES → leaf), each record
 * linked by byte offsets: (0004,1400) next sibling, (0004,1420) first child, and (0004,1200)/(0004,1202) the first
 * and last root record. An offset counts from byte 0 of the file (preamble included) to the record's Item tag.
 *
 * Why our own: no npm library writes these offsets correctly (see dicom-media.md). The records are encoded with
 * zero offsets first, every item's position is then known (all lengths are explicit), and the offsets are patched
 * in place.
 */

export interface DirElement {
  /** (group << 16) | element. */
  tag: number;
  vr: string;
  value: Buffer;
}

export interface DirRecord {
  /** (0004,1430): PATIENT, STUDY, SERIES, IMAGE, SR DOCUMENT, ENCAP DOC, … */
  type: string;
  /** Keys and, for leaves, (0004,1500)…(0004,1512). Never the record's own link elements. */
  elements: DirElement[];
  children: DirRecord[];
}

export interface DicomdirOptions {
  filesetId: string;
  filesetUid: string;
  implementationClassUid: string;
  implementationVersionName: string;
  roots: DirRecord[];
}

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

export function pad(value: Buffer, vr: string): Buffer {
  if (value.length % 2 === 0) return value;
  return Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' || vr === 'UN' ? 0 : 0x20])]);
}

export function textValue(text: string, vr: string): Buffer {
  return pad(Buffer.from(text, 'latin1'), vr);
}

export function encodeElement(tag: number, vr: string, value: Buffer): Buffer {
  const body = pad(value, vr);
  const head = Buffer.alloc(LONG_VRS.has(vr) ? 12 : 8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (LONG_VRS.has(vr)) head.writeUInt32LE(body.length, 8);
  else {
    if (body.length > 0xffff) throw new Error(`value too long for VR ${vr}`);
    head.writeUInt16LE(body.length, 6);
  }
  return Buffer.concat([head, body]);
}

const ul = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};
const us = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n, 0);
  return b;
};

const OFFSET_NEXT = 0x00041400;
const IN_USE = 0x00041410;
const OFFSET_LOWER = 0x00041420;
const RECORD_TYPE = 0x00041430;

/** Item byte positions of the three link values (fixed: the link elements come first, with fixed sizes). */
const NEXT_VALUE_AT = 8 + 8; // item header, then (0004,1400) UL header
const LOWER_VALUE_AT = NEXT_VALUE_AT + 4 + 8 + 2 + 8; // after (0004,1400) value, (0004,1410) US element, (0004,1420) header

function encodeRecord(record: DirRecord): Buffer {
  const own = [
    encodeElement(OFFSET_NEXT, 'UL', ul(0)),
    encodeElement(IN_USE, 'US', us(0xffff)),
    encodeElement(OFFSET_LOWER, 'UL', ul(0)),
    encodeElement(RECORD_TYPE, 'CS', textValue(record.type, 'CS')),
  ];
  const sorted = [...record.elements].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i]!.tag === sorted[i - 1]!.tag) throw new Error('duplicate element in a directory record');
  }
  for (const element of sorted) {
    if (element.tag <= RECORD_TYPE) throw new Error('record elements must come after (0004,1430)');
    own.push(encodeElement(element.tag, element.vr, element.value));
  }
  const content = Buffer.concat(own);
  const item = Buffer.alloc(8);
  item.writeUInt16LE(0xfffe, 0);
  item.writeUInt16LE(0xe000, 2);
  item.writeUInt32LE(content.length, 4);
  return Buffer.concat([item, content]);
}

function metaHeader(options: DicomdirOptions): Buffer {
  const elements = Buffer.concat([
    encodeElement(0x00020001, 'OB', Buffer.from([0, 1])),
    encodeElement(0x00020002, 'UI', textValue(MEDIA_STORAGE_DIRECTORY, 'UI')),
    encodeElement(0x00020003, 'UI', textValue(options.filesetUid, 'UI')),
    encodeElement(0x00020010, 'UI', textValue(EXPLICIT_VR_LITTLE_ENDIAN, 'UI')),
    encodeElement(0x00020012, 'UI', textValue(options.implementationClassUid, 'UI')),
    encodeElement(0x00020013, 'SH', textValue(options.implementationVersionName, 'SH')),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), encodeElement(0x00020000, 'UL', ul(elements.length)), elements]);
}

/** Encodes the whole DICOMDIR file. */
export function writeDicomdir(options: DicomdirOptions): Buffer {
  // Depth-first list of records with their parent and sibling links.
  interface Flat {
    record: DirRecord;
    bytes: Buffer;
    offset: number;
    next: Flat | null;
    firstChild: Flat | null;
  }
  const flat: Flat[] = [];
  const visit = (records: DirRecord[]): Flat[] => {
    const level: Flat[] = [];
    for (const record of records) {
      const node: Flat = { record, bytes: encodeRecord(record), offset: 0, next: null, firstChild: null };
      flat.push(node);
      level.push(node);
      const children = visit(record.children);
      node.firstChild = children[0] ?? null;
    }
    level.forEach((node, index) => (node.next = level[index + 1] ?? null));
    return level;
  };
  const roots = visit(options.roots);

  const meta = metaHeader(options);
  const head = Buffer.concat([
    encodeElement(0x00041130, 'CS', textValue(options.filesetId, 'CS')),
    encodeElement(0x00041200, 'UL', ul(0)),
    encodeElement(0x00041202, 'UL', ul(0)),
    encodeElement(0x00041212, 'US', us(0)),
  ]);
  const sequenceLength = flat.reduce((sum, node) => sum + node.bytes.length, 0);
  const sequenceHeader = encodeElement(0x00041220, 'SQ', Buffer.alloc(0));
  sequenceHeader.writeUInt32LE(sequenceLength, 8);
  let position = meta.length + head.length + sequenceHeader.length;
  for (const node of flat) {
    node.offset = position;
    position += node.bytes.length;
  }
  for (const node of flat) {
    node.bytes.writeUInt32LE(node.next?.offset ?? 0, NEXT_VALUE_AT);
    node.bytes.writeUInt32LE(node.firstChild?.offset ?? 0, LOWER_VALUE_AT);
  }
  // (0004,1200) and (0004,1202) values: after the File-set ID element and each 8-byte UL header.
  const firstAt = encodeElement(0x00041130, 'CS', textValue(options.filesetId, 'CS')).length + 8;
  head.writeUInt32LE(roots[0]?.offset ?? 0, firstAt);
  head.writeUInt32LE(roots.at(-1)?.offset ?? 0, firstAt + 12);
  return Buffer.concat([meta, head, sequenceHeader, ...flat.map((node) => node.bytes)]);
}
