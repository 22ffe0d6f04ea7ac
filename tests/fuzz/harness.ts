/**
 * The fuzz harness: how many cases run, with which seed, how long one case may take, and how much memory a run may
 * keep. Every target calls `fuzz(name, arbitrary, property, options)`.
 *
 * - Seeds: without FUZZ_SEED each target uses a fixed seed derived from its name, so CI is reproducible; FUZZ_SEED=<n>
 *   replays a run; FUZZ_SEED=random picks one from the clock (what `npm run fuzz` does). The seed is printed before a
 *   target starts and in every failure, so even a case that hangs the process can be replayed.
 * - Replay: FUZZ_SEED=<seed> FUZZ_PATH=<path> (both printed with a failure) runs just the failing case.
 * - Size: `runs(base)` is the CI count; FUZZ_RUNS=<factor> multiplies every count (`npm run fuzz` uses 20).
 * - Time: each case must return within its budget (a slow case fails the property and is shrunk); a case that blocks
 *   the event loop entirely is caught by a watchdog thread, which prints the target, seed and case and ends the process.
 * - Memory: `memoryBudget()` checks that the heap (after a GC) and resident memory do not grow beyond bounds over a
 *   whole target: nothing is kept from one case to the next.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';

export const FUZZ_FACTOR = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);
const SEED_SETTING = process.env.FUZZ_SEED ?? '';
const RUN_SEED = SEED_SETTING === 'random' ? Date.now() % 2 ** 31 : SEED_SETTING ? Number(SEED_SETTING) | 0 : null;

/** Cases for a target: the CI count times FUZZ_RUNS. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_FACTOR));
}

/** A vitest timeout for a target of `base` CI cases taking about `msPerCase` each (with a wide margin). */
export function timeoutFor(base: number, msPerCase: number): number {
  return Math.max(60_000, Math.round(runs(base) * msPerCase * 4 + 30_000));
}

/** The seed of a target: FUZZ_SEED if set, else a fixed number derived from the target's name. */
export function seedFor(name: string): number {
  if (RUN_SEED !== null) return RUN_SEED;
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash & 0x7fffffff;
}

// ---------------------------------------------------------------------------------------------------------------
// Watchdog: a thread that notices a case still running far past its budget (e.g. a synchronous endless loop, which
// no timer on the main thread can interrupt) and ends the process after printing how to replay the case.

const HARD_LIMIT_MS = Number(process.env.FUZZ_HARD_LIMIT_MS ?? 120_000);
/** FUZZ_VERBOSE=1 prints every case as it starts (straight to stderr, so it shows even if the process then hangs). */
const VERBOSE = process.env.FUZZ_VERBOSE === '1';
const shared = new SharedArrayBuffer(8 + 1024);
const state = new Int32Array(shared, 0, 2);
const labelBytes = new Uint8Array(shared, 8, 1024);
const T0 = Date.now();
let watchdog: Worker | null = null;

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 2);
const label = new Uint8Array(workerData.shared, 8, 1024);
setInterval(() => {
  if (Atomics.load(state, 0) === 0) return;
  const ranFor = Date.now() - workerData.t0 - Atomics.load(state, 1);
  if (ranFor < workerData.limit) return;
  const text = Buffer.from(label).toString('utf8').replace(/\\0+$/, '');
  fs.writeSync(2, '\\n[fuzz watchdog] a case ran for ' + ranFor + ' ms without returning (hang). ' + text + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 500);
`;

function startWatchdog(): void {
  if (watchdog) return;
  watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { shared, t0: T0, limit: HARD_LIMIT_MS } });
  watchdog.unref();
}

// Started when the harness loads, so that its thread is already there when a test counts open descriptors.
startWatchdog();

function caseStarted(label: string): void {
  labelBytes.fill(0);
  labelBytes.set(Buffer.from(label, 'utf8').subarray(0, labelBytes.length));
  Atomics.store(state, 1, Date.now() - T0);
  Atomics.store(state, 0, 1);
}

function caseEnded(): void {
  Atomics.store(state, 0, 0);
}

// ---------------------------------------------------------------------------------------------------------------

export class CaseTimeout extends Error {
  constructor(label: string, ms: number) {
    super(`${label}: still running after ${ms} ms (per-case budget)`);
    this.name = 'CaseTimeout';
  }
}

/** Resolves with the promise, or rejects with CaseTimeout after `ms` (the work itself cannot be stopped). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CaseTimeout(label, ms)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FuzzOptions {
  /** CI cases (multiplied by FUZZ_RUNS). */
  runs: number;
  /** Budget for one case, in ms: longer fails the case (default 10 s; generous for a loaded 2-core runner). */
  caseMs?: number;
  /** Shrinking re-runs failing cases; slow targets may turn it off to report the first failure quickly. */
  shrink?: boolean;
  /** A short description of a case, for slow-case and verbose logs. */
  describe?: (value: never) => string;
}

/**
 * Runs `property` over `runs` values of `arbitrary` with the target's seed. Every case is timed; its wall time must
 * stay under the budget. On failure the error names the target, the seed, the replay path and the counterexample.
 */
export async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<void> | void,
  options: FuzzOptions & { describe?: (value: T) => string },
): Promise<{ cases: number; ms: number }> {
  startWatchdog();
  const seed = seedFor(name);
  const numRuns = runs(options.runs);
  const caseMs = options.caseMs ?? 10_000;
  const started = Date.now();
  let cases = 0;
  // Printed first, so that a run killed by the watchdog (or by CI) can still be replayed.
  console.info(`[fuzz] ${name}: ${numRuns} cases, seed ${seed} (replay: FUZZ_SEED=${seed})`);
  const run = async (value: T): Promise<void> => {
    cases += 1;
    const label = `target "${name}", seed ${seed}, case ${cases}`;
    caseStarted(label);
    const what = () => (options.describe ? `: ${options.describe(value).slice(0, 300)}` : '');
    if (VERBOSE) fs.writeSync(2, `[fuzz] ${label} started${what()}\n`);
    const t = Date.now();
    try {
      await withTimeout(Promise.resolve().then(() => property(value)), caseMs, label);
    } finally {
      caseEnded();
    }
    const took = Date.now() - t;
    if (took > caseMs) throw new CaseTimeout(label, took);
    if (took > caseMs / 4) console.info(`[fuzz] slow case (${took} ms): ${label}${what()}`);
  };
  try {
    await fc.assert(fc.asyncProperty(arbitrary, run), {
      seed,
      numRuns,
      endOnFailure: options.shrink === false,
      // FUZZ_PATH (printed by fast-check with a failure) replays exactly the failing case of that seed.
      ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : cause === undefined ? '' : String(cause);
    throw new Error(`[fuzz] ${name} failed (seed ${seed}; replay with FUZZ_SEED=${seed}):\n${message}${why ? `\nCause: ${why}` : ''}`, { cause });
  }
  const ms = Date.now() - started;
  console.info(`[fuzz] ${name}: ${numRuns} cases passed in ${ms} ms`);
  return { cases: numRuns, ms };
}

// ---------------------------------------------------------------------------------------------------------------
// Memory.

let gcFunction: (() => void) | null | undefined;

/** Full garbage collection when the runtime allows it (enabled here without a command-line flag). */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null;
    }
  }
  gcFunction?.();
}

/**
 * Records memory now; `check()` fails when, after a full GC, the JavaScript heap has grown by more than
 * `maxGrowthMiB` (something kept objects across cases), or resident memory by more than four times that (native
 * memory kept: decoders, canvases, threads). Resident memory alone is a poor leak signal (allocators keep freed pages),
 * hence the looser bound. `sample()` records the peak.
 */
export function memoryBudget(maxGrowthMiB: number): { sample(): void; check(label: string): void } {
  collectGarbage();
  const start = process.memoryUsage();
  let peak = start.rss;
  return {
    sample() {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    check(label: string) {
      collectGarbage();
      const now = process.memoryUsage();
      const heapMiB = (now.heapUsed - start.heapUsed) / 2 ** 20;
      const rssMiB = (now.rss - start.rss) / 2 ** 20;
      const peakMiB = (peak - start.rss) / 2 ** 20;
      console.info(`[fuzz] ${label}: heap grew ${heapMiB.toFixed(0)} MiB, RSS ${rssMiB.toFixed(0)} MiB (peak +${peakMiB.toFixed(0)} MiB)`);
      if (heapMiB > maxGrowthMiB) {
        throw new Error(`${label}: the JavaScript heap grew by ${heapMiB.toFixed(0)} MiB over the run (allowed ${maxGrowthMiB} MiB)`);
      }
      if (rssMiB > 4 * maxGrowthMiB) {
        throw new Error(`${label}: resident memory grew by ${rssMiB.toFixed(0)} MiB over the run (allowed ${4 * maxGrowthMiB} MiB)`);
      }
    },
  };
}

/** Milliseconds a synchronous or asynchronous call takes. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await work();
  return { value, ms: Date.now() - t };
}

export { fc };
