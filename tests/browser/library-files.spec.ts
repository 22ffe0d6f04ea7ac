import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { startBridge } from '../../electron/bridge/server';
import { FILES_API_KEYS } from '../../shared/files';
import { textPdf } from '../helpers/pdf';
import { expect, rendererDir, test } from './fixtures';
import { RADIOLOGY, libraryWith } from './library-data';

/** A raw HTTP request, so headers and bodies are sent exactly as written. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] },
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
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

async function tokenCookie(port: number): Promise<string> {
  const index = await raw(port, { path: '/' });
  return String(index.headers['set-cookie']).split(';')[0] ?? '';
}

const octets = { 'content-type': 'application/octet-stream' };

test('window.files has exactly pathForFile and chooseSaveLocation, next to window.vault, and stages a picked file for import', async ({ page, app }) => {
  await app.open();
  const keys = await page.evaluate(() => Object.keys(window.files ?? {}).sort());
  expect(keys).toEqual([...FILES_API_KEYS].sort());
  expect(await page.evaluate(() => Object.isFrozen(window.files))).toBe(true);
  const staged = await page.evaluate(async () => {
    const file = new File(['%PDF-1.7 hello'], '../../escape attempt.pdf', { type: 'application/pdf' });
    return window.files!.pathForFile(file);
  });
  expect(path.dirname(path.dirname(staged))).toBe(app.bridge.stagingDir);
  expect(path.basename(staged)).toBe('escape attempt.pdf');
  expect(readFileSync(staged, 'utf8')).toBe('%PDF-1.7 hello');
});

test('the upload endpoint refuses requests without the token, wrong methods and types, bad names and big files', async ({ app }) => {
  const { port, stagingDir } = app.bridge;
  const cookie = await tokenCookie(port);
  const body = Buffer.from('%PDF-1.7 test');

  expect((await raw(port, { method: 'POST', path: '/__bridge/upload?name=a.pdf', headers: octets, body })).status).toBe(401);
  expect((await raw(port, { method: 'GET', path: '/__bridge/upload?name=a.pdf', headers: { cookie } })).status).toBe(405);
  expect((await raw(port, { method: 'POST', path: '/__bridge/upload?name=a.pdf', headers: { cookie, 'content-type': 'application/json' }, body })).status).toBe(415);
  const crossSite = { ...octets, cookie, origin: 'http://evil.example' };
  expect((await raw(port, { method: 'POST', path: '/__bridge/upload?name=a.pdf', headers: crossSite, body })).status).toBe(403);
  for (const name of ['', '..', '.', '/', '%2e%2e%2f', '...%2F.%2F']) {
    expect((await raw(port, { method: 'POST', path: `/__bridge/upload?name=${name}`, headers: { ...octets, cookie }, body })).status, name).toBe(400);
  }
  expect((await raw(port, { method: 'POST', path: '/__bridge/upload', headers: { ...octets, cookie }, body })).status).toBe(400);
  // A declared size over 200 MB is refused before anything is written.
  const huge = { ...octets, cookie, 'content-length': String(300 * 1024 * 1024) };
  expect((await raw(port, { method: 'POST', path: '/__bridge/upload?name=big.pdf', headers: huge, body })).status).toBe(413);

  // Names cannot climb out of the staging folder, whichever slash they use.
  for (const name of ['../../../etc/passwd', '..\\..\\secret.pdf', '/tmp/absolute.pdf', 'a\u0000b.pdf', 'con.pdf']) {
    const answer = await raw(port, { method: 'POST', path: `/__bridge/upload?name=${encodeURIComponent(name)}`, headers: { ...octets, cookie }, body });
    expect(answer.status, name).toBe(200);
    const staged = (JSON.parse(answer.body) as { path: string }).path;
    expect(staged.startsWith(stagingDir + path.sep), staged).toBe(true);
    expect(path.dirname(path.dirname(staged))).toBe(stagingDir);
    expect(readFileSync(staged).equals(body)).toBe(true);
  }
  expect(app.cspViolations).toEqual([]);
});

test('chooseSaveLocation answers with a path in the bridge’s own folder, made without the target; invalid requests get null', async ({ page, app }) => {
  await app.open();
  const { chosenDir, stagingDir } = app.bridge;
  expect(path.dirname(chosenDir)).toBe(stagingDir);
  const answers = await page.evaluate(async () => {
    const choose = (request: unknown) => window.files!.chooseSaveLocation(request as Parameters<NonNullable<typeof window.files>['chooseSaveLocation']>[0]);
    return {
      zip: await choose({ suggestedName: 'Second opinion packet 2025-04-02', format: 'zip' }),
      iso: await choose({ suggestedName: 'Second opinion packet 2025-04-02', format: 'iso' }),
      folder: await choose({ suggestedName: 'Second opinion packet 2025-04-02', format: 'folder' }),
      climbing: await choose({ suggestedName: '../../escape', format: 'zip' }),
      hidden: await choose({ suggestedName: '.bashrc', format: 'folder' }),
      badFormat: await choose({ suggestedName: 'Packet', format: 'exe' }),
      extra: await choose({ suggestedName: 'Packet', format: 'zip', defaultPath: '/etc' }),
      nothing: await choose(undefined),
    };
  });
  expect(answers).toEqual({
    zip: path.join(chosenDir, 'Second opinion packet 2025-04-02.zip'),
    iso: path.join(chosenDir, 'Second opinion packet 2025-04-02.iso'),
    folder: path.join(chosenDir, 'Second opinion packet 2025-04-02'),
    climbing: null,
    hidden: null,
    badFormat: null,
    extra: null,
    nothing: null,
  });
  // The folder exists, as a place the person picked would; the packet's own name is left for the core to write.
  expect(readdirSync(chosenDir)).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});

test('the save-location endpoint refuses requests without the token, wrong methods and types, other origins and bad JSON', async ({ app }) => {
  const { port, chosenDir } = app.bridge;
  const cookie = await tokenCookie(port);
  const json = { 'content-type': 'application/json' };
  const body = JSON.stringify({ suggestedName: 'Packet', format: 'zip' });
  const route = '/__bridge/save-location';

  expect((await raw(port, { method: 'POST', path: route, headers: json, body })).status).toBe(401);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie: `${cookie}x` }, body })).status).toBe(401);
  expect((await raw(port, { method: 'GET', path: route, headers: { cookie } })).status).toBe(405);
  expect((await raw(port, { method: 'POST', path: route, headers: { cookie, 'content-type': 'text/plain' }, body })).status).toBe(415);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie, origin: 'http://evil.example' }, body })).status).toBe(403);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie, 'sec-fetch-site': 'cross-site' }, body })).status).toBe(403);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie, host: 'evil.example' }, body })).status).toBe(403);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie }, body: '{' })).status).toBe(400);
  expect((await raw(port, { method: 'POST', path: route, headers: { ...json, cookie }, body: 'x'.repeat(2 * 1024 * 1024) })).status).toBe(413);
  // Nothing of the above made the folder.
  expect(existsSync(chosenDir)).toBe(false);

  for (const bad of [{ suggestedName: 'a\\..\\b', format: 'zip' }, { suggestedName: 'a\u0000b', format: 'zip' }, { suggestedName: 'x'.repeat(101), format: 'iso' }, [], 'Packet', null]) {
    const answer = await raw(port, { method: 'POST', path: route, headers: { ...json, cookie }, body: JSON.stringify(bad) });
    expect(answer.status, JSON.stringify(bad)).toBe(200);
    expect(JSON.parse(answer.body), JSON.stringify(bad)).toEqual({ path: null });
  }
  expect(existsSync(chosenDir)).toBe(false);

  const ok = await raw(port, { method: 'POST', path: route, headers: { ...json, cookie }, body });
  expect(ok.status).toBe(200);
  expect(ok.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(ok.body)).toEqual({ path: path.join(chosenDir, 'Packet.zip') });
  expect(readdirSync(chosenDir)).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});

test('a body larger than the cap is refused while it streams, nothing is left behind, and close() empties staging', async ({ app }) => {
  const small = await startBridge({ core: app.core, rendererDir, maxUploadBytes: 1024 });
  try {
    const cookie = await tokenCookie(small.port);
    const chunks = [Buffer.alloc(800, 1), Buffer.alloc(800, 2)];
    const answer = await raw(small.port, {
      method: 'POST',
      path: '/__bridge/upload?name=big.pdf',
      headers: { ...octets, cookie, 'transfer-encoding': 'chunked' },
      chunks,
    });
    expect(answer.status).toBe(413);
    expect(readdirSync(small.stagingDir)).toEqual([]);
    const ok = await raw(small.port, { method: 'POST', path: '/__bridge/upload?name=fine.pdf', headers: { ...octets, cookie }, body: Buffer.alloc(1000, 3) });
    expect(ok.status).toBe(200);
  } finally {
    await small.close();
  }
  expect(existsSync(small.stagingDir)).toBe(false);
});

test('dropping files onto the window adds them', async ({ page, app }) => {
  await libraryWith(page, app, []);
  const pdf = await textPdf([RADIOLOGY]);
  await page.evaluate(async (bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'dropped mammogram.pdf', { type: 'application/pdf' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...pdf]);
  await expect(page.getByTestId('summary-imported')).toContainText('from dropped mammogram.pdf');
  await expect(page.getByTestId('list-count')).toHaveText('1 document.');
  expect(app.pageErrors).toEqual([]);
});
