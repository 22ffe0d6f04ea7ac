import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addonMatchesAbi, electronAbi, electronBinaryPath, SQLITE_BINDING_ENV } from '../../../build/electron-native.mjs';

// Packaging and native-module checks (security checklist items 18, 19, 22 — the parts testable here).
const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'electron-builder.json'), 'utf8')) as {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
};

describe('electron-builder.json', () => {
  it('flips the fuses the checklist asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app in an asar and leaves tests and the test bridge out', () => {
    expect(config.productName).toBe('Second Opinion');
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**/*', 'dist/renderer/**/*', '!**/tests/**', '!**/test/**', '!**/electron/bridge/**', '!dist/**/*bridge*']));
    // Sources are never packed, only the bundles.
    expect(config.files.filter((pattern) => /^(electron|shared|renderer|tests)\//.test(pattern))).toEqual([]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('points package.json "main" at the main bundle', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });
});

describe('native module helpers', () => {
  const created: string[] = [];
  afterEach(() => {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the binding variable the core reads', () => {
    expect(SQLITE_BINDING_ENV).toBe('SECOND_OPINION_SQLITE_BINDING');
  });

  it('recognises the NODE_MODULE_VERSION an addon was built for', () => {
    const addon = path.join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
    expect(addonMatchesAbi(addon, process.versions.modules)).toBe(true);
    const abi = electronAbi(ROOT);
    expect(abi).toMatch(/^\d+$/);
    // node_modules holds the Node build (tests need it); Electron gets its own build in .cache/electron-native.
    if (abi !== process.versions.modules) expect(addonMatchesAbi(addon, abi!)).toBe(false);
  });

  it('finds the Electron binary without downloading it, and answers null when it is absent', () => {
    const fakeRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'so-electron-path-'));
    created.push(fakeRoot);
    const packageDir = path.join(fakeRoot, 'node_modules', 'electron');
    fs.mkdirSync(path.join(packageDir, 'dist'), { recursive: true });
    expect(electronBinaryPath(fakeRoot)).toBeNull(); // no path.txt: install never finished
    fs.writeFileSync(path.join(packageDir, 'path.txt'), 'electron');
    expect(electronBinaryPath(fakeRoot)).toBeNull(); // path.txt but no binary
    fs.writeFileSync(path.join(packageDir, 'dist', 'electron'), '');
    expect(electronBinaryPath(fakeRoot)).toBe(path.join(packageDir, 'dist', 'electron'));
  });
});
