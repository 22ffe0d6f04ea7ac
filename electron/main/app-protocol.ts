import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, cspHeader } from './security';

/**
 * The app:// protocol: serves the built renderer (dist/renderer) as app://bundle/… instead of file://
 * (security checklist item 12). Every response carries the strict CSP. Pure Node: unit-tested without Electron.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps the path of an app://bundle URL to a file inside `root`, or null when it is not a file inside it.
 * Refuses `..` in any spelling (`..`, `%2e%2e`, `.%2E`), encoded separators, backslashes, NUL, drive letters,
 * and — after resolving symlinks of both root and file with realpath — anything whose path relative to the
 * root starts with `..` or is absolute (so neither /bundle-evil prefix tricks nor escaping symlinks work).
 */
export async function resolveBundlePath(root: string, urlPath: string): Promise<string | null> {
  if (typeof urlPath !== 'string' || !urlPath.startsWith('/') || urlPath.length > 2048) return null;
  const segments: string[] = [];
  for (const raw of urlPath.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..') return null;
    if (/[/\\\0]/.test(segment) || segment.includes(':')) return null;
    segments.push(segment);
  }
  if (segments.length === 0) return null;

  const absoluteRoot = path.resolve(root);
  const candidate = path.join(absoluteRoot, ...segments);
  if (!isInside(absoluteRoot, candidate)) return null;

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await fs.realpath(absoluteRoot);
    realFile = await fs.realpath(candidate);
  } catch {
    return null;
  }
  if (!isInside(realRoot, realFile)) return null;
  try {
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return null;
  } catch {
    return null;
  }
  return realFile;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Headers common to every app:// response. */
function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': cspHeader(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, extra: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...baseHeaders(), ...extra } });
}

/** protocol.handle('app', …) handler body: GET/HEAD of files under `root` on host `bundle` only. */
export async function handleAppRequest(request: Pick<Request, 'url' | 'method'>, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, { Allow: 'GET, HEAD' });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return plain(400);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return plain(404);
  const pathname = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
  const file = await resolveBundlePath(root, pathname);
  if (!file) return plain(404);
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return plain(404);
  }
  const headers = { ...baseHeaders(), 'Content-Type': contentTypeFor(file), 'Content-Length': String(body.byteLength) };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}
