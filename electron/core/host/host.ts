import type { Readable } from 'node:stream';
import { DEFAULT_MESSAGES } from '../../../shared/errors';
import { fail } from '../../../shared/result';
import type { Core } from '../core';
import { createLogger, type Logger } from '../log';
import {
  BLOB_CHUNK_BYTES,
  INITIAL_BLOB_CREDITS,
  type ByteRange,
  type ClientMessage,
  type HostMessage,
  type LockReason,
  type MessagePortLike,
} from './protocol';

/** The part of the core the host needs (structurally the same as `Core`, so tests can pass fakes). */
export type HostedCore = Pick<Core, 'call' | 'onEvent' | 'openBlob' | 'lock' | 'close'>;

export interface HostOptions {
  /** Largest chunk sent per message (default 64 KiB). */
  chunkBytes?: number;
  /** Chunks in flight per blob stream before the client must pull (default 8). */
  initialCredits?: number;
  /** Called once a `close` request has been handled; the utility entry exits the process here. */
  onClosed?: () => void;
  log?: Logger;
}

export interface RunningHost {
  /** Stops forwarding events and cancels open blob streams (the port itself belongs to the caller). */
  stop(): void;
}

interface BlobState {
  stream: Readable | null;
  credits: number;
  cancelled: boolean;
  wake: (() => void) | null;
}

const LOCK_REASONS: ReadonlySet<string> = new Set(['user', 'inactivity', 'system']);

/**
 * The core process's message loop. It turns messages from Electron's main process into calls on the core,
 * replies with Result envelopes, streams blobs in bounded chunks under the client's credit, and forwards
 * core events. It never throws into the port: malformed messages are dropped and logged by type only.
 */
export function runHost(core: HostedCore, port: MessagePortLike<unknown, HostMessage>, options: HostOptions = {}): RunningHost {
  const chunkBytes = Math.max(1, options.chunkBytes ?? BLOB_CHUNK_BYTES);
  const initialCredits = Math.max(1, options.initialCredits ?? INITIAL_BLOB_CREDITS);
  const log = options.log ?? createLogger();
  const blobs = new Map<number, BlobState>();
  let stopped = false;

  const post = (message: HostMessage) => {
    try {
      port.postMessage(message);
    } catch (error) {
      log.error('host.post-failed', { type: message.type, name: error instanceof Error ? error.name : typeof error });
    }
  };

  const offEvents = core.onEvent((event) => post({ type: 'event', event }));

  const cancelBlob = (id: number) => {
    const state = blobs.get(id);
    if (!state) return;
    state.cancelled = true;
    state.stream?.destroy();
    state.wake?.();
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    offEvents();
    for (const id of [...blobs.keys()]) cancelBlob(id);
  };

  async function handleCall(id: number, operation: unknown, input: unknown) {
    let result;
    try {
      result = await core.call(operation, input);
    } catch {
      // Core.call never throws by contract; this is a last line of defence that leaks nothing.
      result = fail({ code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL });
    }
    post({ type: 'result', id, result });
  }

  async function handleBlob(id: number, blobId: string, range: ByteRange | undefined) {
    if (blobs.has(id)) return;
    const state: BlobState = { stream: null, credits: initialCredits, cancelled: false, wake: null };
    blobs.set(id, state);
    try {
      let opened;
      try {
        opened = await core.openBlob(blobId, range);
      } catch (error) {
        log.warn('host.blob-open-failed', { name: errorName(error) });
        opened = null;
      }
      if (!opened) {
        post({ type: 'blob-open', id, info: null });
        return;
      }
      state.stream = opened.stream;
      if (state.cancelled) {
        opened.stream.destroy();
        return;
      }
      post({ type: 'blob-open', id, info: { size: opened.size, totalSize: opened.totalSize, contentType: opened.contentType } });
      await pump(id, state, opened.stream);
    } finally {
      blobs.delete(id);
    }
  }

  async function pump(id: number, state: BlobState, stream: Readable) {
    try {
      // for-await pulls one chunk at a time, so the source only reads ahead up to its highWaterMark.
      reading: for await (const chunk of stream) {
        const bytes = toBytes(chunk);
        for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
          while (state.credits <= 0 && !state.cancelled) {
            await new Promise<void>((resolve) => {
              state.wake = resolve;
            });
            state.wake = null;
          }
          if (state.cancelled) break reading;
          state.credits -= 1;
          post({ type: 'blob-chunk', id, data: exactCopy(bytes, offset, Math.min(offset + chunkBytes, bytes.byteLength)) });
        }
      }
      if (!state.cancelled) post({ type: 'blob-end', id });
    } catch (error) {
      if (!state.cancelled) {
        // A decryption/authentication failure lands here. Only the kind of error is logged, never data.
        log.warn('host.blob-stream-failed', { name: errorName(error) });
        post({ type: 'blob-error', id });
      }
    } finally {
      stream.destroy();
    }
  }

  async function handleLock(reason: LockReason, id: number | undefined) {
    try {
      await core.lock(reason);
    } catch (error) {
      log.error('host.lock-failed', { name: errorName(error) });
    }
    if (id !== undefined) post({ type: 'done', id });
  }

  async function handleClose(id: number | undefined) {
    stop();
    try {
      await core.close();
    } catch (error) {
      log.error('host.close-failed', { name: errorName(error) });
    }
    if (id !== undefined) post({ type: 'done', id });
    options.onClosed?.();
  }

  port.on('message', (raw) => {
    const message = parseClientMessage(raw);
    if (!message) {
      log.warn('host.bad-message');
      return;
    }
    if (stopped) {
      if (message.type === 'call') post({ type: 'result', id: message.id, result: fail({ code: 'BUSY', message: DEFAULT_MESSAGES.BUSY }) });
      if (message.type === 'blob') post({ type: 'blob-open', id: message.id, info: null });
      if ((message.type === 'lock' || message.type === 'close') && message.id !== undefined) post({ type: 'done', id: message.id });
      return;
    }
    switch (message.type) {
      case 'call':
        void handleCall(message.id, message.operation, message.input);
        break;
      case 'blob':
        void handleBlob(message.id, message.blobId, message.range);
        break;
      case 'blob-pull': {
        const state = blobs.get(message.id);
        if (state) {
          state.credits += message.credits;
          state.wake?.();
        }
        break;
      }
      case 'blob-cancel':
        cancelBlob(message.id);
        break;
      case 'lock':
        void handleLock(message.reason, message.id);
        break;
      case 'close':
        void handleClose(message.id);
        break;
    }
  });

  post({ type: 'ready' });
  return { stop };
}

/** Validates a message from main. Main is trusted, but a wrong shape must not crash the core. */
export function parseClientMessage(raw: unknown): ClientMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const message = raw as Record<string, unknown>;
  const id = message.id;
  const validId = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
  const optionalId = id === undefined || validId;
  switch (message.type) {
    case 'call':
      return validId ? { type: 'call', id: id as number, operation: message.operation, input: message.input } : null;
    case 'blob': {
      if (!validId || typeof message.blobId !== 'string' || message.blobId.length > 256) return null;
      const range = parseRange(message.range);
      if (range === null) return null;
      return range === undefined
        ? { type: 'blob', id: id as number, blobId: message.blobId }
        : { type: 'blob', id: id as number, blobId: message.blobId, range };
    }
    case 'blob-pull': {
      const credits = message.credits;
      if (!validId || typeof credits !== 'number' || !Number.isSafeInteger(credits) || credits < 1 || credits > 1024) return null;
      return { type: 'blob-pull', id: id as number, credits };
    }
    case 'blob-cancel':
      return validId ? { type: 'blob-cancel', id: id as number } : null;
    case 'lock':
      if (!optionalId || typeof message.reason !== 'string' || !LOCK_REASONS.has(message.reason)) return null;
      return { type: 'lock', reason: message.reason as LockReason, ...(validId ? { id: id as number } : {}) };
    case 'close':
      return optionalId ? { type: 'close', ...(validId ? { id: id as number } : {}) } : null;
    default:
      return null;
  }
}

/** undefined: no range; null: malformed. */
function parseRange(raw: unknown): ByteRange | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') return null;
  const { start, end } = raw as { start?: unknown; end?: unknown };
  if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) return null;
  if (end === undefined) return { start };
  if (typeof end !== 'number' || !Number.isSafeInteger(end) || end < start) return null;
  return { start, end };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError('Blob streams must yield bytes.');
}

/**
 * A copy that owns exactly its bytes. Structured clone copies a view's whole backing ArrayBuffer, so sending a
 * 64 KiB view into a pooled or 1 MiB buffer would copy far more than the chunk.
 */
function exactCopy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

function errorName(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return typeof error;
}
