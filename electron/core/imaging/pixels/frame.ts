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
