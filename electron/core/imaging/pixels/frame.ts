import type { DataSet, Element, Fragment } from 'dicom-parser';

/** Why a frame could not be located. */
export class FrameError extends Error {
  constructor(readonly kind: 'no-pixel-data' | 'truncated' | 'corrupt', detail: string) {
    super(detail);
    this.name = 'FrameError';
  }
}

export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  frames: number;
}

/** Bytes of frame 1 of native (uncompressed) pixel data: a view into the file's bytes. */
export function nativeFirstFrame(dataSet: DataSet, layout: PixelLayout): Uint8Array {
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new FrameError('no-pixel-data', 'no pixel data');
  const frameBytes = Math.ceil((layout.rows * layout.columns * layout.samplesPerPixel * layout.bitsAllocated) / 8);
  const available = Math.min(element.length, dataSet.byteArray.length - element.dataOffset);
  if (frameBytes <= 0) throw new FrameError('corrupt', 'empty frame');
  if (available < frameBytes) throw new FrameError('truncated', 'pixel data shorter than one frame');
  return dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + frameBytes);
}

function fragmentBytes(dataSet: DataSet, element: Element, index: number): Uint8Array {
  const fragment = element.fragments?.[index];
  if (!fragment) throw new FrameError('corrupt', 'missing fragment');
  const start = fragment.position; // absolute offset of the fragment's data (after its item tag and length)
  const end = start + fragment.length;
  if (start < 0 || end > dataSet.byteArray.length) throw new FrameError('truncated', 'fragment beyond end of file');
  return dataSet.byteArray.subarray(start, end);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function endsWithEoi(bytes: Uint8Array): boolean {
  // JPEG EOI / JPEG 2000 EOC is FFD9; fragments are padded to even length with one trailing 00.
  const n = bytes.length;
  return (n >= 2 && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9) || (n >= 3 && bytes[n - 3] === 0xff && bytes[n - 2] === 0xd9 && bytes[n - 1] === 0);
}

/**
 * The compressed bytes of frame 1 of encapsulated pixel data (PS3.5 §A.4). Uses the Basic Offset Table when present;
 * a single-frame object takes all fragments; otherwise one fragment per frame, or fragments up to the first end-of-image
 * marker (JPEG family, JPEG 2000). `oneFragmentPerFrame` is true for RLE (PS3.5 Annex G: one fragment per frame).
 */
export function encapsulatedFirstFrame(dataSet: DataSet, layout: PixelLayout, oneFragmentPerFrame = false): Uint8Array {
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new FrameError('no-pixel-data', 'no pixel data');
  const fragments = element.fragments ?? [];
  if (!element.encapsulatedPixelData || fragments.length === 0) throw new FrameError('corrupt', 'no fragments');
  if (oneFragmentPerFrame) return fragmentBytes(dataSet, element, 0);
  const table = element.basicOffsetTable ?? [];
  if (layout.frames <= 1) return concat(fragments.map((_, i) => fragmentBytes(dataSet, element, i)));
  if (table.length >= 2) {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < fragments.length; i += 1) {
      const offset = fragments[i]!.offset;
      if (offset >= table[0]! && offset < table[1]!) parts.push(fragmentBytes(dataSet, element, i));
    }
    if (parts.length > 0) return concat(parts);
  }
  if (fragments.length === layout.frames) return fragmentBytes(dataSet, element, 0);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < fragments.length; i += 1) {
    const part = fragmentBytes(dataSet, element, i);
    parts.push(part);
    if (endsWithEoi(part)) break;
  }
  return concat(parts);
}

/**
 * Reads the items of encapsulated Pixel Data starting at `start` (the value of (7FE0,0010) with undefined length):
 * the Basic Offset Table, then the fragments, up to the sequence delimiter — or up to the last complete fragment
 * when `bytes` is only a prefix of the file. Offsets follow dicom-parser (relative to the first fragment's item).
 */
export function readFragments(bytes: Uint8Array, start: number): { basicOffsetTable: number[]; fragments: Fragment[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const basicOffsetTable: number[] = [];
  const fragments: Fragment[] = [];
  let pos = start;
  let base = -1;
  while (pos + 8 <= bytes.length) {
    const group = view.getUint16(pos, true);
    const element = view.getUint16(pos + 2, true);
    const length = view.getUint32(pos + 4, true);
    if (group !== 0xfffe || element !== 0xe000) break; // sequence delimiter (E0DD) or garbage
    const data = pos + 8;
    if (length === 0xffffffff || data + length > bytes.length) break; // cut short: keep what is complete
    if (base < 0) {
      for (let i = 0; i + 4 <= length; i += 4) basicOffsetTable.push(view.getUint32(data + i, true));
      base = data + length;
    } else {
      fragments.push({ offset: pos - base, position: data, length });
    }
    pos = data + length;
  }
  return { basicOffsetTable, fragments };
}

/** Where frame n's compressed bytes are among the fragments read so far (see `fragmentsOfFrame`). */
export type FragmentPick =
  | { kind: 'found'; indices: number[] }
  /** The frame lies (partly) beyond the fragments read so far: read more of the file. */
  | { kind: 'need-more' }
  /** All fragments were read and the frame is not among them. */
  | { kind: 'missing' };

/** True when a usable Basic Offset Table lists every frame: starts at 0, strictly increasing. */
function usableOffsetTable(table: readonly number[], frames: number): boolean {
  if (table.length !== frames || table[0] !== 0) return false;
  for (let i = 1; i < table.length; i += 1) if (table[i]! <= table[i - 1]!) return false;
  return true;
}

/**
 * Which fragments hold frame `index` (0-based) of encapsulated pixel data (PS3.5 §A.4), like encapsulatedFirstFrame
 * but for any frame and for a prefix of the file: `complete` says whether every fragment has been read (the sequence
 * delimiter or the end of the file was reached). In order: a single-frame object takes all fragments; a usable Basic
 * Offset Table decides; RLE has one fragment per frame; as many fragments as frames means one each; otherwise frames
 * end at the fragments that end with an end-of-image marker (JPEG family, JPEG 2000).
 */
export function fragmentsOfFrame(
  bytes: Uint8Array,
  fragments: readonly Fragment[],
  basicOffsetTable: readonly number[],
  frames: number,
  index: number,
  options: { oneFragmentPerFrame: boolean; complete: boolean },
): FragmentPick {
  const { complete } = options;
  const all = fragments.map((_, i) => i);
  if (index < 0 || index >= Math.max(1, frames)) return { kind: 'missing' };
  if (frames <= 1) return complete ? (all.length > 0 ? { kind: 'found', indices: all } : { kind: 'missing' }) : { kind: 'need-more' };
  if (usableOffsetTable(basicOffsetTable, frames)) {
    const start = basicOffsetTable[index]!;
    const end = index + 1 < frames ? basicOffsetTable[index + 1]! : Infinity;
    const indices = all.filter((i) => fragments[i]!.offset >= start && fragments[i]!.offset < end);
    const reachedEnd = fragments.some((fragment) => fragment.offset >= end);
    if (reachedEnd || complete) return indices.length > 0 ? { kind: 'found', indices } : { kind: 'missing' };
    return { kind: 'need-more' };
  }
  if (options.oneFragmentPerFrame || (complete && fragments.length === frames)) {
    if (index < fragments.length) return { kind: 'found', indices: [index] };
    return complete ? { kind: 'missing' } : { kind: 'need-more' };
  }
  let frame = 0;
  let group: number[] = [];
  for (let i = 0; i < fragments.length; i += 1) {
    group.push(i);
    const fragment = fragments[i]!;
    const end = fragment.position + fragment.length;
    if (end <= bytes.length && endsWithEoi(bytes.subarray(fragment.position, end))) {
      if (frame === index) return { kind: 'found', indices: group };
      frame += 1;
      group = [];
    }
  }
  if (!complete) return { kind: 'need-more' };
  // A last frame whose final fragment lacks the marker (some writers pad differently): take what is left.
  return frame === index && group.length > 0 ? { kind: 'found', indices: group } : { kind: 'missing' };
}

/** The bytes of the given fragments, concatenated (a view when there is only one). */
export function fragmentsBytes(bytes: Uint8Array, fragments: readonly Fragment[], indices: readonly number[]): Uint8Array {
  const parts = indices.map((i) => {
    const fragment = fragments[i];
    if (!fragment) throw new FrameError('corrupt', 'missing fragment');
    const end = fragment.position + fragment.length;
    if (fragment.position < 0 || end > bytes.length) throw new FrameError('truncated', 'fragment beyond end of file');
    return bytes.subarray(fragment.position, end);
  });
  return concat(parts);
}

/**
 * True when the encapsulated Pixel Data starting at `start` is followed, after its last complete item, by the
 * sequence delimiter (FFFE,E0DD): every fragment is in `bytes`.
 */
export function fragmentsEnded(bytes: Uint8Array, start: number, fragments: readonly Fragment[], basicOffsetTableBytes: number): boolean {
  const last = fragments[fragments.length - 1];
  const after = last ? last.position + last.length : start + 8 + basicOffsetTableBytes;
  if (after + 8 > bytes.length) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint16(after, true) === 0xfffe && view.getUint16(after + 2, true) === 0xe0dd;
}
