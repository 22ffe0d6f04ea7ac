/**
 * pdf.js, loaded only when a PDF is opened (a separate chunk, so the app starts fast). Runs under the app's
 * strict CSP: its worker is a same-origin module file emitted by Vite (no blob: or data: workers), and eval is
 * off (`isEvalSupported: false`), so fonts are drawn without compiling code from strings.
 */
import { GlobalWorkerOptions, RenderingCancelledException, VerbosityLevel, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

let port: Worker | null = null;

/** One module worker for every document, made on first use. */
function ensureWorker(): void {
  if (port) return;
  port = new Worker(workerUrl, { type: 'module', name: 'pdf' });
  GlobalWorkerOptions.workerPort = port;
}

export type PdfDocument = PDFDocumentProxy;

/** Opens a PDF from its bytes (the caller fetched them from the vault). */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  ensureWorker();
  const task = getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    isOffscreenCanvasSupported: true,
    verbosity: VerbosityLevel.ERRORS,
    stopAtErrors: false,
  });
  return task.promise;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof RenderingCancelledException;
}

/**
 * Draws one page into a fresh canvas `cssWidth` CSS pixels wide (sharp on high-density screens) and returns it;
 * `signal` abandons the drawing when the page or zoom changes meanwhile.
 */
export async function renderPage(doc: PDFDocumentProxy, pageNumber: number, cssWidth: number, signal: AbortSignal): Promise<HTMLCanvasElement> {
  const page = await doc.getPage(pageNumber);
  const base = page.getViewport({ scale: 1 });
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  let scale = (cssWidth / base.width) * ratio;
  // Keep the canvas within what browsers reliably draw (about 16 million pixels).
  const maxPixels = 16_000_000;
  const pixels = base.width * base.height * scale * scale;
  if (pixels > maxPixels) scale *= Math.sqrt(maxPixels / pixels);
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  const task = page.render({ canvas, viewport, background: '#ffffff' });
  const abort = () => task.cancel();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await task.promise;
  } finally {
    signal.removeEventListener('abort', abort);
  }
  return canvas;
}
