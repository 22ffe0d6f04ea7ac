import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../electron/core/vault/vault';
import { must, TEST_PASSPHRASE, testCore } from '../../helpers/core';

describe('one process at a time per vault', () => {
  it('refuses a second open while the first is unlocked, and allows it after lock', async () => {
    const { core, vaultDir } = testCore();
    await must(core, 'vault.create', { profile: { fullName: 'Lock Tester', birthDate: '1990-01-01' }, passphrase: TEST_PASSPHRASE });
    // A second process is simulated by a lock file naming a live process other than us.
    await must(core, 'vault.lock', {});
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      fs.writeFileSync(path.join(vaultDir, '.vault-open.lock'), JSON.stringify({ pid: sleeper.pid, host: (await import('node:os')).hostname(), since: new Date().toISOString() }));
      const refused = await core.call('vault.unlock', { passphrase: TEST_PASSPHRASE });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    // The holder is gone (like a crashed app): its lock is stale and taken over.
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    // The same process may open it again (e.g. a benchmark next to a core): only other processes are kept out.
    (await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE)).lock();
    await must(core, 'vault.lock', {});
    expect(fs.existsSync(path.join(vaultDir, '.vault-open.lock'))).toBe(false);
  });
});
