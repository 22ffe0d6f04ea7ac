import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Migration 6: planning the second opinion. An appointment's details are one JSON document validated by the
 * shared zod schema on every read and write (like opinions); its checklist, questions, records requests and visit
 * notes are rows of their own so each tick, answer and keystroke batch is a small, separate commit.
 */
export const appointmentsMigration = {
  version: 6,
  name: 'appointments, checklists, questions, records requests and visit notes',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE appointments (
        id TEXT PRIMARY KEY,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        trashed_at TEXT
      );
      -- template: the checklist template the item came from (NULL for the person's own items).
      CREATE TABLE appointment_items (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        template TEXT,
        grp TEXT NOT NULL,
        type TEXT NOT NULL,
        record_kind TEXT,
        label TEXT NOT NULL,
        status TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        holder TEXT NOT NULL DEFAULT '',
        due_on TEXT,
        requested_on TEXT,
        received_on TEXT,
        sent_on TEXT,
        document_ids TEXT NOT NULL DEFAULT '[]',
        study_uids TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT NOT NULL
      );
      CREATE INDEX appointment_items_by_appointment ON appointment_items(appointment_id, position);
      -- source_key: where a suggested question came from ('base:<id>', 'cmp:<comparison key>:<question id>',
      -- 'own:<id>'), so it is added once; removed = taken off the list by the person (never suggested again).
      -- text: the person's wording (NULL = the suggestion's wording, kept in suggested_text).
      CREATE TABLE appointment_questions (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        source_key TEXT NOT NULL,
        topic TEXT,
        suggested_text TEXT,
        text TEXT,
        answer TEXT NOT NULL DEFAULT '',
        asked INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        UNIQUE (appointment_id, source_key)
      );
      CREATE TABLE appointment_notes (
        appointment_id TEXT PRIMARY KEY REFERENCES appointments(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- content: the request as written (office, records, where to send); log: dated events (created, sent, …).
      CREATE TABLE records_requests (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        content TEXT NOT NULL,
        status TEXT NOT NULL,
        sent_on TEXT,
        answered_on TEXT,
        log TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX records_requests_by_appointment ON records_requests(appointment_id);
    `);
  },
};
