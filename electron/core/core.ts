import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { CoreEvent } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { CoreContext } from './context';
import { dispatch } from './dispatch';
import { createLogger, type Logger } from './log';
import { defaultBackupDir } from './platform/paths';
import type { KdfCost } from './vault/keys';
import { lockVault } from './vault/operations';

export interface CoreOptions {
  vaultDir: string;
  backupDir?: string;
  log?: Logger;
  now?: () => Date;
  /** Lower Argon2id cost, for tests only (see `testKdfFromEnv`). */
  kdf?: KdfCost;
}

export interface BlobResponse {
  stream: Readable;
  /** Bytes in this response (the range). */
  size: number;
  /** Bytes in the whole stored file. */
  totalSize: number;
  contentType: string;
}

/** The core as its hosts see it: Electron's utility process, the CLI and the test bridge. */
export interface Core {
  call(operation: unknown, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  openBlob(id: string, range?: { start: number; end?: number }): Promise<BlobResponse | null>;
  lock(reason: 'user' | 'inactivity' | 'system'): Promise<void>;
  close(): Promise<void>;
}

const BLOB_ID = /^[a-f0-9]{64}$/;

export function createCore(options: CoreOptions): Core {
  const events = new EventEmitter();
  const ctx: CoreContext = {
    vaultDir: path.resolve(options.vaultDir),
    backupDir: path.resolve(options.backupDir ?? defaultBackupDir()),
    now: options.now ?? (() => new Date()),
    log: options.log ?? createLogger(),
    kdf: options.kdf,
    vault: null,
    events,
    emit: (event) => events.emit('event', event),
  };

  // One call at a time: the vault is a single SQLite connection and operations like lock or restore
  // must not interleave with an import. Calls queue; the UI shows progress meanwhile.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    call: (operation, input) => serialize(() => dispatch(ctx, operation, input)),
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    async openBlob(id, range) {
      const vault = ctx.vault;
      if (!vault || !BLOB_ID.test(id)) return null;
      const row = vault.db.prepare('SELECT size FROM blobs WHERE id = ?').get(id) as { size: number } | undefined;
      if (!row) return null;
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? row.size - 1, row.size - 1);
      if (start < 0 || start > end) return null;
      return {
        stream: vault.blobs.openRange(id, start, end),
        size: end - start + 1,
        totalSize: row.size,
        contentType: 'application/octet-stream',
      };
    },
    lock: (reason) => serialize(async () => lockVault(ctx, reason)),
    close: () => serialize(async () => lockVault(ctx, 'system')),
  };
}

/**
 * Tests and the dev bridge may ask for a cheap KDF with SECOND_OPINION_TEST_FAST_KDF=1 so that hundreds of
 * vault creations stay fast. The packaged app never reads this (Electron's main passes no `kdf`).
 */
export function testKdfFromEnv(env: NodeJS.ProcessEnv = process.env): KdfCost | undefined {
  return env.SECOND_OPINION_TEST_FAST_KDF === '1' ? { memoryKiB: 1024, passes: 1, parallelism: 1 } : undefined;
}
