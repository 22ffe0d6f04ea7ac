import sharp from 'sharp';
import type { DataSet } from 'dicom-parser';
import type { ImagingFrame } from '../../../shared/contract/imaging';
import { AppError } from '../../../shared/errors';
import type { Vault } from '../vault/vault';
import { DataSetParseError, parseDataSet, type ParsedDataSet } from './dicom/dataset';
import { TS, transferSyntaxName } from './dicom/uids';
import { FRAME_LIMITS, HEADER_LIMITS } from './limits';
import { UnsupportedEncoding, type DecodedPixels } from './pixels/codecs';
import {
  colourToRgb,
  decodeCompressedFrame,
  fullRangeWindow,
  headerWindow,
  imageInfo,
  modalityValues,
  NATIVE_TRANSFER_SYNTAXES,
  nativeFrameBytes,
  nativePixels,
  paletteToRgb,
  voiToDisplay,
  type ImageInfo,
  type ModalityValues,
  type VoiWindow,
} from './pixels/display';
import { FrameError, fragmentsBytes, fragmentsEnded, fragmentsOfFrame, readFragments } from './pixels/frame';
import { THUMBNAIL_TRANSFER_SYNTAXES } from './thumbnail';

/**
 * One frame of a stored image for the viewer (`imaging.frame`): read just enough of the instance from the blob store
 * (the header, then only frame n's bytes for uncompressed data, or a growing prefix up to frame n for compressed
 * data), decode it with the same code as the thumbnails (pixels/*), apply the window (level) and make a PNG.
 * Decoded frames are kept in a small per-vault cache so that moving the window only redraws. Runs in the core
 * process, never in the renderer.
 */

/** Random access to the bytes of one stored file. */
export interface ByteSource {
  size: number;
  /** Bytes [start, end] inclusive. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A decoded frame, before the window is applied. */
export interface DecodedFrame {
  width: number;
  height: number;
  frames: number;
  transferSyntax: string;
  /** Grey images: values after the Modality LUT; colour images: null. */
  grey: ModalityValues | null;
  monochrome1: boolean;
  /** The file's own window, else the full range; null for colour. */
  defaultWindow: VoiWindow | null;
  /** Colour images: RGB bytes. */
  rgb: Uint8Array | null;
}

const UNREADABLE = 'The picture data of this image is damaged or incomplete, so it cannot be shown. The file itself is kept unchanged in your vault.';

export const frameErrors = {
  damaged: () => new AppError('INVALID_INPUT', UNREADABLE),
  noPicture: () => new AppError('INVALID_INPUT', 'This item has no picture to show (it is a report or another kind of record).'),
  noSuchFrame: (frames: number) =>
    new AppError('INVALID_INPUT', `This image has ${frames === 1 ? 'only one picture' : `only ${frames} pictures`}; there is no picture with that number.`),
  unsupported: (encoding: string, reason: 'transfer-syntax' | 'bits' | 'photometric' | 'too-large') => {
    const what =
      reason === 'too-large'
        ? 'This picture is too large for the app to draw.'
        : reason === 'transfer-syntax'
          ? `This picture is stored as “${encoding}”, which the app cannot draw yet.`
          : `This picture uses a ${reason === 'bits' ? 'bit depth' : 'colour format'} (${encoding}) the app cannot draw yet.`;
    return new AppError('INVALID_INPUT', `${what} The file itself is kept unchanged in your vault, and your doctor’s imaging software can open it.`);
  },
};

const SUPPORTED = new Set(THUMBNAIL_TRANSFER_SYNTAXES);

interface Header {
  parsed: ParsedDataSet;
  /** The bytes read from the start of the file (file coordinates). */
  head: Uint8Array;
}

/** Reads the start of the file until the header (everything before Pixel Data) is complete. */
async function readHeader(source: ByteSource, firstRead: number): Promise<Header> {
  const max = Math.max(firstRead, HEADER_LIMITS.maxHeaderBytes);
  let want = Math.min(source.size, firstRead);
  for (;;) {
    const head = await source.read(0, want - 1);
    const canGrow = want < source.size && want < max;
    const grow = () => Math.min(source.size, max, want * HEADER_LIMITS.growthFactor);
    let parsed: ParsedDataSet;
    try {
      parsed = parseDataSet(head, { untilTag: 'x7fe00010' });
    } catch (error) {
      if (error instanceof DataSetParseError && error.kind === 'incomplete' && canGrow) {
        want = grow();
        continue;
      }
      throw frameErrors.damaged();
    }
    if (!parsed.dataSet.elements.x7fe00010) {
      if (canGrow) {
        want = grow();
        continue;
      }
      throw frameErrors.noPicture();
    }
    return { parsed, head };
  }
}

/**
 * Decodes frame `frameNumber` (1-based) of one DICOM instance. Reads the header first; uncompressed frames are then
 * read as exactly their own byte range, compressed ones from a prefix that grows until the frame is complete — so
 * frame 1 of a huge multi-frame file never reads the whole file. Throws AppErrors a patient can read.
 */
export async function decodeInstanceFrame(source: ByteSource, frameNumber: number, options: { firstReadBytes?: number } = {}): Promise<DecodedFrame> {
  if (source.size <= 0) throw frameErrors.damaged();
  const { parsed, head } = await readHeader(source, options.firstReadBytes ?? FRAME_LIMITS.firstReadBytes);
  const ds = parsed.dataSet;
  const ts = parsed.transferSyntaxUid;
  const encoding = transferSyntaxName(ts);
  const info = imageInfo(ds);
  if (!info) throw frameErrors.damaged();
  if (frameNumber > info.frames) throw frameErrors.noSuchFrame(info.frames);
  if (!SUPPORTED.has(ts)) throw frameErrors.unsupported(encoding, 'transfer-syntax');
  if (info.rows * info.columns > FRAME_LIMITS.maxPixels) throw frameErrors.unsupported(encoding, 'too-large');
  const native = NATIVE_TRANSFER_SYNTAXES.has(ts);
  if (info.photometric === 'YBR_FULL_422' && native) throw frameErrors.unsupported(encoding, 'photometric');

  try {
    let px: DecodedPixels;
    if (native) {
      const bytes = await nativeFrame(source, parsed, head, info, frameNumber - 1);
      px = nativePixels(bytes, info, ts === TS.explicitBig, ds.elements.x7fe00010?.vr);
    } else {
      const bytes = await encapsulatedFrame(source, parsed, head, info, frameNumber - 1, ts === TS.rleLossless);
      px = await decodeCompressedFrame(bytes, info, ts);
    }
    if (px.width * px.height === 0 || px.data.length < px.width * px.height * px.samples) throw frameErrors.damaged();
    return toDecodedFrame(px, ds, info, ts);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof UnsupportedEncoding) throw frameErrors.unsupported(encoding, error.reason);
    if (error instanceof FrameError && error.kind === 'no-pixel-data') throw frameErrors.noPicture();
    throw frameErrors.damaged();
  }
}

async function nativeFrame(source: ByteSource, parsed: ParsedDataSet, head: Uint8Array, info: ImageInfo, index: number): Promise<Uint8Array> {
  const element = parsed.dataSet.elements.x7fe00010!;
  const frameBytes = nativeFrameBytes(info);
  if (frameBytes <= 0 || element.length === 0xffffffff) throw new FrameError('corrupt', 'native pixel data with undefined length');
  if ((index + 1) * frameBytes > element.length) throw new FrameError('truncated', 'pixel data shorter than its frames');
  if (parsed.inflated) {
    // Deflated data sets are inflated whole while parsing: the frame is already in memory.
    const start = element.dataOffset + index * frameBytes;
    if (start + frameBytes > parsed.dataSet.byteArray.length) throw new FrameError('truncated', 'pixel data shorter than its frames');
    return parsed.dataSet.byteArray.subarray(start, start + frameBytes);
  }
  const start = element.dataOffset - parsed.offsetShift + index * frameBytes;
  const end = start + frameBytes;
  if (start < 0 || end > source.size) throw new FrameError('truncated', 'pixel data beyond the end of the file');
  if (end <= head.length) return head.subarray(start, end);
  const bytes = await source.read(start, end - 1);
  if (bytes.length < frameBytes) throw new FrameError('truncated', 'short read');
  return bytes;
}

async function encapsulatedFrame(
  source: ByteSource,
  first: ParsedDataSet,
  head: Uint8Array,
  info: ImageInfo,
  index: number,
  oneFragmentPerFrame: boolean,
): Promise<Uint8Array> {
  let parsed = first;
  let have = head.length;
  const headerEnd = first.dataSet.elements.x7fe00010!.dataOffset - first.offsetShift;
  // A first guess at how far frame n reaches: its share of the pixel data, plus a margin.
  let want = Math.min(source.size, Math.ceil(headerEnd + ((source.size - headerEnd) * (index + 1) * 1.2) / info.frames + FRAME_LIMITS.firstReadBytes));
  for (;;) {
    if (want > have) {
      const bytes = await source.read(0, want - 1);
      have = bytes.length;
      parsed = parseDataSet(bytes, { untilTag: 'x7fe00010' });
    }
    const bytes = parsed.bytes;
    const element = parsed.dataSet.elements.x7fe00010;
    if (!element || element.length !== 0xffffffff) throw new FrameError('corrupt', 'encapsulated pixel data without undefined length');
    const { basicOffsetTable, fragments } = readFragments(bytes, element.dataOffset);
    const complete = have >= source.size || fragmentsEnded(bytes, element.dataOffset, fragments, basicOffsetTable.length * 4);
    const pick = fragmentsOfFrame(bytes, fragments, basicOffsetTable, info.frames, index, { oneFragmentPerFrame, complete });
    if (pick.kind === 'found') return fragmentsBytes(bytes, fragments, pick.indices);
    if (pick.kind === 'missing' || have >= source.size) throw new FrameError('corrupt', 'frame not found among the fragments');
    want = Math.min(source.size, Math.max(have * 2, have + FRAME_LIMITS.minGrowthBytes));
  }
}

function toDecodedFrame(px: DecodedPixels, ds: DataSet, info: ImageInfo, ts: string): DecodedFrame {
  const base = { width: px.width, height: px.height, frames: info.frames, transferSyntax: ts, monochrome1: info.photometric === 'MONOCHROME1' };
  if (info.photometric === 'PALETTE COLOR') return { ...base, grey: null, defaultWindow: null, rgb: paletteToRgb(px, ds, info) };
  if (px.samples === 1) {
    const grey = modalityValues(px, info);
    return { ...base, grey, defaultWindow: headerWindow(info) ?? fullRangeWindow(grey.min, grey.max), rgb: null };
  }
  return { ...base, grey: null, defaultWindow: null, rgb: colourToRgb(px, info) };
}

/** Applies the window (grey images) and makes the PNG, at most `maxEdge` on the longest side. */
export async function frameToPng(
  decoded: DecodedFrame,
  request: { windowCenter?: number; windowWidth?: number; maxEdge: number },
): Promise<{ png: Buffer; width: number; height: number; window: VoiWindow | null }> {
  let window: VoiWindow | null = null;
  let display: Uint8Array;
  let channels: 1 | 3;
  if (decoded.grey) {
    const fallback = decoded.defaultWindow ?? fullRangeWindow(decoded.grey.min, decoded.grey.max);
    window = { center: request.windowCenter ?? fallback.center, width: Math.max(1, request.windowWidth ?? fallback.width) };
    display = voiToDisplay(decoded.grey, window, decoded.monochrome1);
    channels = 1;
  } else {
    display = decoded.rgb!;
    channels = 3;
  }
  const maxEdge = Math.max(16, Math.min(request.maxEdge, FRAME_LIMITS.maxEdge));
  let pipeline = sharp(Buffer.from(display.buffer, display.byteOffset, display.byteLength), {
    raw: { width: decoded.width, height: decoded.height, channels },
  }).resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true });
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  const { data, info } = await pipeline.png({ compressionLevel: 3 }).toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height, window };
}

// ---------------------------------------------------------------------------------------------------------------
// The operation: instance id → blob → decoded frame (cached per vault) → PNG.

interface CacheEntry {
  frame: DecodedFrame;
  bytes: number;
}

/**
 * Per vault, so a lock (which drops the Vault object) forgets every decoded picture with it; and emptied after a
 * while without use, so decoded pixels never linger in memory longer than the viewer needs them.
 */
const caches = new WeakMap<Vault, { entries: Map<string, CacheEntry>; timer: NodeJS.Timeout | null }>();

function cacheOf(vault: Vault): Map<string, CacheEntry> {
  let cache = caches.get(vault);
  if (!cache) {
    cache = { entries: new Map(), timer: null };
    caches.set(vault, cache);
  }
  const { entries } = cache;
  if (cache.timer) clearTimeout(cache.timer);
  cache.timer = setTimeout(() => entries.clear(), FRAME_LIMITS.cacheIdleMs);
  cache.timer.unref();
  return entries;
}

function remember(cache: Map<string, CacheEntry>, key: string, frame: DecodedFrame): void {
  const bytes = (frame.grey?.values.byteLength ?? 0) + (frame.rgb?.byteLength ?? 0);
  if (bytes > FRAME_LIMITS.cacheBytes) return;
  cache.set(key, { frame, bytes });
  let total = 0;
  for (const entry of cache.values()) total += entry.bytes;
  for (const [oldest, entry] of cache) {
    if (cache.size <= FRAME_LIMITS.cacheEntries && total <= FRAME_LIMITS.cacheBytes) break;
    cache.delete(oldest);
    total -= entry.bytes;
  }
}

export function blobSource(vault: Vault, blobId: string, size: number): ByteSource {
  return {
    size,
    read: async (start, end) => {
      const last = Math.min(end, size - 1);
      if (last < start) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      for await (const chunk of vault.blobs.openRange(blobId, start, last)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

export interface FrameInput {
  instanceId: string;
  frame: number;
  windowCenter?: number | undefined;
  windowWidth?: number | undefined;
  maxEdge: number;
}

export async function renderFrame(vault: Vault, input: FrameInput): Promise<ImagingFrame> {
  const row = vault.db.prepare('SELECT blob_id AS blobId, size, frames FROM instances WHERE id = ?').get(input.instanceId) as
    | { blobId: string; size: number; frames: number }
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'That image could not be found.');
  if (row.frames <= 0) throw frameErrors.noPicture();
  if (input.frame > row.frames) throw frameErrors.noSuchFrame(row.frames);
  const cache = cacheOf(vault);
  const key = `${row.blobId}#${input.frame}`;
  let decoded = cache.get(key)?.frame;
  if (decoded) {
    cache.delete(key); // most recently used goes last
    cache.set(key, { frame: decoded, bytes: (decoded.grey?.values.byteLength ?? 0) + (decoded.rgb?.byteLength ?? 0) });
  } else {
    decoded = await decodeInstanceFrame(blobSource(vault, row.blobId, row.size), input.frame);
    remember(cache, key, decoded);
  }
  const { png, width, height, window } = await frameToPng(decoded, input);
  return {
    png: png.toString('base64'),
    width,
    height,
    sourceWidth: decoded.width,
    sourceHeight: decoded.height,
    windowCenter: window?.center ?? null,
    windowWidth: window?.width ?? null,
    defaultWindow: decoded.defaultWindow,
    valueRange: decoded.grey ? { min: decoded.grey.min, max: decoded.grey.max } : null,
    frame: input.frame,
    frames: decoded.frames,
    colour: decoded.grey === null,
    encoding: transferSyntaxName(decoded.transferSyntax),
  };
}
