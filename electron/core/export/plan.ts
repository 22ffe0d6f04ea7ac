import { createHash } from 'node:crypto';

/** One file of a packet: its place in the tree, its size and SHA-256 known before anything is written. */
export interface PlanFile {
  /** '/'-separated, ISO 9660 level 1 names (8.3, uppercase). */
  path: string;
  size: number;
  sha256: string;
  source: { kind: 'memory'; data: Buffer } | { kind: 'blob'; blobId: string; what: string };
  /** Text-like files are DEFLATEd in a zip; everything else is stored. */
  deflate?: boolean;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function memoryFile(path: string, data: Uint8Array, deflate = false): PlanFile {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { path, size: buffer.length, sha256: sha256Hex(buffer), source: { kind: 'memory', data: buffer }, deflate };
}

/** Every directory of the tree (parents before children), for archive listings. */
export function directoriesOf(files: PlanFile[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i += 1) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

const TYPE_CODES: Record<string, string> = {
  pathology: 'PATH',
  radiology: 'RAD',
  lab: 'LAB',
  genetic: 'GEN',
  consultation: 'CONS',
  'treatment-plan': 'PLAN',
  operative: 'OPER',
  discharge: 'DISC',
  'medication-list': 'MEDS',
  insurance: 'INS',
  other: 'OTHR',
};

const EXTENSIONS: Record<string, string> = {
  pdf: 'PDF',
  jpeg: 'JPG',
  png: 'PNG',
  tiff: 'TIF',
  text: 'TXT',
  html: 'HTM',
  'dicom-sr': 'TXT',
};

/** ORIGINAL/ names: 8.3, uppercase, numbered in packet order with the record type: 001_PATH.PDF. */
export function originalName(index: number, count: number, type: string, kind: string): string {
  const ext = EXTENSIONS[kind] ?? 'BIN';
  const code = TYPE_CODES[type] ?? 'DOC';
  if (count <= 999) return `${String(index + 1).padStart(3, '0')}_${code}.${ext}`;
  return `${String(index + 1).padStart(5, '0')}_${code.slice(0, 2)}.${ext}`;
}
