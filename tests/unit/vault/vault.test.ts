import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyReport } from '../../../shared/contract/vault';
import { readHeader } from '../../../electron/core/vault/header';
import { _debugKeyBuffersForTests, Vault } from '../../../electron/core/vault/vault';
import {
  CHEAP_KDF,
  collect,
  expectCode,
  flipByte,
  listFiles,
  newVault,
  PASSPHRASE,
  PATIENT_NAME,
  patternBytes,
  PROFILE,
  tempDir,
  track,
} from './helpers';

const MARKER = 'QQQ-BLOB-MARKER-4815162342-QQQ';
const NEW_PASSPHRASE = 'a different long passphrase';

function profileRow(vault: Vault): unknown {
  return vault.db.prepare('SELECT full_name, birth_date, sex, identifiers FROM profile').get();
}

describe('vault lifecycle', () => {
  it('creates a vault folder with nothing readable without a key', async () => {
    const { vault, dir } = await newVault();
    const info = await vault.blobs.put(Buffer.from(`${MARKER} ${'document text '.repeat(5000)}`));
    vault.blobs.record(vault.db, info);
    vault.db.prepare("INSERT INTO settings (key, value) VALUES ('note', ?)").run(JSON.stringify(MARKER));
    // Scan while open (WAL present) and again after lock (checkpointed into vault.db).
    const scan = () => {
      const files = listFiles(dir);
      expect(files.map((file) => path.relative(dir, file))).toEqual(expect.arrayContaining(['vault.json', 'vault.db']));
      for (const file of files) {
        const bytes = fs.readFileSync(file);
        expect(bytes.includes(PATIENT_NAME), file).toBe(false);
        expect(bytes.includes(Buffer.from(PATIENT_NAME, 'utf16le')), file).toBe(false);
        expect(bytes.includes(MARKER), file).toBe(false);
        expect(bytes.includes('SQLite format 3'), file).toBe(false);
        expect(bytes.includes(info.sha256), file).toBe(false);
      }
    };
    scan();
    vault.lock();
    scan();
    expect(profileRow(track(await Vault.unlockWithPassphrase(dir, PASSPHRASE)))).toEqual({
      full_name: PATIENT_NAME,
      birth_date: PROFILE.birthDate,
      sex: 'female',
      identifiers: '[]',
    });
  });

  it('refuses a short passphrase, an invalid profile, and a folder that is not empty', async () => {
    const root = tempDir();
    await expectCode(Vault.create(path.join(root, 'a'), { profile: PROFILE, passphrase: 'short', kdf: CHEAP_KDF }), 'WEAK_PASSPHRASE');
    await expectCode(
      Vault.create(path.join(root, 'a'), { profile: { ...PROFILE, birthDate: '1971-02-30' }, passphrase: PASSPHRASE, kdf: CHEAP_KDF }),
      'INVALID_INPUT',
    );
    fs.mkdirSync(path.join(root, 'full'));
    fs.writeFileSync(path.join(root, 'full', 'holiday.jpg'), 'x');
    await expectCode(Vault.create(path.join(root, 'full'), { profile: PROFILE, passphrase: PASSPHRASE, kdf: CHEAP_KDF }), 'VAULT_EXISTS');
    const { dir } = await newVault(path.join(root, 'v'));
    await expectCode(Vault.create(dir, { profile: PROFILE, passphrase: PASSPHRASE, kdf: CHEAP_KDF }), 'VAULT_EXISTS');
    // An existing empty folder is fine, and failed attempts left no staging folders behind.
    fs.mkdirSync(path.join(root, 'empty'));
    await newVault(path.join(root, 'empty'));
    expect(fs.readdirSync(root).sort()).toEqual(['empty', 'full', 'v']);
  });

  it('uses the given clock, and a crash mid-create (staging leftovers) leaves a folder that is absent and retryable', async () => {
    const root = tempDir();
    const dir = path.join(root, 'vault');
    // What an interrupted create leaves: a half-built sibling and, at most, an empty target folder.
    fs.mkdirSync(path.join(root, '.vault.staging-0123456789abcdef', 'blobs'), { recursive: true });
    fs.writeFileSync(path.join(root, '.vault.staging-0123456789abcdef', 'vault.db'), 'half written');
    fs.mkdirSync(dir);
    expect(await Vault.exists(dir)).toBe(false);
    const at = new Date('2020-05-06T07:08:09.000Z');
    const { vault } = await Vault.create(dir, { profile: PROFILE, passphrase: PASSPHRASE, kdf: CHEAP_KDF, now: () => at });
    track(vault);
    expect((await readHeader(dir)).createdAt).toBe(at.toISOString());
    expect(vault.db.prepare('SELECT created_at FROM profile').pluck().get()).toBe(at.toISOString());
    expect(fs.readdirSync(dir).sort()).toEqual(['.vault-open.lock', 'blobs', 'vault.db', 'vault.db-shm', 'vault.db-wal', 'vault.json']);
  });

  it('treats a folder without a header as no vault', async () => {
    const root = tempDir();
    expect(await Vault.exists(path.join(root, 'nothing'))).toBe(false);
    await expectCode(Vault.unlockWithPassphrase(path.join(root, 'nothing'), PASSPHRASE), 'NO_VAULT');
    const { dir } = await newVault();
    expect(await Vault.exists(dir)).toBe(true);
  });

  it('refuses a wrong passphrase and a wrong or malformed recovery key', async () => {
    const { dir, recoveryKey } = await newVault();
    await expectCode(Vault.unlockWithPassphrase(dir, 'wrong passphrase!!'), 'WRONG_PASSPHRASE');
    await expectCode(Vault.unlockWithPassphrase(dir, `${PASSPHRASE} `), 'WRONG_PASSPHRASE');
    await expectCode(Vault.unlockWithRecoveryKey(dir, 'not a key'), 'WRONG_RECOVERY_KEY');
    const otherKey = (await newVault()).recoveryKey;
    await expectCode(Vault.unlockWithRecoveryKey(dir, otherKey), 'WRONG_RECOVERY_KEY');
    expect(recoveryKey).not.toBe(otherKey);
  });

  it('unlocks with the recovery key in any accepted spelling', async () => {
    const { dir, recoveryKey, vault } = await newVault();
    vault.lock();
    const sloppy = recoveryKey.toLowerCase().replace(/-/g, ' ').replace(/1/g, 'l').replace(/0/g, 'o');
    const unlocked = track(await Vault.unlockWithRecoveryKey(dir, sloppy));
    expect(unlocked.unlockedWith).toBe('recoveryKey');
    expect(profileRow(unlocked)).toMatchObject({ full_name: PATIENT_NAME });
    expect(track(await Vault.unlockWithPassphrase(dir, PASSPHRASE)).unlockedWith).toBe('passphrase');
  });

  it('changes the passphrase: old fails, new works, recovery still works, default KDF cost applies', async () => {
    const { dir, recoveryKey, vault } = await newVault();
    vault.lock();
    const before = await readHeader(dir);
    await expectCode(Vault.changePassphrase(dir, { passphrase: 'wrong passphrase!!' }, NEW_PASSPHRASE), 'WRONG_PASSPHRASE');
    await expectCode(Vault.changePassphrase(dir, { passphrase: PASSPHRASE }, 'short'), 'WEAK_PASSPHRASE');
    await Vault.changePassphrase(dir, { passphrase: PASSPHRASE }, NEW_PASSPHRASE);
    const after = await readHeader(dir);
    expect(after.kdf.memoryKiB).toBe(64 * 1024);
    expect(after.kdf.passes).toBe(3);
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect(after.wrappedKeys.recoveryKey).toEqual(before.wrappedKeys.recoveryKey);
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'WRONG_PASSPHRASE');
    track(await Vault.unlockWithPassphrase(dir, NEW_PASSPHRASE));
    track(await Vault.unlockWithRecoveryKey(dir, recoveryKey));
    // Proven by the recovery key (the forgotten-passphrase path), with a cheap cost for speed.
    await Vault.changePassphrase(dir, { recoveryKey }, 'third passphrase, long enough', { kdf: CHEAP_KDF });
    await expectCode(Vault.unlockWithPassphrase(dir, NEW_PASSPHRASE), 'WRONG_PASSPHRASE');
    expect(profileRow(track(await Vault.unlockWithPassphrase(dir, 'third passphrase, long enough')))).toMatchObject({ full_name: PATIENT_NAME });
    expect(fs.readdirSync(dir).filter((name) => name.includes('tmp'))).toEqual([]);
  });

  it('reports a damaged or foreign header as VAULT_DAMAGED, and a newer format as VAULT_FROM_NEWER_VERSION', async () => {
    const { dir, vault } = await newVault();
    vault.lock();
    const headerFile = path.join(dir, 'vault.json');
    const original = fs.readFileSync(headerFile, 'utf8');
    fs.writeFileSync(headerFile, '{"format": "something-else"}');
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'VAULT_DAMAGED');
    fs.writeFileSync(headerFile, original.slice(0, 40));
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'VAULT_DAMAGED');
    fs.writeFileSync(headerFile, JSON.stringify({ ...JSON.parse(original), formatVersion: 2, somethingNew: true }));
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'VAULT_FROM_NEWER_VERSION');
    fs.writeFileSync(headerFile, original);
    track(await Vault.unlockWithPassphrase(dir, PASSPHRASE));
  });

  it('refuses a vault whose database is from a newer app version, changing nothing', async () => {
    const { dir, vault } = await newVault();
    vault.db.pragma('user_version = 999');
    vault.lock();
    const before = listFiles(dir).map((file) => [file, fs.readFileSync(file).toString('hex')]);
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'VAULT_FROM_NEWER_VERSION');
    expect(listFiles(dir).map((file) => [file, fs.readFileSync(file).toString('hex')])).toEqual(before);
  });

  it('lock() closes the database, wipes key buffers and makes the instance unusable', async () => {
    const { vault } = await newVault();
    const keys = _debugKeyBuffersForTests(vault);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key.some((byte) => byte !== 0)).toBe(true);
    const db = vault.db;
    vault.lock();
    expect(vault.isLocked).toBe(true);
    for (const key of keys) expect(key.every((byte) => byte === 0)).toBe(true);
    expect(db.open).toBe(false);
    expect(() => vault.db).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(() => vault.blobs).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    await expectCode(vault.verify(), 'LOCKED');
    await expectCode(vault.backup(path.join(tempDir(), 'b.sobackup')), 'LOCKED');
    vault.lock(); // idempotent
  });
});

describe('vault verify', () => {
  it('reports a healthy vault in the contract shape', async () => {
    const { vault } = await newVault();
    for (const size of [0, 10, 200_000]) vault.blobs.record(vault.db, await vault.blobs.put(patternBytes(size, size + 2)));
    const progress: Array<[number, number]> = [];
    const report = await vault.verify((done, total) => progress.push([done, total]));
    expect(verifyReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ ok: true, databaseOk: true, checkedFiles: 3, checkedBytes: 200_010, problems: [] });
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('reports damaged, truncated and missing files by opaque id', async () => {
    const { vault } = await newVault();
    const infos = [];
    for (const seed of [1, 2, 3, 4]) {
      const info = await vault.blobs.put(patternBytes(150_000, seed));
      vault.blobs.record(vault.db, info);
      infos.push(info);
    }
    const [flipped, truncated, missing, fine] = infos as [typeof infos[0], typeof infos[0], typeof infos[0], typeof infos[0]];
    flipByte(vault.blobs.fileOf(flipped.id), 70_000);
    const truncatedFile = vault.blobs.fileOf(truncated.id);
    fs.truncateSync(truncatedFile, fs.statSync(truncatedFile).size - 1);
    fs.rmSync(vault.blobs.fileOf(missing.id));
    const report = await vault.verify();
    expect(report.ok).toBe(false);
    expect(report.databaseOk).toBe(true);
    expect(report.checkedFiles).toBe(4);
    const byItem = Object.fromEntries(report.problems.map((problem) => [problem.item, problem.kind]));
    expect(byItem).toEqual({ [flipped.id]: 'file', [truncated.id]: 'file', [missing.id]: 'missing-file' });
    expect(byItem[fine.id]).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain(PATIENT_NAME);
    await expectCode(collect(vault.blobs.openRange(flipped.id)), 'VAULT_DAMAGED');
  });

  it('reports a missing header', async () => {
    const { vault, dir } = await newVault();
    fs.renameSync(path.join(dir, 'vault.json'), path.join(dir, 'elsewhere.json'));
    const report = await vault.verify();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'header', item: 'vault.json' })]);
  });

  it('database damage: a flipped byte in page 1 fails unlock with VAULT_DAMAGED; in a later page verify reports it', async () => {
    const { vault, dir } = await newVault();
    const insert = vault.db.prepare('INSERT INTO activity (at, kind, detail) VALUES (?, ?, ?)');
    vault.db.transaction(() => {
      for (let i = 0; i < 3000; i += 1) insert.run(new Date(0).toISOString(), 'test', JSON.stringify({ i, pad: 'x'.repeat(50) }));
    })();
    vault.lock(); // checkpoints the WAL into vault.db
    const dbFile = path.join(dir, 'vault.db');
    const original = fs.readFileSync(dbFile);
    const pageSize = 4096;
    expect(original.length / pageSize).toBeGreaterThan(20);

    flipByte(dbFile, 100); // page 1: the key check itself fails
    await expectCode(Vault.unlockWithPassphrase(dir, PASSPHRASE), 'VAULT_DAMAGED');

    fs.writeFileSync(dbFile, original);
    flipByte(dbFile, original.length - pageSize + 200); // the last page: activity rows
    const damaged = track(await Vault.unlockWithPassphrase(dir, PASSPHRASE));
    const report = await damaged.verify();
    expect(report.ok).toBe(false);
    expect(report.databaseOk).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'database', item: 'vault.db' }));
  });
});

describe('backup and restore', () => {
  async function filledVault() {
    const created = await newVault();
    const { vault } = created;
    const blobs = [patternBytes(0), patternBytes(70_000, 9), Buffer.from(MARKER), patternBytes(1_000_000, 11)];
    const infos = [];
    for (const data of blobs) {
      const info = await vault.blobs.put(data);
      vault.blobs.record(vault.db, info);
      infos.push(info);
    }
    vault.db.prepare("INSERT INTO settings (key, value) VALUES ('autoLockMinutes', '15')").run();
    return { ...created, blobs, infos };
  }

  it('round-trips profile, rows and blob bytes, and the backup holds no plaintext', async () => {
    const { vault, blobs, infos, recoveryKey } = await filledVault();
    const backupFile = path.join(tempDir(), 'backups', 'one.sobackup');
    const progress: number[] = [];
    const { bytes, missingFiles } = await vault.backup(backupFile, (done) => progress.push(done));
    expect(missingFiles).toBe(0);
    expect(bytes).toBe(fs.statSync(backupFile).size);
    expect(progress.length).toBeGreaterThan(0);
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(['one.sobackup']);
    expect(fs.readdirSync(path.join(vault.blobs.root, 'tmp'))).toEqual([]); // snapshot removed
    const raw = fs.readFileSync(backupFile);
    for (const needle of [PATIENT_NAME, MARKER, 'SQLite format 3']) expect(raw.includes(needle), needle).toBe(false);

    const rowsBefore = vault.db.prepare('SELECT * FROM blobs ORDER BY id').all();
    const settingsBefore = vault.db.prepare('SELECT * FROM settings').all();

    for (const proof of [{ passphrase: PASSPHRASE }, { recoveryKey }]) {
      const target = path.join(tempDir(), 'restored');
      await Vault.restore(target, backupFile, proof);
      const restored = track(
        'passphrase' in proof ? await Vault.unlockWithPassphrase(target, PASSPHRASE) : await Vault.unlockWithRecoveryKey(target, recoveryKey),
      );
      expect(profileRow(restored)).toEqual(profileRow(vault));
      expect(restored.db.prepare('SELECT * FROM blobs ORDER BY id').all()).toEqual(rowsBefore);
      expect(restored.db.prepare('SELECT * FROM settings').all()).toEqual(settingsBefore);
      for (const [i, info] of infos.entries()) expect((await restored.blobs.readAll(info.id)).equals(blobs[i]!)).toBe(true);
      expect((await restored.verify()).ok).toBe(true);
      expect(fs.readdirSync(path.dirname(target))).toEqual(['restored']);
    }
  });

  it('opens with the secrets valid at backup time', async () => {
    const { vault, dir } = await filledVault();
    const backupFile = path.join(tempDir(), 'b.sobackup');
    await vault.backup(backupFile);
    await Vault.changePassphrase(dir, { passphrase: PASSPHRASE }, NEW_PASSPHRASE, { kdf: CHEAP_KDF });
    const target = path.join(tempDir(), 'restored');
    await expectCode(Vault.restore(target, backupFile, { passphrase: NEW_PASSPHRASE }), 'WRONG_PASSPHRASE');
    await Vault.restore(target, backupFile, { passphrase: PASSPHRASE });
    track(await Vault.unlockWithPassphrase(target, PASSPHRASE));
  });

  it('refuses a non-empty destination and leaves it untouched', async () => {
    const { vault } = await filledVault();
    const backupFile = path.join(tempDir(), 'b.sobackup');
    await vault.backup(backupFile);
    const target = tempDir();
    fs.writeFileSync(path.join(target, 'keep.txt'), 'mine');
    await expectCode(Vault.restore(target, backupFile, { passphrase: PASSPHRASE }), 'DESTINATION_NOT_EMPTY');
    expect(fs.readdirSync(target)).toEqual(['keep.txt']);
  });

  it('refuses wrong secrets, garbage, damaged and truncated backups, leaving nothing behind', async () => {
    const { vault } = await filledVault();
    const root = tempDir();
    const backupFile = path.join(root, 'b.sobackup');
    await vault.backup(backupFile);
    const good = fs.readFileSync(backupFile);
    const target = path.join(root, 'restored');
    const attempt = (file: string, proof: { passphrase: string } | { recoveryKey: string } = { passphrase: PASSPHRASE }) =>
      Vault.restore(target, file, proof);

    await expectCode(attempt(backupFile, { passphrase: 'wrong passphrase!!' }), 'WRONG_PASSPHRASE');
    await expectCode(attempt(backupFile, { recoveryKey: (await newVault()).recoveryKey }), 'WRONG_RECOVERY_KEY');
    const variants: Record<string, Buffer> = {
      garbage: patternBytes(100_000),
      empty: Buffer.alloc(0),
      'plain text': Buffer.from('hello, this is not a backup'),
      'flipped byte in the body': Buffer.from(good).fill(good[good.length - 500]! ^ 1, good.length - 500, good.length - 499),
      'flipped byte in the middle': Buffer.from(good).fill(good[Math.floor(good.length / 2)]! ^ 1, Math.floor(good.length / 2), Math.floor(good.length / 2) + 1),
      truncated: good.subarray(0, good.length - 1000),
      'cut at header': good.subarray(0, 600),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const file = path.join(root, `bad-${name.replace(/ /g, '-')}`);
      fs.writeFileSync(file, bytes);
      await expectCode(attempt(file), 'BACKUP_INVALID').catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    await expectCode(attempt(path.join(root, 'does-not-exist')), 'BACKUP_INVALID');
    expect(fs.readdirSync(root).filter((name) => !name.startsWith('b'))).toEqual([]);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a backup whose database comes from a newer app version, leaving nothing behind', async () => {
    const { vault } = await filledVault();
    vault.db.pragma('user_version = 999');
    const root = tempDir();
    const backupFile = path.join(root, 'b.sobackup');
    await vault.backup(backupFile);
    await expectCode(Vault.restore(path.join(root, 'restored'), backupFile, { passphrase: PASSPHRASE }), 'VAULT_FROM_NEWER_VERSION');
    expect(fs.readdirSync(root)).toEqual(['b.sobackup']);
  });

  it('a restored vault is a working vault: crash leftovers in it are swept and it can be backed up again', async () => {
    const { vault } = await filledVault();
    const backupFile = path.join(tempDir(), 'b.sobackup');
    await vault.backup(backupFile);
    const target = path.join(tempDir(), 'restored');
    await Vault.restore(target, backupFile, { passphrase: PASSPHRASE });
    const restored = track(await Vault.unlockWithPassphrase(target, PASSPHRASE));
    expect(restored.lastCleanup).toEqual({ tempFiles: 0, orphanFiles: 0 });
    const again = path.join(tempDir(), 'again.sobackup');
    expect((await restored.backup(again)).bytes).toBeGreaterThan(1_000_000);
  });
});
