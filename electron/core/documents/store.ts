import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  documentType,
  patientMismatch,
  type DocumentDetail,
  type DocumentSummary,
  type DocumentType,
} from '../../../shared/contract/documents';
import { AppError } from '../../../shared/errors';

/** What the analyser guessed, each with the reason shown to the person. */
export interface Guess<T> {
  value: T | null;
  reason: string | null;
}
export interface Guesses {
  type: Guess<DocumentType>;
  serviceDate: Guess<string>;
  facility: Guess<string>;
  clinician: Guess<string>;
  title: Guess<string>;
}
export type Corrections = Partial<{ type: DocumentType; serviceDate: string; facility: string; clinician: string; title: string }>;

export interface PageText {
  page: number;
  text: string;
  source: 'text-layer' | 'ocr' | 'none';
  confidence: number | null;
}

export interface NewDocument {
  blobId: string;
  sha256: string;
  originalName: string;
  kind: DocumentSummary['kind'];
  mimeType: string;
  size: number;
  pages: PageText[];
  guesses: Guesses;
  patientMismatches: z.infer<typeof patientMismatch>[];
  thumbnailBlobId: string | null;
  studyUid?: string | null;
  discId?: string | null;
  importedAt: Date;
}

// Stored JSON is re-validated on read: the database is ours, but a bug or a damaged page must not crash the UI.
const storedGuess = z
  .object({ value: z.string().nullable(), reason: z.string().nullable() })
  .catch({ value: null, reason: null });
const storedGuesses = z.object({
  type: z
    .object({ value: documentType.nullable(), reason: z.string().nullable() })
    .catch({ value: null, reason: null }),
  serviceDate: storedGuess,
  facility: storedGuess,
  clinician: storedGuess,
  title: storedGuess,
});
const storedCorrections = z
  .object({
    type: documentType.optional(),
    serviceDate: z.string().optional(),
    facility: z.string().optional(),
    clinician: z.string().optional(),
    title: z.string().optional(),
  })
  .catch({});

interface DocumentRow {
  rowid: number;
  id: string;
  blob_id: string;
  original_name: string;
  kind: DocumentSummary['kind'];
  mime_type: string;
  size: number;
  page_count: number;
  imported_at: string;
  guesses: string;
  corrections: string;
  patient_mismatches: string;
  patient_confirmed: number;
  notes: string;
  thumbnail_blob_id: string | null;
  study_uid: string | null;
  trashed_at: string | null;
  doc_type: DocumentType;
  service_date: string | null;
  facility: string | null;
  clinician: string | null;
  title: string;
  tags: string | null;
}

/** The columns SELECT_SUMMARY reads. */
type SummaryRow = Omit<DocumentRow, 'mime_type' | 'guesses' | 'corrections' | 'notes'>;

const TAGS_OF_DOCUMENT = '(SELECT json_group_array(tag) FROM (SELECT tag FROM document_tags t WHERE t.document_id = d.id ORDER BY tag)) AS tags';
const SELECT_DOCUMENT = `SELECT d.rowid, d.*, ${TAGS_OF_DOCUMENT} FROM documents d`;
/**
 * Only what a list row shows: listing 10,000 documents is what the Records screen does first, and the stored
 * guesses, corrections and notes (the bulk of a row) are not needed for it.
 */
const SELECT_SUMMARY = `
  SELECT d.rowid, d.id, d.title, d.doc_type, d.service_date, d.facility, d.clinician, d.kind, d.original_name, d.page_count,
    d.size, d.imported_at, d.patient_mismatches, d.patient_confirmed, d.blob_id, d.thumbnail_blob_id, d.trashed_at,
    d.study_uid, ${TAGS_OF_DOCUMENT}
  FROM documents d`;

export function newDocumentId(): string {
  return randomBytes(12).toString('base64url');
}

export function findBySha256(db: Database.Database, sha256: string): { id: string; trashed: boolean } | null {
  const row = db.prepare('SELECT id, trashed_at FROM documents WHERE sha256 = ?').get(sha256) as
    | { id: string; trashed_at: string | null }
    | undefined;
  return row ? { id: row.id, trashed: row.trashed_at !== null } : null;
}

/** Inserts a document with its pages and search entry. Call inside the transaction that records its blobs. */
export function insertDocument(db: Database.Database, doc: NewDocument): string {
  const id = newDocumentId();
  db.prepare(
    `INSERT INTO documents (id, blob_id, sha256, original_name, kind, mime_type, size, page_count, imported_at, guesses,
       patient_mismatches, thumbnail_blob_id, study_uid, disc_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    doc.blobId,
    doc.sha256,
    doc.originalName,
    doc.kind,
    doc.mimeType,
    doc.size,
    doc.pages.length,
    doc.importedAt.toISOString(),
    JSON.stringify(doc.guesses),
    JSON.stringify(doc.patientMismatches),
    doc.thumbnailBlobId,
    doc.studyUid ?? null,
    doc.discId ?? null,
  );
  const insertPage = db.prepare('INSERT INTO document_pages (document_id, page, text, source, confidence) VALUES (?, ?, ?, ?, ?)');
  for (const page of doc.pages) insertPage.run(id, page.page, page.text, page.source, page.confidence);
  refreshSearchEntry(db, id);
  return id;
}

/** Rewrites a document's full-text entry from its current title, text, notes and tags. */
export function refreshSearchEntry(db: Database.Database, id: string): void {
  const row = readRow(db, id);
  const body = (db.prepare('SELECT text FROM document_pages WHERE document_id = ? ORDER BY page').all(id) as { text: string }[])
    .map((page) => page.text)
    .join('\n\n');
  const tags = parseTags(row.tags).join(' ');
  db.prepare('DELETE FROM documents_fts WHERE rowid = ?').run(row.rowid);
  db.prepare('INSERT INTO documents_fts (rowid, title, body, notes, tags) VALUES (?, ?, ?, ?, ?)').run(
    row.rowid,
    row.title,
    body,
    row.notes,
    tags,
  );
}

export interface ListFilters {
  type?: DocumentType;
  from?: string;
  to?: string;
  facility?: string;
  tag?: string;
  trash: 'exclude' | 'only';
  limit: number;
  offset: number;
}

export function listDocuments(db: Database.Database, filters: ListFilters): { total: number; items: DocumentSummary[] } {
  const where: string[] = [filters.trash === 'only' ? 'd.trashed_at IS NOT NULL' : 'd.trashed_at IS NULL'];
  const params: (string | number)[] = [];
  const conditions: [string, string | undefined][] = [
    ['d.doc_type = ?', filters.type],
    ['d.service_date >= ?', filters.from],
    ['d.service_date <= ?', filters.to],
    ['d.facility = ?', filters.facility],
    ['EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ?)', filters.tag],
  ];
  for (const [condition, value] of conditions) {
    if (value === undefined) continue;
    where.push(condition);
    params.push(value);
  }
  const clause = `WHERE ${where.join(' AND ')}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM documents d ${clause}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`${SELECT_SUMMARY} ${clause} ORDER BY coalesce(d.service_date, substr(d.imported_at, 1, 10)) DESC, d.rowid DESC LIMIT ? OFFSET ?`)
    .all(...params, filters.limit, filters.offset) as SummaryRow[];
  return { total, items: rows.map(toSummary) };
}

export function getDocument(db: Database.Database, id: string): DocumentDetail {
  const row = readRow(db, id);
  const pages = db
    .prepare('SELECT page, text, source, confidence FROM document_pages WHERE document_id = ? ORDER BY page')
    .all(id) as PageText[];
  const guesses = storedGuesses.parse(JSON.parse(row.guesses));
  const corrections = storedCorrections.parse(JSON.parse(row.corrections));
  const sourceOf = (field: keyof Corrections) => (corrections[field] !== undefined ? 'user' : 'guess') as 'user' | 'guess';
  return {
    ...toSummary(row),
    mimeType: row.mime_type,
    notes: row.notes,
    guesses: {
      type: { ...guesses.type, source: sourceOf('type') },
      serviceDate: { ...guesses.serviceDate, source: sourceOf('serviceDate') },
      facility: { ...guesses.facility, source: sourceOf('facility') },
      clinician: { ...guesses.clinician, source: sourceOf('clinician') },
      title: { ...guesses.title, source: sourceOf('title') },
    },
    patientMismatches: z.array(patientMismatch).catch([]).parse(JSON.parse(row.patient_mismatches)),
    patientConfirmed: row.patient_confirmed === 1,
    pages,
  };
}

export interface DocumentChanges {
  corrections?: Partial<Record<keyof Corrections, string | null>>;
  notes?: string;
  tags?: string[];
  patientConfirmed?: boolean;
}

/** Applies a person's edits. A null correction removes it, so the guess shows again. */
export function updateDocument(db: Database.Database, id: string, changes: DocumentChanges): void {
  const row = readRow(db, id);
  db.transaction(() => {
    if (changes.corrections) {
      const current = storedCorrections.parse(JSON.parse(row.corrections)) as Record<string, string>;
      for (const [field, value] of Object.entries(changes.corrections)) {
        if (value === undefined) continue;
        if (value === null) delete current[field];
        else current[field] = value;
      }
      db.prepare('UPDATE documents SET corrections = ? WHERE id = ?').run(JSON.stringify(current), id);
    }
    if (changes.notes !== undefined) db.prepare('UPDATE documents SET notes = ? WHERE id = ?').run(changes.notes, id);
    if (changes.patientConfirmed !== undefined) {
      db.prepare('UPDATE documents SET patient_confirmed = ? WHERE id = ?').run(changes.patientConfirmed ? 1 : 0, id);
    }
    if (changes.tags) {
      db.prepare('DELETE FROM document_tags WHERE document_id = ?').run(id);
      const insert = db.prepare('INSERT OR IGNORE INTO document_tags (document_id, tag) VALUES (?, ?)');
      for (const tag of changes.tags) insert.run(id, tag);
    }
    refreshSearchEntry(db, id);
  })();
}

/** Replaces the analyser's guesses; corrections live in their own column and are untouched. */
export function replaceGuesses(db: Database.Database, id: string, guesses: Guesses, mismatches: NewDocument['patientMismatches']): void {
  db.transaction(() => {
    db.prepare('UPDATE documents SET guesses = ?, patient_mismatches = ? WHERE id = ?').run(
      JSON.stringify(guesses),
      JSON.stringify(mismatches),
      id,
    );
    refreshSearchEntry(db, id);
  })();
}

export function setTrashed(db: Database.Database, ids: string[], at: Date | null): number {
  const statement = at
    ? db.prepare('UPDATE documents SET trashed_at = ? WHERE id = ? AND trashed_at IS NULL')
    : db.prepare('UPDATE documents SET trashed_at = NULL WHERE id = ? AND trashed_at IS NOT NULL');
  let count = 0;
  db.transaction(() => {
    for (const id of ids) count += (at ? statement.run(at.toISOString(), id) : statement.run(id)).changes;
  })();
  return count;
}

export function documentText(db: Database.Database, id: string): PageText[] {
  readRow(db, id);
  return db.prepare('SELECT page, text, source, confidence FROM document_pages WHERE document_id = ? ORDER BY page').all(id) as PageText[];
}

function readRow(db: Database.Database, id: string): DocumentRow {
  const row = db.prepare(`${SELECT_DOCUMENT} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'That document could not be found.');
  return row;
}

function parseTags(raw: string | null): string[] {
  return raw ? z.array(z.string()).catch([]).parse(JSON.parse(raw)) : [];
}

/** Made once: building a zod schema costs far more than using it, and this runs for every listed row. */
const typeOrOther = documentType.catch('other');

function toSummary(row: SummaryRow): DocumentSummary {
  const mismatches = JSON.parse(row.patient_mismatches) as unknown[];
  return {
    id: row.id,
    title: row.title,
    type: typeOrOther.parse(row.doc_type),
    serviceDate: row.service_date,
    facility: row.facility,
    clinician: row.clinician,
    kind: row.kind,
    originalName: row.original_name,
    pageCount: row.page_count,
    size: row.size,
    importedAt: row.imported_at,
    tags: parseTags(row.tags),
    needsPatientCheck: mismatches.length > 0 && row.patient_confirmed === 0,
    fileId: row.blob_id,
    thumbnailId: row.thumbnail_blob_id,
    trashedAt: row.trashed_at,
    studyUid: row.study_uid,
  };
}
