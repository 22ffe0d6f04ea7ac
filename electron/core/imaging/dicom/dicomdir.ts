import type { DataSet } from 'dicom-parser';
import { DOCUMENT_LIMITS } from '../limits';
import type { SourceEntry } from '../sources/types';
import { asciiValue, DataSetParseError, parseDataSet } from './dataset';

export interface DicomdirRecord {
  /** (0004,1430): PATIENT, STUDY, SERIES, IMAGE, SR DOCUMENT, ENCAP DOC, PRESENTATION, PRIVATE … */
  type: string;
  /** (0004,1500) joined with '/', relative to the DICOMDIR's folder; null for records without a file. */
  fileId: string | null;
  sopClassUid: string | null;
  sopInstanceUid: string | null;
  transferSyntaxUid: string | null;
}

export interface DicomdirHint {
  /** Referenced file IDs in record order, '/'-separated, relative to the DICOMDIR's folder, each once. */
  fileIds: string[];
  records: DicomdirRecord[];
  /** Set when the DICOMDIR was unreadable or only partly readable (the hint is then incomplete, never an error). */
  damaged: boolean;
}

const EMPTY: DicomdirHint = { fileIds: [], records: [], damaged: true };

/**
 * Reads the records of a DICOMDIR as a hint of which files the disc should contain. The record offsets (0004,1400),
 * (0004,1420), (0004,1200/1202) are ignored on purpose — real discs have wrong ones — and the Directory Record
 * Sequence is read in order. Never throws for content: an unreadable DICOMDIR gives an empty hint with damaged=true.
 */
export function readDicomdirHintBytes(bytes: Uint8Array): DicomdirHint {
  let dataSet: DataSet | undefined;
  let damaged = false;
  try {
    dataSet = parseDataSet(bytes).dataSet;
  } catch (error) {
    damaged = true;
    dataSet = error instanceof DataSetParseError ? error.partial : undefined;
  }
  const sequence = dataSet?.elements.x00041220;
  if (!dataSet || !sequence?.items) return EMPTY;
  const records: DicomdirRecord[] = [];
  const fileIds: string[] = [];
  const seen = new Set<string>();
  for (const item of sequence.items) {
    const ds = item.dataSet;
    if (!ds) continue;
    const rawId = asciiValue(ds, 'x00041500');
    const fileId = rawId
      ? rawId
          .split('\\')
          .map((c) => c.trim())
          .filter((c) => c !== '' && c !== '.' && c !== '..')
          .join('/') || null
      : null;
    records.push({
      type: asciiValue(ds, 'x00041430') ?? 'UNKNOWN',
      fileId,
      sopClassUid: asciiValue(ds, 'x00041510'),
      sopInstanceUid: asciiValue(ds, 'x00041511'),
      transferSyntaxUid: asciiValue(ds, 'x00041512'),
    });
    if (fileId && !seen.has(fileId)) {
      seen.add(fileId);
      fileIds.push(fileId);
    }
  }
  return { fileIds, records, damaged };
}

/** Reads a DICOMDIR entry (whole file, up to 128 MiB) and returns its hint; see readDicomdirHintBytes. */
export async function readDicomdirHint(entry: Pick<SourceEntry, 'size' | 'readHead'>): Promise<DicomdirHint> {
  if (entry.size > DOCUMENT_LIMITS.maxDicomdirBytes) return EMPTY;
  try {
    return readDicomdirHintBytes(await entry.readHead(entry.size));
  } catch {
    return EMPTY;
  }
}

function matchKey(p: string): string {
  return p
    .split('/')
    .map((c) => c.replace(/;\d*$/, '').replace(/\.$/, ''))
    .join('/')
    .toUpperCase();
}

export interface DicomdirMatch {
  /** fileId → entry path actually present (matched case-insensitively, ignoring ';1' versions and trailing dots). */
  present: Map<string, string>;
  /** File IDs the DICOMDIR lists that are not on the disc. */
  missing: string[];
}

/**
 * Matches a hint against the entries actually found. `dicomdirPath` is the DICOMDIR's own entry path (it may sit in
 * a subfolder; its file IDs are relative to that folder).
 */
export function matchDicomdirHint(hint: DicomdirHint, dicomdirPath: string, entryPaths: Iterable<string>): DicomdirMatch {
  const slash = dicomdirPath.lastIndexOf('/');
  const base = slash >= 0 ? dicomdirPath.slice(0, slash + 1) : '';
  const byKey = new Map<string, string>();
  for (const p of entryPaths) {
    const key = matchKey(p);
    if (!byKey.has(key)) byKey.set(key, p);
  }
  const present = new Map<string, string>();
  const missing: string[] = [];
  for (const fileId of hint.fileIds) {
    const found = byKey.get(matchKey(base + fileId));
    if (found) present.set(fileId, found);
    else missing.push(fileId);
  }
  return { present, missing };
}
