import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run fuzz`: the fuzz suite at nightly size. Every target runs FUZZ_RUNS (default 20) times its CI count, with
 * a fresh seed each run (FUZZ_SEED=random; printed per target, and in every failure, for replay). Set FUZZ_SEED to a
 * number to replay a run, FUZZ_RUNS to change the size, FUZZ_VERBOSE=1 to print every case as it starts.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default defineConfig({
  root,
  test: {
    include: ['tests/fuzz/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: {
      FUZZ_RUNS: process.env.FUZZ_RUNS ?? '20',
      FUZZ_SEED: process.env.FUZZ_SEED ?? 'random',
    },
  },
});
