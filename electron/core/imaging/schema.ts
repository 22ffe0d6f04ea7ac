import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Migration 4: imaging. Discs as imported, the patients named on them, and the study → series → instance
 * catalogue built from the files' own headers. Instance bytes live unchanged in the blob store; an instance is
 * identified by SOP Instance UID + content hash, so the same UID with different bytes is kept twice and flagged.
 */
export const imagingMigration = {
  version: 4,
  name: 'imaging discs, studies, series and instances',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE discs (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE imaging_patients (
        key TEXT PRIMARY KEY,
        name TEXT,
        display_name TEXT,
        patient_id TEXT,
        birth_date TEXT,
        sex TEXT,
        mismatches TEXT NOT NULL DEFAULT '[]',
        confirmed INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE studies (
        uid TEXT PRIMARY KEY,
        patient_key TEXT NOT NULL REFERENCES imaging_patients(key),
        date TEXT,
        time TEXT,
        description TEXT,
        accession_number TEXT,
        referring_physician TEXT,
        institution TEXT,
        study_id TEXT,
        disc_id TEXT
      );
      CREATE TABLE series (
        uid TEXT PRIMARY KEY,
        study_uid TEXT NOT NULL REFERENCES studies(uid),
        number INTEGER,
        description TEXT,
        modality TEXT,
        body_part TEXT,
        thumbnail_blob_id TEXT REFERENCES blobs(id),
        thumbnail_status TEXT NOT NULL DEFAULT 'pending'
      );
      CREATE TABLE instances (
        id TEXT PRIMARY KEY,
        sop_instance_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL REFERENCES series(uid),
        sop_class_uid TEXT NOT NULL,
        kind TEXT NOT NULL,
        transfer_syntax TEXT NOT NULL,
        instance_number INTEGER,
        frames INTEGER NOT NULL,
        blob_id TEXT NOT NULL REFERENCES blobs(id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        disc_id TEXT NOT NULL REFERENCES discs(id),
        source_path TEXT NOT NULL,
        conflict INTEGER NOT NULL DEFAULT 0,
        image TEXT NOT NULL DEFAULT '{}'
      );
      CREATE UNIQUE INDEX instances_uid_content ON instances(sop_instance_uid, sha256);
      CREATE INDEX instances_series ON instances(series_uid);
      CREATE INDEX series_study ON series(study_uid);
    `);
  },
};

/**
 * Migration 7: each instance keeps the values its DICOMDIR record needs (export/dicom-keys.ts), taken from the header
 * as the file is stored, so building a packet need not decrypt every image's header a second time. NULL for
 * instances stored before this migration or whose header was not read at import; the export then reads the header
 * from the stored file, as before.
 */
export const instanceMediaKeysMigration = {
  version: 7,
  name: 'DICOMDIR values of each instance',
  up(db: Database.Database): void {
    db.exec('ALTER TABLE instances ADD COLUMN media_keys TEXT');
  },
};
