import fs from 'node:fs/promises';
import path from 'node:path';

export interface CollectedFiles {
  files: string[];
  /** Paths that could not be read at all (missing, no permission), with a patient-readable reason. */
  unreadable: { path: string; reason: string }[];
}

/** Folders deeper than this are almost certainly a loop or a mistake, not a stack of reports. */
const MAX_DEPTH = 32;
const MAX_FILES = 100_000;

/**
 * Expands what the person chose (files and folders) into files, recursively, in a stable order. Symbolic links
 * are not followed (they could point outside the chosen folder or loop); hidden files (.DS_Store, ._x) are skipped.
 */
export async function collectFiles(paths: readonly string[]): Promise<CollectedFiles> {
  const result: CollectedFiles = { files: [], unreadable: [] };
  for (const given of paths) await visit(path.resolve(given), 0, result, true);
  return result;
}

async function visit(target: string, depth: number, result: CollectedFiles, chosen: boolean): Promise<void> {
  if (result.files.length >= MAX_FILES) return;
  let stat;
  try {
    stat = await (chosen ? fs.stat(target) : fs.lstat(target));
  } catch (error) {
    result.unreadable.push({ path: target, reason: reasonFor(error) });
    return;
  }
  if (stat.isFile()) {
    result.files.push(target);
    return;
  }
  if (!stat.isDirectory()) {
    // Something the person chose themselves gets an answer; inside a folder, links and special files are skipped.
    if (chosen) result.unreadable.push({ path: target, reason: 'This is not a file or a folder (it is a device, a pipe or a socket), so it cannot be imported.' });
    return;
  }
  if (depth >= MAX_DEPTH) return;
  let names: string[];
  try {
    names = await fs.readdir(target);
  } catch (error) {
    result.unreadable.push({ path: target, reason: reasonFor(error) });
    return;
  }
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    await visit(path.join(target, name), depth + 1, result, false);
  }
}

function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'This file or folder is not there any more.';
  if (code === 'EACCES' || code === 'EPERM') return 'The app is not allowed to read this file. Check its permissions.';
  return 'This file could not be read.';
}
