import path from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/log';
import type { InputOf, OperationName, OutputOf } from '../../shared/contract';
import { tempDir } from './temp';

export const TEST_PROFILE = { fullName: 'Zyxwvut Testpatient', birthDate: '1971-04-09' } as const;
export const TEST_PASSPHRASE = 'correct horse battery staple';

/** A real core on a fresh temp vault folder, with a cheap KDF so tests stay fast. */
export function testCore(options: { vaultDir?: string; log?: typeof silentLogger } = {}): { core: Core; vaultDir: string; backupDir: string; exportDir: string } {
  const root = tempDir();
  const vaultDir = options.vaultDir ?? path.join(root, 'vault');
  const backupDir = path.join(root, 'backups');
  const exportDir = path.join(root, 'exports');
  const core = createCore({
    vaultDir,
    backupDir,
    exportDir,
    log: options.log ?? silentLogger,
    kdf: { memoryKiB: 1024, passes: 1, parallelism: 1 },
  });
  return { core, vaultDir, backupDir, exportDir };
}

/** Calls an operation and returns its value, failing the test with the error code otherwise. */
export async function must<N extends OperationName>(core: Core, operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await core.call(operation, input);
  if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<N>;
}

export async function createdCore() {
  const made = testCore();
  const { recoveryKey } = await must(made.core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
  return { ...made, recoveryKey };
}
