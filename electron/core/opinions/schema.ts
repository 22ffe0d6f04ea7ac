import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Migration 3: opinions, the questions a comparison raised (as edited and answered by the person) and the
 * decision log. An opinion's content is one JSON document validated by the shared zod schema on every read and
 * write, so the schema can grow without table changes.
 */
export const opinionsMigration = {
  version: 3,
  name: 'opinions, comparison questions and decisions',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE opinions (
        id TEXT PRIMARY KEY,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        trashed_at TEXT
      );
      -- comparison_key: the compared opinions' ids, sorted and joined, so the same set finds its questions again.
      CREATE TABLE opinion_questions (
        comparison_key TEXT NOT NULL,
        question_id TEXT NOT NULL,
        field TEXT NOT NULL,
        topic TEXT NOT NULL,
        text TEXT,
        answer TEXT NOT NULL DEFAULT '',
        in_plan INTEGER NOT NULL DEFAULT 0,
        dismissed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (comparison_key, question_id)
      );
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        comparison_key TEXT NOT NULL,
        opinion_ids TEXT NOT NULL,
        chosen_opinion_id TEXT,
        plan TEXT NOT NULL,
        reason TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
    `);
  },
};
