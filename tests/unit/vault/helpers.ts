import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { KdfCost } from '../../../electron/core/vault/keys';
import { Vault } from '../../../electron/core/vault/vault';

/** Cheap Argon2 so tests stay fast; one test checks the real defaults separately. */
export const CHEAP_KDF: KdfCost = { memoryKiB: 1024, passes: 1, parallelism: 1 };
export const PATIENT_NAME = 'Zyxwvut Testpatient';
export const PROFILE = { fullName: PATIENT_NAME, birthDate: '1971-04-09', sex: 'female' as const };
export const PASSPHRASE = 'correct horse battery staple';

const dirs: string[] = [];
const vaults: Vault[] = [];

/** A fresh empty folder, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'so-vault-test-'));
  dirs.push(dir);
  return dir;
}

/** Remembers a vault so it is locked (db closed) after the test even when an assertion fails. */
export function track(vault: Vault): Vault {
  vaults.push(vault);
  return vault;
}

afterEach(() => {
  for (const vault of vaults.splice(0)) vault.lock();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export async function newVault(dir = path.join(tempDir(), 'vault')): Promise<{ vault: Vault; recoveryKey: string; dir: string }> {
  const { vault, recoveryKey } = await Vault.create(dir, { profile: PROFILE, passphrase: PASSPHRASE, kdf: CHEAP_KDF });
  track(vault);
  return { vault, recoveryKey, dir };
}

export function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Asserts a promise rejects with an AppError of the given code. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** Deterministic pseudo-random bytes (fast, reproducible test data). */
export function patternBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function collect(stream: NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Flips one bit of a file in place. */
export function flipByte(file: string, offset: number): void {
  const data = fs.readFileSync(file);
  data[offset] = (data[offset] ?? 0) ^ 0x01;
  fs.writeFileSync(file, data);
}
