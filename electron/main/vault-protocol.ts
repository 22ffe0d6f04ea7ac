import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { APP_ORIGIN, VAULT_SCHEME } from './security';

/**
 * The vault:// protocol: decrypted stored files for the UI, as `vault://blob/<opaque id>` (security checklist
 * item 13). The URL carries an opaque id only — never a key, a path or a query. Supports one byte range
 * (video seeking, large PDFs); nothing is cached. Pure Node: unit-tested with a fake `openBlob`.
 */

export interface BlobRange {
  start: number;
  /** Inclusive. */
  end?: number;
}

export interface OpenedBlobLike {
  stream: Readable;
  size: number;
  totalSize: number;
  contentType: string;
}

/** core.openBlob: null when the id is unknown or the vault is locked. `end` is inclusive. */
export type OpenBlob = (id: string, range?: BlobRange) => Promise<OpenedBlobLike | null>;

export const VAULT_BLOB_HOST = 'blob';
const BLOB_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** The URL the UI uses for a stored file. */
export function vaultBlobUrl(id: string): string {
  if (!BLOB_ID.test(id)) throw new Error('Not an opaque blob id.');
  return `${VAULT_SCHEME}://${VAULT_BLOB_HOST}/${id}`;
}

/** The opaque id in vault://blob/<id>, or null for any other shape (query strings included). */
export function blobIdFromUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${VAULT_SCHEME}:` || parsed.host !== VAULT_BLOB_HOST) return null;
  if (parsed.username || parsed.password || parsed.port || parsed.search) return null;
  const match = /^\/([^/]+)$/.exec(parsed.pathname);
  const id = match?.[1];
  return id && BLOB_ID.test(id) ? id : null;
}

export type ParsedRange =
  | { kind: 'none' }
  | { kind: 'from'; start: number; end?: number }
  | { kind: 'suffix'; length: number }
  | { kind: 'invalid' };

/**
 * One `bytes=` range (RFC 9110 §14.1.2). A missing header or another unit means "whole file" (a server must
 * ignore units it does not know); several ranges or malformed ones are invalid (answered with 416).
 */
export function parseRangeHeader(header: string | null | undefined): ParsedRange {
  if (header === null || header === undefined) return { kind: 'none' };
  const value = header.trim();
  const unit = /^([A-Za-z]+)\s*=/.exec(value);
  if (!unit) return { kind: 'invalid' };
  if (unit[1]!.toLowerCase() !== 'bytes') return { kind: 'none' };
  const spec = value.slice(unit[0].length).trim();
  const match = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!match) return { kind: 'invalid' };
  const [, first = '', last = ''] = match;
  if (first.length > 15 || last.length > 15) return { kind: 'invalid' };
  if (first === '' && last === '') return { kind: 'invalid' };
  if (first === '') return { kind: 'suffix', length: Number(last) };
  const start = Number(first);
  if (last === '') return { kind: 'from', start };
  const end = Number(last);
  if (end < start) return { kind: 'invalid' };
  return { kind: 'from', start, end };
}

function headers(extra: Record<string, string>): Headers {
  return new Headers({
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
    'Access-Control-Allow-Origin': APP_ORIGIN,
    ...extra,
  });
}

function empty(status: number, extra: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: headers(extra) });
}

function unsatisfiable(totalSize: number): Response {
  return empty(416, { 'Content-Range': `bytes */${totalSize}` });
}

const SAFE_CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(\s*;\s*[a-z0-9_-]+=[a-z0-9_.-]+)?$/i;

function body(blob: OpenedBlobLike, method: string): ReadableStream<Uint8Array> | null {
  if (method === 'HEAD') {
    blob.stream.destroy();
    return null;
  }
  return Readable.toWeb(blob.stream) as unknown as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>;
}

/** Size and existence without reading: opens and immediately closes the stream. */
async function probe(openBlob: OpenBlob, id: string): Promise<number | null> {
  const blob = await openBlob(id);
  if (!blob) return null;
  blob.stream.destroy();
  return blob.totalSize;
}

/**
 * protocol.handle('vault', …) handler body. 200 for the whole file, 206 with Content-Range for one range,
 * 416 for a malformed or unsatisfiable range, 404 for an unknown id, a locked vault or any other URL shape.
 * Every response says `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.
 */
export async function handleVaultRequest(
  request: { url: string; method: string; headers: { get(name: string): string | null } },
  openBlob: OpenBlob,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return empty(405, { Allow: 'GET, HEAD' });
  const id = blobIdFromUrl(request.url);
  if (!id) return empty(404);
  const range = parseRangeHeader(request.headers.get('range'));

  try {
    if (range.kind === 'invalid') {
      const total = await probe(openBlob, id);
      return total === null ? empty(404) : unsatisfiable(total);
    }

    if (range.kind === 'none') {
      const blob = await openBlob(id);
      if (!blob) return empty(404);
      return new Response(body(blob, request.method), {
        status: 200,
        headers: headers({ 'Content-Type': contentType(blob), 'Content-Length': String(blob.size) }),
      });
    }

    let start: number;
    let end: number | undefined;
    if (range.kind === 'suffix') {
      const total = await probe(openBlob, id);
      if (total === null) return empty(404);
      if (range.length === 0 || total === 0) return unsatisfiable(total);
      start = Math.max(0, total - range.length);
      end = total - 1;
    } else {
      start = range.start;
      end = range.end;
    }

    const blob = await openBlob(id, end === undefined ? { start } : { start, end });
    if (!blob) {
      // Either unknown, or the core refused a range that starts past the end: tell them apart.
      const total = await probe(openBlob, id);
      return total === null ? empty(404) : unsatisfiable(total);
    }
    if (start >= blob.totalSize || blob.size <= 0) {
      blob.stream.destroy();
      return unsatisfiable(blob.totalSize);
    }
    const last = start + blob.size - 1;
    return new Response(body(blob, request.method), {
      status: 206,
      headers: headers({
        'Content-Type': contentType(blob),
        'Content-Length': String(blob.size),
        'Content-Range': `bytes ${start}-${last}/${blob.totalSize}`,
      }),
    });
  } catch {
    return empty(500);
  }
}

function contentType(blob: OpenedBlobLike): string {
  return SAFE_CONTENT_TYPE.test(blob.contentType) ? blob.contentType : 'application/octet-stream';
}
