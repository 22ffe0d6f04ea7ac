import type { CoreEvent } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

/**
 * Messages between Electron's main process (the client) and the core process (the host).
 * Everything here is structured-clone friendly: plain objects, strings, numbers and Uint8Array.
 *
 * Blob streaming is pull-based: the host may have at most `credits` chunks in flight per stream. It starts
 * with INITIAL_BLOB_CREDITS and the client hands out more with `blob-pull` as its consumer reads, so a slow
 * consumer (a paused <video>) stops the host from reading and decrypting, and nothing buffers a whole file.
 */

/** Largest chunk the host sends. 64 KiB matches the vault's AES-GCM segment size sweet spot. */
export const BLOB_CHUNK_BYTES = 64 * 1024;
/** Chunks the host may send before the client asks for more (≤ 512 KiB in flight per stream). */
export const INITIAL_BLOB_CREDITS = 8;

export type LockReason = 'user' | 'inactivity' | 'system';
export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive (like HTTP ranges and fs.createReadStream); omitted means "to the end". */
  end?: number;
}

/** Main → core. */
export type ClientMessage =
  | { type: 'call'; id: number; operation: unknown; input: unknown }
  | { type: 'blob'; id: number; blobId: string; range?: ByteRange }
  | { type: 'blob-pull'; id: number; credits: number }
  | { type: 'blob-cancel'; id: number }
  | { type: 'lock'; reason: LockReason; id?: number }
  | { type: 'close'; id?: number };

export interface BlobInfo {
  size: number;
  totalSize: number;
  contentType: string;
}

/** Core → main. */
export type HostMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: CoreEvent }
  | { type: 'blob-open'; id: number; info: BlobInfo | null }
  | { type: 'blob-chunk'; id: number; data: Uint8Array }
  | { type: 'blob-end'; id: number }
  | { type: 'blob-error'; id: number }
  | { type: 'done'; id: number };

/** A message channel as both ends see it; adapters in ./port wrap Electron's and Node's. */
export interface MessagePortLike<In, Out> {
  postMessage(message: Out): void;
  on(event: 'message', listener: (message: In) => void): unknown;
}
