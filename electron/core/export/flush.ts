import type { FileHandle } from 'node:fs/promises';

/**
 * Getting a packet onto the disk while it is being written, not after.
 *
 * A packet must be on disk before it gets its final name (a crash must never leave a complete-looking packet of
 * empty files). Flushing everything at the end makes the user wait for the disk after the app has finished its own
 * work: the kernel keeps up to gigabytes of written data in memory, so a 1 GB packet's write-back starts only at that
 * final flush. Flushing each piece as soon as it is written overlaps the disk with decrypting and checking the next
 * files, and leaves little for the end.
 *
 * Flushes run in libuv's thread pool (4 threads by default), which also serves every file read and write; at most
 * `MAX_FLUSHES_IN_FLIGHT` run at once so reading the vault and writing the packet always have threads left.
 */
const MAX_FLUSHES_IN_FLIGHT = 2;
/** Files written but not yet flushed, each holding a descriptor (macOS allows 256 per process by default). */
const MAX_FILES_WAITING = 32;

/** Flushes finished files of a folder packet in the background, then closes them. */
export class FileFlusher {
  readonly #waiting: FileHandle[] = [];
  readonly #running = new Set<Promise<void>>();
  #failure: unknown = null;

  /**
   * Takes over an open handle whose file is completely written: it is flushed, then closed. Waits while too many
   * are queued, so a slow disk holds the writer back instead of piling up open files.
   */
  async add(handle: FileHandle): Promise<void> {
    this.#waiting.push(handle);
    this.#pump();
    while (this.#waiting.length > MAX_FILES_WAITING && this.#running.size > 0) await Promise.race(this.#running);
  }

  /** Waits until every file handed over is on disk and closed; the first flush failure is thrown here. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running);
    if (this.#failure !== null) throw this.#failure;
  }

  /** Closes everything without waiting for the disk (used when the packet is abandoned). */
  async abandon(): Promise<void> {
    const waiting = this.#waiting.splice(0);
    await Promise.allSettled([...this.#running, ...waiting.map((handle) => handle.close())]);
  }

  #pump(): void {
    while (this.#running.size < MAX_FLUSHES_IN_FLIGHT && this.#waiting.length > 0) {
      const handle = this.#waiting.shift()!;
      const flush = this.#flushAndClose(handle).finally(() => {
        this.#running.delete(flush);
        this.#pump();
      });
      this.#running.add(flush);
    }
  }

  async #flushAndClose(handle: FileHandle): Promise<void> {
    try {
      if (this.#failure === null) await handle.datasync();
    } catch (error) {
      this.#failure ??= error;
    } finally {
      await handle.close().catch((error: unknown) => {
        this.#failure ??= error;
      });
    }
  }
}

/** What the zip and ISO writers need of a file: positional writes. */
export interface PositionalFile {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
}

/** Every this many bytes, a single-file packet (zip, ISO) starts flushing what it has written so far. */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * A zip or ISO being written, flushed in the background every `FLUSH_EVERY_BYTES` (one flush at a time: a flush
 * takes whatever is dirty when it starts, so queueing more would only repeat work). `finish()` flushes the rest.
 */
export class FlushingFile implements PositionalFile {
  readonly #handle: FileHandle;
  #sinceFlush = 0;
  #flushing: Promise<void> | null = null;
  #failure: unknown = null;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }> {
    if (this.#failure !== null) throw this.#failure;
    const { bytesWritten } = await this.#handle.write(buffer, offset, length, position);
    this.#sinceFlush += bytesWritten;
    if (this.#sinceFlush >= FLUSH_EVERY_BYTES && this.#flushing === null) {
      this.#sinceFlush = 0;
      this.#flushing = this.#handle.datasync().then(
        () => {
          this.#flushing = null;
        },
        (error: unknown) => {
          this.#flushing = null;
          this.#failure ??= error;
        },
      );
    }
    return { bytesWritten };
  }

  /** Waits for a flush in progress, then flushes everything (data and size) to disk. */
  async finish(): Promise<void> {
    await this.#flushing;
    if (this.#failure !== null) throw this.#failure;
    await this.#handle.sync();
  }

  /** Lets a flush in progress end (before the file is closed and removed). */
  async settle(): Promise<void> {
    await this.#flushing;
  }
}
