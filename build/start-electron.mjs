#!/usr/bin/env node
// `npm start` (after `npm run build`): runs the desktop app with the installed Electron.
// node_modules holds better-sqlite3-multiple-ciphers built for Node (tests and the CLI need it); Electron needs
// a build for its own ABI. On first start that build is made in .cache/electron-native/ (needs internet once for
// Electron's headers, and a C++ toolchain) and its path is handed to the core in SECOND_OPINION_SQLITE_BINDING.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryPath, electronVersion, ensureSqliteBinding, SQLITE_BINDING_ENV } from './electron-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const electron = electronBinaryPath(root);
if (!electron) {
  console.error(
    `Electron binary not installed (node_modules/electron/dist is missing): reinstall with internet access (npm ci) or run "node node_modules/electron/install.js", then npm start again.`,
  );
  process.exit(1);
}

for (const required of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/core-host.cjs', 'dist/renderer/index.html']) {
  if (!fs.existsSync(path.join(root, required))) {
    console.error(`${required} is missing: run "npm run build" first (npm start does this for you).`);
    process.exit(1);
  }
}

let binding;
try {
  binding = ensureSqliteBinding({ root, log: (line) => console.log(line) });
} catch (error) {
  console.error(
    `Could not build better-sqlite3-multiple-ciphers for Electron ${electronVersion(root)}: ${error.message}. ` +
      'The first start needs internet access (to fetch Electron headers) and a C++ toolchain ' +
      '(Linux: python3, make, g++; macOS: Xcode command line tools; Windows: Visual Studio Build Tools).',
  );
  process.exit(1);
}

const env = { ...process.env, [SQLITE_BINDING_ENV]: binding };
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('error', (error) => {
  console.error(`Could not start Electron: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
