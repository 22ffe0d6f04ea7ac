import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Migration 5: what the person keeps for export packets — their medication list and care team (simple ordered
 * lists, each row one JSON object validated on read and write) — and the log of packets written: when, to whom,
 * what (documents and studies), format, profile and the SHA-256 of the packet's manifest.
 */
export const exportMigration = {
  version: 5,
  name: 'medications, care team and the log of export packets',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE medications (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        content TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE care_team (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        content TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- request: the packet request as given (recipient, selection, options), so a packet can be rebuilt.
      CREATE TABLE packets (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        request TEXT NOT NULL,
        format TEXT NOT NULL,
        profile TEXT,
        path TEXT NOT NULL,
        fileset_id TEXT NOT NULL,
        document_ids TEXT NOT NULL,
        study_uids TEXT NOT NULL,
        files INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        manifest_sha256 TEXT NOT NULL
      );
    `);
  },
};
