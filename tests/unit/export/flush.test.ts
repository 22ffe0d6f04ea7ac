import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFlusher, FlushingFile } from '../../../electron/core/export/flush';
import { tempDir } from '../../helpers/temp';

/** Background flushing of packet files (flush.ts) on a real file system. */

const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;

describe.skipIf(process.platform !== 'linux')('flushing packet files while they are written', () => {
  it('flushes and closes every file handed over, never holding more than a bounded number open', async () => {
    const dir = tempDir('flush');
    const before = openDescriptors();
    const flusher = new FileFlusher();
    let most = 0;
    for (let index = 0; index < 300; index += 1) {
      const handle = await fsp.open(path.join(dir, String(index)), 'wx');
      await handle.write(Buffer.alloc(4096, index % 256));
      await flusher.add(handle);
      most = Math.max(most, openDescriptors() - before);
    }
    await flusher.drain();
    expect(openDescriptors()).toBe(before);
    expect(most).toBeLessThanOrEqual(40);
    for (let index = 0; index < 300; index += 1) expect(fs.readFileSync(path.join(dir, String(index)))).toEqual(Buffer.alloc(4096, index % 256));
  });

  it('reports a failed flush when drained, and still closes the other files', async () => {
    const dir = tempDir('flush-fail');
    const before = openDescriptors();
    const flusher = new FileFlusher();
    const good = await fsp.open(path.join(dir, 'good'), 'wx');
    const broken = await fsp.open(path.join(dir, 'broken'), 'wx');
    await broken.close(); // its flush fails (the descriptor is gone), as a flush on a failing drive would
    await flusher.add(broken);
    await flusher.add(good);
    await expect(flusher.drain()).rejects.toThrow();
    expect(openDescriptors()).toBe(before);
  });

  it('abandons queued files without leaking descriptors', async () => {
    const dir = tempDir('flush-abandon');
    const before = openDescriptors();
    const flusher = new FileFlusher();
    for (let index = 0; index < 20; index += 1) await flusher.add(await fsp.open(path.join(dir, String(index)), 'wx'));
    await flusher.abandon();
    expect(openDescriptors()).toBe(before);
  });

  it('writes a large single file in place while flushing in the background, and flushes the rest at the end', async () => {
    const dir = tempDir('flush-file');
    const handle = await fsp.open(path.join(dir, 'image.iso'), 'wx');
    const file = new FlushingFile(handle);
    const chunk = Buffer.alloc(1024 * 1024);
    let position = 0;
    for (let index = 0; index < 80; index += 1) {
      chunk.fill(index);
      position += (await file.write(chunk, 0, chunk.length, position)).bytesWritten;
    }
    await file.finish();
    await handle.close();
    const written = fs.readFileSync(path.join(dir, 'image.iso'));
    expect(written.length).toBe(80 * 1024 * 1024);
    for (let index = 0; index < 80; index += 1) expect(written[index * 1024 * 1024 + 12_345]).toBe(index);
  });
});
