import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { CoreEvent } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { CoreContext } from './context';
import { dispatch } from './dispatch';
import { Gate } from './gate';
import { createLogger, type Logger } from './log';
import { defaultBackupDir, defaultExportDir } from './platform/paths';
import type { KdfCost } from './vault/keys';
import { cancelAllTasks } from './tasks/task';
import { lockVault } from './vault/operations';

export interface CoreOptions {
  vaultDir: string;
  backupDir?: string;
  exportDir?: string;
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

/** Operations that replace the vault's state wait for all other work and run alone (see Gate). */
const EXCLUSIVE_OPERATIONS = new Set([
  'vault.create',
  'vault.unlock',
  'vault.lock',
  'vault.changePassphrase',
  'vault.backup',
  'vault.restore',
]);

export function createCore(options: CoreOptions): Core {
  const events = new EventEmitter();
  const ctx: CoreContext = {
    vaultDir: path.resolve(options.vaultDir),
    backupDir: path.resolve(options.backupDir ?? defaultBackupDir()),
    exportDir: path.resolve(options.exportDir ?? defaultExportDir()),
    now: options.now ?? (() => new Date()),
    log: options.log ?? createLogger(),
    kdf: options.kdf,
    vault: null,
    ocr: null,
    tasks: new Map(),
    events,
    emit: (event) => events.emit('event', event),
  };

  const gate = new Gate();
  // Locking must not wait behind a long import: running tasks are told to stop first, then the lock waits
  // for them to wind down (each stops between whole documents, so nothing is left half-made).
  const lockNow = (reason: 'user' | 'inactivity' | 'system') => {
    cancelAllTasks(ctx);
    return gate.run(true, () => lockVault(ctx, reason));
  };

  return {
    call(operation, input) {
      if (operation === 'vault.lock') cancelAllTasks(ctx);
      if (operation === 'tasks.cancel') return dispatch(ctx, operation, input);
      const exclusive = typeof operation === 'string' && EXCLUSIVE_OPERATIONS.has(operation);
      return gate.run(exclusive, () => dispatch(ctx, operation, input));
    },
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    async openBlob(id, range) {
      const vault = ctx.vault;
      if (!vault || !BLOB_ID.test(id)) return null;
      const row = vault.db.prepare('SELECT size FROM blobs WHERE id = ?').get(id) as { size: number } | undefined;
      if (!row) return null;
      const contentType = contentTypeOf(vault, id);
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? row.size - 1, row.size - 1);
      if (start < 0 || start > end) return null;
      return {
        stream: vault.blobs.openRange(id, start, end),
        size: end - start + 1,
        totalSize: row.size,
        contentType,
      };
    },
    lock: lockNow,
    close: () => lockNow('system'),
  };
}

/**
 * Tests and the dev bridge may ask for a cheap KDF with SECOND_OPINION_TEST_FAST_KDF=1 so that hundreds of
 * vault creations stay fast. The packaged app never reads this (Electron's main passes no `kdf`).
 */
export function testKdfFromEnv(env: NodeJS.ProcessEnv = process.env): KdfCost | undefined {
  return env.SECOND_OPINION_TEST_FAST_KDF === '1' ? { memoryKiB: 1024, passes: 1, parallelism: 1 } : undefined;
}

/**
 * The type to serve a stored file with: the original's type when it is a document, the thumbnail format for
 * pictures we made, else a download. (Responses also carry nosniff, so a wrong guess cannot become script.)
 */
function contentTypeOf(vault: NonNullable<CoreContext['vault']>, blobId: string): string {
  // One query: this runs for every range request the viewer makes while paging through a document.
  const row = vault.db
    .prepare(
      `SELECT (SELECT mime_type FROM documents WHERE blob_id = @id LIMIT 1) AS document,
              EXISTS (SELECT 1 FROM documents WHERE thumbnail_blob_id = @id) AS documentThumbnail,
              EXISTS (SELECT 1 FROM series WHERE thumbnail_blob_id = @id) AS seriesThumbnail,
              EXISTS (SELECT 1 FROM instances WHERE blob_id = @id) AS instance`,
    )
    .get({ id: blobId }) as { document: string | null; documentThumbnail: number; seriesThumbnail: number; instance: number };
  // HTML reports from discs are shown as text, never rendered: their markup is not ours to trust.
  if (row.document) return row.document === 'text/html' ? 'text/plain; charset=utf-8' : row.document;
  if (row.documentThumbnail) return THUMBNAIL_TYPE;
  if (row.seriesThumbnail) return 'image/webp';
  if (row.instance) return 'application/dicom';
  return 'application/octet-stream';
}

/** Format of every thumbnail the app makes (documents and imaging series). */
export const THUMBNAIL_TYPE = 'image/jpeg';
