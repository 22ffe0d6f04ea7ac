/**
 * The Content-Security-Policy the test bridge sends with every response. It must stay identical to the one
 * Electron's app:// protocol sends (electron/main/security.ts `cspHeader()`); the bridge does not import from
 * electron/main so that it never pulls Electron code in. tests/browser/csp.spec.ts reads the header off a real
 * response, so a drift shows up as a failing expectation there. (Lead: unify into one module later.)
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
