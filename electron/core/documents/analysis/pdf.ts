import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
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
 * - No network, no eval, no font-face injection; pdf.js runs its "worker" (parsing, decoding) in a thread of its
 *   own with a time limit per call (see `pdfThread`); rendering onto the canvas happens in this thread. Standard
 *   fonts, CMaps and the JPX/JBIG2 decoders load from the pdfjs-dist package folder on disk.
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

/**
 * Built-ins that pdf.js's legacy build (the one meant for Node) replaces with core-js polyfills when it loads. The
 * replacements are plain JavaScript: after the first PDF, every JSON.stringify and Array#push in the whole core ran
 * 20–50× slower (listing 10,000 documents went from ~70 ms to over a second). Node 20 has correct native versions,
 * and pdf.js does not need the replacements, so the natives are put back. Additions (Promise.withResolvers, the
 * Set methods and the like, which Node 20 lacks and pdf.js uses) are kept.
 */
const NATIVE_BUILTINS: ReadonlyArray<[object, PropertyKey]> = [
  [JSON, 'stringify'],
  [JSON, 'parse'],
  [Array.prototype, 'push'],
];

async function withNativeBuiltinsKept<T>(load: () => Promise<T>): Promise<T> {
  const saved = NATIVE_BUILTINS.map(([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)] as const);
  try {
    return await load();
  } finally {
    for (const [owner, key, descriptor] of saved) if (descriptor) Object.defineProperty(owner, key, descriptor);
  }
}

/** Loads pdf.js's API once. Its worker code (parsing) runs in a thread of its own: see `pdfThread`. */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= withNativeBuiltinsKept(() => import('pdfjs-dist/legacy/build/pdf.mjs'));
  return pdfjsPromise;
}

/** The pdfjs-dist package folder (fonts, CMaps, wasm decoders). Override for packaged builds. */
function defaultAssetsDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('pdfjs-dist/package.json'));
}

/**
 * pdf.js parses in a thread of its own (its "worker", reached through a MessagePort), so that a PDF made to keep it
 * busy forever cannot block the core: an image claiming 2^31 bits per component, for one, makes pdf.js read it bit
 * by bit for days. Every call into pdf.js waits at most `timeoutMs`; after that the thread is ended (the next PDF
 * gets a new one) and the PDF is reported as damaged. One thread serves every PDF, so it starts only once.
 */
export const DEFAULT_PDF_CALL_TIMEOUT_MS = 30_000;

const PDF_THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.url).then(({ WorkerMessageHandler }) => WorkerMessageHandler.initializeFromPort(workerData.port));
`;

interface PdfThread {
  worker: InstanceType<Pdfjs['PDFWorker']>;
  alive: boolean;
  /** Rejects once the thread has ended (after another PDF's timeout, or a crash). */
  ended: Promise<never>;
  end(): void;
}

let currentPdfThread: PdfThread | null = null;

function pdfThread(pdfjs: Pdfjs, assets: string): PdfThread {
  if (currentPdfThread?.alive) return currentPdfThread;
  const { port1, port2 } = new MessageChannel();
  const url = pathToFileURL(path.join(assets, 'legacy', 'build', 'pdf.worker.mjs')).href;
  const thread = new Worker(PDF_THREAD_SOURCE, { eval: true, workerData: { port: port2, url }, transferList: [port2] });
  const worker = new pdfjs.PDFWorker({ port: port1 as never, verbosity: pdfjs.VerbosityLevel.ERRORS });
  // Neither keeps the process alive on its own (the port only after pdf.js listens to it): every call into pdf.js
  // waits with a timer of its own (see `guarded`).
  thread.unref();
  port1.unref();
  const created: PdfThread = {
    worker,
    alive: true,
    ended: new Promise<never>((_, reject) => {
      thread.once('exit', () => {
        created.alive = false;
        reject(new AppError('INTERNAL'));
      });
    }),
    end() {
      created.alive = false;
      port1.close();
      void thread.terminate();
    },
  };
  created.ended.catch(() => {});
  thread.once('error', () => created.end());
  currentPdfThread = created;
  return created;
}

/** Waits for a pdf.js call at most `ms`; past that, the thread is ended and the PDF is called damaged. */
async function guarded<T>(thread: PdfThread, ms: number, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      thread.end();
      reject(new DocumentError('damaged', DOCUMENT_MESSAGES.damagedPdf));
    }, ms);
  });
  try {
    return await Promise.race([call, timeout, thread.ended]);
  } finally {
    clearTimeout(timer);
  }
}

/** For clean-up calls (destroy): nothing to wait for once the thread is gone, and never longer than `ms`. */
async function quietly(thread: PdfThread, ms: number, call: () => Promise<unknown>): Promise<void> {
  if (!thread.alive) return;
  await guarded(thread, ms, call()).catch(() => {});
}

export interface OpenPdfOptions {
  signal?: AbortSignal;
  /** Refuse files larger than this (default 1 GiB). */
  maxBytes?: number;
  /** The pdfjs-dist folder holding standard_fonts/, cmaps/, wasm/ and iccs/. */
  assetsDir?: string;
  /** Longest wait for one call into pdf.js (open, one page's text, one rendering) before the PDF is called damaged. */
  timeoutMs?: number;
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
  const thread = pdfThread(pdfjs, assets);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PDF_CALL_TIMEOUT_MS;
  const task = pdfjs.getDocument({
    worker: thread.worker,
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
    doc = await guarded(thread, timeoutMs, task.promise);
  } catch (error) {
    await quietly(thread, timeoutMs, () => task.destroy());
    throw signal?.aborted ? new AppError('CANCELLED') : pdfError(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (doc.numPages < 1) {
    await quietly(thread, timeoutMs, () => doc.destroy());
    throw new DocumentError('no-pages', DOCUMENT_MESSAGES.noPages);
  }
  return new PdfjsReader(pdfjs, doc, thread, timeoutMs);
}

class PdfjsReader implements PdfReader {
  readonly pageCount: number;
  private touched = 0;
  private closed = false;
  /** A call into pdf.js for this PDF ran out of time (and its thread was ended): every later call fails the same way. */
  private timedOut = false;

  constructor(
    private readonly pdfjs: Pdfjs,
    private readonly doc: PDFDocumentProxy,
    private readonly thread: PdfThread,
    private readonly timeoutMs: number,
  ) {
    this.pageCount = doc.numPages;
  }

  private async withPage<T>(pageNumber: number, signal: AbortSignal | undefined, use: (page: PDFPageProxy) => Promise<T>): Promise<T> {
    if (this.closed) throw new AppError('INTERNAL');
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.pageCount) {
      throw new AppError('INVALID_INPUT');
    }
    throwIfAborted(signal);
    if (this.timedOut) throw new DocumentError('damaged', DOCUMENT_MESSAGES.damagedPdf);
    let page: PDFPageProxy | undefined;
    try {
      page = await guarded(this.thread, this.timeoutMs, this.doc.getPage(pageNumber));
      return await guarded(this.thread, this.timeoutMs, use(page));
    } catch (error) {
      if (error instanceof DocumentError && !this.thread.alive) this.timedOut = true;
      throw signal?.aborted ? new AppError('CANCELLED') : pdfError(error);
    } finally {
      if (this.thread.alive) page?.cleanup();
      this.touched += 1;
      if (this.touched % CLEANUP_EVERY === 0) await quietly(this.thread, this.timeoutMs, () => this.doc.cleanup());
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
      // An absurdly thin page (a MediaBox 0.01 pt wide) still gets one pixel of width, which made the picture exceed
      // the pixel budget: no side may be longer than the whole budget either.
      scale = Math.min(scale, maxPixels / Math.max(base.width, base.height));
      if (!Number.isFinite(scale) || scale <= 0) throw new DocumentError('damaged', DOCUMENT_MESSAGES.damagedPdf);
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
    await quietly(this.thread, this.timeoutMs, () => this.doc.destroy());
  }
}
