import type { CoreEvent } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { ByteRange, ClientMessage, LockReason, MessagePortLike } from '../core/host/protocol';
import { CoreClient, type OpenedBlob } from './core-client';

/**
 * Owns the core process: starts it, talks to it through a CoreClient, and restarts it if it dies (a crash
 * locks the vault, since the keys lived in that process). Presents the `Core` shape to the rest of main,
 * stable across restarts. Pure: the process is created by an injected `spawn` (utilityProcess.fork in main).
 */
export interface CoreProcess {
  port: MessagePortLike<unknown, ClientMessage>;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface CoreSupervisorOptions {
  spawn: () => CoreProcess;
  /** Restarts allowed within `restartWindowMs` before giving up (default 3 per minute). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Called when the core keeps crashing; main shows an error and quits. */
  onGiveUp?: () => void;
  /** How long close() waits for the core to lock and exit before killing it (default 5 s). */
  closeTimeoutMs?: number;
  now?: () => number;
}

export class CoreSupervisor {
  private client!: CoreClient;
  private process!: CoreProcess;
  private exited = false;
  private closing = false;
  private readonly restarts: number[] = [];
  private readonly listeners = new Set<(event: CoreEvent) => void>();
  private readonly now: () => number;

  constructor(private readonly options: CoreSupervisorOptions) {
    this.now = options.now ?? Date.now;
    this.start();
  }

  get ready(): Promise<void> {
    return this.client.ready;
  }

  call(operation: unknown, input: unknown): Promise<Result<unknown>> {
    return this.client.call(operation, input);
  }

  onEvent(listener: (event: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  openBlob(id: string, range?: ByteRange): Promise<OpenedBlob | null> {
    return this.client.openBlob(id, range);
  }

  lock(reason: LockReason): Promise<void> {
    return this.client.lock(reason);
  }

  /** Locks and stops the core; kills it if it does not exit in time. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const proc = this.process;
    if (this.exited) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.closeTimeoutMs ?? 5_000);
    });
    await Promise.race([this.client.close(), timeout]);
    clearTimeout(timer);
    if (!this.exited) proc.kill();
  }

  private start() {
    const proc = this.options.spawn();
    const client = new CoreClient(proc.port);
    this.process = proc;
    this.client = client;
    this.exited = false;
    client.onEvent((event) => this.emit(event));
    proc.onExit(() => {
      if (proc !== this.process) return;
      this.exited = true;
      client.disconnect();
      if (this.closing) return;
      // The keys were in that process: the vault is locked now. Tell the UI, then start a fresh core.
      this.emit({ type: 'locked', reason: 'system' });
      const at = this.now();
      const windowMs = this.options.restartWindowMs ?? 60_000;
      while (this.restarts.length > 0 && at - this.restarts[0]! > windowMs) this.restarts.shift();
      if (this.restarts.length >= (this.options.maxRestarts ?? 3)) {
        this.options.onGiveUp?.();
        return;
      }
      this.restarts.push(at);
      this.start();
    });
  }

  private emit(event: CoreEvent) {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not stop the others.
      }
    }
  }
}
