import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, testKdfFromEnv } from '../core/core';
import { startBridge } from './server';

/**
 * `npm run web`: the renderer in your own browser, against a real core, for development only.
 * Vault folder: $SECOND_OPINION_VAULT, else a new temporary folder (deleted by nobody: it is yours to inspect).
 * Backups go to a folder named like it with "-backups" added unless $SECOND_OPINION_BACKUPS says otherwise.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const vaultDir = process.env.SECOND_OPINION_VAULT ?? (await mkdtemp(path.join(os.tmpdir(), 'second-opinion-web-')));
const backupDir = process.env.SECOND_OPINION_BACKUPS ?? `${path.resolve(vaultDir)}-backups`;
const port = Number(process.env.PORT ?? '0');

const core = createCore({ vaultDir, backupDir, kdf: testKdfFromEnv() });
const bridge = await startBridge({ core, rendererDir: path.join(repoRoot, 'dist/renderer'), port });

process.stdout.write(
  [
    'Second Opinion (development bridge — not the real app)',
    `  vault folder:  ${path.resolve(vaultDir)}`,
    `  backups:       ${path.resolve(backupDir)}`,
    `  open:          ${bridge.url}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
