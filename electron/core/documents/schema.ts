import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Migration 2: the document library. Guesses (from the analyser) and corrections (from the person) are stored
 * apart, so re-analysis can replace guesses without ever touching a correction; the effective values are
 * generated columns, which keeps filtering in SQL simple and indexable.
 */
export const documentsMigration = {
  version: 2,
  name: 'documents library with full-text search',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        blob_id TEXT NOT NULL REFERENCES blobs(id),
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        page_count INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        guesses TEXT NOT NULL DEFAULT '{}',
        corrections TEXT NOT NULL DEFAULT '{}',
        patient_mismatches TEXT NOT NULL DEFAULT '[]',
        patient_confirmed INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '',
        thumbnail_blob_id TEXT REFERENCES blobs(id),
        study_uid TEXT,
        disc_id TEXT,
        trashed_at TEXT,
        doc_type TEXT GENERATED ALWAYS AS (coalesce(json_extract(corrections, '$.type'), json_extract(guesses, '$.type.value'), 'other')) VIRTUAL,
        service_date TEXT GENERATED ALWAYS AS (coalesce(json_extract(corrections, '$.serviceDate'), json_extract(guesses, '$.serviceDate.value'))) VIRTUAL,
        facility TEXT GENERATED ALWAYS AS (coalesce(json_extract(corrections, '$.facility'), json_extract(guesses, '$.facility.value'))) VIRTUAL,
        clinician TEXT GENERATED ALWAYS AS (coalesce(json_extract(corrections, '$.clinician'), json_extract(guesses, '$.clinician.value'))) VIRTUAL,
        title TEXT GENERATED ALWAYS AS (coalesce(json_extract(corrections, '$.title'), json_extract(guesses, '$.title.value'), original_name)) VIRTUAL
      );
      CREATE UNIQUE INDEX documents_sha256 ON documents(sha256);
      CREATE INDEX documents_date ON documents(service_date);
      CREATE INDEX documents_type ON documents(doc_type);
      CREATE TABLE document_pages (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        confidence REAL,
        PRIMARY KEY (document_id, page)
      );
      CREATE TABLE document_tags (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (document_id, tag)
      );
      CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, notes, tags,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
  },
};
