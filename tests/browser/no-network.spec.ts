import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeInstance, uid } from '../fixtures/imaging/dicom';
import { writeZip } from '../fixtures/imaging/zip-writer';
import { textPdf } from '../helpers/pdf';
import { expect, test as base, type Page } from './fixtures';
import { createVault, lock, PASSPHRASE, PATIENT, unlock } from './flows';
import { PATHOLOGY_PAGES } from './library-data';

/**
 * Issue 8, security gate "the renderer makes no network request" (checklist item 11, W): a full tour of the app
 * — create a vault, every section, a PDF imported through the file input and drawn by pdf.js in its worker, an
 * imaging disc imported and a series shown, lock, unlock — with every request recorded in five independent ways:
 *   page.on('request') and context.on('request') (Playwright's view of the page and its workers),
 *   context.route('**') (every request that reaches the network stack),
 *   the Chrome DevTools Protocol Network domain of the page,
 *   and an HTTP proxy that the browser context must use for every host but the app's own (127.0.0.1), which
 *   records whatever reaches it — from the page, a worker, a service worker or the browser itself — and answers
 *   nothing useful.
 * Every URL must be the app's own origin (the bridge, which in Electron is app://bundle and vault://), or an
 * in-memory data:/blob: URL; the proxy must see nothing.
 */
interface Seen {
  url: string;
  via: string;
}

interface Recorder {
  url: string;
  /** What reached the proxy (absolute URLs, or CONNECT host:port). */
  reached: string[];
  close(): Promise<void>;
}

/** A loopback-only recording proxy: it records and refuses; it never connects anywhere. */
async function startRecorder(): Promise<Recorder> {
  const reached: string[] = [];
  const server: Server = createServer((req, res) => {
    reached.push(req.url ?? '');
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('blocked by the no-network test');
  });
  server.on('connect', (req, socket) => {
    reached.push(`CONNECT ${req.url ?? ''}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reached,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Chromium itself (not the page) asks Google's autofill service about the forms the tour fills in. That is the
 * test browser's own traffic — Electron has no such service — so it is switched off here like the config's other
 * background services; the proxy then sees nothing at all.
 */
const CHROMIUM_OWN_SERVICES_OFF = '--disable-features=AutofillServerCommunication';

const test = base.extend<{ recorder: Recorder }>({
  launchOptions: async ({ launchOptions }, use) => {
    await use({ ...launchOptions, args: [...(launchOptions.args ?? []), CHROMIUM_OWN_SERVICES_OFF] });
  },
  recorder: async ({ browserName: _browserName }, use) => {
    const recorder = await startRecorder();
    await use(recorder);
    await recorder.close();
  },
  // Everything but loopback (where the bridge serves the app) goes to the recording proxy.
  proxy: async ({ recorder }, use) => {
    await use({ server: recorder.url, bypass: '127.0.0.1' });
  },
});

/** The vault's patient on a small disc of two CT images, as a .zip (no external tools needed). */
function discZip(): Buffer {
  const patient = { name: 'EXAMPLE^MARIA', id: 'MRN-NET-1', birthDate: `${PATIENT.birth.year}${PATIENT.birth.month}${PATIENT.birth.day}`, sex: 'F' };
  const study = { uid: uid(), date: '20250220', time: '093000', description: 'CT CHEST', accession: 'NET1', id: '1', institution: 'Lakeside Imaging' };
  const series = { uid: uid(), number: 1, modality: 'CT', description: 'AXIAL' };
  const image = { rows: 64, columns: 64, bitsAllocated: 16 as const, signed: true, windowCenter: 40, windowWidth: 400 };
  return writeZip(
    [1, 2].map((instanceNumber) => ({ name: `DICOM/CT/IM${instanceNumber}`, data: makeInstance({ patient, study, series, instanceNumber, image }) })),
  );
}

async function visitSection(page: Page, name: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Let the screen's queries, images and lazy chunks load.
  await page.waitForTimeout(400);
}

test('a full tour of the app requests nothing but the app itself', async ({ page, app, context, recorder }) => {
  test.slow();
  const seen: Seen[] = [];
  const record = (url: string, via: string) => seen.push({ url, via });
  page.on('request', (request) => record(request.url(), 'page'));
  context.on('request', (request) => record(request.url(), 'context'));
  page.on('websocket', (socket) => record(socket.url(), 'websocket'));
  page.on('worker', (worker) => record(worker.url(), 'worker'));
  await context.route('**/*', async (route) => {
    record(route.request().url(), 'route');
    await route.continue();
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => record(event.request.url, 'cdp'));
  cdp.on('Network.webSocketCreated', (event) => record(event.url, 'cdp-websocket'));

  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-no-network-'));
  try {
    const pdf = path.join(dir, 'pathology report.pdf');
    await writeFile(pdf, await textPdf(PATHOLOGY_PAGES));
    const disc = path.join(dir, 'hospital-disc.zip');
    await writeFile(disc, discZip());

    // Onboarding and the overview.
    await app.open();
    await createVault(page);

    // Records: a PDF through the file input, then the viewer (pdf.js and its worker draw both pages).
    await visitSection(page, 'Records');
    await page.locator('input[type=file][accept*=".pdf"]').setInputFiles(pdf);
    await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Close this summary' }).click();
    await page.getByTestId('document-list').getByRole('link').first().click();
    await expect(page.getByTestId('document-viewer')).toBeVisible();
    await expect(page.locator('.page-frame[data-rendered-page="1"] canvas')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.locator('.page-frame[data-rendered-page="2"] canvas')).toBeVisible({ timeout: 30_000 });

    // Imaging: a disc through the file input, its thumbnails, and a series in the viewer.
    await visitSection(page, 'Imaging');
    await page.locator('input[type=file][accept*=".iso"]').setInputFiles(disc);
    const summary = page.getByTestId('disc-summary');
    await expect(summary).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Close this summary' }).click();
    await expect(page.locator('img.imaging-thumb').first()).toBeVisible();
    await page.getByRole('link', { name: /AXIAL/ }).first().click();
    await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '1', { timeout: 30_000 });

    // Every other section there is (Opinions, Appointments, Send records, Timeline, … as they exist), and back.
    const names = await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['Overview', 'Records', 'Imaging', 'Opinions', 'Appointments', 'Timeline']));
    for (const name of names) await visitSection(page, name.trim());

    // Lock and unlock (from the overview, where unlocking returns).
    await visitSection(page, 'Overview');
    await lock(page);
    await unlock(page, PASSPHRASE);
    await page.waitForTimeout(500);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const origin = new URL(app.bridge.url).origin;
  const allowed = (url: string) => {
    if (/^(data|blob):/.test(url)) return true;
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  };
  // The tour did what it claims: it talked to the core, loaded stored files and ran the pdf.js worker.
  const urls = seen.map((item) => item.url);
  expect(urls.some((url) => url.startsWith(`${origin}/__bridge/rpc`))).toBe(true);
  expect(urls.some((url) => url.startsWith(`${origin}/vault/`))).toBe(true);
  expect(seen.some((item) => item.via === 'worker' && /pdf\.worker/.test(item.url))).toBe(true);
  expect(seen.some((item) => item.via === 'route')).toBe(true);
  expect(seen.some((item) => item.via === 'cdp')).toBe(true);

  const outside = seen.filter((item) => !allowed(item.url));
  expect(outside, `requests outside ${origin}`).toEqual([]);
  expect(recorder.reached, 'requests that reached the proxy').toEqual([]);
  expect(app.cspViolations).toEqual([]);
});
