/**
 * Reader-level fuzzing of imaging media: ISO 9660 images (volume descriptors and directory records) and zip archives
 * (local headers, central directory, end record), mutated from valid seeds, opened through the same `openSource` the
 * import uses. Every listing must end (no loop), every path must be safe and relative, every entry must stream at most
 * what it declared, every failure must be a readable AppError, and no file descriptor may be left open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors';
import { problemMessages } from '../../electron/core/imaging/errors';
import { detectSourceKind, openSource } from '../../electron/core/imaging/sources/open';
import type { DiscSource, SourceEntry } from '../../electron/core/imaging/sources/types';
import { tempDir } from '../helpers/temp';
import { expectCleanError, expectHumanMessage } from './checks';
import { fuzz, memoryBudget, timeoutFor } from './harness';
import { caseArbitrary, describeCase, mutate, type Seed } from './mutate';
import { dicomSeeds, isoSeeds, zipSeeds } from './seeds';

/** Open file descriptors of this process (Linux), to catch a reader that forgets to close. */
export function openDescriptors(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

/** A path as every reader must produce it: relative, '/'-separated, no '.', '..' or empty segment, no NUL. */
export function expectSafePath(p: string, context: string): void {
  expect(p.length, `${context}: empty path`).toBeGreaterThan(0);
  expect(p.startsWith('/'), `${context}: absolute path ${JSON.stringify(p)}`).toBe(false);
  expect(p.includes('\u0000'), `${context}: NUL in path`).toBe(false);
  expect(/^[A-Za-z]:/.test(p), `${context}: drive letter in ${JSON.stringify(p)}`).toBe(false);
  for (const segment of p.split('/')) {
    expect(['', '.', '..'].includes(segment), `${context}: unsafe segment in ${JSON.stringify(p)}`).toBe(false);
  }
  // What the readers produce is later joined under a folder by exports; it must never climb out of it.
  const joined = path.posix.normalize(`/root/${p}`);
  expect(joined.startsWith('/root/'), `${context}: ${JSON.stringify(p)} escapes`).toBe(true);
}

const MAX_READ = 8 * 1024 * 1024;

/** Reads an entry to its end (or MAX_READ); a stream error must be a readable AppError. */
async function drain(entry: SourceEntry, context: string): Promise<number> {
  let total = 0;
  const stream = entry.open();
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > MAX_READ) break;
    }
  } catch (error) {
    expect(isAppError(error), `${context}: stream failed with ${String(error)}`).toBe(true);
    expectCleanError(error, `${context} stream`);
  } finally {
    stream.destroy();
  }
  return total;
}

/**
 * Opens, lists and reads a source file the way a disc import does, checking every step. Returns what was listed
 * (or null when the file was refused with a clean error).
 */
export async function exerciseSource(file: string, context: string, limits?: Parameters<typeof openSource>[1]): Promise<{ entries: number; problems: number } | null> {
  try {
    await detectSourceKind(file);
  } catch (error) {
    expect(isAppError(error), `${context}: detect threw ${String(error)}`).toBe(true);
    expectCleanError(error, `${context} detect`);
  }
  let source: DiscSource;
  try {
    source = await openSource(file, limits);
  } catch (error) {
    expect(isAppError(error), `${context}: open threw ${String(error)}`).toBe(true);
    expectCleanError(error, `${context} open`);
    return null;
  }
  let count = 0;
  try {
    const seen = new Set<string>();
    for await (const entry of source.entries()) {
      count += 1;
      expectSafePath(entry.path, context);
      expect(seen.has(entry.path), `${context}: ${entry.path} listed twice`).toBe(false);
      seen.add(entry.path);
      expect(Number.isSafeInteger(entry.size) && entry.size >= 0, `${context}: size ${entry.size}`).toBe(true);
      try {
        const head = await entry.readHead(132);
        expect(head.length, context).toBeLessThanOrEqual(Math.min(132, entry.size));
      } catch (error) {
        expect(isAppError(error), `${context}: readHead threw ${String(error)}`).toBe(true);
        expectCleanError(error, `${context} readHead`);
      }
      const read = await drain(entry, `${context} ${entry.path}`);
      expect(read, `${context}: ${entry.path} streamed more than it declared`).toBeLessThanOrEqual(Math.max(entry.size, 0));
    }
  } catch (error) {
    expect(isAppError(error), `${context}: listing threw ${String(error)}`).toBe(true);
    expectCleanError(error, `${context} listing`);
  } finally {
    await source.close();
  }
  for (const problem of source.problems) {
    expect(Object.keys(problemMessages), context).toContain(problem.reason);
    expectHumanMessage(problem.message, `${context} problem`);
    // eslint-disable-next-line no-control-regex -- problem paths must be printable
    expect(problem.path, `${context}: control characters in a problem path`).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(problem.path.length, context).toBeLessThanOrEqual(501);
  }
  return { entries: count, problems: source.problems.length };
}

let isos: Seed[] = [];
let zips: Seed[] = [];

beforeAll(async () => {
  const instances = (await dicomSeeds()).map((seed) => seed.bytes);
  isos = isoSeeds(instances);
  zips = zipSeeds(instances);
});

describe('ISO 9660 images', () => {
  it('lists mutated images safely and ends every listing', { timeout: timeoutFor(1200, 20) }, async () => {
    const dir = tempDir('so-fuzz-iso-');
    const file = path.join(dir, 'disc.iso');
    const fdsBefore = openDescriptors();
    const memory = memoryBudget(128);
    let listed = 0;
    await fuzz(
      'iso9660',
      caseArbitrary(isos.length, 8),
      async (value) => {
        fs.writeFileSync(file, mutate(isos[value.seed]!, value.ops));
        if (((await exerciseSource(file, describeCase(isos, value)))?.entries ?? 0) > 0) listed += 1;
        memory.sample();
      },
      { runs: 1200, caseMs: 8_000 },
    );
    memory.check('iso9660');
    // Entries were listed, read and streamed in some cases, not only refusals checked.
    expect(listed, 'no mutated image listed any entry').toBeGreaterThan(0);
    expect(openDescriptors(), 'file descriptors left open').toBeLessThanOrEqual(fdsBefore + 8);
  });
});

describe('zip archives', () => {
  it('lists mutated archives safely, streams only what entries declare, and closes everything', { timeout: timeoutFor(1200, 15) }, async () => {
    const dir = tempDir('so-fuzz-zip-');
    const file = path.join(dir, 'disc.zip');
    const fdsBefore = openDescriptors();
    const memory = memoryBudget(128);
    let listed = 0;
    await fuzz(
      'zip',
      caseArbitrary(zips.length, 8),
      async (value) => {
        fs.writeFileSync(file, mutate(zips[value.seed]!, value.ops));
        if (((await exerciseSource(file, describeCase(zips, value)))?.entries ?? 0) > 0) listed += 1;
        memory.sample();
      },
      { runs: 1200, caseMs: 8_000 },
    );
    memory.check('zip');
    // Entries were listed, read and streamed in some cases, not only refusals checked.
    expect(listed, 'no mutated archive listed any entry').toBeGreaterThan(0);
    expect(openDescriptors(), 'file descriptors left open').toBeLessThanOrEqual(fdsBefore + 8);
  });
});
