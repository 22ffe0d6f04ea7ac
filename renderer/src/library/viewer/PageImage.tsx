import { useEffect, useRef, useState } from 'react';
import { blobUrl } from '../../api/client';
import type { PdfDocument } from './pdf';

type Status = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string };

const LOAD_FAILED = 'This page could not be shown. The text the app read from it is beside it.';

function useWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((current) => (Math.abs(current - next) > 1 ? next : current));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

interface PdfProps {
  fileId: string;
  page: number;
  /** 1 = as wide as the space available. */
  zoom: number;
  label: string;
  onPageCount(count: number): void;
}

/** One page of a stored PDF, drawn by pdf.js from the original file. */
export function PdfPageView({ fileId, page, zoom, label, onPageCount }: PdfProps) {
  const [frame, setFrame] = useState<HTMLDivElement | null>(null);
  const holder = useRef<HTMLDivElement>(null);
  const width = useWidth(frame);
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [rendered, setRendered] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const onPageCountRef = useRef(onPageCount);
  onPageCountRef.current = onPageCount;

  useEffect(() => {
    let cancelled = false;
    let opened: PdfDocument | null = null;
    setDoc(null);
    setStatus({ kind: 'loading' });
    (async () => {
      const response = await fetch(blobUrl(fileId), { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const { openPdf } = await import('./pdf');
      const loaded = await openPdf(bytes);
      if (cancelled) {
        void loaded.destroy();
        return;
      }
      opened = loaded;
      setDoc(loaded);
      onPageCountRef.current(loaded.numPages);
    })().catch(() => {
      if (!cancelled) setStatus({ kind: 'failed', message: LOAD_FAILED });
    });
    return () => {
      cancelled = true;
      if (opened) void opened.destroy();
    };
  }, [fileId, attempt]);

  useEffect(() => {
    if (!doc || width < 10 || !holder.current) return;
    const target = holder.current;
    const controller = new AbortController();
    const pageNumber = Math.min(Math.max(1, page), doc.numPages);
    const cssWidth = Math.max(120, Math.round(width * zoom));
    setStatus((current) => (current.kind === 'failed' ? current : { kind: 'loading' }));
    import('./pdf')
      .then(({ renderPage }) => renderPage(doc, pageNumber, cssWidth, controller.signal))
      .then(
        (canvas) => {
          if (controller.signal.aborted) return;
          canvas.className = 'page-canvas';
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', label);
          canvas.dataset.page = String(pageNumber);
          canvas.style.width = `${cssWidth}px`;
          target.replaceChildren(canvas);
          setRendered(pageNumber);
          setStatus({ kind: 'ready' });
        },
        async (error: unknown) => {
          const { isCancelled } = await import('./pdf');
          if (controller.signal.aborted || isCancelled(error)) return;
          setStatus({ kind: 'failed', message: LOAD_FAILED });
        },
      );
    return () => controller.abort();
  }, [doc, page, zoom, width, label]);

  return (
    <div className="page-frame" ref={setFrame} data-rendered-page={status.kind === 'ready' ? rendered ?? undefined : undefined}>
      {status.kind === 'failed' ? (
        <div className="stack page-failed">
          <p className="alert">{status.message}</p>
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => setAttempt((count) => count + 1)}>
              Try again
            </button>
          </div>
        </div>
      ) : null}
      {status.kind === 'loading' && rendered === null ? <p className="hint page-loading">Opening the page…</p> : null}
      <div className="page-holder" ref={holder} />
    </div>
  );
}

interface ImageProps {
  fileId: string;
  thumbnailId: string | null;
  kind: string;
  zoom: number;
  label: string;
}

/** A scanned picture (JPEG, PNG) shown as it is; TIFF, which browsers cannot show, as its first-page picture. */
export function ImagePageView({ fileId, thumbnailId, kind, zoom, label }: ImageProps) {
  const [failed, setFailed] = useState(false);
  const src = kind === 'tiff' ? (thumbnailId ? blobUrl(thumbnailId) : null) : blobUrl(fileId);
  return (
    <div className="page-frame" data-rendered-page={failed || !src ? undefined : 1}>
      {kind === 'tiff' ? (
        <p className="hint">TIFF pictures cannot be shown at full size here; this is a smaller copy of the first page.</p>
      ) : null}
      {src && !failed ? (
        <img className="page-image" src={src} alt={label} style={{ width: `${Math.round(zoom * 100)}%` }} onError={() => setFailed(true)} />
      ) : (
        <p className="alert">This picture could not be shown. The text the app read from it is beside it.</p>
      )}
    </div>
  );
}
