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

/**
 * Above this many matches, results come newest first instead of by relevance: ranking costs time for every match
 * (a word that is in every report would rank all 10,000), while "newest first" stops after the first hits.
 * Below it, relevance ranking is cheap and more useful.
 */
const RANK_AT_MOST = 500;

export function searchDocuments(db: Database.Database, input: string, limit: number): SearchHit[] {
  const query = toFtsQuery(input);
  if (!query) return [];
  const matches = (
    db.prepare(`SELECT count(*) AS n FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ${RANK_AT_MOST + 1})`).get(query) as {
      n: number;
    }
  ).n;
  const rows = matches > RANK_AT_MOST ? newestFirst(db, query, limit) : byRelevance(db, query, limit);
  return rows.map((row) => ({ ...row, snippet: splitSnippet(row.snippet) }));
}

type Row = Omit<SearchHit, 'snippet'> & { snippet: string };

const HIT_COLUMNS = `d.id, d.title, d.doc_type AS type, d.service_date AS serviceDate,
  snippet(documents_fts, -1, char(2), char(3), '…', 14) AS snippet`;

/** Broad queries: one pass that stops after `limit` hits, newest import first. */
function newestFirst(db: Database.Database, query: string, limit: number): Row[] {
  return db
    .prepare(
      `SELECT ${HIT_COLUMNS} FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
       WHERE documents_fts MATCH ? AND d.trashed_at IS NULL ORDER BY documents_fts.rowid DESC LIMIT ?`,
    )
    .all(query, limit) as Row[];
}

/**
 * Narrow queries: rank the few matches on rowids, then make snippets for the hits shown. Looking a hit up by
 * rowid re-reads the query's posting lists, which is cheap exactly when there are few matches.
 */
function byRelevance(db: Database.Database, query: string, limit: number): Row[] {
  const top = db
    .prepare(
      `SELECT f.rowid FROM documents_fts f JOIN documents d ON d.rowid = f.rowid
       WHERE documents_fts MATCH ? AND d.trashed_at IS NULL ORDER BY bm25(documents_fts, 5.0, 1.0, 2.0, 3.0) LIMIT ?`,
    )
    .pluck()
    .all(query, limit) as number[];
  const hit = db.prepare(
    `SELECT ${HIT_COLUMNS} FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
     WHERE documents_fts MATCH ? AND documents_fts.rowid = ?`,
  );
  return top.flatMap((rowid) => {
    const row = hit.get(query, rowid) as Row | undefined;
    return row ? [row] : [];
  });
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
