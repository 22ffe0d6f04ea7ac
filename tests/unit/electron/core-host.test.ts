import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/log';
import { hostArgs, hostConfigFrom } from '../../../electron/core/host/config';
import { parseClientMessage, runHost, type HostedCore } from '../../../electron/core/host/host';
import { createMemoryPortPair, fromChildProcess, fromParentPort } from '../../../electron/core/host/port';
import type { ClientMessage, HostMessage } from '../../../electron/core/host/protocol';
import { CoreClient } from '../../../electron/main/core-client';
import type { CoreEvent } from '../../../shared/contract';
import { createdCore, TEST_PASSPHRASE } from '../../helpers/core';

const BLOB_ID = 'f'.repeat(64);
const CHUNK = 16 * 1024;

/** Deterministic bytes: byte i is (i * 31 + 7) mod 251. */
function patternByte(i: number): number {
  return (i * 31 + 7) % 251;
}

/** A lazy source that produces `total` bytes in `piece`-sized reads and counts what it produced. */
function countingSource(total: number, piece = 64 * 1024, failAt?: number) {
  const state = { produced: 0, destroyed: false };
  const stream = new Readable({
    highWaterMark: piece,
    read() {
      if (failAt !== undefined && state.produced >= failAt) {
        this.destroy(new Error('unable to authenticate data'));
        return;
      }
      if (state.produced >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(piece, total - state.produced);
      const buffer = Buffer.allocUnsafe(size);
      for (let i = 0; i < size; i += 1) buffer[i] = patternByte(state.produced + i);
      state.produced += size;
      this.push(buffer);
    },
    destroy(error, callback) {
      state.destroyed = true;
      callback(error);
    },
  });
  return { stream, state };
}

function fakeCore(blobs: Record<string, () => Readable> = {}) {
  const events = new EventEmitter();
  const core = {
    call: vi.fn(async (operation: unknown, input: unknown) => ({ ok: true as const, value: { operation, input } })),
    onEvent: vi.fn((listener: (event: CoreEvent) => void) => {
      events.on('event', listener);
      return () => events.off('event', listener);
    }),
    openBlob: vi.fn(async (id: string, range?: { start: number; end?: number }) => {
      const make = blobs[id];
      if (!make) return null;
      return { stream: make(), size: 0, totalSize: 0, contentType: 'application/pdf', range };
    }),
    lock: vi.fn(async () => {}),
    close: vi.fn(async () => {}),
    emit: (event: CoreEvent) => events.emit('event', event),
  };
  return core;
}

/** Host and client joined by an in-memory port pair; `sent` records what the host posted. */
function connect(core: HostedCore, options: { onClosed?: () => void; blobHighWaterMark?: number } = {}) {
  const [clientPort, hostPort] = createMemoryPortPair<ClientMessage, HostMessage>();
  const sent: HostMessage[] = [];
  const spyPort = {
    postMessage: (message: HostMessage) => {
      sent.push(message);
      hostPort.postMessage(message);
    },
    on: hostPort.on,
  };
  const host = runHost(core, spyPort, { log: silentLogger, chunkBytes: CHUNK, initialCredits: 4, onClosed: options.onClosed });
  const client = new CoreClient(clientPort, { blobHighWaterMark: options.blobHighWaterMark ?? 32 * 1024 });
  return { host, client, sent, clientPort, hostPort };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('core host message loop + main-side client', () => {
  it('announces readiness, answers calls by id, concurrently', async () => {
    const core = fakeCore();
    const { client } = connect(core);
    await client.ready;
    const results = await Promise.all([client.call('vault.status', {}), client.call('settings.get', { a: 1 }), client.call(42, null)]);
    expect(results).toEqual([
      { ok: true, value: { operation: 'vault.status', input: {} } },
      { ok: true, value: { operation: 'settings.get', input: { a: 1 } } },
      { ok: true, value: { operation: 42, input: null } },
    ]);
  });

  it('turns a throwing core.call into an INTERNAL envelope', async () => {
    const core = fakeCore();
    core.call.mockRejectedValueOnce(new Error('secret patient name in message'));
    const { client } = connect(core);
    const result = await client.call('vault.status', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('forwards core events', async () => {
    const core = fakeCore();
    const { client } = connect(core);
    const events: CoreEvent[] = [];
    const off = client.onEvent((event) => events.push(event));
    await client.ready;
    core.emit({ type: 'locked', reason: 'inactivity' });
    core.emit({ type: 'changed', what: 'settings' });
    await tick(5);
    expect(events).toEqual([
      { type: 'locked', reason: 'inactivity' },
      { type: 'changed', what: 'settings' },
    ]);
    off();
    core.emit({ type: 'changed', what: 'vault' });
    await tick(5);
    expect(events).toHaveLength(2);
  });

  it('passes lock requests with their reason and waits for them', async () => {
    const core = fakeCore();
    const { client } = connect(core);
    await client.lock('inactivity');
    await client.lock('system');
    expect(core.lock.mock.calls).toEqual([['inactivity'], ['system']]);
  });

  it('handles close: closes the core, acknowledges, calls onClosed, refuses later calls', async () => {
    const core = fakeCore();
    const onClosed = vi.fn();
    const { client } = connect(core, { onClosed });
    await client.close();
    expect(core.close).toHaveBeenCalledTimes(1);
    expect(onClosed).toHaveBeenCalledTimes(1);
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'BUSY' } });
  });

  it('streams a blob in bounded chunks with the same bytes', async () => {
    const total = 300_000;
    const core = fakeCore({ [BLOB_ID]: () => countingSource(total, 100_000).stream });
    const { client, sent } = connect(core);
    const blob = await client.openBlob(BLOB_ID, { start: 5, end: 99 });
    expect(core.openBlob).toHaveBeenCalledWith(BLOB_ID, { start: 5, end: 99 });
    expect(blob).not.toBeNull();
    const data = await readAll(blob!.stream);
    expect(data.length).toBe(total);
    for (let i = 0; i < total; i += 997) expect(data[i]).toBe(patternByte(i));
    const chunks = sent.filter((message) => message.type === 'blob-chunk');
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / CHUNK));
    for (const chunk of chunks) {
      expect(chunk.data.byteLength).toBeLessThanOrEqual(CHUNK);
      // Each chunk owns exactly its bytes (no whole pooled buffer crossing the process boundary).
      expect(chunk.data.buffer.byteLength).toBe(chunk.data.byteLength);
    }
    expect(sent.at(-1)).toMatchObject({ type: 'blob-end' });
  });

  it('answers null for an unknown blob or a throwing openBlob', async () => {
    const core = fakeCore();
    const { client } = connect(core);
    await expect(client.openBlob('0'.repeat(64))).resolves.toBeNull();
    core.openBlob.mockRejectedValueOnce(new Error('boom'));
    await expect(client.openBlob(BLOB_ID)).resolves.toBeNull();
  });

  it('applies backpressure: a consumer that does not read stops the source (no whole-file buffering)', async () => {
    const total = 8 * 1024 * 1024;
    const source = countingSource(total, 64 * 1024);
    const core = fakeCore({ [BLOB_ID]: () => source.stream });
    const { client, sent } = connect(core, { blobHighWaterMark: 32 * 1024 });
    const blob = await client.openBlob(BLOB_ID);
    await tick(50);
    const produced = source.state.produced;
    // Bound: host credits (4 × 16 KiB) + source read-ahead + client buffer — far below the file.
    expect(produced).toBeLessThanOrEqual(512 * 1024);
    expect(sent.filter((message) => message.type === 'blob-chunk').length).toBeLessThanOrEqual(8);
    await tick(50);
    expect(source.state.produced).toBe(produced); // stays stalled while nobody reads
    const data = await readAll(blob!.stream);
    expect(data.length).toBe(total);
    expect(data[total - 1]).toBe(patternByte(total - 1));
  });

  it('cancels the source when the consumer goes away mid-stream', async () => {
    const source = countingSource(50 * 1024 * 1024);
    const core = fakeCore({ [BLOB_ID]: () => source.stream });
    const { client } = connect(core);
    const blob = await client.openBlob(BLOB_ID);
    const first = await new Promise<Buffer>((resolve) => blob!.stream.once('data', resolve));
    expect(first.length).toBeGreaterThan(0);
    blob!.stream.destroy();
    await tick(30);
    expect(source.state.destroyed).toBe(true);
    expect(source.state.produced).toBeLessThan(2 * 1024 * 1024);
  });

  it('errors the client stream when the source fails (e.g. a tampered segment)', async () => {
    const core = fakeCore({ [BLOB_ID]: () => countingSource(1024 * 1024, 64 * 1024, 128 * 1024).stream });
    const { client } = connect(core);
    const blob = await client.openBlob(BLOB_ID);
    await expect(readAll(blob!.stream)).rejects.toThrow('The stored file could not be read.');
  });

  it('drops malformed messages and keeps serving', async () => {
    const core = fakeCore();
    const { client, clientPort } = connect(core);
    for (const junk of [null, 'x', 42, {}, { type: 'call' }, { type: 'call', id: -1 }, { type: 'lock', reason: 'whenever' }, { type: 'blob', id: 1, blobId: 5 }, { type: 'blob-pull', id: 1, credits: 1e9 }]) {
      clientPort.postMessage(junk as unknown as ClientMessage);
    }
    await tick(5);
    expect(core.lock).not.toHaveBeenCalled();
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ ok: true });
  });

  it('fails pending work readably when the core process disappears', async () => {
    const core = fakeCore();
    core.call.mockImplementation(() => new Promise(() => {}));
    const { client } = connect(core);
    const pending = client.call('vault.backup', {});
    await tick(5);
    client.disconnect();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ ok: false });
    await expect(client.openBlob(BLOB_ID)).resolves.toBeNull();
  });

  it('works with the real core: status, create, lock → locked event', async () => {
    const { core } = await createdCore();
    const { client } = connect(core);
    const events: CoreEvent[] = [];
    client.onEvent((event) => events.push(event));
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ ok: true, value: { state: 'unlocked' } });
    await client.lock('inactivity');
    await tick(5);
    expect(events).toContainEqual({ type: 'locked', reason: 'inactivity' });
    await expect(client.call('vault.overview', {})).resolves.toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await expect(client.openBlob(BLOB_ID)).resolves.toBeNull();
    await expect(client.call('vault.unlock', { passphrase: TEST_PASSPHRASE })).resolves.toMatchObject({ ok: true });
    await expect(client.call('no.such.operation', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    await client.close();
  });
});

describe('parseClientMessage', () => {
  it.each<[unknown, unknown]>([
    [{ type: 'call', id: 1, operation: 'x', input: {} }, { type: 'call', id: 1, operation: 'x', input: {} }],
    [{ type: 'blob', id: 2, blobId: 'abc' }, { type: 'blob', id: 2, blobId: 'abc' }],
    [{ type: 'blob', id: 2, blobId: 'abc', range: { start: 3 } }, { type: 'blob', id: 2, blobId: 'abc', range: { start: 3 } }],
    [{ type: 'blob', id: 2, blobId: 'abc', range: { start: 3, end: 2 } }, null],
    [{ type: 'blob', id: 2, blobId: 'abc', range: { start: -1 } }, null],
    [{ type: 'blob-pull', id: 2, credits: 3 }, { type: 'blob-pull', id: 2, credits: 3 }],
    [{ type: 'blob-pull', id: 2, credits: 0 }, null],
    [{ type: 'blob-cancel', id: 2 }, { type: 'blob-cancel', id: 2 }],
    [{ type: 'lock', reason: 'user' }, { type: 'lock', reason: 'user' }],
    [{ type: 'lock', reason: 'system', id: 9 }, { type: 'lock', reason: 'system', id: 9 }],
    [{ type: 'lock', reason: 'nope' }, null],
    [{ type: 'close' }, { type: 'close' }],
    [{ type: 'call', id: 1.5 }, null],
    [{ type: 'other', id: 1 }, null],
    [undefined, null],
  ])('%o → %o', (raw, parsed) => {
    expect(parseClientMessage(raw)).toEqual(parsed);
  });
});

describe('port adapters and host configuration', () => {
  it('adapts Electron parentPort ({ data } events) and child_process send/on', () => {
    const parent = Object.assign(new EventEmitter(), { postMessage: vi.fn() });
    const port = fromParentPort(parent);
    const received: unknown[] = [];
    port.on('message', (message) => received.push(message));
    parent.emit('message', { data: { type: 'close' } });
    port.postMessage({ type: 'ready' });
    expect(received).toEqual([{ type: 'close' }]);
    expect(parent.postMessage).toHaveBeenCalledWith({ type: 'ready' });

    const child = Object.assign(new EventEmitter(), { send: vi.fn(() => true) });
    const childPort = fromChildProcess(child);
    childPort.on('message', (message) => received.push(message));
    child.emit('message', { type: 'lock', reason: 'user' });
    childPort.postMessage({ type: 'ready' });
    expect(received.at(-1)).toEqual({ type: 'lock', reason: 'user' });
    expect(child.send).toHaveBeenCalledWith({ type: 'ready' });
    expect(() => fromChildProcess(new EventEmitter())).toThrow();
  });

  it('reads the vault folder from main’s arguments, then SECOND_OPINION_VAULT', () => {
    const args = hostArgs({ vaultDir: '/data/vault', backupDir: '/data/backups' });
    expect(hostConfigFrom(['/usr/bin/electron', 'core-host.cjs', ...args], {})).toEqual({ vaultDir: '/data/vault', backupDir: '/data/backups' });
    expect(hostConfigFrom([], { SECOND_OPINION_VAULT: '/env/vault' })).toEqual({ vaultDir: '/env/vault' });
    expect(hostConfigFrom([], { HOME: '/home/x', XDG_DATA_HOME: '/xdg' }).vaultDir).toMatch(/vault$/i);
  });
});
