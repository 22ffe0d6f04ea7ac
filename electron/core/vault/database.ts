import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/errors';
import { toAppError } from '../errors';
import { latestVersion, migrate, MIGRATIONS, userVersion, type Migration } from './migrations';

export const DATABASE_FILE = 'vault.db';

/**
 * Under Electron the native SQLite module must be built for Electron's ABI, while tests run it under Node.
 * `npm start` builds an Electron copy and names it in SECOND_OPINION_SQLITE_BINDING (see build/electron-native.mjs);
 * packaged builds rebuild node_modules instead and main clears this variable.
 */
function connectionOptions(extra: Database.Options = {}): Database.Options {
  const binding = process.env.SECOND_OPINION_SQLITE_BINDING;
  return binding ? { ...extra, nativeBinding: binding } : extra;
}

/**
 * Opens an existing vault.db (SQLCipher 4 format) with a raw 32-byte key, checks the key works, refuses a database
 * from a newer app version, sets the connection pragmas and runs pending migrations.
 */
export function openDatabase(file: string, key: Buffer, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  return withConnection(openExisting(file), key, migrations);
}

/** Creates a new keyed database at the latest schema version. The file must not exist yet. */
export function createDatabase(file: string, key: Buffer, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  return withConnection(new Database(file, connectionOptions()), key, migrations);
}

/**
 * Opens a database read-only just far enough to prove the key and read its version: used to check a restored
 * snapshot before it is moved into place.
 */
export function probeDatabase(file: string, key: Buffer): { userVersion: number } {
  const db = openExisting(file);
  try {
    applyKey(db, key);
    return { userVersion: userVersion(db) };
  } catch (error) {
    throw toAppError(error);
  } finally {
    db.close();
  }
}

function withConnection(db: Database.Database, key: Buffer, migrations: readonly Migration[]): Database.Database {
  try {
    applyKey(db, key);
    // Checked before any pragma that could write, so a newer vault is left byte-for-byte as it was.
    if (userVersion(db) > latestVersion(migrations)) throw new AppError('VAULT_FROM_NEWER_VERSION');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: a committed transaction survives power loss; the few ms per commit are worth it for medical records.
    db.pragma('synchronous = FULL');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw toAppError(error);
  }
}

function openExisting(file: string): Database.Database {
  try {
    // fileMustExist: a missing vault.db must be reported, never silently replaced by an empty database.
    return new Database(file, connectionOptions({ fileMustExist: true }));
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') throw new AppError('VAULT_DAMAGED');
    throw toAppError(error);
  }
}

/**
 * The library's default cipher is ChaCha20, so `cipher='sqlcipher'` + `legacy=4` select the SQLCipher 4 format.
 * `x'<hex>'` is a raw key: SQLCipher's own PBKDF2 (~120 ms) is skipped, because the key already came out of
 * Argon2 and an authenticated unwrap.
 */
function applyKey(db: Database.Database, key: Buffer): void {
  if (key.length !== 32) throw new AppError('INTERNAL');
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // The hex string is a JS string and cannot be wiped; it lives only until the next GC. SQLite keeps its own
  // copy of the key and clears it when the connection closes.
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  // The key is applied lazily; the first read proves it. The key was already authenticated by the GCM unwrap,
  // so a failure here (SQLITE_NOTADB) means the file is damaged, not that the secret was wrong: toAppError maps
  // it to VAULT_DAMAGED.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}
