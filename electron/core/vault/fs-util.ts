import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError, type ErrorCode } from '../../../shared/errors';

/** Small file-system helpers whose point is durability: a crash leaves either the old or the new state. */

/** A random suffix for temp names, so parallel writers never share a temp file. */
export function tempSuffix(): string {
  return randomBytes(8).toString('hex');
}

/**
 * fsync a directory so a rename or create inside it survives power loss. Windows cannot open directories
 * for syncing (and its renames are journaled by NTFS), so the refusal is ignored there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (process.platform === 'win32' || code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM') return;
    throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes a file via temp name + fsync + rename + fsync of the directory. */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${tempSuffix()}`);
  try {
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/** 'absent', 'empty' or 'nonEmpty'; a path that exists but is not a folder counts as not empty. */
export async function folderState(dir: string): Promise<'absent' | 'empty' | 'nonEmpty'> {
  try {
    const entries = await fsp.readdir(dir);
    return entries.length === 0 ? 'empty' : 'nonEmpty';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    if (code === 'ENOTDIR') return 'nonEmpty';
    throw error;
  }
}

export async function pathExists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a folder under a temp sibling name and moves it into place in one rename, so `dir` is either absent/empty
 * or complete. The caller has checked that `dir` is absent or empty. On failure the sibling is removed.
 */
export async function buildThenRename(
  dir: string,
  notEmptyCode: ErrorCode,
  build: (stagingDir: string) => Promise<void>,
): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await fsp.mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.staging-${tempSuffix()}`);
  await fsp.mkdir(staging, { mode: 0o700 });
  try {
    await build(staging);
    await moveIntoPlace(staging, dir, notEmptyCode);
  } catch (error) {
    await fsp.rm(staging, { recursive: true, force: true });
    throw error;
  }
  await fsyncDir(parent);
}

async function moveIntoPlace(staging: string, dir: string, notEmptyCode: ErrorCode): Promise<void> {
  try {
    // rmdir only succeeds on an empty folder, so a folder that filled up meanwhile is never clobbered.
    await fsp.rmdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await fsp.rename(staging, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw new AppError(notEmptyCode);
    throw error;
  }
}
