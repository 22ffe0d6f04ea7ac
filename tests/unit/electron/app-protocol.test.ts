import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentTypeFor, handleAppRequest, resolveBundlePath } from '../../../electron/main/app-protocol';
import { cspHeader } from '../../../electron/main/security';

// Security checklist item 12: app:// serves files inside dist/renderer and nothing else.
let base: string;
let root: string;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'so-app-protocol-')));
  root = path.join(base, 'bundle');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Second Opinion</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'a b.svg'), '<svg/>');
  fs.writeFileSync(path.join(base, 'package.json'), '{"secret":true}');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside');
  fs.mkdirSync(path.join(base, 'bundle-evil'));
  fs.writeFileSync(path.join(base, 'bundle-evil', 'steal.js'), 'evil');
});

afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('resolveBundlePath', () => {
  it('resolves files inside the root', async () => {
    await expect(resolveBundlePath(root, '/index.html')).resolves.toBe(path.join(root, 'index.html'));
    await expect(resolveBundlePath(root, '/assets/index-abc123.js')).resolves.toBe(path.join(root, 'assets', 'index-abc123.js'));
    await expect(resolveBundlePath(root, '/assets/a%20b.svg')).resolves.toBe(path.join(root, 'assets', 'a b.svg'));
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/secret.txt',
    '/.%2e/package.json',
    '/..%2fpackage.json',
    '/..%5cpackage.json',
    '/assets/..%2F..%2Fsecret.txt',
    '/..\\package.json',
    '/./index.html',
    '/../bundle-evil/steal.js',
    '/%2e%2e/bundle-evil/steal.js',
    '/index.html%00.js',
    '/C:/Windows/win.ini',
    '/%252e%252e/package.json',
    '/%E0%A4%A',
  ])('rejects traversal %s', async (urlPath) => {
    await expect(resolveBundlePath(root, urlPath)).resolves.toBeNull();
  });

  it('rejects absolute paths instead of resolving them', async () => {
    const outside = path.join(base, 'secret.txt');
    await expect(resolveBundlePath(root, outside)).resolves.toBeNull(); // treated as inside the root: not there
    await expect(resolveBundlePath(root, '//' + outside)).resolves.toBeNull();
    await expect(resolveBundlePath(root, 'index.html')).resolves.toBeNull(); // must start with '/'
    await expect(resolveBundlePath(root, '/etc/passwd')).resolves.toBeNull();
  });

  it('rejects directories, missing files and the root itself', async () => {
    await expect(resolveBundlePath(root, '/assets')).resolves.toBeNull();
    await expect(resolveBundlePath(root, '/')).resolves.toBeNull();
    await expect(resolveBundlePath(root, '/missing.js')).resolves.toBeNull();
  });

  it('rejects a real symlink that escapes the root, and follows one that stays inside', async () => {
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
    fs.symlinkSync(base, path.join(root, 'up'));
    fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'assets', 'home.html'));
    await expect(resolveBundlePath(root, '/assets/leak.txt')).resolves.toBeNull();
    await expect(resolveBundlePath(root, '/up/package.json')).resolves.toBeNull();
    await expect(resolveBundlePath(root, '/assets/home.html')).resolves.toBe(path.join(root, 'index.html'));
  });

  it('works when the root itself is reached through a symlink', async () => {
    const link = path.join(base, 'link-to-bundle');
    fs.symlinkSync(root, link);
    await expect(resolveBundlePath(link, '/index.html')).resolves.toBe(path.join(root, 'index.html'));
    await expect(resolveBundlePath(link, '/../secret.txt')).resolves.toBeNull();
  });

  it('is not fooled by a sibling folder sharing the root as a prefix', async () => {
    const evilRoot = path.join(base, 'bundle-evil');
    // From the real root, a path that lands in bundle-evil must fail even though the string starts with root.
    expect(evilRoot.startsWith(root)).toBe(true);
    fs.symlinkSync(path.join(evilRoot, 'steal.js'), path.join(root, 'steal.js'));
    await expect(resolveBundlePath(root, '/steal.js')).resolves.toBeNull();
  });
});

describe('handleAppRequest', () => {
  const get = (url: string, method = 'GET') => handleAppRequest({ url, method }, root);

  it('serves index.html for / with the CSP and correct content type', async () => {
    const response = await get('app://bundle/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(cspHeader());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Second Opinion</title>');
  });

  it('serves assets with their content types', async () => {
    const js = await get('app://bundle/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(cspHeader());
    expect((await get('app://bundle/assets/index-abc123.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('app://bundle/assets/a%20b.svg')).headers.get('content-type')).toBe('image/svg+xml');
    const head = await get('app://bundle/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    'app://bundle/../../etc/passwd',
    'app://bundle/%2e%2e/package.json',
    'app://bundle/missing.js',
    'app://other/index.html',
    'app://bundle.evil/index.html',
    'app://user@bundle/index.html',
    'vault://bundle/index.html',
  ])('404 for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('refuses other methods', async () => {
    expect((await get('app://bundle/index.html', 'POST')).status).toBe(405);
  });

  it('knows the common content types', () => {
    expect(contentTypeFor('x.wasm')).toBe('application/wasm');
    expect(contentTypeFor('x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
  });
});
