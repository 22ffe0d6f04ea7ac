import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../shared/contract';
import { createdCore, must, TEST_PASSPHRASE, TEST_PROFILE, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

describe('vault operations through dispatch', () => {
  it('moves through absent → unlocked → locked → unlocked', async () => {
    const { core, vaultDir } = testCore();
    expect(await must(core, 'vault.status', {})).toMatchObject({ state: 'absent', location: vaultDir });
    const { recoveryKey } = await must(core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(await must(core, 'vault.status', {})).toMatchObject({ state: 'unlocked', unlockedWith: 'passphrase' });
    expect(await must(core, 'vault.lock', {})).toMatchObject({ state: 'locked', unlockedWith: null });
    expect(await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE })).toMatchObject({ state: 'unlocked' });
    const overview = await must(core, 'vault.overview', {});
    expect(overview.profile).toEqual(TEST_PROFILE);
    expect(overview.counts).toEqual({ documents: 0, studies: 0, opinions: 0, storedFiles: 0 });
    expect(overview.lastBackup).toBeNull();
  });

  it('refuses a weak passphrase and a second vault in the same place', async () => {
    const { core } = testCore();
    const weak = await core.call('vault.create', { profile: TEST_PROFILE, passphrase: 'short' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'WEAK_PASSPHRASE' } });
    await must(core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
    const again = await core.call('vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
    expect(again).toMatchObject({ ok: false, error: { code: 'VAULT_EXISTS' } });
  });

  it('unlocks with the recovery key and lets the patient set a new passphrase', async () => {
    const { core, recoveryKey } = await createdCore();
    await must(core, 'vault.lock', {});
    const wrong = await core.call('vault.unlock', { recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_RECOVERY_KEY' } });
    const status = await must(core, 'vault.unlock', { recoveryKey: recoveryKey.toLowerCase().replaceAll('-', ' ') });
    expect(status.unlockedWith).toBe('recoveryKey');
    await must(core, 'vault.changePassphrase', { proof: { recoveryKey }, newPassphrase: 'a brand new passphrase' });
    await must(core, 'vault.lock', {});
    const old = await core.call('vault.unlock', { passphrase: TEST_PASSPHRASE });
    expect(old).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    await must(core, 'vault.unlock', { passphrase: 'a brand new passphrase' });
  });

  it('changing the passphrase needs the current one', async () => {
    const { core } = await createdCore();
    const result = await core.call('vault.changePassphrase', {
      proof: { passphrase: 'wrong wrong wrong' },
      newPassphrase: 'another long passphrase',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
  });

  it('checks the vault, reports progress, and remembers the last check', async () => {
    const { core } = await createdCore();
    const events: CoreEvent[] = [];
    core.onEvent((event) => events.push(event));
    const report = await must(core, 'vault.verify', {});
    expect(report).toMatchObject({ ok: true, databaseOk: true, problems: [] });
    const overview = await must(core, 'vault.overview', {});
    expect(overview.lastCheck).toEqual({ at: report.at, ok: true });
  });

  it('backs up to the default folder and restores into an empty folder with identical content', async () => {
    const { core, backupDir } = await createdCore();
    await must(core, 'settings.update', { autoLockMinutes: 25 });
    const backup = await must(core, 'vault.backup', {});
    expect(path.dirname(backup.path)).toBe(backupDir);
    expect(fs.statSync(backup.path).size).toBe(backup.bytes);
    expect((await must(core, 'vault.overview', {})).lastBackup).toMatchObject({ path: backup.path, bytes: backup.bytes });

    const elsewhere = testCore({ vaultDir: path.join(tempDir(), 'restored') });
    await must(elsewhere.core, 'vault.restore', { source: backup.path, proof: { passphrase: TEST_PASSPHRASE } });
    await must(elsewhere.core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    expect((await must(elsewhere.core, 'vault.overview', {})).profile).toEqual(TEST_PROFILE);
    expect(await must(elsewhere.core, 'settings.get', {})).toEqual({ autoLockMinutes: 25 });
  });

  it('never overwrites an existing file and never backs up into the vault itself', async () => {
    const { core, vaultDir } = await createdCore();
    const existing = path.join(tempDir(), 'taken.sobackup');
    fs.writeFileSync(existing, 'keep me');
    const overwrite = await core.call('vault.backup', { destination: existing });
    expect(overwrite).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_EMPTY' } });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    const inside = await core.call('vault.backup', { destination: path.join(vaultDir, 'b.sobackup') });
    expect(inside).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses to restore over an existing vault', async () => {
    const { core } = await createdCore();
    const backup = await must(core, 'vault.backup', {});
    const unlockedRestore = await core.call('vault.restore', { source: backup.path, proof: { passphrase: TEST_PASSPHRASE } });
    expect(unlockedRestore).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await must(core, 'vault.lock', {});
    const lockedRestore = await core.call('vault.restore', { source: backup.path, proof: { passphrase: TEST_PASSPHRASE } });
    expect(lockedRestore).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_EMPTY' } });
  });

  it('keeps settings inside the vault and validates them', async () => {
    const { core } = await createdCore();
    expect(await must(core, 'settings.get', {})).toEqual({ autoLockMinutes: 10 });
    expect(await must(core, 'settings.update', { autoLockMinutes: 3 })).toEqual({ autoLockMinutes: 3 });
    const bad = await core.call('settings.update', { autoLockMinutes: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await must(core, 'vault.lock', {});
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    expect((await must(core, 'vault.status', {})).autoLockMinutes).toBe(3);
  });

  it('emits a locked event when the host locks the vault (auto-lock path)', async () => {
    const { core } = await createdCore();
    const events: CoreEvent[] = [];
    core.onEvent((event) => events.push(event));
    await core.lock('inactivity');
    expect(events).toContainEqual({ type: 'locked', reason: 'inactivity' });
    expect(await must(core, 'vault.status', {})).toMatchObject({ state: 'locked' });
  });
});
