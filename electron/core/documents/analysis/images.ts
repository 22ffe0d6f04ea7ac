import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { AppError } from '../../../../shared/errors';
import { DOCUMENT_MESSAGES, DocumentError, fileError, throwIfAborted } from './errors';
import { MAX_IMAGE_PIXELS } from './limits';
import type { PdfReader } from './pdf';

/**
 * Pictures (JPEG, PNG, TIFF incl. multi-page) as pages, and first-page thumbnails for any document.
 *
 * Every decode goes through `checkedSharp`, which reads the header first and refuses images over
 * MAX_IMAGE_PIXELS before a single pixel is decoded (a 50000 × 50000 PNG is a few hundred bytes on disk and
 * 2.5 GB in memory). Pages are decoded one at a time; nothing holds more than one page's pixels.
 */

/** One page of a picture file: the file (path or bytes) and the 0-based page index inside it. */
export interface ImageSource {
  input: string | Buffer;
  /** 0-based page (multi-page TIFF); 0 for JPEG/PNG. */
  page?: number;
}

export interface ImageInfo {
  format: string;
  pageCount: number;
  /** Size of the first page as stored (before EXIF orientation). */
  width: number;
  height: number;
}

export interface ImagePage {
  /** 1-based page number. */
  page: number;
  pageCount: number;
  image: ImageSource;
}

export const THUMBNAIL_WIDTH = 256;

/**
 * sharp options shared by every decode: the pixel cap, EXIF orientation applied (phone photos; a later
 * `.rotate(angle)` composes with it), and lenient about a damaged tail (a partial scan is still useful).
 */
function sharpOptions(page: number | undefined): SharpOptions {
  return { page: page ?? 0, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', autoOrient: true };
}

/** Maps sharp/file-system failures to patient-readable errors. */
export function imageError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' && errno.startsWith('E')) return fileError(error);
  const message = String((error as Error | undefined)?.message ?? '');
  if (/exceeds pixel limit/i.test(message)) return new DocumentError('too-large', DOCUMENT_MESSAGES.tooManyPixels);
  if (/no such file|cannot open|permission denied/i.test(message)) {
    return /permission/i.test(message)
      ? new DocumentError('unreadable', DOCUMENT_MESSAGES.unreadable)
      : new DocumentError('not-found', DOCUMENT_MESSAGES.notFound);
  }
  return new DocumentError('damaged', DOCUMENT_MESSAGES.damagedImage);
}

/** Reads the header of one page and refuses it (before decoding) if it is larger than MAX_IMAGE_PIXELS. */
async function checkPageSize(source: ImageSource): Promise<Metadata> {
  let meta: Metadata;
  try {
    // `limitInputPixels: false` here so we can say "too large" ourselves rather than relying on sharp's wording.
    meta = await sharp(source.input, { page: source.page ?? 0, limitInputPixels: false }).metadata();
  } catch (error) {
    throw imageError(error);
  }
  const { width, height } = meta;
  if (!width || !height) throw new DocumentError('damaged', DOCUMENT_MESSAGES.damagedImage);
  if (width * height > MAX_IMAGE_PIXELS) throw new DocumentError('too-large', DOCUMENT_MESSAGES.tooManyPixels);
  return meta;
}

/** A sharp pipeline for one page (EXIF orientation applied), created only after its header passed the size check. */
export async function checkedSharp(source: ImageSource): Promise<Sharp> {
  await checkPageSize(source);
  return sharp(source.input, sharpOptions(source.page));
}

/** Runs a sharp pipeline to a buffer, mapping decode failures to patient-readable errors. */
export async function finish(pipeline: Sharp): Promise<Buffer> {
  try {
    return await pipeline.toBuffer();
  } catch (error) {
    throw imageError(error);
  }
}

/** Format, page count and first-page size, from the header only. Refuses oversized pages. */
export async function inspectImage(input: string | Buffer): Promise<ImageInfo> {
  const meta = await checkPageSize({ input, page: 0 });
  const format = meta.format ?? 'unknown';
  // Only TIFF pages are document pages; an animated PNG's frames are not.
  const pageCount = format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  return { format, pageCount, width: meta.width!, height: meta.height! };
}

/** Every page of a picture file, in order, checked one by one against the pixel cap. */
export async function* readImagePages(
  input: string | Buffer,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ImagePage> {
  const { pageCount } = await inspectImage(input);
  for (let index = 0; index < pageCount; index += 1) {
    throwIfAborted(options.signal);
    if (index > 0) await checkPageSize({ input, page: index });
    yield { page: index + 1, pageCount, image: { input, page: index } };
  }
}

/** One page decoded to a PNG (EXIF orientation applied, then `rotation` degrees clockwise). */
export async function imagePageToPng(source: ImageSource, rotation = 0): Promise<Buffer> {
  const pipeline = await checkedSharp(source);
  return finish(pipeline.rotate(rotation).png({ compressionLevel: 1 }));
}

/**
 * A small JPEG of a picture page (EXIF orientation applied, plus `rotation` degrees clockwise — the
 * orientation OCR found), `width` pixels wide.
 */
export async function imageThumbnail(source: ImageSource, options: { width?: number; rotation?: number } = {}): Promise<Buffer> {
  const pipeline = await checkedSharp(source);
  return finish(
    pipeline
      .rotate(options.rotation ?? 0)
      .flatten({ background: '#ffffff' })
      .resize({ width: options.width ?? THUMBNAIL_WIDTH })
      .jpeg({ quality: 75, mozjpeg: true }),
  );
}

/** A small JPEG of a PDF's first page, rendered by pdf.js at twice the thumbnail width and scaled down. */
export async function pdfThumbnail(
  reader: PdfReader,
  options: { width?: number; rotation?: number; signal?: AbortSignal } = {},
): Promise<Buffer> {
  const width = options.width ?? THUMBNAIL_WIDTH;
  const rendered = await reader.render(1, { width: width * 2, signal: options.signal });
  return finish(sharp(rendered.png).rotate(options.rotation ?? 0).resize({ width }).jpeg({ quality: 75, mozjpeg: true }));
}
