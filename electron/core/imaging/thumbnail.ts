import sharp from 'sharp';
import type { DataSet } from 'dicom-parser';
import { asciiValue, intValue, numberValue, parseDataSet, ushortValue } from './dicom/dataset';
import { TS, transferSyntaxName } from './dicom/uids';
import { THUMBNAIL_LIMITS } from './limits';
import {
  decodeJpeg2000,
  decodeJpegBaseline,
  decodeJpegLossless,
  decodeJpegLs,
  planarToInterleaved,
  UnsupportedEncoding,
  type DecodedPixels,
} from './pixels/codecs';
import { encapsulatedFirstFrame, FrameError, nativeFirstFrame, readFragments, type PixelLayout } from './pixels/frame';
import { decodeRle } from './pixels/rle';

export type ThumbnailResult =
  | {
      status: 'ok';
      mime: 'image/png' | 'image/webp';
      data: Buffer;
      width: number;
      height: number;
      /** Size of the decoded frame. */
      sourceWidth: number;
      sourceHeight: number;
      transferSyntax: string;
    }
  | {
      /** The caller shows a placeholder and names the encoding in the import summary. */
      status: 'unsupported';
      transferSyntax: string;
      transferSyntaxName: string;
      reason: 'transfer-syntax' | 'bits' | 'photometric' | 'too-large';
    }
  | { status: 'no-pixel-data' }
  | { status: 'error'; transferSyntax: string | null; message: string };

export interface ThumbnailOptions {
  /** Longest edge of the result in pixels (default and maximum 256). */
  maxEdge?: number;
  format?: 'png' | 'webp';
}

/** Transfer syntaxes renderThumbnail decodes (each covered by a test). */
export const THUMBNAIL_TRANSFER_SYNTAXES: readonly string[] = [
  TS.implicitLittle,
  TS.explicitLittle,
  TS.deflatedExplicitLittle,
  TS.explicitBig,
  TS.rleLossless,
  TS.jpegBaseline,
  TS.jpegExtended,
  TS.jpegLossless,
  TS.jpegLosslessSv1,
  TS.jpegLsLossless,
  TS.jpegLsNearLossless,
  TS.jpeg2000Lossless,
  TS.jpeg2000,
];

const NATIVE = new Set<string>([TS.implicitLittle, TS.explicitLittle, TS.deflatedExplicitLittle, TS.explicitBig]);

const DAMAGED = 'The picture data of this image is damaged or incomplete, so no preview could be made.';

interface ImageInfo extends PixelLayout {
  bitsStored: number;
  pixelRepresentation: number;
  photometric: string;
  planarConfiguration: number;
  slope: number;
  intercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
}

function imageInfo(ds: DataSet): ImageInfo | null {
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

function nativePixels(ds: DataSet, info: ImageInfo, bigEndian: boolean): DecodedPixels {
  if (![8, 16, 32].includes(info.bitsAllocated)) throw new UnsupportedEncoding('bits');
  const bytes = nativeFirstFrame(ds, info);
  const count = info.rows * info.columns * info.samplesPerPixel;
  let data: Uint8Array | Uint16Array | Uint32Array;
  if (info.bitsAllocated === 8) {
    const vr = ds.elements.x7fe00010?.vr;
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

async function decodeFirstFrame(ds: DataSet, info: ImageInfo, ts: string): Promise<DecodedPixels> {
  if (NATIVE.has(ts)) return nativePixels(ds, info, ts === TS.explicitBig);
  if (ts === TS.rleLossless) {
    const frame = encapsulatedFirstFrame(ds, info, true);
    const data = decodeRle(frame, info);
    return { width: info.columns, height: info.rows, samples: info.samplesPerPixel, data, values: 'stored', colour: 'as-stored', bitsPerSample: info.bitsStored };
  }
  const frame = encapsulatedFirstFrame(ds, info);
  switch (ts) {
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

function greyToDisplay(px: DecodedPixels, info: ImageInfo): Uint8Array {
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
  const out = new Uint8Array(n);
  const ww = info.windowWidth;
  const wc = info.windowCenter;
  if (wc !== null && ww !== null && ww >= 1) {
    // PS3.3 C.11.2.1.2.1 linear VOI function.
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
  if (info.photometric === 'MONOCHROME1') for (let i = 0; i < n; i += 1) out[i] = 255 - out[i]!;
  return out;
}

function paletteToRgb(px: DecodedPixels, ds: DataSet, info: ImageInfo): Uint8Array {
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

function colourToRgb(px: DecodedPixels, info: ImageInfo): Uint8Array {
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

/**
 * Renders a small preview (≤ 256 px, PNG or WebP) of frame 1 of one DICOM instance — the caller picks the series'
 * middle instance and passes its bytes: the whole file, or a prefix that holds frame 1 (enough for large multi-frame
 * files: e.g. the first 64 MiB). Applies Modality LUT (rescale slope/intercept), the header's first
 * window centre/width (else the frame's min/max) and MONOCHROME1 inversion; colour (RGB, YBR_FULL, palette) as RGB.
 *
 * A pure async function over bytes with no shared state (see pixels/codecs.ts for the per-thread codec cache), so it
 * can run in a worker thread. Never throws for file content.
 */
export async function renderThumbnail(file: Uint8Array, options: ThumbnailOptions = {}): Promise<ThumbnailResult> {
  const maxEdge = Math.max(16, Math.min(options.maxEdge ?? THUMBNAIL_LIMITS.maxEdge, THUMBNAIL_LIMITS.maxEdge));
  let ds: DataSet;
  let ts: string;
  try {
    // Parse up to the Pixel Data element only, then read its value ourselves: works on a prefix of the file too.
    const parsed = parseDataSet(file, { untilTag: 'x7fe00010' });
    ds = parsed.dataSet;
    ts = parsed.transferSyntaxUid;
  } catch {
    return { status: 'error', transferSyntax: null, message: DAMAGED };
  }
  const pixelElement = ds.elements.x7fe00010;
  if (pixelElement && pixelElement.length === 0xffffffff) {
    const { basicOffsetTable, fragments } = readFragments(ds.byteArray, pixelElement.dataOffset);
    pixelElement.encapsulatedPixelData = true;
    pixelElement.basicOffsetTable = basicOffsetTable;
    pixelElement.fragments = fragments;
  }
  if (!ds.elements.x7fe00010) return { status: 'no-pixel-data' };
  const transferSyntax = ts;
  const info = imageInfo(ds);
  if (!info) return { status: 'error', transferSyntax, message: DAMAGED };
  const unsupported = (reason: 'transfer-syntax' | 'bits' | 'photometric' | 'too-large'): ThumbnailResult => ({
    status: 'unsupported',
    transferSyntax,
    transferSyntaxName: transferSyntaxName(transferSyntax),
    reason,
  });
  if (info.rows * info.columns > THUMBNAIL_LIMITS.maxPixels) return unsupported('too-large');
  const photometric = info.photometric;
  if (photometric === 'YBR_FULL_422' && NATIVE.has(transferSyntax)) return unsupported('photometric');
  try {
    const px = await decodeFirstFrame(ds, info, transferSyntax);
    if (px.width * px.height === 0 || px.data.length < px.width * px.height * px.samples) {
      return { status: 'error', transferSyntax, message: DAMAGED };
    }
    let channels: 1 | 3;
    let display: Uint8Array;
    if (photometric === 'PALETTE COLOR') {
      display = paletteToRgb(px, ds, info);
      channels = 3;
    } else if (px.samples === 1) {
      display = greyToDisplay(px, info);
      channels = 1;
    } else {
      display = colourToRgb(px, info);
      channels = 3;
    }
    let pipeline = sharp(Buffer.from(display.buffer, display.byteOffset, display.byteLength), {
      raw: { width: px.width, height: px.height, channels },
    }).resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true });
    if (channels === 1) pipeline = pipeline.toColourspace('b-w'); // a grey PNG, not three equal channels
    const webp = options.format === 'webp';
    pipeline = webp ? pipeline.webp({ quality: 80 }) : pipeline.png({ compressionLevel: 6 });
    const { data, info: outInfo } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      status: 'ok',
      mime: webp ? 'image/webp' : 'image/png',
      data,
      width: outInfo.width,
      height: outInfo.height,
      sourceWidth: px.width,
      sourceHeight: px.height,
      transferSyntax,
    };
  } catch (error) {
    if (error instanceof UnsupportedEncoding) return unsupported(error.reason);
    if (error instanceof FrameError && error.kind === 'no-pixel-data') return { status: 'no-pixel-data' };
    return { status: 'error', transferSyntax, message: DAMAGED };
  }
}
