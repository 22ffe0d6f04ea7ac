import { describe, expect, it } from 'vitest';
import {
  cspHeader,
  isAllowedNavigation,
  isAllowedRequestUrl,
  isTrustedSender,
  permissionHandler,
  permissionRequestHandler,
  requestFilter,
  windowOpenHandler,
  type SenderInfo,
} from '../../../electron/main/security';

const WINDOW_ID = 7;
const top = (url: string, id = WINDOW_ID): SenderInfo => ({ sender: { id }, senderFrame: { url, parent: null } });
const sub = (url: string): SenderInfo => ({ sender: { id: WINDOW_ID }, senderFrame: { url, parent: { url: 'app://bundle/' } } });

describe('isTrustedSender (checklist item 4)', () => {
  it.each<[string, SenderInfo | null, number | null, boolean]>([
    ['app://bundle top frame', top('app://bundle/index.html#/records'), WINDOW_ID, true],
    ['app://bundle root', top('app://bundle/'), WINDOW_ID, true],
    ['app://bundle sub-frame', sub('app://bundle/index.html'), WINDOW_ID, false],
    ['https://evil', top('https://evil.example/'), WINDOW_ID, false],
    ['app://bundle.evil', top('app://bundle.evil/index.html'), WINDOW_ID, false],
    ['app://evil', top('app://evil/index.html'), WINDOW_ID, false],
    ['app://bundle with credentials', top('app://user@bundle/'), WINDOW_ID, false],
    ['app://bundle:8080', top('app://bundle:8080/'), WINDOW_ID, false],
    ['file://', top('file:///home/user/app/index.html'), WINDOW_ID, false],
    ['vault://blob', top('vault://blob/abcdefgh12345678'), WINDOW_ID, false],
    ['about:blank', top('about:blank'), WINDOW_ID, false],
    ['data: URL', top('data:text/html,<p>x</p>'), WINDOW_ID, false],
    ['null frame', { sender: { id: WINDOW_ID }, senderFrame: null }, WINDOW_ID, false],
    ['other webContents id', top('app://bundle/', 8), WINDOW_ID, false],
    ['no window yet', top('app://bundle/'), null, false],
    ['no event', null, WINDOW_ID, false],
  ])('%s → %s', (_name, frame, expected, trusted) => {
    expect(isTrustedSender(frame, expected)).toBe(trusted);
  });

  it('refuses a destroyed frame that throws on access', () => {
    const destroyed = {
      sender: { id: WINDOW_ID },
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    } as unknown as SenderInfo;
    expect(isTrustedSender(destroyed, WINDOW_ID)).toBe(false);
  });
});

describe('isAllowedNavigation (checklist item 8)', () => {
  it.each([
    ['app://bundle/#/x', true],
    ['app://bundle/index.html', true],
    ['https://x', false],
    ['http://localhost:3000/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['app://bundle.evil/', false],
    ['app://other/', false],
    ['vault://blob/abcdefgh12345678', false],
    ['data:text/html,hi', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });
});

describe('cspHeader (checklist item 7)', () => {
  it('is strict and has no unsafe-* source', () => {
    const csp = cspHeader();
    expect(csp).not.toMatch(/unsafe-/);
    const directives = new Map(csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }));
    expect(Object.fromEntries(directives)).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' vault: data: blob:",
      'connect-src': "'self' vault:",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
    for (const value of directives.values()) {
      expect(value).not.toMatch(/\*|https?:|ws:|wss:|file:/);
    }
  });

  it('matches the reviewed snapshot', () => {
    expect(cspHeader()).toMatchInlineSnapshot(
      `"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' vault: data: blob:; media-src 'self' vault: blob:; connect-src 'self' vault:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"`,
    );
  });
});

describe('handlers deny (checklist items 9 and 10)', () => {
  it('window open handler denies every new window', () => {
    for (const url of ['app://bundle/', 'https://example.com', 'about:blank']) {
      expect(windowOpenHandler({ url, disposition: 'new-window' })).toEqual({ action: 'deny' });
    }
  });

  it('permission handlers refuse everything', () => {
    const names = ['media', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'geolocation', 'midi', 'hid', 'serial', 'usb', 'fullscreen', 'openExternal', 'display-capture', 'pointerLock', 'unknown'];
    for (const name of names) {
      expect(permissionHandler(null, name, 'app://bundle', {})).toBe(false);
      let granted: boolean | undefined;
      permissionRequestHandler(null, name, (value) => {
        granted = value;
      });
      expect(granted).toBe(false);
    }
  });
});

describe('request filter (checklist item 11)', () => {
  it.each([
    ['app://bundle/index.html', true],
    ['vault://blob/abcdefgh12345678', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['data:image/png;base64,AAAA', true],
    ['blob:app://bundle/5b6c-uuid', true],
    ['https://example.com/', false],
    ['http://127.0.0.1:8080/rpc', false],
    ['wss://example.com/socket', false],
    ['ws://localhost/', false],
    ['file:///etc/passwd', false],
    ['ftp://example.com/', false],
    ['chrome-extension://abc/x.js', false],
    ['not a url', false],
  ])('%s → allowed=%s', (url, allowed) => {
    expect(isAllowedRequestUrl(url)).toBe(allowed);
    let response: { cancel: boolean } | undefined;
    requestFilter({ url }, (value) => {
      response = value;
    });
    expect(response).toEqual({ cancel: !allowed });
  });
});
