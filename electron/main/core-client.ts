import { Readable } from 'node:stream';
import type { CoreEvent } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type {
  BlobInfo,
  ByteRange,
  ClientMessage,
  HostMessage,
  LockReason,
  MessagePortLike,
} from '../core/host/protocol';

/**
 * Main-process side of the core process: the same shape as `Core` (call, onEvent, openBlob, lock, close),
 * implemented by messages to the host loop in electron/core/host. Pure Node; no electron import, so it is
 * tested against the real host loop over an in-memory port.
 */
export interface OpenedBlob extends BlobInfo {
  stream: Readable;
}

export interface CoreClientOptions {
  /** Bytes the client buffers per blob stream before it stops granting the host more chunks. */
  blobHighWaterMark?: number;
}

const STOPPED_MESSAGE =
  'The part of the app that keeps your vault stopped unexpectedly. It is starting again; please unlock and try once more.';

interface OpenStream {
  stream: Readable;
  owed: number;
  finished: boolean;
}

export class CoreClient {
  readonly ready: Promise<void>;
  private nextId = 1;
  private connected = true;
  private markReady: () => void = () => {};
  private readonly calls = new Map<number, (result: Result<unknown>) => void>();
  private readonly opens = new Map<number, (blob: OpenedBlob | null) => void>();
  private readonly streams = new Map<number, OpenStream>();
  private readonly dones = new Map<number, () => void>();
  private readonly listeners = new Set<(event: CoreEvent) => void>();
  private readonly highWaterMark: number;

  constructor(
    private readonly port: MessagePortLike<unknown, ClientMessage>,
    options: CoreClientOptions = {},
  ) {
    this.highWaterMark = options.blobHighWaterMark ?? 256 * 1024;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    port.on('message', (message) => this.receive(message as HostMessage));
  }

  call(operation: unknown, input: unknown): Promise<Result<unknown>> {
    if (!this.connected) return Promise.resolve(stoppedResult());
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.send({ type: 'call', id, operation, input });
    });
  }

  onEvent(listener: (event: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  openBlob(blobId: string, range?: ByteRange): Promise<OpenedBlob | null> {
    if (!this.connected) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.opens.set(id, resolve);
      this.send(range ? { type: 'blob', id, blobId, range } : { type: 'blob', id, blobId });
    });
  }

  lock(reason: LockReason): Promise<void> {
    return this.request({ type: 'lock', reason, id: this.nextId++ });
  }

  close(): Promise<void> {
    return this.request({ type: 'close', id: this.nextId++ });
  }

  /**
   * The core process is gone (crash or exit). Pending calls resolve with a readable failure, pending opens
   * with null, open streams error. Later calls fail the same way until a new client is made.
   */
  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    for (const resolve of this.calls.values()) resolve(stoppedResult());
    this.calls.clear();
    for (const resolve of this.opens.values()) resolve(null);
    this.opens.clear();
    for (const open of this.streams.values()) {
      open.finished = true;
      open.stream.destroy(new Error('The vault process stopped.'));
    }
    this.streams.clear();
    for (const done of this.dones.values()) done();
    this.dones.clear();
  }

  private request(message: ClientMessage & { id: number }): Promise<void> {
    if (!this.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.dones.set(message.id, resolve);
      this.send(message);
    });
  }

  private send(message: ClientMessage) {
    try {
      this.port.postMessage(message);
    } catch {
      this.disconnect();
    }
  }

  private receive(message: HostMessage) {
    if (typeof message !== 'object' || message === null) return;
    switch (message.type) {
      case 'ready':
        this.markReady();
        break;
      case 'result': {
        const resolve = this.calls.get(message.id);
        if (!resolve) return;
        this.calls.delete(message.id);
        resolve(message.result);
        break;
      }
      case 'event':
        for (const listener of [...this.listeners]) {
          try {
            listener(message.event);
          } catch {
            // A listener's failure must not stop the others.
          }
        }
        break;
      case 'blob-open':
        this.opened(message.id, message.info);
        break;
      case 'blob-chunk': {
        const open = this.streams.get(message.id);
        if (!open || open.finished) return;
        const data = message.data;
        const more = open.stream.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        open.owed += 1;
        if (more) this.grant(message.id, open);
        break;
      }
      case 'blob-end': {
        const open = this.streams.get(message.id);
        if (!open) return;
        open.finished = true;
        this.streams.delete(message.id);
        open.stream.push(null);
        break;
      }
      case 'blob-error': {
        const open = this.streams.get(message.id);
        if (!open) return;
        open.finished = true;
        this.streams.delete(message.id);
        open.stream.destroy(new Error('The stored file could not be read.'));
        break;
      }
      case 'done': {
        const done = this.dones.get(message.id);
        if (!done) return;
        this.dones.delete(message.id);
        done();
        break;
      }
    }
  }

  private opened(id: number, info: BlobInfo | null) {
    const resolve = this.opens.get(id);
    if (!resolve) return;
    this.opens.delete(id);
    if (!info) {
      resolve(null);
      return;
    }
    const open: OpenStream = {
      finished: false,
      owed: 0,
      stream: new Readable({
        highWaterMark: this.highWaterMark,
        read: () => this.grant(id, open),
        destroy: (error, callback) => {
          if (!open.finished) {
            // The consumer went away (a seek, a closed view): tell the host to stop reading and decrypting.
            open.finished = true;
            this.streams.delete(id);
            this.send({ type: 'blob-cancel', id });
          }
          callback(error);
        },
      }),
    };
    this.streams.set(id, open);
    resolve({ stream: open.stream, size: info.size, totalSize: info.totalSize, contentType: info.contentType });
  }

  /** Returns consumed chunks to the host as credits, so it may send that many more. */
  private grant(id: number, open: OpenStream) {
    if (open.finished || open.owed === 0) return;
    const credits = open.owed;
    open.owed = 0;
    this.send({ type: 'blob-pull', id, credits });
  }
}

function stoppedResult(): Result<never> {
  return fail({ code: 'INTERNAL', message: STOPPED_MESSAGE });
}
