/**
 * Bounds for reading imaging media. Discs come from many vendors and some images are damaged or hostile, so every
 * loop, length and recursion in this folder is capped by one of these numbers. Real discs stay far below them:
 * a large CT/MR disc holds ~20–60k files, a DICOMDIR a few MB, a header (everything before Pixel Data) a few KB.
 */
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export interface SourceLimits {
  /** Files yielded by one source; the rest is reported as 'limit-reached'. */
  maxEntries: number;
  /** Folder nesting (folders and ISO directories). ISO 9660 itself allows 8; Joliet/Rock Ridge discs go deeper. */
  maxDepth: number;
}

export interface IsoLimits extends SourceLimits {
  /** Volume descriptors read from sector 16 on before giving up looking for the terminator. */
  maxVolumeDescriptors: number;
  /** One directory's records (a directory of 50k files is ~3 MB). */
  maxDirectoryBytes: number;
  /** All directory records read for one image. */
  maxTotalDirectoryBytes: number;
  maxDirectories: number;
}

export interface ZipLimits extends SourceLimits {
  /** Largest single uncompressed entry. */
  maxEntryBytes: number;
  /** All uncompressed entries together. */
  maxTotalBytes: number;
  /** Uncompressed/compressed ratio allowed once an entry is larger than ratioThresholdBytes (deflate tops out ~1032:1). */
  maxRatio: number;
  ratioThresholdBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxEntries: 250_000, maxDepth: 64 };

export const DEFAULT_ISO_LIMITS: IsoLimits = {
  ...DEFAULT_SOURCE_LIMITS,
  maxVolumeDescriptors: 64,
  maxDirectoryBytes: 32 * MiB,
  maxTotalDirectoryBytes: 256 * MiB,
  maxDirectories: 100_000,
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  ...DEFAULT_SOURCE_LIMITS,
  maxEntryBytes: 4 * GiB,
  maxTotalBytes: 64 * GiB,
  // Real DICOM compresses 2:1–10:1; blank frames and padding can reach ~100:1; bombs sit near deflate's ~1000:1.
  maxRatio: 200,
  ratioThresholdBytes: 4 * MiB,
};

export const HEADER_LIMITS = {
  /** First read for a header: enough for nearly every real file. */
  firstReadBytes: 64 * 1024,
  /** Each retry reads this many times more. */
  growthFactor: 16,
  /** A header (everything before Pixel Data) larger than this is refused. Encapsulated PDFs sit in the header. */
  maxHeaderBytes: 256 * MiB,
  /** Deflated data sets (rare) are inflated in memory up to this size. */
  maxInflatedBytes: 512 * MiB,
  /** Longest text we keep from a single element for the catalog (display copy; the file itself is never changed). */
  maxTextChars: 1024,
};

export const DOCUMENT_LIMITS = {
  /** A DICOMDIR for ~100k files is ~30 MB. */
  maxDicomdirBytes: 128 * MiB,
  /** Structured-report walk. */
  maxSrDepth: 64,
  maxSrItems: 100_000,
  maxSrTextChars: 2_000_000,
};

export const THUMBNAIL_LIMITS = {
  maxEdge: 256,
  /** Frames larger than this many pixels are not decoded for a thumbnail (whole-slide images, huge scans). */
  maxPixels: 40_000_000,
};

export const FRAME_LIMITS = {
  /** Longest edge of a viewer frame (the contract allows at most this). */
  maxEdge: 1024,
  /** Frames larger than this many pixels are not decoded for the viewer either. */
  maxPixels: 40_000_000,
  /** First read of an instance: enough for nearly every header; grows 16× while the header is longer. */
  firstReadBytes: 64 * 1024,
  /** Encapsulated frames: read this much more each time the frame is not yet complete. */
  minGrowthBytes: 1 * MiB,
  /** Decoded frames kept in memory per vault (so changing the window does not decode again); dropped on lock. */
  cacheEntries: 16,
  cacheBytes: 128 * MiB,
  /** The cache is emptied after this long without a frame being asked for. */
  cacheIdleMs: 2 * 60 * 1000,
};
