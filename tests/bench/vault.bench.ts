import fs from 'node:fs';
import { benchCore, benchDir, median, must, PASSPHRASE, PROFILE, round } from './helpers';

/** Unlock time with the production Argon2id cost (64 MiB, 3 passes): the KDF dominates, SQLCipher opens with a raw key. */
export async function runUnlockBenchmark(): Promise<Record<string, number>> {
  const root = benchDir('unlock');
  try {
    const core = benchCore(root);
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    const times: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      await must(core, 'vault.lock', {});
      const started = performance.now();
      await must(core, 'vault.unlock', { passphrase: PASSPHRASE });
      times.push(performance.now() - started);
    }
    await core.close();
    return { 'unlock median ms': round(median(times), 1), 'unlock max ms': round(Math.max(...times), 1) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
