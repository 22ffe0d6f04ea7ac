/**
 * What "the vault is unchanged" means for the fuzz tests: the same documents (with trash), the same imaging catalogue,
 * the same counts and stored bytes, and the same encrypted files on disk (including nothing left in blobs/tmp).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Core } from '../../electron/core/core';
import type { OperationName } from '../../shared/contract';
import { expectCleanError } from './checks';

/** Calls an operation through the core, failing the test if the call itself throws (it must always resolve). */
export async function call(core: Core, operation: OperationName | string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }> {
  let result: Awaited<ReturnType<Core['call']>>;
  try {
    result = await core.call(operation, input);
  } catch (error) {
    throw new Error(`core.call('${operation}') threw instead of returning a Result: ${String(error)}`);
  }
  expect(result && typeof result === 'object' && typeof result.ok === 'boolean', `${operation}: not a Result envelope`).toBe(true);
  return result as never;
}

async function value<T>(core: Core, operation: OperationName, input: unknown): Promise<T> {
  const result = await call(core, operation, input);
  if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

function blobFiles(vaultDir: string): string[] {
  const root = path.join(vaultDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return `${path.relative(root, file)}:${fs.statSync(file).size}`;
    })
    .sort();
}

/** A comparable picture of everything a failed import must leave alone. */
export async function vaultSnapshot(core: Core, vaultDir: string): Promise<string> {
  const documents = await value<{ total: number; items: Array<{ id: string; title: string; fileId: string }> }>(core, 'documents.list', {});
  const trashed = await value<{ total: number; items: Array<{ id: string }> }>(core, 'documents.list', { trash: 'only' });
  const studies = await value<unknown>(core, 'imaging.studies', {});
  const overview = await value<{ counts: unknown; storedBytes: number }>(core, 'vault.overview', {});
  return JSON.stringify({
    documents: documents.items.map((d) => [d.id, d.title, d.fileId]),
    trashed: trashed.items.map((d) => d.id),
    studies,
    counts: overview.counts,
    storedBytes: overview.storedBytes,
    files: blobFiles(vaultDir),
  });
}

/** Runs a full check of the vault: every stored file decrypts to its recorded hash and the database is sound. */
export async function expectVaultClean(core: Core, context: string): Promise<void> {
  const report = await value<{ ok: boolean; problems: unknown[] }>(core, 'vault.verify', {});
  expect(report.problems, `${context}: vault.verify found problems`).toEqual([]);
  expect(report.ok, context).toBe(true);
}

/** Reasons in an import outcome: human sentences that do not repeat the file's name or path. */
export function expectCleanReasons(items: Array<{ path: string; reason: string }>, context: string, inputs: readonly string[]): void {
  for (const item of items) {
    expectCleanError({ code: 'INVALID_INPUT', message: item.reason }, `${context} (${item.path})`, [...inputs, path.basename(item.path)].filter((s) => s.length >= 6));
  }
}
