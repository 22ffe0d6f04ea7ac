import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { createCore, testKdfFromEnv, type Core } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/log';
import { startBridge, type Bridge } from '../../electron/bridge/server';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDir = path.join(repoRoot, 'dist/renderer');
export const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

export interface AppHarness {
  core: Core;
  bridge: Bridge;
  vaultDir: string;
  backupDir: string;
  /** Where packets and PDFs go by default: the test's own folder, removed with it. */
  exportDir: string;
  /** Console messages about Content-Security-Policy violations seen so far. */
  cspViolations: string[];
  /** Uncaught page errors and console errors other than CSP reports. */
  pageErrors: string[];
  open(): Promise<void>;
}

/** A fresh temporary vault folder, core and bridge for each test, torn down afterwards. */
export const test = base.extend<{ app: AppHarness }>({
  app: async ({ page }, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'so-browser-'));
    const vaultDir = path.join(dir, 'vault');
    const backupDir = path.join(dir, 'backups');
    const exportDir = path.join(dir, 'exports');
    const core = createCore({ vaultDir, backupDir, exportDir, kdf: testKdfFromEnv(), log: silentLogger });
    const bridge = await startBridge({ core, rendererDir });
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) cspViolations.push(text);
      else if (message.type() === 'error') pageErrors.push(text);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const harness: AppHarness = {
      core,
      bridge,
      vaultDir,
      backupDir,
      exportDir,
      cspViolations,
      pageErrors,
      open: async () => {
        await page.goto(bridge.url);
      },
    };
    await use(harness);
    await page.close();
    await bridge.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  },
});

export { expect };
export type { Page };
