import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MAX_STAGED_FILE_BYTES, saveLocationRequest, suggestedFileName } from '../../shared/files';
import type { Core } from '../core/core';
import { bridgeClientScript } from './client-script';
import { cspHeader } from '../main/csp';

/**
 * The test bridge: serves the built renderer to a normal browser (Playwright's Chromium, or a developer's with
 * `npm run web`) and forwards `window.vault` calls to a core running in this Node process.
 *
 * DEV AND TEST ONLY. It is never shipped: Electron uses the preload and app:// instead. Even so it is careful:
 * it listens on 127.0.0.1 only, checks Host (against DNS rebinding) and Origin/Sec-Fetch-Site on every request,
 * and the RPC, event and file routes need a random per-process token that only the served page receives, in an
 * HttpOnly SameSite=Strict cookie. Every response carries the same strict CSP as the app.
 *
 * Imports need paths on disk, which a browser page cannot see. So the client script's `window.files.pathForFile`
 * uploads a picked file to /__bridge/upload; the bridge writes it into its own staging folder (a fresh temporary
 * folder per bridge, deleted on close) and answers with the staged copy's absolute path, never anywhere else.
 * Likewise a browser has no Save dialog: `window.files.chooseSaveLocation` posts its request to
 * /__bridge/save-location and the bridge answers as if the person had picked its own folder `chosen/` inside the
 * staging folder (it makes that folder, never the target: the core writes the packet there).
 */
export interface BridgeOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 or omitted: a random free port. */
  port?: number;
  /** Largest upload accepted for staging (default MAX_STAGED_FILE_BYTES, 200 MB). */
  maxUploadBytes?: number;
}

export interface Bridge {
  url: string;
  port: number;
  /** Where uploaded files are staged (removed by close()). */
  stagingDir: string;
  /** Where chooseSaveLocation points, standing in for the place a person picks (inside stagingDir). */
  chosenDir: string;
  close(): Promise<void>;
}

export const BRIDGE_COOKIE = 'so_bridge';
/** Largest RPC request body accepted; larger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core } = options;
  const rendererRoot = await realpath(path.resolve(options.rendererDir));
  const token = randomBytes(32).toString('base64url');
  const clientScript = bridgeClientScript();
  const csp = cspHeader();
  const eventStreams = new Set<ServerResponse>();
  const maxUploadBytes = options.maxUploadBytes ?? MAX_STAGED_FILE_BYTES;
  const stagingDir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'so-bridge-staging-')));
  // Upload folders are 24 hex digits, so this name never collides with one.
  const chosenDir = path.join(stagingDir, 'chosen');
  let port = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const headers = error instanceof HttpError ? error.headers : {};
      if (!res.headersSent) sendText(res, status, error instanceof HttpError ? error.message : 'Internal error', headers);
      else res.destroy();
    });
  });

  function baseHeaders(res: ServerResponse): void {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
  }

  function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
  }

  function checkRequestOrigin(req: IncomingMessage): void {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    const host = req.headers.host;
    if (!host || !allowedHosts.includes(host.toLowerCase())) throw new HttpError(403, 'Forbidden host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((allowed) => origin === `http://${allowed}`)) {
      throw new HttpError(403, 'Forbidden origin');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'Forbidden site');
  }

  function hasToken(req: IncomingMessage): boolean {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const index = part.indexOf('=');
      if (index < 0 || part.slice(0, index).trim() !== BRIDGE_COOKIE) continue;
      const given = Buffer.from(part.slice(index + 1).trim());
      const expected = Buffer.from(token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
    return false;
  }

  function requireToken(req: IncomingMessage): void {
    if (!hasToken(req)) throw new HttpError(401, 'Missing or wrong bridge token');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    baseHeaders(res);
    checkRequestOrigin(req);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const pathname = url.pathname;
    const method = req.method ?? 'GET';

    if (pathname === '/__bridge/rpc') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed', { Allow: 'POST' });
      requireToken(req);
      return rpc(req, res);
    }
    if (pathname === '/__bridge/upload') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed', { Allow: 'POST' });
      requireToken(req);
      return upload(req, res, url.searchParams.get('name'));
    }
    if (pathname === '/__bridge/save-location') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed', { Allow: 'POST' });
      requireToken(req);
      return saveLocation(req, res);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    if (pathname === '/__bridge/events') {
      requireToken(req);
      return events(req, res);
    }
    if (pathname === '/__bridge/client.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(method === 'HEAD' ? undefined : clientScript);
      return;
    }
    if (pathname.startsWith('/vault/')) {
      requireToken(req);
      return blob(req, res, pathname.slice('/vault/'.length), method === 'HEAD');
    }
    if (pathname === '/' || pathname === '/index.html') return index(res, method === 'HEAD');
    return staticFile(res, pathname, method === 'HEAD');
  }

  async function index(res: ServerResponse, head: boolean): Promise<void> {
    const html = await readFile(path.join(rendererRoot, 'index.html'), 'utf8');
    const tag = '<script src="/__bridge/client.js"></script>';
    const at = html.search(/<script\b/i);
    const injected = at >= 0 ? `${html.slice(0, at)}${tag}\n    ${html.slice(at)}` : html.replace(/<\/head>/i, `${tag}</head>`);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Set-Cookie': `${BRIDGE_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end(head ? undefined : injected);
  }

  async function staticFile(res: ServerResponse, pathname: string, head: boolean): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new HttpError(400, 'Bad path');
    }
    if (decoded.includes('\0') || decoded.includes('\\')) throw new HttpError(400, 'Bad path');
    const candidate = path.resolve(rendererRoot, `.${decoded}`);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      throw new HttpError(404, 'Not found');
    }
    const relative = path.relative(rendererRoot, real);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) throw new HttpError(404, 'Not found');
    const info = await stat(real);
    if (!info.isFile()) throw new HttpError(404, 'Not found');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(info.size),
    });
    if (head) {
      res.end();
      return;
    }
    createReadStream(real)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      throw new HttpError(413, 'Request too large', { Connection: 'close' });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > MAX_BODY_BYTES) {
        req.resume();
        throw new HttpError(413, 'Request too large', { Connection: 'close' });
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  /** A JSON request body (415 for another content type, 400 for bad JSON). */
  async function readJsonBody(req: IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      throw new HttpError(415, 'Expected application/json');
    }
    const body = await readBody(req);
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new HttpError(400, 'Bad JSON');
    }
  }

  async function rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const message = await readJsonBody(req);
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new HttpError(400, 'Bad request');
    const { operation, input } = message as { operation?: unknown; input?: unknown };
    const result = await core.call(operation, input);
    const json = JSON.stringify(result);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(json)) });
    res.end(json);
  }

  /**
   * Stages one uploaded file: raw bytes in the body (application/octet-stream), the file's name in `?name=`.
   * Each upload gets its own new random folder inside the staging folder, so names never collide and the
   * original name survives (the library shows it); the name is reduced to a safe single path segment first.
   */
  async function upload(req: IncomingMessage, res: ServerResponse, rawName: string | null): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/octet-stream') {
      req.resume();
      throw new HttpError(415, 'Expected application/octet-stream');
    }
    const name = sanitizeUploadName(rawName ?? '');
    if (!name) {
      req.resume();
      throw new HttpError(400, 'Bad file name');
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (!Number.isFinite(declared) || declared > maxUploadBytes) {
      req.resume();
      throw new HttpError(413, 'File too large', { Connection: 'close' });
    }
    const folder = path.join(stagingDir, randomBytes(12).toString('hex'));
    const target = path.join(folder, name);
    // Belt and braces: whatever the name was, the file lands directly inside its own staging subfolder.
    if (path.dirname(target) !== folder || !target.startsWith(stagingDir + path.sep)) throw new HttpError(400, 'Bad file name');
    await mkdir(folder, { mode: 0o700 });
    try {
      await receiveInto(req, target, maxUploadBytes);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error instanceof HttpError ? error : new HttpError(400, 'Upload failed');
    }
    const json = JSON.stringify({ path: target });
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(json)) });
    res.end(json);
  }

  /**
   * Stands in for the system's Save dialog: the JSON request of `window.files.chooseSaveLocation`, validated with
   * the same schema as in Electron, answered with `{ path }` = <chosenDir>/<suggested name><format's ending> (the
   * folder made, the target not), or `{ path: null }` when the request is not valid.
   */
  async function saveLocation(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const message = await readJsonBody(req);
    const parsed = saveLocationRequest.safeParse(message);
    let chosen: string | null = null;
    if (parsed.success) {
      const target = path.join(chosenDir, suggestedFileName(parsed.data));
      // Belt and braces: whatever the name was, the answer is directly inside the chosen folder.
      if (path.dirname(target) === chosenDir && target.startsWith(chosenDir + path.sep)) {
        await mkdir(chosenDir, { recursive: true, mode: 0o700 });
        chosen = target;
      }
    }
    const json = JSON.stringify({ path: chosen });
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(json)) });
    res.end(json);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    eventStreams.add(res);
    const unsubscribe = core.onEvent((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      eventStreams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }

  async function blob(req: IncomingMessage, res: ServerResponse, rawId: string, head: boolean): Promise<void> {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw new HttpError(404, 'Not found');
    }
    if (!id || id.includes('/')) throw new HttpError(404, 'Not found');

    const range = parseRange(req.headers.range);
    const common = { 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };

    if (range === null) {
      const whole = await core.openBlob(id);
      if (!whole) throw new HttpError(404, 'Not found');
      res.writeHead(200, { ...common, 'Content-Type': whole.contentType, 'Content-Length': String(whole.size) });
      return pipeBlob(whole.stream, res, head);
    }

    let start: number;
    let end: number | undefined;
    if (range.kind === 'suffix') {
      const total = await blobSize(id);
      if (total === null) throw new HttpError(404, 'Not found');
      if (range.length === 0 || total === 0) throw unsatisfiable(total);
      start = Math.max(0, total - range.length);
      end = total - 1;
    } else {
      start = range.start;
      end = range.end;
      if (end !== undefined && end < start) {
        const total = await blobSize(id);
        if (total === null) throw new HttpError(404, 'Not found');
        throw unsatisfiable(total);
      }
    }
    const part = await core.openBlob(id, { start, end });
    if (!part) {
      const total = await blobSize(id);
      if (total === null) throw new HttpError(404, 'Not found');
      throw unsatisfiable(total);
    }
    const last = start + part.size - 1;
    res.writeHead(206, {
      ...common,
      'Content-Type': part.contentType,
      'Content-Length': String(part.size),
      'Content-Range': `bytes ${start}-${last}/${part.totalSize}`,
    });
    return pipeBlob(part.stream, res, head);
  }

  /** Total size of a stored file, or null when there is no such file (or the vault is locked). */
  async function blobSize(id: string): Promise<number | null> {
    const probe = await core.openBlob(id, { start: 0, end: 0 });
    if (!probe) return null;
    probe.stream.destroy();
    return probe.totalSize;
  }

  function unsatisfiable(total: number): HttpError {
    return new HttpError(416, 'Range not satisfiable', { 'Content-Range': `bytes */${total}`, 'Cache-Control': 'no-store' });
  }

  function pipeBlob(stream: NodeJS.ReadableStream & { destroy(): void }, res: ServerResponse, head: boolean): void {
    if (head) {
      stream.destroy();
      res.end();
      return;
    }
    // A decryption failure (tampered file) ends the response abruptly rather than sending a short, valid one.
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    stagingDir,
    chosenDir,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const stream of eventStreams) stream.end();
        eventStreams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rm(stagingDir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes a request body to a new file, refusing (413) once more than `limit` bytes arrived. The request is not
 * destroyed on refusal, so the 413 can still be sent; the server closes the connection afterwards.
 */
function receiveInto(req: IncomingMessage, target: string, limit: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
    let received = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(out);
      req.resume();
      out.destroy();
      // Wait for the file handle to close before the caller removes the folder.
      out.once('close', () => reject(error));
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(new HttpError(413, 'File too large', { Connection: 'close' }));
    });
    req.once('aborted', () => fail(new HttpError(400, 'Upload interrupted')));
    req.once('error', () => fail(new HttpError(400, 'Upload interrupted')));
    out.once('error', () => fail(new HttpError(500, 'Could not stage the file')));
    out.once('finish', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    req.pipe(out);
  });
}

const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A file name reduced to one safe path segment: the last segment of whatever was sent (either slash), without
 * control or reserved characters, without leading dots or spaces (no "..", no hidden files), at most 200 bytes.
 * Returns '' when nothing usable is left.
 */
export function sanitizeUploadName(raw: string): string {
  const lastSegment = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  let name = lastSegment.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED_NAMES.test(name)) name = `_${name}`;
  while (Buffer.byteLength(name) > 200) {
    const extension = path.extname(name);
    const stem = name.slice(0, name.length - extension.length);
    name = extension.length < 20 && stem.length > 1 ? `${stem.slice(0, -1)}${extension}` : name.slice(0, -1);
  }
  return name;
}

type ParsedRange = { kind: 'from'; start: number; end?: number } | { kind: 'suffix'; length: number };

/**
 * One `bytes=` range, or null to serve the whole file (no header, or a form we do not support such as several
 * ranges: RFC 9110 lets a server ignore Range). Malformed numbers are ignored the same way.
 */
export function parseRange(header: string | undefined): ParsedRange | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from.length > 15 || to.length > 15) return null;
  if (from === '') return { kind: 'suffix', length: Number(to) };
  return to === '' ? { kind: 'from', start: Number(from) } : { kind: 'from', start: Number(from), end: Number(to) };
}
