import { defineConfig } from 'vitest/config';

// Unit and integration tests of the core, the CLI and the Electron glue's pure parts, under Node.
// Browser tests (Playwright + Chromium) live in tests/browser and run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/faults/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
