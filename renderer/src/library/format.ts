import { DOCUMENT_TYPE_LABELS, type DocumentSummary, type DocumentType } from '../../../shared/contract';
import { formatCalendarDate, plural } from '../ui/format';

export function typeLabel(type: DocumentType): string {
  return DOCUMENT_TYPE_LABELS[type];
}

/** The date a document sorts by: its own date, else the day it was added (the same order the core lists in). */
export function sortDate(doc: Pick<DocumentSummary, 'serviceDate' | 'importedAt'>): string {
  return doc.serviceDate ?? doc.importedAt.slice(0, 10);
}

/** "March 2025" for 2025-03-14, without any time-zone shift. */
export function monthLabel(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})/.exec(isoDate);
  if (!match) return 'Without a date';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** How a document's date reads in the list and the viewer. */
export function dateWords(doc: Pick<DocumentSummary, 'serviceDate' | 'importedAt'>): string {
  if (doc.serviceDate) return formatCalendarDate(doc.serviceDate);
  return `No date found · added ${formatCalendarDate(doc.importedAt.slice(0, 10))}`;
}

export function pageWords(count: number): string {
  return plural(count, 'page', 'pages');
}

/** The last part of a path, whichever slash the computer uses. */
export function fileNameOf(filePath: string): string {
  return filePath.split(/[\\/]/).filter(Boolean).pop() ?? filePath;
}
