import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { patientProfile, type PatientProfile, type VerifyReport } from '../../../shared/contract/vault';
import { AppError } from '../../../shared/errors';
import { toAppError } from '../errors';
import { extractBackup, readBackupHeader, writeBackupFile, type BackupEntry, type Progress } from './backup-format';
import { acquireProcessLock, type ProcessLock } from './process-lock';
import { BlobStore, type CleanupResult } from './blob-store';
import { createDatabase, DATABASE_FILE, openDatabase, probeDatabase } from './database';
import { latestVersion } from './migrations';
import { buildThenRename, folderState, pathExists } from './fs-util';
import { HEADER_FILE, headerPath, parseHeader, readHeader, readHeaderText, VAULT_FORMAT, VAULT_FORMAT_VERSION, writeHeader, type VaultHeader } from './header';
import {
  DEFAULT_KDF_COST,
  deriveSubkey,
  deriveWrappingKey,
  newKdfParams,
  normalizePassphrase,
  randomDataKey,
  unwrapKey,
  wipe,
  wrapKey,
  type KdfCost,
} from './keys';
import { generateRecoveryKey, recoverySecret, recoveryWrappingKey } from './recovery-key';
import { sweepPendingOutputs } from './pending-outputs';

/**
 * The vault: one folder holding vault.json (non-secret header), vault.db (SQLCipher) and blobs/ (encrypted files).
 * Key buffers live only in the private fields of an unlocked Vault (and its BlobStore); nothing exposes them, and
 * lock() zero-fills them.
 */

export type UnlockMethod = 'passphrase' | 'recoveryKey';
export type Proof = { passphrase: string } | { recoveryKey: string };
export type { Progress } from './backup-format';

export const MIN_PASSPHRASE_CHARS = 10;
const BLOBS_DIR = 'blobs';

export interface CreateOptions {
  profile: PatientProfile;
  passphrase: string;
  /** KDF cost; tests pass cheaper values. Defaults to DEFAULT_KDF_COST (64 MiB, 3 passes). */
  kdf?: KdfCost;
  /** Creation time (a clock function is accepted too, so callers can pass their context's clock). */
  now?: Date | (() => Date);
}

export interface ChangePassphraseOptions {
  /** KDF cost for the new passphrase; defaults to DEFAULT_KDF_COST. Tests pass cheaper values. */
  kdf?: KdfCost;
}

export interface BackupResult {
  bytes: number;
  /** Blob files that had a row but no file (already damaged); the backup holds everything else. */
  missingFiles: number;
}

interface VaultKeys {
  blobs: Buffer;
  blobNames: Buffer;
  backup: Buffer;
}

/** Test-only view of key buffers; see _debugKeyBuffersForTests. */
const keyBuffersForTests = new WeakMap<Vault, readonly Buffer[]>();

export class Vault {
  readonly dir: string;
  readonly unlockedWith: UnlockMethod;
  /** What the crash-leftover sweep at unlock removed; null if it was skipped because the database is damaged. */
  readonly lastCleanup: CleanupResult | null;
  readonly #vaultId: string;
  #db: Database.Database | null;
  #blobs: BlobStore | null;
  #keys: VaultKeys | null;
  readonly #processLock: ProcessLock;

  private constructor(init: {
    dir: string;
    unlockedWith: UnlockMethod;
    vaultId: string;
    db: Database.Database;
    blobs: BlobStore;
    keys: VaultKeys;
    lastCleanup: CleanupResult | null;
    processLock: ProcessLock;
  }) {
    this.dir = init.dir;
    this.unlockedWith = init.unlockedWith;
    this.#vaultId = init.vaultId;
    this.#db = init.db;
    this.#blobs = init.blobs;
    this.#keys = init.keys;
    this.lastCleanup = init.lastCleanup;
    this.#processLock = init.processLock;
    keyBuffersForTests.set(this, [init.keys.blobs, init.keys.blobNames, init.keys.backup]);
  }

  /** The open database. Throws LOCKED after lock(). */
  get db(): Database.Database {
    if (!this.#db) throw new AppError('LOCKED');
    return this.#db;
  }

  /** The encrypted file store. Throws LOCKED after lock(). */
  get blobs(): BlobStore {
    if (!this.#blobs) throw new AppError('LOCKED');
    return this.#blobs;
  }

  get isLocked(): boolean {
    return this.#keys === null;
  }

  /** A vault exists once its header does: the header is written last, so a half-created vault does not count. */
  static async exists(dir: string): Promise<boolean> {
    return pathExists(headerPath(dir));
  }

  static async create(dir: string, options: CreateOptions): Promise<{ vault: Vault; recoveryKey: string }> {
    const parsed = patientProfile.safeParse(options.profile);
    if (!parsed.success) throw new AppError('INVALID_INPUT');
    assertStrongEnough(options.passphrase);
    if ((await folderState(dir)) === 'nonEmpty') throw new AppError('VAULT_EXISTS');
    const now = resolveNow(options.now).toISOString();
    const dataKey = randomDataKey();
    const recovery = generateRecoveryKey();
    try {
      const header = await newHeader(dataKey, options.passphrase, recovery.secret, options.kdf ?? DEFAULT_KDF_COST, now);
      // Built in a sibling folder and renamed into place: a crash leaves `dir` absent or empty (create can simply
      // be retried), never a vault with a header but no database.
      await buildThenRename(dir, 'VAULT_EXISTS', (staging) => buildNewVault(staging, dataKey, header, parsed.data, now));
      const vault = await Vault.#open(dir, dataKey, header.vaultId, 'passphrase');
      return { vault, recoveryKey: recovery.key };
    } finally {
      wipe(dataKey);
      wipe(recovery.secret);
    }
  }

  static async unlockWithPassphrase(dir: string, passphrase: string): Promise<Vault> {
    return Vault.#unlock(dir, { passphrase });
  }

  static async unlockWithRecoveryKey(dir: string, recoveryKey: string): Promise<Vault> {
    return Vault.#unlock(dir, { recoveryKey });
  }

  /**
   * Sets a new passphrase, proven by the current passphrase or the recovery key. Only the wrapped key in the header
   * changes (atomic swap), with a new salt and the current default KDF cost. The recovery key keeps working.
   * Note: the data key itself does not change, so older backups still open with the passphrase they were made with.
   */
  static async changePassphrase(
    dir: string,
    proof: Proof,
    newPassphrase: string,
    options: ChangePassphraseOptions = {},
  ): Promise<void> {
    assertStrongEnough(newPassphrase);
    const header = await readHeader(dir);
    const dataKey = await unwrapWithProof(header, proof);
    let wrappingKey: Buffer | undefined;
    try {
      const params = newKdfParams(options.kdf ?? DEFAULT_KDF_COST);
      wrappingKey = await deriveWrappingKey(newPassphrase, params);
      const passphraseSlot = wrapKey(wrappingKey, dataKey, header.vaultId, 'passphrase');
      await writeHeader(dir, { ...header, kdf: params, wrappedKeys: { ...header.wrappedKeys, passphrase: passphraseSlot } });
    } finally {
      wipe(wrappingKey);
      wipe(dataKey);
    }
  }

  /**
   * Restores a backup file into `dir` (absent or empty); the vault is left locked. The proof is checked against the
   * backup's own header (the secrets valid when it was made), which is also what unlocks the restored vault.
   * Everything is written to a sibling folder and renamed into place only after the database opens with the key,
   * so a failed restore leaves nothing behind.
   */
  static async restore(dir: string, backupFile: string, proof: Proof): Promise<void> {
    if ((await folderState(dir)) === 'nonEmpty') throw new AppError('DESTINATION_NOT_EMPTY');
    const { header, bodyOffset } = await readBackupHeader(backupFile);
    const dataKey = await unwrapWithProof(header, proof);
    try {
      await buildThenRename(dir, 'DESTINATION_NOT_EMPTY', (staging) => restoreInto(staging, backupFile, bodyOffset, header, dataKey));
    } finally {
      wipe(dataKey);
    }
  }

  /**
   * Checks the whole vault and reports what is wrong by opaque id. Damage is reported, not thrown; only a locked
   * vault or an unexpected failure throws. Progress counts files (done, total).
   */
  async verify(onProgress?: Progress, now: () => Date = () => new Date()): Promise<VerifyReport> {
    const db = this.db;
    const blobs = this.blobs;
    const problems: VerifyReport['problems'] = [];
    await this.#checkHeader(problems);
    const databaseOk = checkDatabase(db, problems);
    const rows = listBlobRows(db, problems);
    let checkedFiles = 0;
    let checkedBytes = 0;
    for (const row of rows) {
      const problem = await checkBlob(blobs, row);
      if (problem) problems.push(problem);
      checkedFiles += 1;
      checkedBytes += row.size;
      onProgress?.(checkedFiles, rows.length);
    }
    return { ok: problems.length === 0, databaseOk, checkedFiles, checkedBytes, problems, at: now().toISOString() };
  }

  /**
   * Writes the whole vault to one encrypted file (see backup-format.ts). The database snapshot is taken with
   * `VACUUM INTO`, which with this library writes a copy encrypted with the same key (checked: the copy has no
   * SQLite magic and opens only with the key); it runs synchronously, so no write can slip in between it and the
   * list of blob files read right after it.
   */
  async backup(destFile: string, onProgress?: Progress): Promise<BackupResult> {
    const db = this.db;
    const blobs = this.blobs;
    const backupKey = this.#requireKeys().backup;
    const headerText = await readHeaderText(this.dir);
    // Inside blobs/tmp so a crash mid-backup leaves nothing the next unlock does not sweep away.
    const snapshot = await blobs.tempPath('snapshot');
    try {
      db.exec(`VACUUM INTO ${sqlString(snapshot)}`);
      const ids = db.prepare('SELECT id FROM blobs ORDER BY id').pluck().all() as string[];
      const { entries, missingFiles } = await backupEntries(headerText, snapshot, ids, blobs);
      const { bytes } = await writeBackupFile(destFile, headerText, backupKey, entries, onProgress);
      return { bytes, missingFiles };
    } catch (error) {
      throw toAppError(error);
    } finally {
      await fsp.rm(snapshot, { force: true });
    }
  }

  /** Closes the database, ends open file streams, zero-fills every key buffer. The instance is unusable after. */
  lock(): void {
    if (!this.#keys) return;
    this.#blobs?.close();
    try {
      this.#db?.close();
    } finally {
      wipe(this.#keys.blobs);
      wipe(this.#keys.blobNames);
      wipe(this.#keys.backup);
      this.#keys = null;
      this.#db = null;
      this.#blobs = null;
      this.#processLock.release();
    }
  }

  #requireKeys(): VaultKeys {
    if (!this.#keys) throw new AppError('LOCKED');
    return this.#keys;
  }

  async #checkHeader(problems: VerifyReport['problems']): Promise<void> {
    try {
      const header = await readHeader(this.dir);
      if (header.vaultId === this.#vaultId) return;
    } catch {
      // Reported below: an unreadable header is exactly what this check is for.
    }
    problems.push({ kind: 'header', item: HEADER_FILE, message: 'The vault header is missing or cannot be read.' });
  }

  static async #unlock(dir: string, proof: Proof): Promise<Vault> {
    const header = await readHeader(dir);
    const dataKey = await unwrapWithProof(header, proof);
    try {
      return await Vault.#open(dir, dataKey, header.vaultId, 'passphrase' in proof ? 'passphrase' : 'recoveryKey');
    } finally {
      wipe(dataKey);
    }
  }

  /** Opens an existing vault folder with its data key: migrations, then the crash-leftover sweep. */
  static async #open(dir: string, dataKey: Buffer, vaultId: string, unlockedWith: UnlockMethod): Promise<Vault> {
    const keys: VaultKeys = {
      blobs: deriveSubkey(dataKey, 'blobs'),
      blobNames: deriveSubkey(dataKey, 'blobNames'),
      backup: deriveSubkey(dataKey, 'backup'),
    };
    const dbKey = deriveSubkey(dataKey, 'database');
    let db: Database.Database;
    let processLock: ProcessLock;
    try {
      // Before anything else touches the folder: the leftover sweep below must never run under another process.
      processLock = acquireProcessLock(dir);
      try {
        db = openDatabase(path.join(dir, DATABASE_FILE), dbKey);
      } catch (error) {
        processLock.release();
        throw error;
      }
    } catch (error) {
      wipeAll(keys);
      throw error;
    } finally {
      // SQLite holds its own copy from here on; ours is no longer needed.
      wipe(dbKey);
    }
    const blobs = new BlobStore(path.join(dir, BLOBS_DIR), keys);
    try {
      const lastCleanup = await sweepLeftovers(dir, db, blobs, keys);
      return new Vault({ dir, unlockedWith, vaultId, db, blobs, keys, lastCleanup, processLock });
    } catch (error) {
      db.close();
      processLock.release();
      wipeAll(keys);
      throw error;
    }
  }
}

/**
 * The live key buffers of a vault, for tests that prove lock() zero-fills them. Refuses outside vitest, so
 * production code cannot use it as a key getter.
 */
export function _debugKeyBuffersForTests(vault: Vault): readonly Buffer[] {
  if (process.env.VITEST !== 'true') throw new AppError('INTERNAL');
  return keyBuffersForTests.get(vault) ?? [];
}

function assertStrongEnough(passphrase: string): void {
  // Counted in code points after the same normalization the KDF sees, so emoji and accents count once.
  if ([...normalizePassphrase(passphrase)].length < MIN_PASSPHRASE_CHARS) throw new AppError('WEAK_PASSPHRASE');
}

async function newHeader(dataKey: Buffer, passphrase: string, recoverySecretBytes: Buffer, cost: KdfCost, now: string): Promise<VaultHeader> {
  const vaultId = randomBytes(16).toString('hex');
  const kdf = newKdfParams(cost);
  const passphraseKey = await deriveWrappingKey(passphrase, kdf);
  const recoveryKey = recoveryWrappingKey(recoverySecretBytes, vaultId);
  try {
    return {
      format: VAULT_FORMAT,
      formatVersion: VAULT_FORMAT_VERSION,
      vaultId,
      createdAt: now,
      kdf,
      wrappedKeys: {
        passphrase: wrapKey(passphraseKey, dataKey, vaultId, 'passphrase'),
        recoveryKey: wrapKey(recoveryKey, dataKey, vaultId, 'recoveryKey'),
      },
    };
  } finally {
    wipe(passphraseKey);
    wipe(recoveryKey);
  }
}

/** The data key, or WRONG_PASSPHRASE / WRONG_RECOVERY_KEY. The caller wipes it. */
async function unwrapWithProof(header: VaultHeader, proof: Proof): Promise<Buffer> {
  if ('passphrase' in proof) {
    const wrappingKey = await deriveWrappingKey(proof.passphrase, header.kdf);
    const dataKey = unwrapKey(wrappingKey, header.wrappedKeys.passphrase, header.vaultId, 'passphrase');
    wipe(wrappingKey);
    if (!dataKey) throw new AppError('WRONG_PASSPHRASE');
    return dataKey;
  }
  const secret = recoverySecret(proof.recoveryKey);
  if (!secret) throw new AppError('WRONG_RECOVERY_KEY');
  const wrappingKey = recoveryWrappingKey(secret, header.vaultId);
  wipe(secret);
  const dataKey = unwrapKey(wrappingKey, header.wrappedKeys.recoveryKey, header.vaultId, 'recoveryKey');
  wipe(wrappingKey);
  if (!dataKey) throw new AppError('WRONG_RECOVERY_KEY');
  return dataKey;
}

/** Fills a staging folder: database with the profile first, header last (the header is what makes it a vault). */
async function buildNewVault(staging: string, dataKey: Buffer, header: VaultHeader, profile: PatientProfile, now: string): Promise<void> {
  await fsp.mkdir(path.join(staging, BLOBS_DIR), { mode: 0o700 });
  const dbKey = deriveSubkey(dataKey, 'database');
  let db: Database.Database;
  try {
    db = createDatabase(path.join(staging, DATABASE_FILE), dbKey);
  } finally {
    wipe(dbKey);
  }
  try {
    insertProfile(db, profile, now);
  } finally {
    db.close();
  }
  await writeHeader(staging, header);
}

function insertProfile(db: Database.Database, profile: PatientProfile, now: string): void {
  db.prepare(
    `INSERT INTO profile (id, full_name, birth_date, sex, identifiers, created_at, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?)`,
  ).run(profile.fullName, profile.birthDate, profile.sex ?? null, JSON.stringify(profile.identifiers ?? []), now, now);
}

/**
 * Removes crash leftovers: interrupted header swaps and blob files without rows. If the database is too damaged to
 * list its blobs, the sweep is skipped: deleting files on the word of a damaged index could destroy records, and the
 * vault should still open so "Check vault" and a backup can run.
 */
async function sweepLeftovers(dir: string, db: Database.Database, blobs: BlobStore, keys: VaultKeys): Promise<CleanupResult | null> {
  try {
    await removeStaleHeaderTemps(dir);
    await sweepPendingOutputs(db);
    return await blobs.cleanup(db);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'VAULT_DAMAGED') return null;
    blobs.close();
    db.close();
    wipeAll(keys);
    throw appError;
  }
}

async function removeStaleHeaderTemps(dir: string): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (/^\.vault\.json\.tmp-[0-9a-f]+$/.test(name)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

function wipeAll(keys: VaultKeys): void {
  wipe(keys.blobs);
  wipe(keys.blobNames);
  wipe(keys.backup);
}

/** Writes the backup's files into the staging folder and proves the database opens before anything is moved. */
async function restoreInto(staging: string, backupFile: string, bodyOffset: number, outer: VaultHeader, dataKey: Buffer): Promise<void> {
  const backupKey = deriveSubkey(dataKey, 'backup');
  const dbKey = deriveSubkey(dataKey, 'database');
  try {
    const innerText = await extractBackup(backupFile, bodyOffset, backupKey, staging);
    const inner = parseHeader(innerText, 'BACKUP_INVALID');
    if (inner.vaultId !== outer.vaultId) throw new AppError('BACKUP_INVALID');
    const { userVersion } = probeOrInvalid(path.join(staging, DATABASE_FILE), dbKey);
    if (userVersion > latestVersion()) throw new AppError('VAULT_FROM_NEWER_VERSION');
    await fsp.mkdir(path.join(staging, BLOBS_DIR), { recursive: true, mode: 0o700 });
    // The inner header was inside the authenticated stream; the outer one only served to find the key.
    await writeHeader(staging, inner);
  } finally {
    wipe(backupKey);
    wipe(dbKey);
  }
}

async function backupEntries(
  headerText: string,
  snapshot: string,
  ids: readonly string[],
  blobs: BlobStore,
): Promise<{ entries: BackupEntry[]; missingFiles: number }> {
  const entries: BackupEntry[] = [
    { path: HEADER_FILE, data: Buffer.from(headerText, 'utf8') },
    { path: DATABASE_FILE, file: snapshot, size: (await fsp.stat(snapshot)).size },
  ];
  let missingFiles = 0;
  for (const id of ids) {
    const file = blobs.fileOf(id);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) {
      missingFiles += 1;
      continue;
    }
    // Blob files are immutable once named, so their size cannot change while they are copied.
    entries.push({ path: `${BLOBS_DIR}/${id.slice(0, 2)}/${id}`, file, size: stat.size });
  }
  return { entries, missingFiles };
}

function probeOrInvalid(file: string, dbKey: Buffer): { userVersion: number } {
  try {
    return probeDatabase(file, dbKey);
  } catch {
    throw new AppError('BACKUP_INVALID');
  }
}

function resolveNow(now: CreateOptions['now']): Date {
  if (typeof now === 'function') return now();
  return now ?? new Date();
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function checkDatabase(db: Database.Database, problems: VerifyReport['problems']): boolean {
  const before = problems.length;
  try {
    const rows = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') {
      problems.push({ kind: 'database', item: DATABASE_FILE, message: 'The database has internal inconsistencies.' });
    }
    // SQLCipher's page-HMAC check. SQLite3MultipleCiphers ignores this pragma (no rows, even for a damaged file),
    // so integrity_check, which reads and authenticates every page, is the check that actually runs here.
    const cipherRows = db.pragma('cipher_integrity_check') as unknown[];
    if (cipherRows.length > 0) {
      problems.push({ kind: 'database', item: DATABASE_FILE, message: 'Some database pages failed their integrity check.' });
    }
  } catch {
    problems.push({ kind: 'database', item: DATABASE_FILE, message: 'Parts of the database cannot be read.' });
  }
  return problems.length === before;
}

interface BlobRow {
  id: string;
  sha256: string;
  size: number;
}

function listBlobRows(db: Database.Database, problems: VerifyReport['problems']): BlobRow[] {
  try {
    return db.prepare('SELECT id, sha256, size FROM blobs ORDER BY id').all() as BlobRow[];
  } catch {
    problems.push({ kind: 'database', item: 'blobs', message: 'The list of stored files cannot be read.' });
    return [];
  }
}

async function checkBlob(blobs: BlobStore, row: BlobRow): Promise<VerifyReport['problems'][number] | null> {
  if (!(await blobs.has(row.id))) return { kind: 'missing-file', item: row.id, message: 'The encrypted file is missing.' };
  const problem = await blobs.verify(row.id, row.sha256);
  return problem ? { kind: 'file', item: row.id, message: problem } : null;
}
