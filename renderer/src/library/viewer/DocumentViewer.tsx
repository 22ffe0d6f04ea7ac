import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { DocumentDetail, DocumentSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useAction } from '../../api/useAction';
import { ActionButton } from '../../ui/ActionButton';
import { Card } from '../../ui/Card';
import { ErrorText } from '../../ui/ErrorText';
import { formatBytes, formatDateTime, plural } from '../../ui/format';
import { dateWords, pageWords, typeLabel } from '../format';
import { countMatches, Highlighted, markMatches, searchPattern } from '../highlight';
import { libraryChanged, useLibraryQuery } from '../useLibraryQuery';
import { DetailsForm } from './DetailsForm';
import { NotesAndTags } from './NotesAndTags';
import { ImagePageView, PdfPageView } from './PageImage';
import { PatientCheck } from './PatientCheck';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

interface Props {
  id: string;
  /** What was typed in the search box, marked in the page text. */
  highlight: string;
  onBack(): void;
  onTrashed(doc: DocumentSummary): void;
}

/** One document: its pages (from the stored original), the text read from each page, and what is known about it. */
export function DocumentViewer({ id, highlight, onBack, onTrashed }: Props) {
  const query = useLibraryQuery('documents.get', { id });
  const heading = useRef<HTMLHeadingElement>(null);
  const detail = query.data;

  useEffect(() => {
    if (detail) heading.current?.focus();
    // Only when another document opens, not after every save.
  }, [detail?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="viewer" data-testid="document-viewer">
      <div className="viewer-back">
        <button type="button" className="link-button back-link" onClick={onBack}>
          <span aria-hidden="true">← </span>Back to all records
        </button>
      </div>
      {query.error ? (
        <div className="stack">
          <h1>This document could not be opened</h1>
          <ErrorText error={query.error} />
        </div>
      ) : null}
      {!detail && !query.error ? <p className="hint">Opening…</p> : null}
      {detail ? <Loaded key={detail.id} detail={detail} highlight={highlight} heading={heading} onTrashed={onTrashed} /> : null}
    </div>
  );
}

function Loaded({
  detail,
  highlight,
  heading,
  onTrashed,
}: {
  detail: DocumentDetail;
  highlight: string;
  heading: RefObject<HTMLHeadingElement | null>;
  onTrashed(doc: DocumentSummary): void;
}) {
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(ZOOMS.indexOf(1));
  const [pdfPages, setPdfPages] = useState<number | null>(null);
  const pageCount = Math.max(1, pdfPages ?? detail.pageCount, detail.pages.length);
  const zoom = ZOOMS[zoomIndex] ?? 1;
  const pattern = useMemo(() => searchPattern(highlight), [highlight]);
  const isPdf = detail.kind === 'pdf';
  const isPicture = detail.kind === 'jpeg' || detail.kind === 'png' || detail.kind === 'tiff';

  const trash = useAction(async () => {
    await call('documents.trash', { ids: [detail.id] });
    libraryChanged();
    onTrashed(detail);
  });

  const goTo = useCallback((next: number) => setPage(Math.min(Math.max(1, next), pageCount)), [pageCount]);
  const zoomBy = useCallback((step: number) => setZoomIndex((index) => Math.min(Math.max(0, index + step), ZOOMS.length - 1)), []);

  const onPageKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => goTo(page + 1),
      PageDown: () => goTo(page + 1),
      ArrowLeft: () => goTo(page - 1),
      PageUp: () => goTo(page - 1),
      Home: () => goTo(1),
      End: () => goTo(pageCount),
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
    };
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  const pageText = detail.pages.find((entry) => entry.page === page);
  const hitPages = pattern ? detail.pages.filter((entry) => countMatches(entry.text, pattern) > 0).map((entry) => entry.page) : [];
  const hitsHere = pattern && pageText ? countMatches(pageText.text, pattern) : 0;
  const label = `Page ${page} of ${pageCount}: ${detail.title}`;
  const meta = [dateWords(detail), detail.facility, detail.clinician, pageWords(pageCount)].filter(Boolean).join(' · ');

  return (
    <>
      <header className="viewer-head">
        <p className="doc-type">{typeLabel(detail.type)}</p>
        <h1 ref={heading} tabIndex={-1} className="viewer-title">
          {detail.title}
        </h1>
        <p className="doc-meta">{meta}</p>
      </header>

      {detail.needsPatientCheck ? <PatientCheck detail={detail} onTrash={() => void trash.run()} trashing={trash.busy} /> : null}

      <div className="viewer-body">
        <section className="viewer-pages" aria-label="The document’s pages">
          <div className="viewer-toolbar" role="group" aria-label="Pages and zoom">
            <ActionButton variant="secondary" onPress={() => goTo(page - 1)} isDisabled={page <= 1}>
              Previous page
            </ActionButton>
            <span className="page-status" data-testid="page-status" aria-live="polite">
              Page {page} of {pageCount}
            </span>
            <ActionButton variant="secondary" onPress={() => goTo(page + 1)} isDisabled={page >= pageCount}>
              Next page
            </ActionButton>
            <span className="toolbar-gap" />
            <ActionButton variant="secondary" onPress={() => zoomBy(-1)} isDisabled={zoomIndex === 0}>
              <span aria-hidden="true">−</span>
              <span className="visually-hidden">Zoom out</span>
            </ActionButton>
            <span className="zoom-status" aria-live="polite">
              <span className="visually-hidden">Zoom </span>
              {Math.round(zoom * 100)}%
            </span>
            <ActionButton variant="secondary" onPress={() => zoomBy(1)} isDisabled={zoomIndex === ZOOMS.length - 1}>
              <span aria-hidden="true">+</span>
              <span className="visually-hidden">Zoom in</span>
            </ActionButton>
          </div>
          <div
            className="page-view"
            tabIndex={0}
            role="region"
            aria-label={`Page ${page} of ${pageCount}. Left and Right arrow keys turn the pages; plus and minus zoom.`}
            aria-describedby="page-keys-hint"
            onKeyDown={onPageKey}
            data-testid="page-view"
          >
            {isPdf ? (
              <PdfPageView fileId={detail.fileId} page={page} zoom={zoom} label={label} onPageCount={setPdfPages} />
            ) : isPicture ? (
              <ImagePageView fileId={detail.fileId} thumbnailId={detail.thumbnailId} kind={detail.kind} zoom={zoom} label={label} />
            ) : (
              <p className="hint page-loading">This kind of file has no pages to show; its text is beside this box.</p>
            )}
          </div>
          <p className="hint" id="page-keys-hint">
            With the page selected, the Left and Right arrow keys turn the pages, and + and − zoom in and out.
          </p>
        </section>

        <div className="viewer-text">
          <h2 id="page-text-heading">Text on page {page}</h2>
          {pattern ? (
            <p className="hint" data-testid="hit-summary">
              {hitsHere > 0 ? `${plural(hitsHere, 'match', 'matches')} for “${highlight.trim()}” on this page.` : `No matches for “${highlight.trim()}” on this page.`}
              {hitPages.filter((other) => other !== page).length > 0 ? (
                <>
                  {' '}
                  Also on page{' '}
                  {hitPages
                    .filter((other) => other !== page)
                    .map((other, index) => (
                      <span key={other}>
                        {index > 0 ? ', ' : ''}
                        <button type="button" className="link-button" onClick={() => goTo(other)}>
                          {other}
                        </button>
                      </span>
                    ))}
                  .
                </>
              ) : null}
            </p>
          ) : null}
          <PageTextBlock entry={pageText} pattern={pattern} page={page} />
        </div>
      </div>

      <div className="viewer-cards">
        <DetailsForm detail={detail} />
        <NotesAndTags detail={detail} />
        <Card title="The file" className="file-card">
          <dl className="facts">
            <div>
              <dt>File name</dt>
              <dd>{detail.originalName}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(detail.size)}</dd>
            </div>
            <div>
              <dt>Added</dt>
              <dd>{formatDateTime(detail.importedAt)}</dd>
            </div>
          </dl>
          <p className="hint">The original file is kept exactly as it was, encrypted in your vault.</p>
          <ErrorText error={trash.error} />
          <div className="actions">
            {/* Not a busy button: it goes away as soon as the document is in the trash. */}
            <ActionButton variant="secondary" onPress={() => void trash.run()} isDisabled={trash.busy}>
              Move to trash
            </ActionButton>
          </div>
          <p className="hint">Documents in the trash can be brought back at any time.</p>
        </Card>
      </div>
    </>
  );
}

function PageTextBlock({ entry, pattern, page }: { entry: DocumentDetail['pages'][number] | undefined; pattern: RegExp | null; page: number }) {
  if (!entry || entry.source === 'none' || !entry.text.trim()) {
    return <p className="hint" data-testid="page-text">No text was found on this page.</p>;
  }
  return (
    <>
      {entry.source === 'ocr' ? (
        <p className="hint">
          The app read this text from a picture of the page, so it may contain mistakes
          {entry.confidence !== null ? ` (it is about ${Math.round(entry.confidence)}% sure)` : ''}.
        </p>
      ) : null}
      <div className="page-text" data-testid="page-text" tabIndex={0} role="region" aria-label={`Text on page ${page}`}>
        <Highlighted segments={markMatches(entry.text, pattern)} />
      </div>
    </>
  );
}
