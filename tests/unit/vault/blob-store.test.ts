import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { SEGMENT_SIZE } from '../../../electron/core/vault/segmented-cipher';
import { Vault } from '../../../electron/core/vault/vault';
import { collect, expectCode, flipByte, newVault, PASSPHRASE, patternBytes, tempDir, track } from './helpers';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('blob store', () => {
  it('stores from a Buffer, a file path and a stream, and reads back ranges', async () => {
    const { vault } = await newVault();
    const data = patternBytes(1_000_000, 3);
    const source = path.join(tempDir(), 'source.bin');
    fs.writeFileSync(source, data);
    const fromBuffer = await vault.blobs.put(data);
    expect(fromBuffer).toMatchObject({ sha256: sha(data), size: data.length, created: true });
    expect(fromBuffer.id).toMatch(/^[0-9a-f]{64}$/);
    expect(fromBuffer.id).not.toBe(fromBuffer.sha256);
    // Same content again, from a path and from a stream: deduplicated, the new copy discarded.
    expect(await vault.blobs.put(source)).toEqual({ ...fromBuffer, created: false });
    expect(await vault.blobs.put(chunks(data, 100_000))).toEqual({ ...fromBuffer, created: false });
    expect(fs.readdirSync(path.join(vault.blobs.root, 'tmp'))).toEqual([]);
    expect(await vault.blobs.has(fromBuffer.id)).toBe(true);
    expect(await vault.blobs.statSize(fromBuffer.id)).toBe(data.length);
    expect((await vault.blobs.readAll(fromBuffer.id)).equals(data)).toBe(true);
    for (const [start, end] of [[0, 0], [SEGMENT_SIZE - 1, SEGMENT_SIZE], [123_456, 654_321], [data.length - 1, data.length - 1]] as const) {
      expect((await collect(vault.blobs.openRange(fromBuffer.id, start, end))).equals(data.subarray(start, end + 1))).toBe(true);
    }
    expect(await vault.blobs.verify(fromBuffer.id, fromBuffer.sha256)).toBeNull();
  });

  it('handles 0 bytes, exactly one segment and one segment + 1', async () => {
    const { vault } = await newVault();
    for (const size of [0, SEGMENT_SIZE, SEGMENT_SIZE + 1]) {
      const data = patternBytes(size, size + 1);
      const info = await vault.blobs.put(data);
      expect(info.size).toBe(size);
      expect(await vault.blobs.statSize(info.id)).toBe(size);
      expect((await vault.blobs.readAll(info.id)).equals(data)).toBe(true);
      expect(await vault.blobs.verify(info.id, info.sha256)).toBeNull();
    }
  });

  it('records rows only when asked, with INSERT OR IGNORE', async () => {
    const { vault } = await newVault();
    const info = await vault.blobs.put(Buffer.from('hello'));
    const count = () => vault.db.prepare('SELECT count(*) FROM blobs').pluck().get();
    expect(count()).toBe(0);
    vault.db.transaction(() => vault.blobs.record(vault.db, info, new Date('2024-01-02T03:04:05Z')))();
    vault.blobs.record(vault.db, info);
    expect(count()).toBe(1);
    expect(vault.db.prepare('SELECT sha256, size, created_at FROM blobs').get()).toEqual({
      sha256: info.sha256,
      size: 5,
      created_at: '2024-01-02T03:04:05.000Z',
    });
  });

  it('gives the same content different ciphertext and different names in different vaults', async () => {
    const data = Buffer.from('same content in two vaults '.repeat(100));
    const a = (await newVault()).vault;
    const b = (await newVault()).vault;
    const infoA = await a.blobs.put(data);
    const infoB = await b.blobs.put(data);
    expect(infoA.sha256).toBe(infoB.sha256);
    expect(infoA.id).not.toBe(infoB.id);
    const bytesA = fs.readFileSync(a.blobs.fileOf(infoA.id));
    const bytesB = fs.readFileSync(b.blobs.fileOf(infoB.id));
    expect(bytesA.equals(bytesB)).toBe(false);
    expect(bytesA.includes('same content')).toBe(false);
  });

  it('rejects ids that are not hex before touching paths', async () => {
    const { vault } = await newVault();
    for (const id of ['../vault.db', '..', 'ABCDEF', 'a'.repeat(63), `${'a'.repeat(64)}/x`, '']) {
      expect(await vault.blobs.has(id)).toBe(false);
      expect(() => vault.blobs.openRange(id)).toThrow(AppError);
      await expectCode(vault.blobs.statSize(id), 'NOT_FOUND');
    }
    const missing = 'ab'.repeat(32);
    await expectCode(vault.blobs.statSize(missing), 'NOT_FOUND');
    await expectCode(collect(vault.blobs.openRange(missing)), 'NOT_FOUND');
  });

  it('detects a flipped byte and a truncated file', async () => {
    const { vault } = await newVault();
    const data = patternBytes(200_000, 5);
    const info = await vault.blobs.put(data);
    const file = vault.blobs.fileOf(info.id);
    const original = fs.readFileSync(file);
    flipByte(file, 100_000);
    expect(await vault.blobs.verify(info.id, info.sha256)).toMatch(/damaged/);
    await expectCode(collect(vault.blobs.openRange(info.id, 90_000, 110_000)), 'VAULT_DAMAGED');
    fs.writeFileSync(file, original.subarray(0, original.length - 100));
    expect(await vault.blobs.verify(info.id, info.sha256)).toMatch(/damaged/);
    await expectCode(collect(vault.blobs.openRange(info.id)), 'VAULT_DAMAGED');
    fs.writeFileSync(file, original);
    expect(await vault.blobs.verify(info.id, 'f'.repeat(64))).toMatch(/fingerprint/);
  });

  it('removes crash leftovers on the next unlock and keeps blobs that have a row', async () => {
    const { vault, dir } = await newVault();
    const kept = await vault.blobs.put(Buffer.from('kept file'));
    vault.blobs.record(vault.db, kept);
    const orphan = await vault.blobs.put(Buffer.from('orphan: written, but the row never committed'));
    const tmp = path.join(vault.blobs.root, 'tmp');
    fs.writeFileSync(path.join(tmp, 'stray-1'), 'partial');
    fs.mkdirSync(path.join(tmp, 'stray-dir'));
    fs.writeFileSync(path.join(tmp, 'stray-dir', 'x'), 'partial');
    vault.lock();
    const reopened = track(await Vault.unlockWithPassphrase(dir, PASSPHRASE));
    expect(reopened.lastCleanup).toEqual({ tempFiles: 2, orphanFiles: 1 });
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(await reopened.blobs.has(orphan.id)).toBe(false);
    expect((await reopened.blobs.readAll(kept.id)).toString()).toBe('kept file');
  });

  it('ends open streams with LOCKED and refuses use after lock', async () => {
    const { vault } = await newVault();
    const info = await vault.blobs.put(patternBytes(2_000_000));
    const blobs = vault.blobs;
    const stream = blobs.openRange(info.id);
    const reading = collect(stream);
    vault.lock();
    await expectCode(reading, 'LOCKED');
    await expectCode(blobs.put(Buffer.from('x')), 'LOCKED');
    expect(() => blobs.openRange(info.id)).toThrow(AppError);
  });
});
