import type { DataSet } from 'dicom-parser';
import { asciiValue, intValue, numberValue, ushortValue } from '../dicom/dataset';
import { TS } from '../dicom/uids';
import {
  decodeJpeg2000,
  decodeJpegBaseline,
  decodeJpegLossless,
  decodeJpegLs,
  planarToInterleaved,
  UnsupportedEncoding,
  type DecodedPixels,
} from './codecs';
import type { PixelLayout } from './frame';
import { decodeRle } from './rle';

/**
 * From decoded samples to display bytes, shared by the series thumbnail (thumbnail.ts) and the viewer's frames
 * (frame.ts): the image pixel description of a header, uncompressed and compressed frame decoding, the Modality LUT
 * (rescale slope/intercept), the linear VOI window (PS3.3 C.11.2.1.2.1), MONOCHROME1 inversion, palette and colour
 * conversion to RGB. Pure functions over bytes; no state.
 */

/** Uncompressed transfer syntaxes (frames are plain byte ranges of the Pixel Data value). */
export const NATIVE_TRANSFER_SYNTAXES = new Set<string>([TS.implicitLittle, TS.explicitLittle, TS.deflatedExplicitLittle, TS.explicitBig]);

export interface ImageInfo extends PixelLayout {
  bitsStored: number;
  pixelRepresentation: number;
  photometric: string;
  planarConfiguration: number;
  slope: number;
  intercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
}

export interface VoiWindow {
  center: number;
  width: number;
}

export function imageInfo(ds: DataSet): ImageInfo | null {
  const rows = ushortValue(ds, 'x00280010');
  const columns = ushortValue(ds, 'x00280011');
  const bitsAllocated = ushortValue(ds, 'x00280100');
  if (!rows || !columns || !bitsAllocated) return null;
  const slope = numberValue(ds, 'x00281053');
  return {
    rows,
    columns,
    bitsAllocated,
    samplesPerPixel: ushortValue(ds, 'x00280002') ?? 1,
    frames: Math.max(1, intValue(ds, 'x00280008') ?? 1),
    bitsStored: ushortValue(ds, 'x00280101') ?? bitsAllocated,
    pixelRepresentation: ushortValue(ds, 'x00280103') ?? 0,
    photometric: (asciiValue(ds, 'x00280004') ?? 'MONOCHROME2').toUpperCase(),
    planarConfiguration: ushortValue(ds, 'x00280006') ?? 0,
    slope: slope === null || slope === 0 ? 1 : slope,
    intercept: numberValue(ds, 'x00281052') ?? 0,
    windowCenter: numberValue(ds, 'x00281050'),
    windowWidth: numberValue(ds, 'x00281051'),
  };
}

/** Bytes of one uncompressed frame (rows × columns × samples × bits allocated / 8, rounded up). */
export function nativeFrameBytes(info: PixelLayout): number {
  return Math.ceil((info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated) / 8);
}

/** Uncompressed frames are read for 8, 16 and 32 bits allocated only. */
export function assertNativeBits(info: ImageInfo): void {
  if (![8, 16, 32].includes(info.bitsAllocated)) throw new UnsupportedEncoding('bits');
}

/** The samples of one uncompressed frame, given its bytes (`vr`: the Pixel Data element's VR, OB or OW). */
export function nativePixels(bytes: Uint8Array, info: ImageInfo, bigEndian: boolean, vr: string | undefined): DecodedPixels {
  assertNativeBits(info);
  const count = info.rows * info.columns * info.samplesPerPixel;
  let data: Uint8Array | Uint16Array | Uint32Array;
  if (info.bitsAllocated === 8) {
    if (bigEndian && vr === 'OW') {
      // OW in big endian: each 16-bit word is byte-swapped, so 8-bit samples come in swapped pairs.
      data = new Uint8Array(count);
      for (let i = 0; i < count; i += 1) data[i] = bytes[i ^ 1] ?? 0;
    } else {
      data = bytes;
    }
  } else {
    const width = info.bitsAllocated / 8;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    data = width === 2 ? new Uint16Array(count) : new Uint32Array(count);
    for (let i = 0; i < count; i += 1) data[i] = width === 2 ? view.getUint16(i * 2, !bigEndian) : view.getUint32(i * 4, !bigEndian);
  }
  if (info.samplesPerPixel > 1 && info.planarConfiguration === 1) {
    data = planarToInterleaved(data as Uint8Array | Uint16Array, info.samplesPerPixel);
  }
  return { width: info.columns, height: info.rows, samples: info.samplesPerPixel, data, values: 'stored', colour: 'as-stored', bitsPerSample: info.bitsStored };
}

/** Decodes one compressed frame (the concatenated bytes of its fragments) of an encapsulated transfer syntax. */
export async function decodeCompressedFrame(frame: Uint8Array, info: ImageInfo, ts: string): Promise<DecodedPixels> {
  switch (ts) {
    case TS.rleLossless: {
      const data = decodeRle(frame, info);
      return { width: info.columns, height: info.rows, samples: info.samplesPerPixel, data, values: 'stored', colour: 'as-stored', bitsPerSample: info.bitsStored };
    }
    case TS.jpegBaseline:
    case TS.jpegExtended:
      return decodeJpegBaseline(frame);
    case TS.jpegLossless:
    case TS.jpegLosslessSv1:
      return decodeJpegLossless(frame);
    case TS.jpegLsLossless:
    case TS.jpegLsNearLossless:
      return decodeJpegLs(frame);
    case TS.jpeg2000Lossless:
    case TS.jpeg2000:
      return decodeJpeg2000(frame);
    default:
      throw new UnsupportedEncoding('transfer-syntax');
  }
}

/** Stored bit pattern → value, per Bits Stored and Pixel Representation (high bit assumed Bits Stored − 1). */
function storedToValue(bitsStored: number, signed: boolean): (v: number) => number {
  if (bitsStored >= 32) return signed ? (v) => v | 0 : (v) => v >>> 0;
  const mask = 2 ** bitsStored - 1;
  const sign = 2 ** (bitsStored - 1);
  return signed ? (v) => { const m = v & mask; return m >= sign ? m - 2 ** bitsStored : m; } : (v) => v & mask;
}

/** Grey values after the Modality LUT (rescale slope and intercept), with their smallest and largest value. */
export interface ModalityValues {
  values: Float32Array;
  min: number;
  max: number;
}

export function modalityValues(px: DecodedPixels, info: ImageInfo): ModalityValues {
  const n = px.width * px.height;
  const convert = px.values === 'stored' ? storedToValue(Math.min(info.bitsStored, px.bitsPerSample || info.bitsStored), info.pixelRepresentation === 1) : (v: number) => v;
  const values = new Float32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i += 1) {
    const v = convert(px.data[i * px.samples]!) * info.slope + info.intercept;
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { values, min, max };
}

/** The window that spans exactly min..max under the linear VOI function (what "no window" shows). */
export function fullRangeWindow(min: number, max: number): VoiWindow {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return { center: Number.isFinite(min) ? min + 0.5 : 0.5, width: 1 };
  return { center: (min + max) / 2 + 0.5, width: max - min + 1 };
}

/**
 * Grey values → 8-bit display values: the linear VOI window (PS3.3 C.11.2.1.2.1) when one is given (width ≥ 1),
 * otherwise min..max; MONOCHROME1 is inverted.
 */
export function voiToDisplay(grey: ModalityValues, window: VoiWindow | null, monochrome1: boolean): Uint8Array {
  const { values, min, max } = grey;
  const n = values.length;
  const out = new Uint8Array(n);
  if (window && window.width >= 1) {
    const wc = window.center;
    const ww = window.width;
    const lower = wc - 0.5 - (ww - 1) / 2;
    const upper = wc - 0.5 + (ww - 1) / 2;
    for (let i = 0; i < n; i += 1) {
      const v = values[i]!;
      out[i] = v <= lower ? 0 : v > upper ? 255 : Math.round(((v - (wc - 0.5)) / (ww - 1) + 0.5) * 255);
    }
  } else if (max > min) {
    const scale = 255 / (max - min);
    for (let i = 0; i < n; i += 1) out[i] = Math.round((values[i]! - min) * scale);
  }
  if (monochrome1) for (let i = 0; i < n; i += 1) out[i] = 255 - out[i]!;
  return out;
}

/** The header's first window, when it is usable (width ≥ 1). */
export function headerWindow(info: ImageInfo): VoiWindow | null {
  return info.windowCenter !== null && info.windowWidth !== null && info.windowWidth >= 1 ? { center: info.windowCenter, width: info.windowWidth } : null;
}

export function paletteToRgb(px: DecodedPixels, ds: DataSet, info: ImageInfo): Uint8Array {
  if (ds.elements.x00281221) throw new UnsupportedEncoding('photometric'); // segmented palettes
  const n = px.width * px.height;
  const convert = storedToValue(info.bitsStored, false);
  const luts = ['x00281201', 'x00281202', 'x00281203'].map((dataTag, c) => {
    const descTag = ['x00281101', 'x00281102', 'x00281103'][c]!;
    const entries = ds.uint16(descTag, 0) || 65536;
    const first = ds.uint16(descTag, 1) ?? 0;
    const bits = ds.uint16(descTag, 2) ?? 16;
    const el = ds.elements[dataTag];
    if (!el || el.dataOffset + el.length > ds.byteArray.length) throw new UnsupportedEncoding('photometric');
    const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
    const table = new Uint8Array(entries);
    if (bits === 8 && bytes.length === entries) {
      table.set(bytes.subarray(0, entries));
    } else {
      const words = Math.min(entries, Math.floor(bytes.length / 2));
      const raw = new Uint16Array(words);
      for (let i = 0; i < words; i += 1) raw[i] = ds.byteArrayParser.readUint16(bytes, i * 2);
      const shift = bits === 8 && raw.every((w) => w <= 255) ? 0 : 8;
      for (let i = 0; i < words; i += 1) table[i] = (raw[i]! >> shift) & 0xff;
    }
    return { table, first, entries };
  });
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i += 1) {
    const index = convert(px.data[i * px.samples]!);
    for (let c = 0; c < 3; c += 1) {
      const lut = luts[c]!;
      const k = Math.min(Math.max(index - lut.first, 0), lut.entries - 1);
      out[i * 3 + c] = lut.table[k]!;
    }
  }
  return out;
}

export function colourToRgb(px: DecodedPixels, info: ImageInfo): Uint8Array {
  const n = px.width * px.height;
  if (px.samples < 3) throw new UnsupportedEncoding('photometric');
  const shift = Math.max(0, (px.bitsPerSample || info.bitsStored) - 8);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i += 1) {
    for (let c = 0; c < 3; c += 1) out[i * 3 + c] = Math.min(255, Math.max(0, px.data[i * px.samples + c]! >> shift));
  }
  const photometric = info.photometric;
  if (px.colour === 'as-stored' && photometric === 'YBR_FULL') {
    for (let i = 0; i < n * 3; i += 3) {
      const y = out[i]!;
      const cb = out[i + 1]! - 128;
      const cr = out[i + 2]! - 128;
      out[i] = clamp(y + 1.402 * cr);
      out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      out[i + 2] = clamp(y + 1.772 * cb);
    }
  } else if (px.colour === 'as-stored' && photometric !== 'RGB') {
    throw new UnsupportedEncoding('photometric');
  }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
