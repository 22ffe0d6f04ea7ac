import fs from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Temporary copies the app is writing outside the vault (a packet being built beside its destination, possibly a
 * gigabyte on a USB stick). Each is noted here before its first byte and forgotten once it has been renamed into
 * place or removed; if the app is killed in between, the next unlock removes what is left. Only names the app makes
 * (hidden, random suffix, `.part`) are ever removed.
 */

export const pendingOutputsMigration = {
  version: 8,
  name: 'temporary outputs outside the vault, for cleaning up after a crash',
  up(db: Database.Database): void {
    db.exec('CREATE TABLE pending_outputs (path TEXT PRIMARY KEY, started_at TEXT NOT NULL)');
  },
};

/** The temp name of a file or folder written beside `destination` (`.name.<12 hex>.part`). */
export const PENDING_OUTPUT_NAME = /^\..+\.[0-9a-f]{12}\.part$/;

export function notePendingOutput(db: Database.Database, temp: string, now: Date): void {
  db.prepare('INSERT OR REPLACE INTO pending_outputs (path, started_at) VALUES (?, ?)').run(temp, now.toISOString());
}

/** Call in the same transaction that records the finished output, or after removing the temp copy. */
export function forgetPendingOutput(db: Database.Database, temp: string): void {
  db.prepare('DELETE FROM pending_outputs WHERE path = ?').run(temp);
}

/**
 * Removes temp copies of outputs interrupted by a crash (at unlock, before anything new starts). A drive that is not
 * attached now keeps its entry for a later unlock. Returns how many were removed.
 */
export async function sweepPendingOutputs(db: Database.Database): Promise<number> {
  const rows = db.prepare('SELECT path FROM pending_outputs').all() as { path: string }[];
  let removed = 0;
  for (const { path: temp } of rows) {
    if (!path.isAbsolute(temp) || !PENDING_OUTPUT_NAME.test(path.basename(temp))) {
      forgetPendingOutput(db, temp);
      continue;
    }
    const parentThere = await fs.stat(path.dirname(temp)).then(() => true, () => false);
    if (!parentThere) continue; // a USB stick that is not plugged in
    const there = await fs.lstat(temp).then(() => true, () => false);
    try {
      if (there) await fs.rm(temp, { recursive: true, force: true });
    } catch {
      continue; // not removable now (permissions, read-only drive): try again next time
    }
    if (there) removed += 1;
    forgetPendingOutput(db, temp);
  }
  return removed;
}
