import type { Readable } from 'node:stream';
import type { SourceProblemReason } from '../errors';

export type SourceKind = 'folder' | 'iso' | 'zip';

/** One file of a disc, an image or an archive. Nothing is read until open() or readHead() is called. */
export interface SourceEntry {
  /** Normalised relative path: '/'-separated, no leading '/', no '.' or '..' segments, no ISO ';1' versions. */
  readonly path: string;
  /** Size in bytes (uncompressed size for zip entries). */
  readonly size: number;
  /** A stream of the file's bytes. Each call starts a new stream; destroy it to stop early. */
  open(): Readable;
  /** The first min(n, size) bytes. */
  readHead(n: number): Promise<Buffer>;
}

/** Something that was skipped while listing a source; shown in the import summary. */
export interface SourceProblem {
  /** Path as found (normalised where possible; for unsafe archive paths the raw name with control characters removed). */
  readonly path: string;
  readonly reason: SourceProblemReason;
  /** Patient-readable sentence for the summary. */
  readonly message: string;
}

export interface DiscSource {
  readonly kind: SourceKind;
  /** The path that was opened. */
  readonly location: string;
  /**
   * Every regular file, each once. Order: folder → sorted by path; iso → on-disc order (by first sector, which is the
   * fastest order for optical drives); zip → central-directory order (usually the order of the data).
   * May be called again; problems are collected during the first complete listing.
   */
  entries(): AsyncIterable<SourceEntry>;
  /** Entries skipped so far (unsafe paths, links, special files, bombs, damage). */
  readonly problems: readonly SourceProblem[];
  close(): Promise<void>;
}
