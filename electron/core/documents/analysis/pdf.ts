import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError } from '../../../../shared/errors';
import { toAppError } from '../../errors';
import { DOCUMENT_MESSAGES, DocumentError, fileError, throwIfAborted } from './errors';
import { MAX_IMAGE_PIXELS } from './limits';

/**
 * PDF reading with pdf.js, one page at a time.
 *
 * - The file's bytes are held in memory once (pdf.js needs random access); pages are parsed, their text
 *   extracted and, if needed, rendered one by one, and each page's resources are released (`page.cleanup()`,
 *   plus a document-wide `cleanup()` every `CLEANUP_EVERY` pages) so a PDF with thousands of pages does not
 *   grow the heap.
 * - No network, no eval, no font-face injection; pdf.js runs its "worker" in this thread (the import pipeline
 *   decides which thread that is). Standard fonts, CMaps and the JPX/JBIG2 decoders load from the pdfjs-dist
 *   package folder on disk.
 */

/** A page needs OCR when its text layer has fewer letters/digits than this. */
export const MIN_USABLE_CHARS = 20;
/** A page with fewer letters/digits than this and a large picture is treated as a scan with a printed header. */
export const SPARSE_TEXT_CHARS = 200;
/** A picture at least this many pixels on a sparse page is taken to be a scanned page. */
const SCAN_IMAGE_PIXELS = 300_000;
/** Default cap for the file size read into memory. */
export const DEFAULT_MAX_PDF_BYTES = 1024 * 1024 * 1024;
/** Default render resolution for OCR, and the default cap on rendered pixels (≈ A4/letter at 300 dpi, with room). */
export const DEFAULT_RENDER_DPI = 300;
export const DEFAULT_MAX_RENDER_PIXELS = 12_000_000;
const CLEANUP_EVERY = 50;

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjsPromise: Promise<Pdfjs> | null = null;

/** Loads pdf.js once, with its worker code running in this thread (no worker file is fetched). */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= (async () => {
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsPromise;
}

/** The pdfjs-dist package folder (fonts, CMaps, wasm decoders). Override for packaged builds. */
function defaultAssetsDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('pdfjs-dist/package.json'));
}

export interface OpenPdfOptions {
  signal?: AbortSignal;
  /** Refuse files larger than this (default 1 GiB). */
  maxBytes?: number;
  /** The pdfjs-dist folder holding standard_fonts/, cmaps/, wasm/ and iccs/. */
  assetsDir?: string;
}

export interface PdfPageText {
  /** 1-based. */
  page: number;
  /** The page's text layer, one line per visual line. */
  text: string;
  /** Letters and digits in `text`. */
  meaningfulChars: number;
  /** True when the text layer is missing or too thin to trust, so the page should be rendered and OCR'd. */
  needsOcr: boolean;
}

export interface RenderOptions {
  /** Target resolution (default 300 dpi). */
  dpi?: number;
  /** Render to this width in pixels instead of a resolution (thumbnails). */
  width?: number;
  /** Upper bound on width × height; the scale is lowered to stay under it (default 12 MP). */
  maxPixels?: number;
  signal?: AbortSignal;
}

export interface RenderedPage {
  /** Greyscale PNG. */
  png: Buffer;
  width: number;
  height: number;
  /** The resolution actually used (lower than asked when `maxPixels` applied). */
  dpi: number;
}

export interface PdfReader {
  readonly pageCount: number;
  /** Text of one page (1-based); the page's resources are released afterwards. */
  readText(pageNumber: number, signal?: AbortSignal): Promise<PdfPageText>;
  /** Renders one page (1-based) to a greyscale PNG; the page's resources are released afterwards. */
  render(pageNumber: number, options?: RenderOptions): Promise<RenderedPage>;
  /** Every page's text in order, one at a time. */
  pages(signal?: AbortSignal): AsyncGenerator<PdfPageText>;
  close(): Promise<void>;
}

/** Letters and digits, the measure of "how much text" a page has. */
export function meaningfulCharCount(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

/** A text layer is usable if it has enough letters/digits and is not mostly symbols (broken font encodings). */
export function isUsableText(text: string, minChars = MIN_USABLE_CHARS): boolean {
  const meaningful = meaningfulCharCount(text);
  const visible = text.replace(/\s/g, '').length;
  return meaningful >= minChars && meaningful >= visible * 0.5;
}

interface TextLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/** Joins pdf.js text items into lines: a new line when the item says so or the baseline moves. */
function joinTextItems(items: readonly unknown[]): string {
  let out = '';
  let lastY: number | null = null;
  let lastEnd: number | null = null;
  for (const raw of items) {
    const item = raw as Partial<TextLike>;
    if (typeof item.str !== 'string' || !Array.isArray(item.transform)) continue;
    const x = Number(item.transform[4] ?? 0);
    const y = Number(item.transform[5] ?? 0);
    const size = Math.max(1, Math.abs(Number(item.height ?? 0)) || Math.abs(Number(item.transform[3] ?? 0)) || 10);
    if (lastY !== null && Math.abs(y - lastY) > size * 0.5 && !out.endsWith('\n')) {
      out += '\n';
    } else if (lastEnd !== null && !out.endsWith('\n') && !/\s$/.test(out) && !/^\s/.test(item.str)) {
      if (x - lastEnd > size * 0.15) out += ' ';
    }
    out += item.str;
    if (item.hasEOL) out += '\n';
    lastY = y;
    lastEnd = x + Number(item.width ?? 0);
  }
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const IMAGE_OPS = new Set<number>();

async function hasLargeImage(pdfjs: Pdfjs, page: PDFPageProxy): Promise<boolean> {
  if (IMAGE_OPS.size === 0) {
    const { OPS } = pdfjs;
    for (const op of [
      OPS.paintImageXObject,
      OPS.paintInlineImageXObject,
      OPS.paintImageXObjectRepeat,
      OPS.paintImageMaskXObject,
      OPS.paintImageMaskXObjectRepeat,
    ]) IMAGE_OPS.add(op);
  }
  const list = await page.getOperatorList();
  for (let index = 0; index < list.fnArray.length; index += 1) {
    if (!IMAGE_OPS.has(list.fnArray[index]!)) continue;
    const args = list.argsArray[index] as unknown[] | null;
    // paintImageXObject: [id, width, height]; image masks: [{ width, height, … }].
    const first = args?.[0] as { width?: number; height?: number } | string | undefined;
    const width = typeof first === 'object' && first ? Number(first.width) : Number(args?.[1]);
    const height = typeof first === 'object' && first ? Number(first.height) : Number(args?.[2]);
    if (width * height >= SCAN_IMAGE_PIXELS) return true;
  }
  return false;
}

/** Maps pdf.js exceptions to patient-readable errors. */
function pdfError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'PasswordException') return new DocumentError('password', DOCUMENT_MESSAGES.password);
  if (name === 'AbortException') return new AppError('CANCELLED');
  return new DocumentError('damaged', DOCUMENT_MESSAGES.damagedPdf);
}

interface CanvasEntry {
  canvas: { width: number; height: number; data(): Buffer };
  context: unknown;
}
interface CanvasFactoryLike {
  create(width: number, height: number): CanvasEntry;
  destroy(entry: CanvasEntry): void;
}

/**
 * Opens a PDF from a path or bytes. Throws DocumentError for password-protected, damaged or empty PDFs, and
 * for files larger than `maxBytes`.
 */
export async function openPdf(source: string | Uint8Array, options: OpenPdfOptions = {}): Promise<PdfReader> {
  const { signal } = options;
  throwIfAborted(signal);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PDF_BYTES;
  let data: Uint8Array;
  if (typeof source === 'string') {
    try {
      const stat = await fs.stat(source);
      if (stat.size > maxBytes) throw new DocumentError('too-large', DOCUMENT_MESSAGES.tooManyBytes);
      const buffer = await fs.readFile(source, { signal });
      data = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw new AppError('CANCELLED');
      throw fileError(error);
    }
  } else {
    if (source.byteLength > maxBytes) throw new DocumentError('too-large', DOCUMENT_MESSAGES.tooManyBytes);
    data = new Uint8Array(source); // a copy: pdf.js takes ownership of (transfers) the buffer it is given
  }
  if (data.byteLength === 0) throw new DocumentError('empty', DOCUMENT_MESSAGES.empty);

  const pdfjs = await loadPdfjs();
  // pdf.js wants folder "URLs" ending in '/'; Node's fs accepts '/' on every platform.
  const assets = options.assetsDir ?? defaultAssetsDir();
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    enableXfa: false,
    stopAtErrors: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    standardFontDataUrl: `${assets}/standard_fonts/`,
    cMapUrl: `${assets}/cmaps/`,
    cMapPacked: true,
    wasmUrl: `${assets}/wasm/`,
    iccUrl: `${assets}/iccs/`,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const onAbort = () => void task.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    throw signal?.aborted ? new AppError('CANCELLED') : pdfError(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (doc.numPages < 1) {
    await doc.destroy();
    throw new DocumentError('no-pages', DOCUMENT_MESSAGES.noPages);
  }
  return new PdfjsReader(pdfjs, doc);
}

class PdfjsReader implements PdfReader {
  readonly pageCount: number;
  private touched = 0;
  private closed = false;

  constructor(
    private readonly pdfjs: Pdfjs,
    private readonly doc: PDFDocumentProxy,
  ) {
    this.pageCount = doc.numPages;
  }

  private async withPage<T>(pageNumber: number, signal: AbortSignal | undefined, use: (page: PDFPageProxy) => Promise<T>): Promise<T> {
    if (this.closed) throw new AppError('INTERNAL');
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.pageCount) {
      throw new AppError('INVALID_INPUT');
    }
    throwIfAborted(signal);
    let page: PDFPageProxy | undefined;
    try {
      page = await this.doc.getPage(pageNumber);
      return await use(page);
    } catch (error) {
      throw signal?.aborted ? new AppError('CANCELLED') : pdfError(error);
    } finally {
      page?.cleanup();
      this.touched += 1;
      if (this.touched % CLEANUP_EVERY === 0) await this.doc.cleanup().catch(() => {});
    }
  }

  readText(pageNumber: number, signal?: AbortSignal): Promise<PdfPageText> {
    return this.withPage(pageNumber, signal, async (page) => {
      const content = await page.getTextContent();
      const text = joinTextItems(content.items);
      const meaningfulChars = meaningfulCharCount(text);
      let needsOcr = !isUsableText(text);
      if (!needsOcr && meaningfulChars < SPARSE_TEXT_CHARS) {
        throwIfAborted(signal);
        needsOcr = await hasLargeImage(this.pdfjs, page);
      }
      return { page: pageNumber, text, meaningfulChars, needsOcr };
    });
  }

  render(pageNumber: number, options: RenderOptions = {}): Promise<RenderedPage> {
    const { signal } = options;
    return this.withPage(pageNumber, signal, async (page) => {
      const base = page.getViewport({ scale: 1 }); // 72 dpi
      let scale = options.width ? options.width / base.width : (options.dpi ?? DEFAULT_RENDER_DPI) / 72;
      const maxPixels = options.maxPixels ?? DEFAULT_MAX_RENDER_PIXELS;
      if (base.width * base.height * scale * scale > maxPixels) {
        scale = Math.sqrt(maxPixels / (base.width * base.height));
      }
      const viewport = page.getViewport({ scale });
      const width = Math.max(1, Math.floor(viewport.width));
      const height = Math.max(1, Math.floor(viewport.height));
      const factory = this.doc.canvasFactory as CanvasFactoryLike;
      const entry = factory.create(width, height);
      try {
        const task = page.render({
          canvas: entry.canvas as unknown as HTMLCanvasElement,
          canvasContext: entry.context as CanvasRenderingContext2D,
          viewport,
          background: 'white',
        });
        const onAbort = () => task.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await task.promise;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
        throwIfAborted(signal);
        const png = await sharp(entry.canvas.data(), { raw: { width, height, channels: 4 } })
          .removeAlpha()
          .toColourspace('b-w')
          .png({ compressionLevel: 1 })
          .toBuffer()
          .catch((error: unknown) => {
            throw toAppError(error); // our encoding failing is not the PDF's fault
          });
        return { png, width, height, dpi: scale * 72 };
      } finally {
        factory.destroy(entry);
      }
    });
  }

  async *pages(signal?: AbortSignal): AsyncGenerator<PdfPageText> {
    for (let pageNumber = 1; pageNumber <= this.pageCount; pageNumber += 1) {
      yield await this.readText(pageNumber, signal);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.doc.destroy();
  }
}
