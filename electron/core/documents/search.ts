import type Database from 'better-sqlite3-multiple-ciphers';
import type { DocumentType } from '../../../shared/contract/documents';

export interface SearchHit {
  id: string;
  title: string;
  type: DocumentType;
  serviceDate: string | null;
  snippet: { text: string; hit: boolean }[];
}

// Control characters mark hits inside FTS5 snippets: they cannot occur in stored text (inputs refuse them),
// so splitting on them is unambiguous, and the UI receives plain segments instead of HTML.
const HIT_START = '\u0002';
const HIT_END = '\u0003';

/**
 * Turns what a person types into an FTS5 query: every word must appear, the last one as a prefix so results
 * follow the typing. Words are quoted, so FTS5 operators typed by accident (AND, NEAR, quotes, *) are just text.
 */
export function toFtsQuery(input: string): string | null {
  const words = input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((word, index, all) => `"${word}"${index === all.length - 1 ? '*' : ''}`)
    .join(' ');
}

export function searchDocuments(db: Database.Database, input: string, limit: number): SearchHit[] {
  const query = toFtsQuery(input);
  if (!query) return [];
  // Rank first, on rowids only; snippets (the costly part) are made just for the hits that are shown.
  const rows = db
    .prepare(
      `WITH top AS (
         SELECT f.rowid AS rowid, bm25(documents_fts, 5.0, 1.0, 2.0, 3.0) AS score
         FROM documents_fts f JOIN documents d ON d.rowid = f.rowid
         WHERE documents_fts MATCH @query AND d.trashed_at IS NULL
         ORDER BY score LIMIT @limit
       )
       SELECT d.id, d.title, d.doc_type AS type, d.service_date AS serviceDate,
              snippet(documents_fts, -1, char(2), char(3), '…', 14) AS snippet
       FROM documents_fts JOIN top ON top.rowid = documents_fts.rowid JOIN documents d ON d.rowid = documents_fts.rowid
       WHERE documents_fts MATCH @query
       ORDER BY top.score`,
    )
    .all({ query, limit }) as (Omit<SearchHit, 'snippet'> & { snippet: string })[];
  return rows.map((row) => ({ ...row, snippet: splitSnippet(row.snippet) }));
}

export function splitSnippet(snippet: string): { text: string; hit: boolean }[] {
  const segments: { text: string; hit: boolean }[] = [];
  for (const part of snippet.split(HIT_START)) {
    const end = part.indexOf(HIT_END);
    if (end === -1) {
      if (part) segments.push({ text: part, hit: false });
      continue;
    }
    segments.push({ text: part.slice(0, end), hit: true });
    if (end + 1 < part.length) segments.push({ text: part.slice(end + 1), hit: false });
  }
  return segments;
}
