import type Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/errors';
import { appointmentsMigration } from '../appointments/schema';
import { documentsMigration } from '../documents/schema';
import { exportMigration } from '../export/schema';
import { imagingMigration, instanceMediaKeysMigration } from '../imaging/schema';
import { opinionsMigration } from '../opinions/schema';
import { pendingOutputsMigration } from './pending-outputs';

/**
 * Schema history of vault.db. `PRAGMA user_version` records the last applied version.
 *
 * To change the schema, APPEND a migration with the next version number. Never edit or reorder one that has
 * shipped: vaults on patients' disks were built by exactly those steps. Later issues add documents, studies,
 * opinions, ... as migrations 2, 3, ...
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'profile, settings, blobs, activity',
    up(db) {
      db.exec(`
        -- The one patient this vault belongs to; the CHECK keeps it a single row.
        CREATE TABLE profile (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          full_name TEXT NOT NULL,
          birth_date TEXT NOT NULL,
          sex TEXT,
          identifiers TEXT NOT NULL DEFAULT '[]',
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        -- App settings; values are JSON.
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        -- Encrypted files in blobs/. id = HMAC of the content hash; a row exists only once the file is durable.
        CREATE TABLE blobs (
          id TEXT PRIMARY KEY,
          sha256 TEXT NOT NULL,
          size INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        -- What the vault did (backups, checks), for the overview. Never record content here.
        CREATE TABLE activity (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          kind TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT '{}'
        );
      `);
    },
  },
  // Each feature keeps its schema beside its code; this list fixes the order vaults are upgraded in.
  documentsMigration,
  opinionsMigration,
  imagingMigration,
  exportMigration,
  appointmentsMigration,
  instanceMediaKeysMigration,
  pendingOutputsMigration,
];

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/** A programming error, caught by the unit tests before it can reach a patient's vault. */
export function assertStrictlyIncreasing(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new AppError('INTERNAL');
    }
    previous = migration.version;
  }
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to the latest version. Each migration runs in its own transaction together with its
 * `user_version` bump, so a failure rolls back just that step and the vault stays at a consistent, known version.
 * A database newer than this app is refused before anything is written.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  assertStrictlyIncreasing(migrations);
  const from = userVersion(db);
  if (from > latestVersion(migrations)) throw new AppError('VAULT_FROM_NEWER_VERSION');
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const step = db.transaction(() => {
      migration.up(db);
      // user_version lives in the database header page, so it commits or rolls back with the step.
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return { from, to: userVersion(db) };
}
