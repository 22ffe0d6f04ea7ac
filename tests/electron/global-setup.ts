import fs from 'node:fs';
import path from 'node:path';
import { ensureSqliteBinding, SQLITE_BINDING_ENV } from '../../build/electron-native.mjs';
import { ELECTRON_PATH, ROOT, SKIP_MESSAGE } from './electron-app';

/**
 * Before the Electron end-to-end tests: nothing to do without an Electron binary (the specs skip). Otherwise
 * make sure the app is built and better-sqlite3-multiple-ciphers exists for Electron's ABI (built once into
 * .cache/electron-native; the first time needs internet for Electron's headers), and hand its path to the
 * app through the environment the test workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (!ELECTRON_PATH) {
    console.log(SKIP_MESSAGE);
    return;
  }
  const missing = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/core-host.cjs', 'dist/renderer/index.html'].filter(
    (file) => !fs.existsSync(path.join(ROOT, file)),
  );
  if (missing.length > 0) throw new Error(`Build the app first (npm run build): missing ${missing.join(', ')}`);
  process.env[SQLITE_BINDING_ENV] ??= ensureSqliteBinding({ root: ROOT, log: (line) => console.log(line) });
}
