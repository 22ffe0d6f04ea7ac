import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinaryPath, SQLITE_BINDING_ENV } from '../../build/electron-native.mjs';

/** Shared by the Electron end-to-end specs: where the app is, whether Electron exists, and a launch fixture. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ELECTRON_PATH = electronBinaryPath(ROOT);
export const SKIP_MESSAGE = 'Electron binary not installed: skipping Electron end-to-end tests';

/** Everything the specs may read from the page's `window` without Node types. */
export type PageGlobals = Record<string, unknown>;

/** `app`: the built app launched on a fresh temporary vault folder; `page`: its one window. */
export const test = base.extend<{ app: ElectronApplication; page: Page }>({
  app: async ({ browserName: _browserName }, use) => {
    const vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'so-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RUN_AS_NODE;
    env.SECOND_OPINION_VAULT = path.join(vaultDir, 'vault');
    env.SECOND_OPINION_BACKUP_DIR = path.join(vaultDir, 'backups');
    if (!env[SQLITE_BINDING_ENV]) throw new Error(`${SQLITE_BINDING_ENV} is not set: the global setup builds it.`);
    // Chromium refuses to start as root with its OS sandbox (CI containers); the renderer sandbox still applies.
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await electron.launch({ executablePath: ELECTRON_PATH!, args: [...rootOnly, ROOT], env, cwd: ROOT });
    try {
      await use(app);
    } finally {
      await app.close();
      fs.rmSync(vaultDir, { recursive: true, force: true });
    }
  },
  page: async ({ app }, use) => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await use(page);
  },
});

export { expect } from '@playwright/test';
