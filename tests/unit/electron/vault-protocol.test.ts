import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  blobIdFromUrl,
  handleVaultRequest,
  parseRangeHeader,
  vaultBlobUrl,
  type BlobRange,
  type OpenBlob,
} from '../../../electron/main/vault-protocol';

// Security checklist item 13: vault://blob/<opaque id>, byte ranges, no-store, 404 for unknown or locked.
const ID = 'a'.repeat(64);
const OTHER_ID = 'b'.repeat(64);
const DATA = crypto.randomBytes(5000);

/** Behaves like core.openBlob: inclusive end clamped to the size; null when unknown, locked or out of range. */
function fakeCore(options: { locked?: boolean; failAfter?: number; contentType?: string } = {}) {
  const opened: Array<BlobRange | undefined> = [];
  const streams: Readable[] = [];
  const openBlob: OpenBlob = async (id, range) => {
    opened.push(range);
    if (options.locked || id !== ID) return null;
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? DATA.length - 1, DATA.length - 1);
    if (start < 0 || start > end) return null;
    const slice = DATA.subarray(start, end + 1);
    const stream =
      options.failAfter === undefined
        ? Readable.from([slice.subarray(0, 1000), slice.subarray(1000)])
        : new Readable({
            read() {
              this.push(slice.subarray(0, options.failAfter));
              this.destroy(new Error('authentication tag mismatch'));
            },
          });
    streams.push(stream);
    return { stream, size: slice.length, totalSize: DATA.length, contentType: options.contentType ?? 'application/pdf' };
  };
  return { openBlob, opened, streams };
}

const request = (url: string, range?: string, method = 'GET') => ({
  url,
  method,
  headers: new Headers(range === undefined ? {} : { range }),
});

async function bytes(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

function expectCommonHeaders(response: Response) {
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('handleVaultRequest', () => {
  it('200 with the whole file when there is no Range', async () => {
    const { openBlob } = fakeCore();
    const response = await handleVaultRequest(request(vaultBlobUrl(ID)), openBlob);
    expect(response.status).toBe(200);
    expectCommonHeaders(response);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe('5000');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-range')).toBeNull();
    expect((await bytes(response)).equals(DATA)).toBe(true);
  });

  it('206: bytes=1000- equals the plaintext slice', async () => {
    const { openBlob, opened } = fakeCore();
    const response = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=1000-'), openBlob);
    expect(response.status).toBe(206);
    expectCommonHeaders(response);
    expect(response.headers.get('content-range')).toBe('bytes 1000-4999/5000');
    expect(response.headers.get('content-length')).toBe('4000');
    expect((await bytes(response)).equals(DATA.subarray(1000))).toBe(true);
    expect(opened).toEqual([{ start: 1000 }]);
  });

  it('206: bounded range, and an end past the file is clamped', async () => {
    const { openBlob } = fakeCore();
    const bounded = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=10-19'), openBlob);
    expect(bounded.status).toBe(206);
    expect(bounded.headers.get('content-range')).toBe('bytes 10-19/5000');
    expect((await bytes(bounded)).equals(DATA.subarray(10, 20))).toBe(true);
    const clamped = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=4990-999999'), openBlob);
    expect(clamped.headers.get('content-range')).toBe('bytes 4990-4999/5000');
    expect((await bytes(clamped)).equals(DATA.subarray(4990))).toBe(true);
    const first = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=0-0'), openBlob);
    expect((await bytes(first)).equals(DATA.subarray(0, 1))).toBe(true);
  });

  it('206: suffix ranges give the last N bytes (or the whole file if N is larger)', async () => {
    const { openBlob } = fakeCore();
    const last = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=-500'), openBlob);
    expect(last.status).toBe(206);
    expect(last.headers.get('content-range')).toBe('bytes 4500-4999/5000');
    expect((await bytes(last)).equals(DATA.subarray(4500))).toBe(true);
    const all = await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=-99999'), openBlob);
    expect(all.headers.get('content-range')).toBe('bytes 0-4999/5000');
    expect((await bytes(all)).equals(DATA)).toBe(true);
  });

  it.each(['bytes=5000-', 'bytes=9000-9999', 'bytes=-0', 'bytes=20-10', 'bytes=abc', 'bytes=0-1,5-6', 'bytes=-', 'bytes 0-1', '=0-1'])(
    '416 for %s, with Content-Range bytes */size',
    async (range) => {
      const { openBlob, streams } = fakeCore();
      const response = await handleVaultRequest(request(vaultBlobUrl(ID), range), openBlob);
      expect(response.status).toBe(416);
      expectCommonHeaders(response);
      expect(response.headers.get('content-range')).toBe('bytes */5000');
      expect(streams.every((stream) => stream.destroyed)).toBe(true);
    },
  );

  it('ignores a range in another unit (200)', async () => {
    const { openBlob } = fakeCore();
    const response = await handleVaultRequest(request(vaultBlobUrl(ID), 'items=0-1'), openBlob);
    expect(response.status).toBe(200);
  });

  it.each([
    ['unknown id', `vault://blob/${OTHER_ID}`],
    ['id in another format', 'vault://blob/../../etc/passwd'],
    ['too short id', 'vault://blob/abc'],
    ['path inside', `vault://blob/${ID}/extra`],
    ['query string (keys never travel in URLs)', `vault://blob/${ID}?key=00ff`],
    ['other host', `vault://file/${ID}`],
    ['other scheme', `app://blob/${ID}`],
    ['credentials', `vault://u:p@blob/${ID}`],
  ])('404 for %s', async (_name, url) => {
    const { openBlob } = fakeCore();
    const response = await handleVaultRequest(request(url), openBlob);
    expect(response.status).toBe(404);
    expectCommonHeaders(response);
    expect(await response.text()).toBe('');
  });

  it('404 when the vault is locked, also for ranges', async () => {
    const { openBlob } = fakeCore({ locked: true });
    expect((await handleVaultRequest(request(vaultBlobUrl(ID)), openBlob)).status).toBe(404);
    expect((await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=1000-'), openBlob)).status).toBe(404);
    expect((await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=-10'), openBlob)).status).toBe(404);
    expect((await handleVaultRequest(request(vaultBlobUrl(ID), 'bytes=zz'), openBlob)).status).toBe(404);
  });

  it('HEAD answers headers only and closes the stream', async () => {
    const { openBlob, streams } = fakeCore();
    const response = await handleVaultRequest(request(vaultBlobUrl(ID), undefined, 'HEAD'), openBlob);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('5000');
    expect(await response.text()).toBe('');
    expect(streams[0]?.destroyed).toBe(true);
  });

  it('405 for other methods', async () => {
    const { openBlob } = fakeCore();
    expect((await handleVaultRequest(request(vaultBlobUrl(ID), undefined, 'POST'), openBlob)).status).toBe(405);
  });

  it('a stream failure (tampered ciphertext) errors the body instead of ending it cleanly', async () => {
    const { openBlob } = fakeCore({ failAfter: 100 });
    const response = await handleVaultRequest(request(vaultBlobUrl(ID)), openBlob);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it('never echoes a content type that could be abused', async () => {
    const { openBlob } = fakeCore({ contentType: 'text/html\r\nSet-Cookie: x=1' });
    const response = await handleVaultRequest(request(vaultBlobUrl(ID)), openBlob);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });
});

describe('URLs and Range parsing', () => {
  it('builds and parses vault://blob/<id> only for opaque ids', () => {
    expect(vaultBlobUrl(ID)).toBe(`vault://blob/${ID}`);
    expect(blobIdFromUrl(vaultBlobUrl(ID))).toBe(ID);
    expect(() => vaultBlobUrl('../../x')).toThrow();
    expect(() => vaultBlobUrl('a/b/c/d/e/f/g/h')).toThrow();
  });

  it.each([
    [null, { kind: 'none' }],
    ['bytes=0-', { kind: 'from', start: 0 }],
    ['bytes=1000-', { kind: 'from', start: 1000 }],
    ['bytes=5-9', { kind: 'from', start: 5, end: 9 }],
    ['Bytes = 5 - 9', { kind: 'from', start: 5, end: 9 }],
    ['bytes=-300', { kind: 'suffix', length: 300 }],
    ['bytes=9-5', { kind: 'invalid' }],
    ['bytes=1-2,4-5', { kind: 'invalid' }],
    ['bytes=1e3-', { kind: 'invalid' }],
    ['bytes=99999999999999999-', { kind: 'invalid' }],
    ['items=1-2', { kind: 'none' }],
  ])('%s → %o', (header, parsed) => {
    expect(parseRangeHeader(header)).toEqual(parsed);
  });
});
