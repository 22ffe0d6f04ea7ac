import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/log';
import type { InputOf, OperationName, OutputOf } from '../../shared/contract';

/** Benchmarks use the real core on a real vault in a temp folder, like the tests, but never assert timings. */
export function benchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `so-bench-${name}-`));
}

export function benchCore(root: string, options: { fastKdf?: boolean } = {}): Core {
  return createCore({
    vaultDir: path.join(root, 'vault'),
    backupDir: path.join(root, 'backups'),
    exportDir: path.join(root, 'exports'),
    log: silentLogger,
    ...(options.fastKdf ? { kdf: { memoryKiB: 1024, passes: 1, parallelism: 1 } } : {}),
  });
}

export async function must<N extends OperationName>(core: Core, operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await core.call(operation, input);
  if (!result.ok) throw new Error(`${operation}: ${result.error.code}`);
  return result.value as OutputOf<N>;
}

export const PROFILE = { fullName: 'Bench Marker', birthDate: '1970-01-01' } as const;
export const PASSPHRASE = 'benchmark passphrase 42';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/**
 * Writes every dirty page of earlier steps to disk before a timed step, so the step is not slowed by the kernel
 * flushing someone else's data (a 1 GB import leaves seconds of write-back behind). Linux/macOS `sync`; elsewhere
 * nothing.
 */
export function settleDisk(): void {
  if (process.platform === 'win32') return;
  execFileSync('sync');
}
