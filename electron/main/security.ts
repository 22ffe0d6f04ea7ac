/**
 * Security decisions of the main process as pure functions (no electron import at run time), so each is
 * unit-tested with a table. electron/main/index.ts only wires them to Electron's hooks.
 */

/** The renderer's origin: the built UI served by the app:// protocol from dist/renderer. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** Decrypted vault files, streamed by the vault:// protocol as vault://blob/<opaque id>. */
export const VAULT_SCHEME = 'vault';

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for exactly app://bundle/…: no other host, no credentials, no port. */
export function isAppUrl(url: unknown): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** What ipcMain hands a handler, reduced to what sender validation reads (IpcMainInvokeEvent fits). */
export interface SenderInfo {
  sender: { id: number } | null | undefined;
  senderFrame: { url: string; parent: unknown } | null | undefined;
}

/**
 * Only the top frame of our own window, showing our own UI, may call the core. Sub-frames, other windows or
 * webContents, and any other origin (including look-alikes such as app://bundle.evil) are refused.
 */
export function isTrustedSender(frameInfo: SenderInfo | null | undefined, expectedWebContentsId: number | null | undefined): boolean {
  try {
    if (!frameInfo || expectedWebContentsId === null || expectedWebContentsId === undefined) return false;
    if (!frameInfo.sender || frameInfo.sender.id !== expectedWebContentsId) return false;
    const frame = frameInfo.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null) return false;
    return isAppUrl(frame.url);
  } catch {
    // A destroyed frame throws on access: not trusted.
    return false;
  }
}

/** The window may only ever show our own UI; every other navigation is cancelled. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(url);
}

/**
 * Schemes the renderer's session may request. Everything else — http(s), ws(s), file, ftp — is cancelled
 * by session.webRequest.onBeforeRequest, so nothing in the UI can reach the network or the file system.
 * devtools: is for the developer tools of unpackaged builds; data: and blob: are in-memory URLs the UI
 * creates itself (image previews) and never leave the process.
 */
export const ALLOWED_REQUEST_SCHEMES: readonly string[] = ['app:', 'vault:', 'devtools:', 'data:', 'blob:'];

export function isAllowedRequestUrl(url: unknown): boolean {
  const parsed = parse(url);
  return parsed !== null && ALLOWED_REQUEST_SCHEMES.includes(parsed.protocol);
}

/** onBeforeRequest listener: cancel anything that is not one of our local schemes. */
export function requestFilter(details: { url: string }, callback: (response: { cancel: boolean }) => void): void {
  callback({ cancel: !isAllowedRequestUrl(details.url) });
}

// The policy lives in its own Electron-free module so the test bridge serves exactly the same header.
export { cspHeader } from './csp';

/** setPermissionCheckHandler / setDevicePermissionHandler: nothing is granted (camera, mic, notifications…). */
export function permissionHandler(..._args: unknown[]): boolean {
  return false;
}

/** setPermissionRequestHandler: every request is refused. */
export function permissionRequestHandler(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** setWindowOpenHandler: no new windows, ever (window.open, target=_blank, middle click). */
export function windowOpenHandler(..._args: unknown[]): { action: 'deny' } {
  return { action: 'deny' };
}
