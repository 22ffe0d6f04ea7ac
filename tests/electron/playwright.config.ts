import { defineConfig } from '@playwright/test';

// Electron end-to-end tests (security checklist, kind E). They skip with a clear message where the Electron
// binary is not installed (CI here); on a developer machine they launch the built app (npm run build first).
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: '../../test-results/electron',
  forbidOnly: Boolean(process.env.CI),
});
