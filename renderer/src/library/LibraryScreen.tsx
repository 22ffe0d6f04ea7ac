import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Button, FileTrigger, Input, Label, SearchField, ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import type { DocumentSummary, InputOf } from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call } from '../api/client';
import { canImportFiles } from '../api/files';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { plural } from '../ui/format';
import { ImportPanel } from './import/ImportPanel';
import { useImport } from './import/useImport';
import { useWindowDrop } from '../ui/useWindowDrop';
import { DocumentList } from './list/DocumentList';
import { DocumentRow, TrashRow } from './list/DocumentRow';
import { Filters, hasFilters, type LibraryFilters } from './list/Filters';
import { SearchResults } from './list/SearchResults';
import { useDebounced } from './useDebounced';
import { documentHref, useDocumentRoute } from './useDocumentRoute';
import { libraryChanged, useLibraryQuery } from './useLibraryQuery';
import { DocumentViewer } from './viewer/DocumentViewer';
import './library.css';

const ACCEPTED = ['.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff'];
const SEARCH_LIMIT = 100;

type View = 'records' | 'trash';
interface Notice {
  text: string;
  undo?: { ids: string[]; title: string };
}

/**
 * The library: every document in the vault, newest first and grouped by month, with search, filters, the trash,
 * adding files (button or drag and drop) and the viewer for one document (#/records/<id>).
 */
export function LibraryScreen() {
  const route = useDocumentRoute();
  const importer = useImport();
  const [view, setView] = useState<View>('records');
  const [filters, setFilters] = useState<LibraryFilters>({});
  const [searchText, setSearchText] = useState('');
  const query = useDebounced(searchText.trim(), 150);
  const [notice, setNotice] = useState<Notice | null>(null);
  const scroll = useRef<{ key: string; offset: number }>({ key: '', offset: 0 });
  const lastOpened = useRef<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const startImport = useCallback(
    (files: File[]) => {
      setNotice(null);
      setView('records');
      if (route.documentId) route.showList();
      void importer.start(files);
    },
    [importer, route],
  );
  const dragging = useWindowDrop(startImport, !importer.busy && canImportFiles());

  // Coming back from a document: focus its row again (or the heading), so keyboard users keep their place.
  const documentId = route.documentId;
  useEffect(() => {
    if (documentId) {
      lastOpened.current = documentId;
      return;
    }
    const id = lastOpened.current;
    if (!id) return;
    lastOpened.current = null;
    requestAnimationFrame(() => {
      const row = document.querySelector<HTMLElement>(`a[href="${CSS.escape(documentHref(id))}"]`);
      (row ?? heading.current)?.focus();
    });
  }, [documentId]);

  if (documentId) {
    return (
      <div className="screen library-screen library-viewer">
        <DocumentViewer
          id={documentId}
          highlight={query}
          onBack={route.showList}
          onTrashed={(doc) => {
            lastOpened.current = null;
            setNotice({ text: `“${doc.title}” was moved to the trash.`, undo: { ids: [doc.id], title: doc.title } });
            route.showList();
          }}
        />
        {dragging ? <DropOverlay /> : null}
      </div>
    );
  }

  const searching = query.length > 0;
  return (
    <div className={searching ? 'screen library-screen' : 'screen library-screen library-fill'}>
      <div className="library-head">
        <h1 ref={heading} tabIndex={-1}>
          Your records
        </h1>
        <FileTrigger acceptedFileTypes={ACCEPTED} allowsMultiple onSelect={(list) => list && startImport(Array.from(list))}>
          <Button className="button button-primary" isDisabled={importer.busy || !canImportFiles()}>
            <PlusIcon />
            Add documents
          </Button>
        </FileTrigger>
      </div>
      <p className="hint library-intro">
        PDF files or pictures of paper pages (JPEG, PNG, TIFF). You can also drag files onto this window.
      </p>

      <ImportPanel state={importer.state} onStop={importer.stop} onDismiss={importer.dismiss} onOpen={route.open} />
      {notice ? <NoticeLine notice={notice} onChange={setNotice} /> : null}

      <div className="library-controls">
        <SearchField className="field search-field" value={searchText} onChange={setSearchText} onClear={() => setSearchText('')}>
          <Label className="field-label">Search your records</Label>
          <div className="search-box">
            <Input className="input search-input" placeholder="For example: biopsy or HER2" spellCheck={false} />
            {searchText ? (
              <Button className="button button-quiet search-clear" aria-label="Clear the search">
                Clear
              </Button>
            ) : null}
          </div>
        </SearchField>
        {searching ? null : <ViewSwitch view={view} onView={setView} />}
      </div>

      {searching ? <Search query={query} /> : <Browse view={view} filters={filters} onFilters={setFilters} scroll={scroll} onNotice={setNotice} />}
      {dragging ? <DropOverlay /> : null}
    </div>
  );
}

function Search({ query }: { query: string }) {
  const results = useLibraryQuery('documents.search', { query, limit: SEARCH_LIMIT });
  // While the next answer is on its way, the last one stays on screen.
  const last = useRef(results.data);
  if (results.data) last.current = results.data;
  return (
    <>
      <ErrorText error={results.error} />
      <SearchResults query={query} results={(results.data ?? last.current)?.results} searching={results.loading} limit={SEARCH_LIMIT} />
    </>
  );
}

/** Your documents or the trash, each with how many there are. */
function ViewSwitch({ view, onView }: { view: View; onView(view: View): void }) {
  const facets = useLibraryQuery('documents.facets', {});
  const trashCount = useLibraryQuery('documents.list', { trash: 'only', limit: 1 });
  const allCount = facets.data?.types.reduce((sum, entry) => sum + entry.count, 0);
  return (
    <ToggleButtonGroup
      className="segments"
      aria-label="Show"
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[view]}
      onSelectionChange={(keys) => {
        const next = [...keys][0];
        if (next === 'records' || next === 'trash') onView(next);
      }}
    >
      <ToggleButton id="records" className="segment">
        Your documents{allCount !== undefined ? ` (${allCount.toLocaleString()})` : ''}
      </ToggleButton>
      <ToggleButton id="trash" className="segment">
        Trash{trashCount.data ? ` (${trashCount.data.total.toLocaleString()})` : ''}
      </ToggleButton>
    </ToggleButtonGroup>
  );
}

interface BrowseProps {
  view: View;
  filters: LibraryFilters;
  onFilters(filters: LibraryFilters): void;
  scroll: RefObject<{ key: string; offset: number }>;
  onNotice(notice: Notice | null): void;
}

function Browse({ view, filters, onFilters, scroll, onNotice }: BrowseProps) {
  const listInput = useMemo<InputOf<'documents.list'>>(() => (view === 'trash' ? { trash: 'only' } : { ...filters }), [view, filters]);
  const list = useLibraryQuery('documents.list', listInput);
  const facets = useLibraryQuery('documents.facets', {});
  const allCount = facets.data?.types.reduce((sum, entry) => sum + entry.count, 0);
  const [restoring, setRestoring] = useState(false);
  const [restoreError, setRestoreError] = useState<AppError | null>(null);
  const listKey = JSON.stringify(listInput);
  const initialOffset = scroll.current.key === listKey ? scroll.current.offset : 0;

  const restore = async (doc: DocumentSummary) => {
    setRestoring(true);
    setRestoreError(null);
    try {
      await call('documents.restore', { ids: [doc.id] });
      libraryChanged();
      onNotice({ text: `“${doc.title}” is back in your records.` });
    } catch (error) {
      setRestoreError(toAppError(error));
    } finally {
      setRestoring(false);
    }
  };

  const filtered = view === 'records' && hasFilters(filters);
  const items = list.data?.items ?? [];
  return (
    <>
      {view === 'records' ? <Filters filters={filters} facets={facets.data} onChange={onFilters} /> : null}
      <ErrorText error={list.error ?? restoreError} />

      <div className="list-summary">
        <p className="hint list-count" role="status" data-testid="list-count">
          {list.data ? countWords(view, list.data.total, filtered, allCount) : 'Loading…'}
        </p>
        {filtered ? (
          <ActionButton variant="quiet" onPress={() => onFilters({})}>
            Show all documents
          </ActionButton>
        ) : null}
      </div>

      {list.data && list.data.total === 0 ? (
        <EmptyState view={view} filtered={filtered} />
      ) : list.data ? (
        <>
          <DocumentList
            key={listKey}
            items={items}
            label={view === 'trash' ? 'Documents in the trash' : 'Your documents, newest first'}
            initialOffset={initialOffset}
            onScrollOffset={(offset) => {
              scroll.current = { key: listKey, offset };
            }}
            renderDoc={(doc, tabbable) =>
              view === 'trash' ? (
                <TrashRow doc={doc} tabbable={tabbable} busy={restoring} onRestore={(target) => void restore(target)} />
              ) : (
                <DocumentRow doc={doc} tabbable={tabbable} />
              )
            }
          />
          <p className="hint list-keys">In the list, the Up and Down arrow keys move from one document to the next.</p>
        </>
      ) : null}
    </>
  );
}

function countWords(view: View, total: number, filtered: boolean, all: number | undefined): string {
  if (view === 'trash') return total === 0 ? 'The trash is empty.' : `${plural(total, 'document', 'documents')} in the trash.`;
  if (filtered && all !== undefined) return `Showing ${total.toLocaleString()} of ${plural(all, 'document', 'documents')}.`;
  return `${plural(total, 'document', 'documents')}.`;
}

function EmptyState({ view, filtered }: { view: View; filtered: boolean }) {
  if (view === 'trash') return <p className="empty">Documents you move to the trash appear here, and can be brought back.</p>;
  if (filtered) return <p className="empty">No documents match these choices. Try another type, place or dates.</p>;
  return (
    <div className="empty">
      <p>
        <strong>No documents yet.</strong>
      </p>
      <p>
        Add the reports, letters and test results you have, as PDF files or as photos or scans of paper pages. The app
        reads each one, guesses what kind of document it is and when it is from, and files it here.
      </p>
    </div>
  );
}

function NoticeLine({ notice, onChange }: { notice: Notice; onChange(notice: Notice | null): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const undo = async () => {
    if (!notice.undo) return;
    setBusy(true);
    try {
      await call('documents.restore', { ids: notice.undo.ids });
      libraryChanged();
      onChange({ text: `“${notice.undo.title}” is back in your records.` });
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="status notice" role="status" data-testid="library-notice">
      <span>{notice.text}</span>
      {notice.undo ? (
        <ActionButton variant="quiet" onPress={() => void undo()} isDisabled={busy}>
          Undo
        </ActionButton>
      ) : null}
      <ActionButton variant="quiet" onPress={() => onChange(null)}>
        Dismiss
      </ActionButton>
      <ErrorText error={error} />
    </div>
  );
}

function DropOverlay() {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <p className="drop-message">Drop the files here to add them to your records</p>
    </div>
  );
}

function PlusIcon() {
  return (
    <svg className="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M10 4v12M4 10h12" />
    </svg>
  );
}
