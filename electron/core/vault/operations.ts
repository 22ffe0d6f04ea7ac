import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputOf, VaultStatus } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { readSettings } from '../settings/store';
import { runTask } from '../tasks/task';
import { latestActivity, recordActivity } from './activity';
import { readProfile } from './profile';
import { Vault } from './vault';
import { assertOutsideVault } from '../platform/files';

type VaultHandlers = Pick<
  Handlers,
  | 'vault.status'
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.changePassphrase'
  | 'vault.overview'
  | 'vault.verify'
  | 'vault.backup'
  | 'vault.restore'
>;

export const vaultHandlers: VaultHandlers = {
  'vault.status': async (ctx) => status(ctx),

  'vault.create': async (ctx, input) => {
    if (ctx.vault || (await Vault.exists(ctx.vaultDir))) throw new AppError('VAULT_EXISTS');
    const { vault, recoveryKey } = await Vault.create(ctx.vaultDir, {
      profile: input.profile,
      passphrase: input.passphrase,
      ...(ctx.kdf ? { kdf: ctx.kdf } : {}),
      now: ctx.now(),
    });
    ctx.vault = vault;
    ctx.log.info('vault.created');
    ctx.emit({ type: 'changed', what: 'vault' });
    return { recoveryKey };
  },

  'vault.unlock': async (ctx, input) => {
    if (ctx.vault) return status(ctx);
    ctx.vault =
      'passphrase' in input
        ? await Vault.unlockWithPassphrase(ctx.vaultDir, input.passphrase)
        : await Vault.unlockWithRecoveryKey(ctx.vaultDir, input.recoveryKey);
    ctx.log.info('vault.unlocked', { with: ctx.vault.unlockedWith });
    return status(ctx);
  },

  'vault.lock': async (ctx) => {
    await lockVault(ctx, 'user');
    return status(ctx);
  },

  'vault.changePassphrase': async (ctx, input) => {
    await Vault.changePassphrase(ctx.vaultDir, input.proof, input.newPassphrase, ctx.kdf ? { kdf: ctx.kdf } : {});
    ctx.log.info('vault.passphrase-changed');
    return { changedAt: ctx.now().toISOString() };
  },

  'vault.overview': async (ctx) => overview(ctx),

  'vault.verify': async (ctx) => {
    const vault = requireVault(ctx);
    const report = await runTask(ctx, 'vault.verify', undefined, (task) =>
      vault.verify((done, total) => task.report('checking', done, total, 'files'), ctx.now),
    );
    recordActivity(vault, new Date(report.at), 'verify', { ok: report.ok, problems: report.problems.length });
    ctx.log.info('vault.verified', { ok: report.ok, files: report.checkedFiles, problems: report.problems.length });
    return report;
  },

  'vault.backup': async (ctx, input) => {
    const vault = requireVault(ctx);
    const destination = await chooseBackupDestination(ctx, input.destination);
    const { bytes } = await runTask(ctx, 'vault.backup', undefined, (task) =>
      vault.backup(destination, (done, total) => task.report('writing', done, total, 'bytes')),
    );
    const at = ctx.now().toISOString();
    recordActivity(vault, ctx.now(), 'backup', { path: destination, bytes });
    ctx.log.info('vault.backed-up', { bytes });
    return { path: destination, bytes, at };
  },

  'vault.restore': async (ctx, input) => {
    if (ctx.vault) {
      throw new AppError('BUSY', 'Lock the vault before restoring a backup into its place.');
    }
    await Vault.restore(ctx.vaultDir, path.resolve(input.source), input.proof);
    ctx.log.info('vault.restored');
    ctx.emit({ type: 'changed', what: 'vault' });
    return status(ctx);
  },
};

/**
 * Locks the vault if it is open and tells listeners why. Safe to call when already locked. OCR workers are
 * stopped too: they may hold page images of records in memory.
 */
export async function lockVault(ctx: CoreContext, reason: 'user' | 'inactivity' | 'system'): Promise<void> {
  const ocr = ctx.ocr;
  ctx.ocr = null;
  await ocr?.close().catch(() => undefined);
  if (!ctx.vault) return;
  ctx.vault.lock();
  ctx.vault = null;
  ctx.log.info('vault.locked', { reason });
  ctx.emit({ type: 'locked', reason });
}

async function status(ctx: CoreContext): Promise<VaultStatus> {
  const location = ctx.vaultDir;
  if (ctx.vault) {
    return {
      state: 'unlocked',
      location,
      unlockedWith: ctx.vault.unlockedWith,
      autoLockMinutes: readSettings(ctx.vault).autoLockMinutes,
    };
  }
  const exists = await Vault.exists(ctx.vaultDir);
  return { state: exists ? 'locked' : 'absent', location, unlockedWith: null, autoLockMinutes: readSettings(null).autoLockMinutes };
}

function overview(ctx: CoreContext): OutputOf<'vault.overview'> {
  const vault = requireVault(ctx);
  const { createdAt, ...profile } = readProfile(vault.db);
  const stored = vault.db.prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM blobs').get() as {
    n: number;
    bytes: number;
  };
  const backup = latestActivity(vault, 'backup');
  const check = latestActivity(vault, 'verify');
  return {
    profile,
    createdAt,
    counts: {
      documents: count(vault, 'SELECT count(*) AS n FROM documents WHERE trashed_at IS NULL'),
      studies: count(vault, 'SELECT count(*) AS n FROM studies'),
      opinions: count(vault, 'SELECT count(*) AS n FROM opinions WHERE trashed_at IS NULL'),
      storedFiles: stored.n,
    },
    storedBytes: stored.bytes,
    lastBackup: backup
      ? { at: backup.at, path: String(backup.detail.path ?? ''), bytes: Number(backup.detail.bytes ?? 0) }
      : null,
    lastCheck: check ? { at: check.at, ok: check.detail.ok === true } : null,
  };
}

function count(vault: Vault, sql: string): number {
  return (vault.db.prepare(sql).get() as { n: number }).n;
}

/**
 * Picks where a backup goes. Without a destination: a dated file in the backups folder. A given destination
 * must not exist yet (never overwrite a file) and must not be inside the vault (a backup must survive it).
 */
async function chooseBackupDestination(ctx: CoreContext, requested: string | undefined): Promise<string> {
  const destination = requested
    ? path.resolve(requested)
    : path.join(ctx.backupDir, `second-opinion-backup-${stamp(ctx.now())}.sobackup`);
  await assertOutsideVault(ctx.vaultDir, destination, 'A backup');
  await fs.mkdir(path.dirname(destination), { recursive: true });
  const exists = await fs.stat(destination).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new AppError('DESTINATION_NOT_EMPTY', 'A file with that name already exists there. Choose another name.');
  }
  return destination;
}

function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[:T]/g, '-');
}
