/**
 * Recognising DICOM files by content (disc files usually have no extension, and extensions are never trusted).
 *
 * - Part 10 files: 128-byte preamble, then 'DICM' (PS3.10 §7.1). The preamble may hold anything, even the start of a
 *   Windows executable (a known "polyglot" trick); we never execute files, and we store them unchanged.
 * - A few files on real discs have no preamble and no meta header: the data set starts directly with a group 0008
 *   element, in explicit or implicit VR little endian. Some start with the meta group (0002) without the preamble.
 */

const VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

export type DicomFlavour =
  /** Preamble + 'DICM' + meta header. */
  | 'part10'
  /** No preamble; starts with the meta group (0002), which is always explicit VR little endian. */
  | 'raw-meta'
  /** No preamble, no meta: data set in explicit VR little endian. */
  | 'raw-explicit'
  /** No preamble, no meta: data set in implicit VR little endian. */
  | 'raw-implicit';

export function isVr(code: string): boolean {
  return VRS.has(code);
}

function nextTagPlausible(head: Uint8Array, pos: number, group: number, element: number): boolean {
  if (pos + 4 > head.length) return true; // not enough bytes to check: the first element decides
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const g = view.getUint16(pos, true);
  const e = view.getUint16(pos + 2, true);
  if (g < group || g > 0x7fe0) return false;
  return g > group || e > element;
}

function explicitAt(head: Uint8Array, group: number): boolean {
  if (head.length < 8) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint16(0, true) !== group) return false;
  const element = view.getUint16(2, true);
  const vr = String.fromCharCode(head[4]!, head[5]!);
  if (!VRS.has(vr)) return false;
  let end: number;
  if (LONG_VRS.has(vr)) {
    if (head.length < 12 || view.getUint16(6, true) !== 0) return false;
    const length = view.getUint32(8, true);
    if (length === 0xffffffff) return true;
    end = 12 + length;
  } else {
    end = 8 + view.getUint16(6, true);
  }
  return nextTagPlausible(head, end, group, element);
}

function implicitAt(head: Uint8Array, group: number): boolean {
  if (head.length < 8) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint16(0, true) !== group) return false;
  const element = view.getUint16(2, true);
  const length = view.getUint32(4, true);
  if (length === 0xffffffff) return true;
  if (length > 0xffff || length % 2 !== 0) return false;
  return nextTagPlausible(head, 8 + length, group, element);
}

/** How a file's bytes look as DICOM, from its first bytes (≥ 132 recommended, 64 KiB is plenty), or null. */
export function sniffDicom(head: Uint8Array): DicomFlavour | null {
  if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d) {
    return 'part10';
  }
  if (explicitAt(head, 0x0002)) return 'raw-meta';
  if (explicitAt(head, 0x0008)) return 'raw-explicit';
  if (implicitAt(head, 0x0008)) return 'raw-implicit';
  return null;
}

/** True when the bytes are DICOM: 'DICM' at offset 128, or a data set starting with a group 0008 (or 0002) element. */
export function isDicom(head: Uint8Array): boolean {
  return sniffDicom(head) !== null;
}
