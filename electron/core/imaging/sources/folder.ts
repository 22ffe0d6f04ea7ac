import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { toAppError } from '../../errors';
import { imagingErrors } from '../errors';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from '../limits';
import type { DiscSource, SourceEntry, SourceProblem } from './types';
import { CHUNK_BYTES, compareNames, problem, readAt } from './util';

// O_NONBLOCK makes opening a FIFO that replaced a regular file after listing fail fast instead of hanging.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function fileEntry(abs: string, rel: string, size: number): SourceEntry {
  return {
    path: rel,
    size,
    open(): Readable {
      // Numeric flags are accepted by fs.open (the typings only list strings).
      return fs.createReadStream(abs, { flags: OPEN_FLAGS as unknown as string, highWaterMark: CHUNK_BYTES });
    },
    async readHead(n: number): Promise<Buffer> {
      const handle = await fsp.open(abs, OPEN_FLAGS);
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return Buffer.alloc(0);
        return await readAt(handle, 0, Math.max(0, Math.min(n, stat.size)));
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * A mounted disc or any folder. Walks recursively in sorted order; regular files only. Symbolic links are followed
 * only while they stay inside the chosen folder (each directory is visited once, so link loops end); devices, pipes
 * and sockets are never opened.
 */
export async function openFolderSource(root: string, limits: SourceLimits = DEFAULT_SOURCE_LIMITS): Promise<DiscSource> {
  let rootReal: string;
  try {
    rootReal = await fsp.realpath(root);
    const stat = await fsp.stat(rootReal);
    if (!stat.isDirectory()) throw imagingErrors.notADirectory();
  } catch (error) {
    throw toAppError(error);
  }
  const problems: SourceProblem[] = [];
  let listedOnce = false;
  let closed = false;

  async function* walk(): AsyncGenerator<SourceEntry> {
    const recording = !listedOnce;
    const note = (p: SourceProblem): void => {
      if (recording) problems.push(p);
    };
    const visited = new Set<string>();
    let count = 0;
    let limitNoted = false;

    async function* visit(dirAbs: string, relPrefix: string, depth: number): AsyncGenerator<SourceEntry> {
      let dirents: fs.Dirent[];
      try {
        const dirStat = await fsp.stat(dirAbs);
        const key = `${dirStat.dev}:${dirStat.ino}`;
        if (visited.has(key)) return;
        visited.add(key);
        dirents = await fsp.readdir(dirAbs, { withFileTypes: true });
      } catch (error) {
        if (depth === 0) throw toAppError(error);
        note(problem(relPrefix, 'unreadable'));
        return;
      }
      dirents.sort((a, b) => compareNames(a.name, b.name));
      for (const dirent of dirents) {
        if (closed) throw imagingErrors.sourceClosed();
        const abs = path.join(dirAbs, dirent.name);
        const rel = relPrefix ? `${relPrefix}/${dirent.name}` : dirent.name;
        let stat: fs.Stats;
        try {
          if (dirent.isSymbolicLink()) {
            const real = await fsp.realpath(abs);
            if (!isInside(rootReal, real)) {
              note(problem(rel, 'escapes-root'));
              continue;
            }
            stat = await fsp.stat(real);
          } else if (dirent.isDirectory() || dirent.isFile()) {
            stat = await fsp.lstat(abs);
          } else {
            note(problem(rel, 'special-file'));
            continue;
          }
        } catch {
          note(problem(rel, 'unreadable'));
          continue;
        }
        if (stat.isDirectory()) {
          if (depth + 1 > limits.maxDepth) {
            if (!limitNoted) note(problem(rel, 'limit-reached'));
            limitNoted = true;
            continue;
          }
          yield* visit(abs, rel, depth + 1);
        } else if (stat.isFile()) {
          if (count >= limits.maxEntries) {
            if (!limitNoted) note(problem(rel, 'limit-reached'));
            limitNoted = true;
            return;
          }
          count += 1;
          yield fileEntry(abs, rel, stat.size);
        } else {
          note(problem(rel, 'special-file'));
        }
      }
    }

    yield* visit(rootReal, '', 0);
    listedOnce = true;
  }

  return {
    kind: 'folder',
    location: root,
    problems,
    entries: () => walk(),
    async close() {
      closed = true;
    },
  };
}
