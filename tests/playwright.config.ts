import { defineConfig } from '@playwright/test';

/**
 * Browser tests (security checklist "W" items): the built renderer in Debian's Chromium, talking to a real core
 * through the test bridge (electron/bridge). Each test gets a fresh vault folder, core and bridge.
 * Install Chromium once with `apt-get install -y chromium`.
 */
process.env.SECOND_OPINION_TEST_FAST_KDF = '1';

export default defineConfig({
  testDir: './browser',
  outputDir: '../test-results/playwright',
  globalSetup: './browser/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry on CI only: a real failure fails twice; a timing hiccup on a loaded 2-core runner is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1024, height: 700 },
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
