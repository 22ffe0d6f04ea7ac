import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { problemMessages, type SourceProblemReason } from '../errors';
import type { SourceProblem } from './types';

export const CHUNK_BYTES = 64 * 1024;

export function problem(path: string, reason: SourceProblemReason): SourceProblem {
  return { path: printable(path), reason, message: problemMessages[reason] };
}

/** Control characters removed and length bounded, so a hostile name cannot mess up a log line or the UI. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** A byte stream over ranges of an open file, read in ≤ 64 KiB slices with positioned reads. */
export function rangeStream(
  handle: FileHandle,
  ranges: ReadonlyArray<{ offset: number; length: number }>,
  onShort: () => Error,
): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    for (const range of ranges) {
      let done = 0;
      while (done < range.length) {
        const want = Math.min(CHUNK_BYTES, range.length - done);
        const chunk = await readAt(handle, range.offset + done, want);
        if (chunk.length === 0) throw onShort();
        done += chunk.length;
        yield chunk;
      }
    }
  }
  return Readable.from(generate(), { objectMode: false, highWaterMark: CHUNK_BYTES });
}

/** Reads the first n bytes of a stream, then destroys it. */
export async function readHeadFromStream(stream: Readable, n: number): Promise<Buffer> {
  if (n <= 0) {
    stream.destroy();
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf);
      total += buf.length;
      if (total >= n) break;
    }
  } finally {
    stream.destroy();
  }
  const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  return all.length > n ? all.subarray(0, n) : all;
}

/** Simple code-unit comparison: stable across platforms and locales. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
