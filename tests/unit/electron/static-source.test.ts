import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Static checks over the Electron sources (security checklist items 1, 2, 3, 13: kind S).
const ROOT = path.resolve(import.meta.dirname, '../../..');
const ELECTRON_DIR = path.join(ROOT, 'electron');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(c|m)?(t|j)sx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !/[\\/](tests?|__tests__)[\\/]/.test(path.relative(ROOT, file)) && !/\.test\.[cm]?[tj]s$/.test(file));
}

const read = (file: string) => fs.readFileSync(file, 'utf8');
const rel = (file: string) => path.relative(ROOT, file);

describe('Electron sources', () => {
  it('never weaken the window (sandbox/nodeIntegration/contextIsolation/webSecurity/devtools)', () => {
    const forbidden = /sandbox:\s*false|nodeIntegration:\s*true|contextIsolation:\s*false|webSecurity:\s*false|openDevTools/;
    const offenders = sourceFiles(ELECTRON_DIR)
      .filter((file) => forbidden.test(read(file)))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('call app.enableSandbox() in main/index.ts before whenReady', () => {
    const source = read(path.join(ELECTRON_DIR, 'main', 'index.ts'));
    const sandbox = source.indexOf('app.enableSandbox()');
    const ready = source.indexOf('whenReady');
    expect(sandbox).toBeGreaterThan(-1);
    expect(ready).toBeGreaterThan(-1);
    expect(sandbox).toBeLessThan(ready);
    // …and register the privileged schemes before ready too.
    expect(source.indexOf('registerSchemesAsPrivileged')).toBeLessThan(ready);
  });

  it('keep Electron out of the core and out of the pure main/preload modules', () => {
    const runtimeElectronImport = /^\s*import\s+(?!type\b)[^;]*from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/m;
    const mayImportElectron = new Set(['electron/main/index.ts', 'electron/preload/index.ts']);
    const offenders = sourceFiles(ELECTRON_DIR)
      .map(rel)
      .filter((file) => !mayImportElectron.has(file.split(path.sep).join('/')))
      .filter((file) => runtimeElectronImport.test(read(path.join(ROOT, file))));
    expect(offenders).toEqual([]);
  });

  it('never put keys in URLs (vault:// carries an opaque id only)', () => {
    const offenders = sourceFiles(ELECTRON_DIR)
      .filter((file) => /[?&]key=|vault:\/\/[^'"`\s]*key/i.test(read(file)))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('expose only window.vault and window.files from the preload, never ipcRenderer or webUtils', () => {
    const source = read(path.join(ELECTRON_DIR, 'preload', 'index.ts'));
    const exposed = [...source.matchAll(/exposeInMainWorld\(\s*['"]([^'"]+)['"]\s*,\s*([^)]*\))/g)];
    expect(exposed.map((match) => match[1])).toEqual(['vault', 'files']);
    expect(exposed[0]?.[2]).toMatch(/^buildWindowApi\(ipcRenderer\)/);
    expect(exposed[1]?.[2]).toMatch(/^buildFilesApi\(webUtils, ipcRenderer\)/);
  });
});
