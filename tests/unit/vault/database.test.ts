import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../../electron/core/vault/database';
import { latestVersion, migrate, MIGRATIONS, userVersion, type Migration } from '../../../electron/core/vault/migrations';
import { expectCode, tempDir } from './helpers';

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
}

describe('database and migrations', () => {
  it('has strictly increasing migration versions starting at 1', () => {
    expect(MIGRATIONS[0]?.version).toBe(1);
    for (let i = 1; i < MIGRATIONS.length; i += 1) {
      expect(MIGRATIONS[i]!.version).toBeGreaterThan(MIGRATIONS[i - 1]!.version);
    }
    expect(MIGRATIONS.every((migration) => migration.name.length > 0)).toBe(true);
    expect(latestVersion()).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('brings a fresh database to the latest version with the connection pragmas set', () => {
    const file = path.join(tempDir(), 'vault.db');
    const db = createDatabase(file, randomBytes(32));
    try {
      expect(userVersion(db)).toBe(latestVersion());
      expect(tables(db)).toEqual(expect.arrayContaining(['activity', 'blobs', 'profile', 'settings']));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(() => db.prepare("INSERT INTO profile (id, full_name, birth_date, created_at, updated_at) VALUES (2, 'a', 'b', 'c', 'd')").run()).toThrow();
    } finally {
      db.close();
    }
  });

  it('is SQLCipher-encrypted: no SQLite magic, and it does not open without the key or with another key', () => {
    const file = path.join(tempDir(), 'vault.db');
    const key = randomBytes(32);
    const db = createDatabase(file, key);
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker', '\"QQQ-MARKER-QQQ\"')").run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const raw = fs.readFileSync(file);
    expect(raw.includes('SQLite format 3')).toBe(false);
    expect(raw.includes('QQQ-MARKER-QQQ')).toBe(false);
    // SQLCipher 4 format specifically: the library's default cipher (ChaCha20) cannot read it with the same key.
    const chacha = new Database(file);
    chacha.pragma(`key = "x'${key.toString('hex')}'"`);
    expect(() => chacha.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    chacha.close();
    const plain = new Database(file);
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    expect(() => openDatabase(file, randomBytes(32))).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
    const again = openDatabase(file, key);
    expect(again.prepare("SELECT value FROM settings WHERE key = 'marker'").pluck().get()).toBe('"QQQ-MARKER-QQQ"');
    again.close();
  });

  it('refuses a missing file instead of creating an empty database', () => {
    const file = path.join(tempDir(), 'missing.db');
    expect(() => openDatabase(file, randomBytes(32))).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
    expect(fs.existsSync(file)).toBe(false);
  });

  it('rolls back a failing migration and leaves user_version unchanged', () => {
    const file = path.join(tempDir(), 'vault.db');
    const db = createDatabase(file, randomBytes(32));
    const failing: Migration = {
      version: latestVersion() + 1,
      name: 'fails halfway',
      up(target) {
        target.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    try {
      expect(() => migrate(db, [...MIGRATIONS, failing])).toThrow();
      expect(userVersion(db)).toBe(latestVersion());
      expect(tables(db)).not.toContain('half_done');
    } finally {
      db.close();
    }
  });

  it('applies only pending migrations, each in order', () => {
    const file = path.join(tempDir(), 'vault.db');
    const db = createDatabase(file, randomBytes(32));
    const applied: number[] = [];
    const extra = [latestVersion() + 1, latestVersion() + 5].map<Migration>((version) => ({
      version,
      name: `test ${version}`,
      up: (target) => {
        applied.push(version);
        target.exec(`CREATE TABLE t${version} (x INTEGER)`);
      },
    }));
    try {
      expect(migrate(db, [...MIGRATIONS, ...extra])).toEqual({ from: latestVersion(), to: latestVersion() + 5 });
      expect(migrate(db, [...MIGRATIONS, ...extra])).toEqual({ from: latestVersion() + 5, to: latestVersion() + 5 });
      expect(applied).toEqual([latestVersion() + 1, latestVersion() + 5]);
    } finally {
      db.close();
    }
  });

  it('refuses out-of-order migration lists', () => {
    const db = createDatabase(path.join(tempDir(), 'vault.db'), randomBytes(32));
    const noop = (version: number): Migration => ({ version, name: 'noop', up: () => undefined });
    try {
      expect(() => migrate(db, [...MIGRATIONS, noop(latestVersion())])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(() => migrate(db, [noop(3), noop(2)])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer version without changing the file', async () => {
    const file = path.join(tempDir(), 'vault.db');
    const key = randomBytes(32);
    const db = createDatabase(file, key);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    const before = fs.readFileSync(file);
    await expectCode(Promise.resolve().then(() => openDatabase(file, key)), 'VAULT_FROM_NEWER_VERSION');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const direct = new Database(file);
    direct.pragma("cipher = 'sqlcipher'");
    direct.pragma('legacy = 4');
    direct.pragma(`key = "x'${key.toString('hex')}'"`);
    expect(() => migrate(direct)).toThrow(expect.objectContaining({ code: 'VAULT_FROM_NEWER_VERSION' }));
    direct.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
