import { AppError } from '../../../../shared/errors';
import { throwIfAborted } from './errors';
import { imageThumbnail, pdfThumbnail, readImagePages } from './images';
import type { OcrResult, OcrService, Rotation } from './ocr';
import { DEFAULT_MAX_RENDER_PIXELS, DEFAULT_RENDER_DPI, meaningfulCharCount, openPdf, type PdfPageText, type PdfReader } from './pdf';
import { requireSupportedFile, type DocumentKind } from './sniff';

/**
 * One entry point for the import pipeline: a file on disk → its kind, per-page text (from the PDF text layer
 * or OCR) and a first-page thumbnail. Pages are processed one at a time; at most one rendered page waits for
 * OCR while the next one is being read/rendered, so memory stays bounded whatever the page count.
 */

/**
 * Where a page's text came from: the PDF's own text layer, OCR, or nowhere ('none': the page needed OCR but no
 * OCR service was given, or the page is blank).
 */
export type PageSource = 'text-layer' | 'ocr' | 'none';

export interface ExtractedPage {
  /** 1-based. */
  page: number;
  text: string;
  source: PageSource;
  /** OCR confidence 0–100; null for text-layer pages and pages not read. */
  confidence: number | null;
  /** Degrees clockwise the page had to be turned to read it (OCR pages only). */
  rotation?: Rotation;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  pageCount: number;
  pages: ExtractedPage[];
  /** JPEG, THUMBNAIL_WIDTH px wide, of the first page (turned upright if OCR found it sideways); null if it failed. */
  thumbnail: Buffer | null;
}

export interface ExtractProgress {
  /** 1-based page just finished. */
  page: number;
  pageCount: number;
  source: PageSource;
}

export interface ExtractOptions {
  /** OCR for scans and pictures. Without it, such pages come back with source 'none'. */
  ocr?: OcrService | null;
  signal?: AbortSignal;
  /** Called once per page, in page order. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Make a thumbnail (default true). */
  thumbnail?: boolean;
  /** Resolution for rendering scanned PDF pages (default 300 dpi), capped by `maxRenderPixels` (default 12 MP). */
  renderDpi?: number;
  maxRenderPixels?: number;
  /** Largest PDF read (default 1 GiB). */
  maxPdfBytes?: number;
  /** Longest wait for one call into pdf.js before the PDF is called damaged (default 30 s; see pdf.ts). */
  pdfTimeoutMs?: number;
}

/** Reads a document's text page by page. Throws DocumentError/AppError with patient-readable messages. */
export async function extractDocumentText(filePath: string, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  throwIfAborted(options.signal);
  const { kind } = await requireSupportedFile(filePath);
  return kind === 'pdf' ? extractPdf(filePath, options) : extractImage(filePath, kind, options);
}

/** Keeps the OCR reading unless the text layer had more to say (a text page misjudged as a scan). */
function fromOcr(page: number, layer: PdfPageText | null, result: OcrResult): ExtractedPage {
  if (layer && layer.meaningfulChars > meaningfulCharCount(result.text)) {
    return { page, text: layer.text, source: 'text-layer', confidence: null };
  }
  if (!result.text) return { page, text: '', source: 'none', confidence: result.confidence, rotation: result.rotation };
  return { page, text: result.text, source: 'ocr', confidence: result.confidence, rotation: result.rotation };
}

async function extractPdf(filePath: string, options: ExtractOptions): Promise<ExtractedDocument> {
  const { ocr, onProgress } = options;
  // An inner controller so a failure on one page also stops the OCR still running for the previous one.
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) inner.abort();
  const signal = inner.signal;
  let reader: PdfReader | undefined;
  try {
    reader = await openPdf(filePath, { signal, maxBytes: options.maxPdfBytes, timeoutMs: options.pdfTimeoutMs });
    const pageCount = reader.pageCount;
    const pages: ExtractedPage[] = [];
    const finishPage = (result: ExtractedPage) => {
      pages.push(result);
      onProgress?.({ page: result.page, pageCount, source: result.source });
    };
    let pending: Promise<ExtractedPage> | null = null;
    for (let pageNumber = 1; pageNumber <= pageCount; pageNumber += 1) {
      throwIfAborted(signal);
      const layer = await reader.readText(pageNumber, signal);
      let rendered: { png: Buffer; dpi: number } | null = null;
      if (layer.needsOcr && ocr) {
        // Rendering this page overlaps with OCR of the previous one (pdf.js here, Tesseract in its thread).
        rendered = await reader.render(pageNumber, {
          dpi: options.renderDpi ?? DEFAULT_RENDER_DPI,
          maxPixels: options.maxRenderPixels ?? DEFAULT_MAX_RENDER_PIXELS,
          signal,
        });
      }
      if (pending) finishPage(await pending);
      pending = null;
      if (rendered && ocr) {
        const { png, dpi } = rendered;
        pending = ocr.recognize(png, { signal, dpi }).then((result) => fromOcr(pageNumber, layer, result));
        pending.catch(() => {}); // awaited on the next turn; this only stops an "unhandled rejection" meanwhile
      } else if (layer.needsOcr && !layer.text) {
        finishPage({ page: pageNumber, text: '', source: 'none', confidence: null });
      } else {
        finishPage({ page: pageNumber, text: layer.text, source: 'text-layer', confidence: null });
      }
    }
    if (pending) finishPage(await pending);
    const thumbnail = options.thumbnail === false ? null : await safeThumbnail(signal, () =>
      pdfThumbnail(reader!, { rotation: pages[0]?.rotation ?? 0, signal }),
    );
    return { kind: 'pdf', pageCount, pages, thumbnail };
  } catch (error) {
    inner.abort();
    throw options.signal?.aborted ? new AppError('CANCELLED') : error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    await reader?.close();
  }
}

async function extractImage(filePath: string, kind: DocumentKind, options: ExtractOptions): Promise<ExtractedDocument> {
  const { ocr, signal, onProgress } = options;
  const pages: ExtractedPage[] = [];
  let pageCount = 0;
  for await (const { page, pageCount: count, image } of readImagePages(filePath, { signal })) {
    pageCount = count;
    const result: ExtractedPage = ocr
      ? fromOcr(page, null, await ocr.recognize(image, { signal }))
      : { page, text: '', source: 'none', confidence: null };
    pages.push(result);
    onProgress?.({ page, pageCount, source: result.source });
  }
  const thumbnail = options.thumbnail === false ? null : await safeThumbnail(signal, () =>
    imageThumbnail({ input: filePath, page: 0 }, { rotation: pages[0]?.rotation ?? 0 }),
  );
  return { kind, pageCount, pages, thumbnail };
}

/** A thumbnail is a nicety: if it fails, the document still imports (cancellation still stops everything). */
async function safeThumbnail(signal: AbortSignal | undefined, make: () => Promise<Buffer>): Promise<Buffer | null> {
  throwIfAborted(signal);
  try {
    return await make();
  } catch (error) {
    throwIfAborted(signal);
    if (error instanceof AppError && error.code === 'CANCELLED') throw error;
    return null;
  }
}
