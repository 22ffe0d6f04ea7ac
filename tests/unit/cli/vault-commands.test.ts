import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { listFiles, tempDir } from '../../helpers/temp';

const PASS = 'cli passphrase for tests';

function newVault() {
  const root = tempDir();
  const vault = path.join(root, 'vault');
  const init = runCli(['--vault', vault, 'init', '--patient-name', 'Qwerty Clipatient', '--birth-date', '1980-02-29'], {
    SECOND_OPINION_NEW_PASSPHRASE: PASS,
  });
  expect(init.code, init.stderr).toBe(0);
  const recoveryKey = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})/.exec(init.stdout)?.[1];
  expect(recoveryKey).toBeDefined();
  return { root, vault, recoveryKey: recoveryKey as string };
}

describe('second-opinion CLI: vault commands', () => {
  it('init prints the recovery key once; status shows the vault (text and --json)', () => {
    const { vault } = newVault();
    const text = runCli(['--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Qwerty Clipatient');
    const json = runCli(['--json', '--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { overview: { profile: { birthDate: string } } };
    expect(parsed.overview.profile.birthDate).toBe('1980-02-29');
  });

  it('takes the vault folder from SECOND_OPINION_VAULT', () => {
    const { vault } = newVault();
    const run = runCli(['status', '--json'], { SECOND_OPINION_VAULT: vault, SECOND_OPINION_PASSPHRASE: PASS });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ location: vault });
  });

  it('exit 3 for a wrong passphrase or recovery key, with one clear line on stderr', () => {
    const { vault } = newVault();
    const wrong = runCli(['--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: 'not it at all' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/passphrase is not right/);
    const wrongKey = runCli(['--vault', vault, 'verify'], { SECOND_OPINION_RECOVERY_KEY: '0000-0000-0000-0000-0000-0000-0000-0000' });
    expect(wrongKey.code).toBe(3);
  });

  it('exit 2 for usage errors, and never accepts a secret on the command line', () => {
    const { vault } = newVault();
    expect(runCli(['--vault', vault, 'frobnicate']).code).toBe(2);
    expect(runCli(['--vault', vault, 'init', '--patient-name', 'A']).code).toBe(2);
    const argvSecret = runCli(['--vault', vault, 'status', '--passphrase', PASS]);
    expect(argvSecret.code).toBe(2);
    // No passphrase in the environment and no terminal to ask on: a usage error, not a hang.
    const noSecret = runCli(['--vault', vault, 'verify']);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('SECOND_OPINION_PASSPHRASE');
  });

  it('verify exits 0 on a clean vault and 4 when a stored database page is damaged', () => {
    const { vault } = newVault();
    expect(runCli(['--vault', vault, 'verify'], { SECOND_OPINION_PASSPHRASE: PASS }).code).toBe(0);
    const db = path.join(vault, 'vault.db');
    const bytes = fs.readFileSync(db);
    // Damage the last page (application data), not page 1, so the key check still passes and verify runs.
    const at = bytes.length - 100;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    fs.writeFileSync(db, bytes);
    const damaged = runCli(['--vault', vault, 'verify'], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(damaged.code).toBe(4);
  });

  it('passwd changes the passphrase; the recovery key can prove it too', () => {
    const { vault, recoveryKey } = newVault();
    const change = runCli(['--vault', vault, 'passwd'], { SECOND_OPINION_PASSPHRASE: PASS, SECOND_OPINION_NEW_PASSPHRASE: 'second passphrase here' });
    expect(change.code, change.stderr).toBe(0);
    expect(runCli(['--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: PASS }).code).toBe(3);
    expect(runCli(['--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: 'second passphrase here' }).code).toBe(0);
    const viaKey = runCli(['--vault', vault, 'passwd'], { SECOND_OPINION_RECOVERY_KEY: recoveryKey, SECOND_OPINION_NEW_PASSPHRASE: 'third passphrase here' });
    expect(viaKey.code, viaKey.stderr).toBe(0);
    expect(runCli(['--vault', vault, 'status'], { SECOND_OPINION_PASSPHRASE: 'third passphrase here' }).code).toBe(0);
  });

  it('backup then restore into an empty folder round-trips; restore refuses a non-empty folder and a bad file', () => {
    const { root, vault } = newVault();
    const file = path.join(root, 'b.sobackup');
    const backup = runCli(['--vault', vault, '--json', 'backup', file], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ path: file });
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from('Qwerty Clipatient'))).toBe(false);

    const target = path.join(root, 'restored');
    const restore = runCli(['--vault', target, 'restore', file], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(restore.code, restore.stderr).toBe(0);
    const status = runCli(['--vault', target, '--json', 'status'], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(JSON.parse(status.stdout).overview.profile.fullName).toBe('Qwerty Clipatient');

    const again = runCli(['--vault', target, 'restore', file], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);

    const garbage = path.join(root, 'garbage.sobackup');
    fs.writeFileSync(garbage, Buffer.alloc(5000, 7));
    const bad = runCli(['--vault', path.join(root, 'other'), 'restore', garbage], { SECOND_OPINION_PASSPHRASE: PASS });
    expect(bad.code).toBe(4);
    expect(fs.existsSync(path.join(root, 'other')) && listFiles(path.join(root, 'other')).length > 0).toBe(false);
  });
});
