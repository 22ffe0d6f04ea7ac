/**
 * The Content-Security-Policy of every page of the app: no inline script or style, no eval, nothing loaded from
 * anywhere but the app itself and decrypted vault files. One definition, used by Electron's app:// protocol and
 * by the test bridge (which must not import Electron, hence this module imports nothing).
 */
const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' vault: data: blob:"],
  ['media-src', "'self' vault: blob:"],
  ['connect-src', "'self' vault:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export function cspHeader(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}
