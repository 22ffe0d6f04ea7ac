import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';

/**
 * One process at a time may have a vault open: unlocking sweeps crash leftovers (temp and orphan files), which
 * would destroy another process's import in progress. The desktop app and the CLI therefore take this lock file
 * while the vault is unlocked. A lock left by a process that no longer runs (a crash) is taken over.
 */
const LOCK_FILE = '.vault-open.lock';
const lockContent = z.object({ pid: z.number().int(), host: z.string(), since: z.string() });

export interface ProcessLock {
  release(): void;
}

export function acquireProcessLock(vaultDir: string): ProcessLock {
  const file = path.join(vaultDir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!isStale(file)) {
        throw new AppError('BUSY', 'This vault is open in another Second Opinion window or command. Close it there first, then try again.');
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('BUSY');
}

function isStale(file: string): boolean {
  let holder;
  try {
    holder = lockContent.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return true; // unreadable or half-written: a crash while taking the lock
  }
  if (holder.pid === process.pid) return true; // our own earlier session (e.g. a lock that was never released)
  if (holder.host !== os.hostname()) return false; // a vault on a shared drive, open on another computer
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function releaseIfOurs(file: string): void {
  try {
    const holder = lockContent.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (holder.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone, or replaced by a process that found ours stale: nothing to release.
  }
}
