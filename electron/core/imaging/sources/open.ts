import { promises as fsp } from 'node:fs';
import { toAppError } from '../../errors';
import { isDicom } from '../dicom/sniff';
import { imagingErrors } from '../errors';
import { DEFAULT_ISO_LIMITS, DEFAULT_SOURCE_LIMITS, DEFAULT_ZIP_LIMITS, type IsoLimits, type SourceLimits, type ZipLimits } from '../limits';
import { openFolderSource } from './folder';
import { ISO_FIRST_DESCRIPTOR, ISO_SECTOR, openIsoSource } from './iso9660';
import type { DiscSource, SourceKind } from './types';
import { readAt } from './util';
import { openZipSource } from './zip';

export interface OpenSourceOptions {
  folder?: Partial<SourceLimits>;
  iso?: Partial<IsoLimits>;
  zip?: Partial<ZipLimits>;
}

/** Volume recognition sequence identifiers of UDF (ECMA-167 §2/9.1); NSR02/NSR03 mark a UDF file system. */
const UDF_IDS = new Set(['BEA01', 'NSR02', 'NSR03', 'TEA01']);
const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * Decides by content (never by file name) what a path is: a folder, an ISO 9660 image ('CD001' in sector 16, which
 * UDF-bridge discs also carry), or a zip (local header at 0, or an end-of-central-directory record in the last
 * 64 KiB). UDF-only images, single DICOM files, other archives and anything else raise a patient-readable AppError.
 */
export async function detectSourceKind(location: string): Promise<SourceKind> {
  let stat;
  try {
    stat = await fsp.stat(location);
  } catch (error) {
    throw toAppError(error);
  }
  if (stat.isDirectory()) return 'folder';
  if (!stat.isFile()) throw imagingErrors.notASource();
  const handle = await fsp.open(location, 'r').catch((error: unknown) => {
    throw toAppError(error);
  });
  try {
    const head = await readAt(handle, 0, Math.min(stat.size, ISO_FIRST_DESCRIPTOR + 16 * ISO_SECTOR));
    if (head.length >= ISO_FIRST_DESCRIPTOR + 6 && head.toString('latin1', ISO_FIRST_DESCRIPTOR + 1, ISO_FIRST_DESCRIPTOR + 6) === 'CD001') {
      return 'iso';
    }
    for (let pos = ISO_FIRST_DESCRIPTOR; pos + 6 <= head.length; pos += ISO_SECTOR) {
      if (UDF_IDS.has(head.toString('latin1', pos + 1, pos + 6))) throw imagingErrors.udfOnly();
    }
    if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) {
      return 'zip';
    }
    const tailLength = Math.min(stat.size, 65_535 + 22);
    const tail = await readAt(handle, stat.size - tailLength, tailLength);
    if (tail.lastIndexOf(EOCD) >= 0) return 'zip';
    if (isDicom(head)) throw imagingErrors.singleDicomFile();
    if (isOtherArchive(head)) throw imagingErrors.otherArchive();
    throw imagingErrors.notASource();
  } finally {
    await handle.close();
  }
}

function isOtherArchive(head: Buffer): boolean {
  const starts = (bytes: number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
  return (
    starts([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) || // 7z
    starts([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]) || // RAR
    starts([0x1f, 0x8b]) || // gzip
    starts([0x42, 0x5a, 0x68]) || // bzip2
    starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) || // xz
    (head.length > 262 && head.toString('latin1', 257, 262) === 'ustar') // tar
  );
}

/** Opens a folder, an .iso or a .zip for reading, detected by content. Close it when done. */
export async function openSource(location: string, options: OpenSourceOptions = {}): Promise<DiscSource> {
  const kind = await detectSourceKind(location);
  switch (kind) {
    case 'folder':
      return openFolderSource(location, { ...DEFAULT_SOURCE_LIMITS, ...options.folder });
    case 'iso':
      return openIsoSource(location, { ...DEFAULT_ISO_LIMITS, ...options.iso });
    case 'zip':
      return openZipSource(location, { ...DEFAULT_ZIP_LIMITS, ...options.zip });
  }
}
