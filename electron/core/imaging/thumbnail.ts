import sharp from 'sharp';
import type { DataSet } from 'dicom-parser';
import { parseDataSet } from './dicom/dataset';
import { TS, transferSyntaxName } from './dicom/uids';
import { THUMBNAIL_LIMITS } from './limits';
import { UnsupportedEncoding, type DecodedPixels } from './pixels/codecs';
import {
  assertNativeBits,
  colourToRgb,
  decodeCompressedFrame,
  headerWindow,
  imageInfo,
  modalityValues,
  NATIVE_TRANSFER_SYNTAXES,
  nativePixels,
  paletteToRgb,
  voiToDisplay,
  type ImageInfo,
} from './pixels/display';
import { encapsulatedFirstFrame, FrameError, nativeFirstFrame, readFragments } from './pixels/frame';

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

const DAMAGED = 'The picture data of this image is damaged or incomplete, so no preview could be made.';

async function decodeFirstFrame(ds: DataSet, info: ImageInfo, ts: string): Promise<DecodedPixels> {
  if (NATIVE_TRANSFER_SYNTAXES.has(ts)) {
    assertNativeBits(info);
    return nativePixels(nativeFirstFrame(ds, info), info, ts === TS.explicitBig, ds.elements.x7fe00010?.vr);
  }
  return decodeCompressedFrame(encapsulatedFirstFrame(ds, info, ts === TS.rleLossless), info, ts);
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
  if (photometric === 'YBR_FULL_422' && NATIVE_TRANSFER_SYNTAXES.has(transferSyntax)) return unsupported('photometric');
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
      display = voiToDisplay(modalityValues(px, info), headerWindow(info), photometric === 'MONOCHROME1');
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
