import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import {
  decryptRange,
  encryptToFile,
  FILE_HEADER_BYTES,
  plaintextSizeOf,
  plaintextSizeOfFile,
  SEGMENT_SIZE,
  SegmentEncryptor,
} from '../../../electron/core/vault/segmented-cipher';
import { collect, flipByte, patternBytes, tempDir } from './helpers';

const SEALED = SEGMENT_SIZE + 16;

async function* slices(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function encrypted(data: Buffer, key: Buffer, chunk = 10_000): Promise<string> {
  const file = path.join(tempDir(), 'blob');
  await encryptToFile(slices(data, chunk), file, key);
  return file;
}

async function streamError(file: string, key: Buffer, start = 0, end?: number): Promise<unknown> {
  return collect(decryptRange(file, key, start, end)).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('segmented cipher', () => {
  it('computes on-disk sizes: 0 bytes, exactly one segment, one segment + 1', async () => {
    const key = randomBytes(32);
    for (const size of [0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE]) {
      const file = await encrypted(patternBytes(size), key);
      const segments = Math.max(1, Math.ceil(size / SEGMENT_SIZE));
      expect(fs.statSync(file).size).toBe(FILE_HEADER_BYTES + size + 16 * segments);
      expect(await plaintextSizeOfFile(file)).toBe(size);
    }
    expect(plaintextSizeOf(15, SEGMENT_SIZE)).toBeNull();
    expect(plaintextSizeOf(SEALED + 16, SEGMENT_SIZE)).toBeNull();
  });

  it('range reads equal plaintext slices, including segment boundaries', async () => {
    const key = randomBytes(32);
    const sizes = [0, 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 1_000_003];
    for (const size of sizes) {
      const data = patternBytes(size, size + 7);
      const file = await encrypted(data, key, 65_537);
      expect((await collect(decryptRange(file, key))).equals(data)).toBe(true);
      if (size === 0) {
        expect(await collect(decryptRange(file, key, 0, 10))).toHaveLength(0);
        continue;
      }
      const points = [0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 2 * SEGMENT_SIZE - 1, 2 * SEGMENT_SIZE, size - 2, size - 1]
        .filter((point) => point >= 0 && point < size);
      for (const start of points) {
        for (const end of points) {
          if (end < start) continue;
          const got = await collect(decryptRange(file, key, start, end));
          expect(got.equals(data.subarray(start, end + 1)), `${size}: ${start}-${end}`).toBe(true);
        }
        // Open-ended range and an end past the last byte are clamped.
        expect((await collect(decryptRange(file, key, start))).equals(data.subarray(start))).toBe(true);
        expect((await collect(decryptRange(file, key, start, size + 1000))).equals(data.subarray(start))).toBe(true);
      }
      expect(await collect(decryptRange(file, key, size))).toHaveLength(0);
    }
  });

  it('random ranges on a ~1 MB file', async () => {
    const key = randomBytes(32);
    const data = patternBytes(1_048_576 + 12_345, 99);
    const file = await encrypted(data, key, 300_000);
    for (let i = 0; i < 60; i += 1) {
      const a = Math.floor(Math.random() * data.length);
      const b = Math.floor(Math.random() * data.length);
      const [start, end] = a <= b ? [a, b] : [b, a];
      expect((await collect(decryptRange(file, key, start, end))).equals(data.subarray(start, end + 1))).toBe(true);
    }
  });

  it('two encryptions of the same data differ (random salt and nonce prefix)', async () => {
    const key = randomBytes(32);
    const data = patternBytes(5000);
    const a = fs.readFileSync(await encrypted(data, key));
    const b = fs.readFileSync(await encrypted(data, key));
    expect(a.equals(b)).toBe(false);
    expect(a.includes(data.subarray(0, 32))).toBe(false);
  });

  it('detects a flipped byte, only in the segment that holds it', async () => {
    const key = randomBytes(32);
    const data = patternBytes(3 * SEGMENT_SIZE);
    const file = await encrypted(data, key);
    flipByte(file, FILE_HEADER_BYTES + SEALED + 100); // inside segment 1
    expect((await collect(decryptRange(file, key, 0, SEGMENT_SIZE - 1))).equals(data.subarray(0, SEGMENT_SIZE))).toBe(true);
    const error = await streamError(file, key, SEGMENT_SIZE, SEGMENT_SIZE + 10);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VAULT_DAMAGED');
    expect(((await streamError(file, key)) as AppError).code).toBe('VAULT_DAMAGED');
  });

  it('detects header tampering, a wrong key, truncation at and inside segment boundaries, and reordering', async () => {
    const key = randomBytes(32);
    const data = patternBytes(3 * SEGMENT_SIZE + 10);
    const original = fs.readFileSync(await encrypted(data, key));
    const variants: Record<string, Buffer> = {
      header: Buffer.from(original).fill(0x41, 10, 11),
      'drop last segment': original.subarray(0, FILE_HEADER_BYTES + 3 * SEALED),
      'cut inside a segment': original.subarray(0, original.length - 5),
      'cut to header': original.subarray(0, FILE_HEADER_BYTES),
      'swap segments 0 and 1': Buffer.concat([
        original.subarray(0, FILE_HEADER_BYTES),
        original.subarray(FILE_HEADER_BYTES + SEALED, FILE_HEADER_BYTES + 2 * SEALED),
        original.subarray(FILE_HEADER_BYTES, FILE_HEADER_BYTES + SEALED),
        original.subarray(FILE_HEADER_BYTES + 2 * SEALED),
      ]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const file = path.join(tempDir(), 'variant');
      fs.writeFileSync(file, bytes);
      const error = await streamError(file, key);
      expect(error, name).toBeInstanceOf(AppError);
      expect((error as AppError).code, name).toBe('VAULT_DAMAGED');
    }
    const file = path.join(tempDir(), 'original');
    fs.writeFileSync(file, original);
    expect(((await streamError(file, randomBytes(32))) as AppError).code).toBe('VAULT_DAMAGED');
  });

  it('authenticates an empty file and detects an emptied one', async () => {
    const key = randomBytes(32);
    const empty = await encrypted(Buffer.alloc(0), key);
    expect(await collect(decryptRange(empty, key))).toHaveLength(0);
    flipByte(empty, FILE_HEADER_BYTES + 3);
    expect(((await streamError(empty, key)) as AppError).code).toBe('VAULT_DAMAGED');
    // A one-segment file cut down to an empty final segment must not pass as an empty file.
    const small = await encrypted(patternBytes(100), key);
    const bytes = fs.readFileSync(small);
    fs.writeFileSync(small, Buffer.concat([bytes.subarray(0, FILE_HEADER_BYTES), bytes.subarray(bytes.length - 16)]));
    expect(((await streamError(small, key)) as AppError).code).toBe('VAULT_DAMAGED');
  });

  it('never feeds the cipher more than one segment and holds a full segment until it knows whether it is last', () => {
    const encryptor = new SegmentEncryptor(randomBytes(32));
    expect(encryptor.update(patternBytes(SEGMENT_SIZE))).toHaveLength(0);
    const out = encryptor.update(patternBytes(3 * SEGMENT_SIZE + 5));
    expect(out.map((segment) => segment.length)).toEqual([SEALED, SEALED, SEALED, SEALED]);
    expect(encryptor.final()).toHaveLength(5 + 16);
  });

  it('rejects bad range arguments synchronously', () => {
    expect(() => decryptRange('/nonexistent', randomBytes(32), -1)).toThrow(AppError);
    expect(() => decryptRange('/nonexistent', randomBytes(32), 1.5)).toThrow(AppError);
  });
});
