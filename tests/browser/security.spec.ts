import { request as httpRequest } from 'node:http';
import { OPERATION_NAMES } from '../../shared/contract';
import { cspHeader as electronCsp } from '../../electron/main/security';
import { parseRange } from '../../electron/bridge/server';
import { expect, test } from './fixtures';
import { PATIENT, createVault } from './flows';

const XSS_PROBE = '<img src=x onerror=window.__xss=1><script>window.__xss=1</script>';

/** A raw HTTP request, so Host, Origin and odd paths are sent exactly as written. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

test('the page is served with the same strict CSP as Electron, without unsafe-inline or unsafe-eval', async ({ page, app }) => {
  const response = await page.goto(app.bridge.url);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toBe(electronCsp());
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self' vault:");
  const html = await response?.text();
  expect(html).toMatch(/<script src="\/__bridge\/client\.js"><\/script>\s*<script type="module"/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style\b/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Second Opinion' })).toBeVisible();
  expect(app.cspViolations).toEqual([]);
});

test('window.vault has exactly one function per contract operation plus onEvent', async ({ page, app }) => {
  await app.open();
  const keys = await page.evaluate(() => Object.keys(window.vault ?? {}).sort());
  expect(keys).toEqual([...OPERATION_NAMES, 'onEvent'].sort());
  expect(await page.evaluate(() => Object.isFrozen(window.vault))).toBe(true);
});

test('an XSS probe in the patient name is shown as text and never runs', async ({ page, app }) => {
  await app.open();
  await createVault(page, XSS_PROBE);
  await expect(page.getByTestId('patient-name')).toHaveText(XSS_PROBE);
  await expect(page.getByTestId('profile-name')).toHaveText(XSS_PROBE);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('injected inline script, eval and remote images are blocked by the CSP', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__xss = 1';
    document.body.append(script);
    const image = document.createElement('img');
    image.src = 'https://example.com/pixel.png';
    document.body.append(image);
  });
  // Code run by the test harness itself is exempt from CSP, so the probe is a string timer, which the page's
  // policy must refuse (no 'unsafe-eval').
  const timerRan = await page.evaluate(async () => {
    const probe = window as unknown as { __evalProbe?: number };
    const setTimer = window.setTimeout as unknown as (code: string, delay: number) => number;
    setTimer('window.__evalProbe = 1', 0);
    await new Promise((resolve) => window.setTimeout(resolve, 150));
    return probe.__evalProbe === 1;
  });
  expect(timerRan).toBe(false);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect.poll(() => app.cspViolations.join('\n')).toContain('script-src');
  await expect.poll(() => app.cspViolations.join('\n')).toContain('img-src');
  await expect.poll(() => app.cspViolations.join('\n')).toContain('unsafe-eval');
});

test('the page cannot reach the network: fetch and WebSocket to the internet fail', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const fetchResult = await page.evaluate(async () => {
    try {
      await fetch('https://example.com/');
      return 'reached';
    } catch (error) {
      return error instanceof Error ? error.name : 'failed';
    }
  });
  expect(fetchResult).toBe('TypeError');
  const socketResult = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        try {
          const socket = new WebSocket('wss://example.com/');
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('error');
          setTimeout(() => resolve('timeout'), 5000);
        } catch {
          resolve('thrown');
        }
      }),
  );
  expect(['error', 'thrown']).toContain(socketResult);
  await expect.poll(() => app.cspViolations.join('\n')).toContain('connect-src');
});

test('the bridge refuses requests without its token, from other hosts or origins, and oversized bodies', async ({ app }) => {
  const { port } = app.bridge;
  const rpcBody = JSON.stringify({ operation: 'vault.status', input: {} });
  const json = { 'content-type': 'application/json' };

  // No token cookie.
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: json, body: rpcBody })).status).toBe(401);
  expect((await raw(port, { path: '/__bridge/events' })).status).toBe(401);
  expect((await raw(port, { path: `/vault/${'a'.repeat(64)}` })).status).toBe(401);

  // The page's cookie is what makes the RPC work.
  const index = await raw(port, { path: '/' });
  const setCookie = String(index.headers['set-cookie']);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  const cookie = setCookie.split(';')[0] ?? '';
  const ok = await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { ...json, cookie }, body: rpcBody });
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { state: 'absent' } });
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { ...json, cookie: `${cookie}x` }, body: rpcBody })).status).toBe(401);

  // DNS rebinding and cross-site requests.
  expect((await raw(port, { path: '/', headers: { host: `evil.example:${port}` } })).status).toBe(403);
  expect((await raw(port, { path: '/', headers: { host: '127.0.0.1:1' } })).status).toBe(403);
  const crossOrigin = { ...json, cookie, origin: 'http://evil.example' };
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: crossOrigin, body: rpcBody })).status).toBe(403);
  const crossSite = { ...json, cookie, 'sec-fetch-site': 'cross-site' };
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: crossSite, body: rpcBody })).status).toBe(403);
  const sameOrigin = { ...json, cookie, origin: `http://127.0.0.1:${port}` };
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: sameOrigin, body: rpcBody })).status).toBe(200);

  // Wrong content type, bad JSON, too large, wrong method.
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { cookie, 'content-type': 'text/plain' }, body: rpcBody })).status).toBe(415);
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { ...json, cookie }, body: '{' })).status).toBe(400);
  const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
  expect((await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { ...json, cookie }, body: big })).status).toBe(413);
  expect((await raw(port, { method: 'GET', path: '/__bridge/rpc', headers: { cookie } })).status).toBe(405);

  // Unknown operations come back as a Result, never as a crash.
  const unknown = await raw(port, { method: 'POST', path: '/__bridge/rpc', headers: { ...json, cookie }, body: JSON.stringify({ operation: 'fs.read', input: {} }) });
  expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });

  // Files outside the renderer folder are never served.
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fetc/passwd']) {
    expect((await raw(port, { path })).status, path).toBe(404);
  }
  // Every response carries the CSP, even errors.
  expect((await raw(port, { path: '/nope' })).headers['content-security-policy']).toBe(electronCsp());
});

test('stored files: unknown ids and a locked vault give 404 with no-store', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  const url = `${app.bridge.url}vault/${'a'.repeat(64)}`;
  const missing = await page.request.get(url, { headers: { range: 'bytes=0-' } });
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cache-control']).toBe('no-store');
  expect((await page.request.get(`${app.bridge.url}vault/..%2f..%2fpackage.json`)).status()).toBe(404);
  await app.core.lock('user');
  expect((await page.request.get(url)).status()).toBe(404);
  expect(await page.evaluate(() => document.body.innerText)).not.toContain(PATIENT.name);
});

test('Range headers are parsed as RFC 9110 single ranges', () => {
  expect(parseRange(undefined)).toBeNull();
  expect(parseRange('bytes=0-')).toEqual({ kind: 'from', start: 0 });
  expect(parseRange('bytes=10-19')).toEqual({ kind: 'from', start: 10, end: 19 });
  expect(parseRange('bytes=-500')).toEqual({ kind: 'suffix', length: 500 });
  expect(parseRange('bytes=-')).toBeNull();
  expect(parseRange('bytes=0-1,5-6')).toBeNull();
  expect(parseRange('items=0-1')).toBeNull();
  expect(parseRange('bytes=9999999999999999-')).toBeNull();
});
