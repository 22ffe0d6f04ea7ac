import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_KDF_COST,
  deriveSubkey,
  deriveWrappingKey,
  newKdfParams,
  randomDataKey,
  unwrapKey,
  wipe,
  wrapKey,
} from '../../../electron/core/vault/keys';
import { readHeader } from '../../../electron/core/vault/header';
import { Vault } from '../../../electron/core/vault/vault';
import { PASSPHRASE, PROFILE, tempDir, track } from './helpers';

describe('keys', () => {
  it('defaults to Argon2id with at least 64 MiB and 3 passes, and a real vault uses them', async () => {
    expect(DEFAULT_KDF_COST.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(DEFAULT_KDF_COST.passes).toBeGreaterThanOrEqual(3);
    const dir = path.join(tempDir(), 'vault');
    track((await Vault.create(dir, { profile: PROFILE, passphrase: PASSPHRASE })).vault);
    const header = await readHeader(dir);
    expect(header.kdf.algorithm).toBe('argon2id');
    expect(header.kdf.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(header.kdf.passes).toBeGreaterThanOrEqual(3);
    expect(Buffer.from(header.kdf.salt, 'base64')).toHaveLength(16);
    const started = performance.now();
    track(await Vault.unlockWithPassphrase(dir, PASSPHRASE));
    // Not a benchmark, just a guard against an accidental 10x: the measured median here is well under 1 s.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('derives the same wrapping key for the same passphrase and salt, and NFC-normalizes', async () => {
    const params = newKdfParams({ memoryKiB: 1024, passes: 1, parallelism: 1 });
    const a = await deriveWrappingKey('caf\u00e9 au lait!', params);
    const b = await deriveWrappingKey('cafe\u0301 au lait!', params);
    expect(a.equals(b)).toBe(true);
    const other = await deriveWrappingKey('caf\u00e9 au lait!', newKdfParams({ memoryKiB: 1024, passes: 1, parallelism: 1 }));
    expect(other.equals(a)).toBe(false);
  });

  it('wraps and unwraps, and refuses another key, vault id or slot', () => {
    const wrapping = randomDataKey();
    const dataKey = randomDataKey();
    const wrapped = wrapKey(wrapping, dataKey, 'a'.repeat(32), 'passphrase');
    expect(unwrapKey(wrapping, wrapped, 'a'.repeat(32), 'passphrase')?.equals(dataKey)).toBe(true);
    expect(unwrapKey(randomDataKey(), wrapped, 'a'.repeat(32), 'passphrase')).toBeNull();
    expect(unwrapKey(wrapping, wrapped, 'b'.repeat(32), 'passphrase')).toBeNull();
    expect(unwrapKey(wrapping, wrapped, 'a'.repeat(32), 'recoveryKey')).toBeNull();
  });

  it('derives distinct subkeys per purpose and wipes buffers', () => {
    const dataKey = randomDataKey();
    const keys = (['database', 'blobs', 'blobNames', 'backup'] as const).map((purpose) => deriveSubkey(dataKey, purpose).toString('hex'));
    expect(new Set(keys).size).toBe(4);
    wipe(dataKey);
    expect(dataKey.every((byte) => byte === 0)).toBe(true);
  });

  it('has no key material in the header file', async () => {
    const dir = path.join(tempDir(), 'vault');
    track((await Vault.create(dir, { profile: PROFILE, passphrase: PASSPHRASE, kdf: { memoryKiB: 1024, passes: 1, parallelism: 1 } })).vault);
    const text = fs.readFileSync(path.join(dir, 'vault.json'), 'utf8');
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['createdAt', 'format', 'formatVersion', 'kdf', 'vaultId', 'wrappedKeys']);
    expect(text).not.toContain(PASSPHRASE);
  });
});
