import type { DocumentSummary } from '../../../../shared/contract';
import { blobUrl } from '../../api/client';
import { formatCalendarDate } from '../../ui/format';
import { dateWords, pageWords, typeLabel } from '../format';
import { documentHref } from '../useDocumentRoute';

interface RowProps {
  doc: DocumentSummary;
  tabbable: boolean;
}

/** One document in the list: first-page picture, type, title (opens it), date, place, pages, warnings. */
export function DocumentRow({ doc, tabbable }: RowProps) {
  const meta = [dateWords(doc), doc.facility, pageWords(doc.pageCount)].filter(Boolean).join(' · ');
  return (
    <div className="doc-row">
      <Thumbnail doc={doc} />
      <div className="doc-text">
        <span className="doc-type">{typeLabel(doc.type)}</span>
        <a className="doc-title" href={documentHref(doc.id)} data-row-focus tabIndex={tabbable ? 0 : -1}>
          {doc.title}
        </a>
        <span className="doc-meta">{meta}</span>
      </div>
      {doc.needsPatientCheck ? <span className="badge badge-warning">Check whose record this is</span> : null}
    </div>
  );
}

interface TrashRowProps extends RowProps {
  onRestore(doc: DocumentSummary): void;
  busy: boolean;
}

/** A document in the trash: what it is, when it was put there, and Restore. */
export function TrashRow({ doc, tabbable, onRestore, busy }: TrashRowProps) {
  const trashed = doc.trashedAt ? `Moved to the trash on ${formatCalendarDate(doc.trashedAt.slice(0, 10))}` : null;
  const meta = [typeLabel(doc.type), dateWords(doc), trashed].filter(Boolean).join(' · ');
  return (
    <div className="doc-row">
      <Thumbnail doc={doc} />
      <div className="doc-text">
        <span className="doc-title doc-title-plain">{doc.title}</span>
        <span className="doc-meta">{meta}</span>
      </div>
      <button
        type="button"
        className="button button-secondary row-button"
        data-row-focus
        tabIndex={tabbable ? 0 : -1}
        disabled={busy}
        aria-label={`Restore ${doc.title}`}
        onClick={() => onRestore(doc)}
      >
        Restore
      </button>
    </div>
  );
}

function Thumbnail({ doc }: { doc: DocumentSummary }) {
  if (!doc.thumbnailId) {
    return (
      <span className="doc-thumb doc-thumb-empty" aria-hidden="true">
        <svg viewBox="0 0 24 24" className="icon" focusable="false">
          <path d="M6 3h8l4 4v14H6z" />
          <path d="M14 3v4h4M9 12h6M9 16h6" />
        </svg>
      </span>
    );
  }
  return <img className="doc-thumb" src={blobUrl(doc.thumbnailId)} alt="" loading="lazy" decoding="async" width={56} height={72} />;
}
