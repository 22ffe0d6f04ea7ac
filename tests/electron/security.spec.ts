import { OPERATION_NAMES, type CoreEvent, type WindowApi } from '../../shared/contract';
import { ELECTRON_PATH, expect, SKIP_MESSAGE, test, type PageGlobals } from './electron-app';

// Security checklist, kind E: the real app in Electron. Skips where the Electron binary is not installed.
test.skip(!ELECTRON_PATH, SKIP_MESSAGE);

const PROFILE = { fullName: 'Zyxwvut Testpatient', birthDate: '1971-04-09' };
const PASSPHRASE = 'correct horse battery staple';

test('the renderer has no Node and window.vault is exactly the contract (items 1–3)', async ({ page }) => {
  expect(page.url()).toMatch(/^app:\/\/bundle\//);
  const globals = await page.evaluate(() => {
    const w = window as unknown as PageGlobals;
    return [typeof w.require, typeof w.process, typeof w.module, typeof w.Buffer, typeof w.global, typeof w.ipcRenderer];
  });
  expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  expect(await page.evaluate(() => typeof (window as unknown as PageGlobals).vault)).toBe('object');
  const keys = await page.evaluate(() => Object.keys((window as unknown as PageGlobals).vault as object).sort());
  expect(keys).toEqual([...OPERATION_NAMES, 'onEvent'].sort());
  const status = await page.evaluate(() => ((window as unknown as PageGlobals).vault as WindowApi)['vault.status']({}));
  expect(status).toMatchObject({ ok: true, value: { state: 'absent' } });
});

test('new windows and webviews are denied (item 9)', async ({ app, page }) => {
  expect(await page.evaluate(() => window.open('app://bundle/') === null)).toBe(true);
  expect(await page.evaluate(() => window.open('https://example.com/', '_blank') === null)).toBe(true);
  const contentsBefore = await app.evaluate(({ webContents }) => webContents.getAllWebContents().length);
  await page.evaluate(() => {
    const link = document.createElement('a');
    link.href = 'app://bundle/index.html';
    link.target = '_blank';
    link.textContent = 'new window';
    document.body.append(link);
    link.click();
    const webview = document.createElement('webview');
    webview.setAttribute('src', 'https://example.com/');
    document.body.append(webview);
  });
  await page.waitForTimeout(750);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  expect(await app.evaluate(({ webContents }) => webContents.getAllWebContents().length)).toBe(contentsBefore);
});

test('navigation away from the app is blocked and nothing opens externally (item 8)', async ({ app, page }) => {
  await app.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as Record<string, unknown>).__openedExternally = opened;
    shell.openExternal = async (url: string) => {
      opened.push(url);
    };
  });
  const start = page.url();
  for (const target of ['', '_blank', '_top']) {
    await page.evaluate((linkTarget) => {
      const link = document.createElement('a');
      link.href = 'https://example.com/';
      link.target = linkTarget;
      link.textContent = 'external';
      document.body.append(link);
      link.click();
    }, target);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(start);
  }
  for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://bundle.evil/']) {
    await page.evaluate((href) => {
      window.location.href = href;
    }, url);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(start);
  }
  expect(await app.evaluate(() => (globalThis as Record<string, unknown>).__openedExternally)).toEqual([]);
});

test('the renderer reaches neither the network nor files outside the bundle (items 11–12)', async ({ page }) => {
  const results = await page.evaluate(async () => {
    const attempt = async (url: string) => {
      try {
        return (await fetch(url)).status;
      } catch {
        return 'blocked';
      }
    };
    const socket = await new Promise<string>((resolve) => {
      try {
        const ws = new WebSocket('wss://example.com/socket');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('blocked');
      } catch {
        resolve('blocked');
      }
    });
    return {
      https: await attempt('https://example.com/'),
      localhost: await attempt('http://127.0.0.1:9/'),
      file: await attempt('file:///etc/passwd'),
      traversal: await attempt('app://bundle/../../etc/passwd'),
      encodedTraversal: await attempt('app://bundle/%2e%2e/%2e%2e/etc/passwd'),
      socket,
    };
  });
  expect(results).toEqual({ https: 'blocked', localhost: 'blocked', file: 'blocked', traversal: 404, encodedTraversal: 404, socket: 'blocked' });
});

test('permissions are denied (item 10)', async ({ page }) => {
  const results = await page.evaluate(async () => ({
    notification: await Notification.requestPermission(),
    camera: navigator.mediaDevices
      ? await navigator.mediaDevices.getUserMedia({ video: true }).then(
          () => 'granted',
          () => 'denied',
        )
      : 'denied',
    clipboard: await navigator.clipboard.readText().then(
      () => 'granted',
      () => 'denied',
    ),
  }));
  expect(results).toEqual({ notification: 'denied', camera: 'denied', clipboard: 'denied' });
});

test('a srcdoc iframe gets no API and cannot run inline script (items 4 and 7)', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<script>parent.__inlineRan = true</script><p>frame</p>';
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const w = window as unknown as PageGlobals;
    return { frameApi: typeof (frame.contentWindow as unknown as PageGlobals | null)?.vault, inlineRan: w.__inlineRan === true };
  });
  expect(result).toEqual({ frameApi: 'undefined', inlineRan: false });
});

test('sleep locks the vault at once and the unlock screen returns (item 17)', async ({ app, page }) => {
  const created = await page.evaluate(
    ({ profile, passphrase }) => ((window as unknown as PageGlobals).vault as WindowApi)['vault.create']({ profile, passphrase }),
    { profile: PROFILE, passphrase: PASSPHRASE },
  );
  expect(created.ok).toBe(true);
  await page.reload();
  await page.waitForLoadState('domcontentloaded');
  const vaultStatus = () => page.evaluate(() => ((window as unknown as PageGlobals).vault as WindowApi)['vault.status']({}));
  await expect.poll(async () => (await vaultStatus()).ok && ((await vaultStatus()) as { value: { state: string } }).value.state).toBe('unlocked');
  await page.evaluate(() => {
    const w = window as unknown as PageGlobals;
    const events: CoreEvent[] = [];
    w.__events = events;
    (w.vault as WindowApi).onEvent((event) => events.push(event));
  });

  await app.evaluate(({ powerMonitor }) => {
    powerMonitor.emit('suspend');
  });

  await expect.poll(async () => ((await vaultStatus()) as { value: { state: string } }).value.state).toBe('locked');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as PageGlobals).__events))
    .toContainEqual({ type: 'locked', reason: 'system' });
  await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
  await expect(page.getByText(/computer went to sleep or was locked/)).toBeVisible();
});
