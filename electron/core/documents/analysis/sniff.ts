import fs from 'node:fs/promises';
import path from 'node:path';
import { DOCUMENT_MESSAGES, DocumentError, fileError } from './errors';

/** The kinds of document the analysis layer reads. Decided by content, never by the file name. */
export type DocumentKind = 'pdf' | 'jpeg' | 'png' | 'tiff';

export const MIME_TYPES: Record<DocumentKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
};

export type SniffResult =
  | {
      kind: DocumentKind;
      mimeType: string;
      /** The kind the file name suggests, when it names another kind (e.g. a PNG saved as `.pdf`). */
      nameSuggests?: DocumentKind;
    }
  | {
      kind: 'unsupported';
      /** 'empty' (0 bytes), 'damaged' (named like a supported kind but unreadable content) or 'unsupported'. */
      problem: 'empty' | 'damaged' | 'unsupported';
      /** Patient-readable: what this is and what to do. */
      reason: string;
      /** What the content looks like, for logs (e.g. 'heic', 'zip', 'dicom', 'unknown'); never record content. */
      detected: string;
    };

/** How many leading bytes `sniffBytes` looks at (enough for the DICOM preamble and a PDF header after junk). */
export const SNIFF_BYTES = 1024;

const EXTENSIONS: Record<string, DocumentKind> = {
  '.pdf': 'pdf',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.jpe': 'jpeg',
  '.jfif': 'jpeg',
  '.png': 'png',
  '.tif': 'tiff',
  '.tiff': 'tiff',
};

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, Math.min(end, bytes.length))).toString('latin1');
}

/** The kind the file name claims, if any. */
export function kindFromName(fileName: string | undefined): DocumentKind | undefined {
  if (!fileName) return undefined;
  return EXTENSIONS[path.extname(fileName).toLowerCase()];
}

function supportedKind(head: Uint8Array): DocumentKind | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // Classic TIFF (II*\0, MM\0*) and BigTIFF (II+\0, MM\0+).
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  // Readers accept a PDF header anywhere in the first 1024 bytes (some systems prepend junk).
  if (ascii(head, 0, SNIFF_BYTES).includes('%PDF-')) return 'pdf';
  return null;
}

/** Recognises common formats we do not read, so the message can say what to do with them. */
function knownUnsupported(head: Uint8Array): { detected: string; reason: string } | null {
  const brand = ascii(head, 4, 12);
  if (brand.startsWith('ftyp')) {
    const kind = brand.slice(4);
    if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1', 'heis', 'avif'].includes(kind)) {
      return { detected: 'heic', reason: DOCUMENT_MESSAGES.heic };
    }
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { detected: 'zip', reason: DOCUMENT_MESSAGES.office };
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { detected: 'ole2', reason: DOCUMENT_MESSAGES.office };
  }
  if (ascii(head, 128, 132) === 'DICM') return { detected: 'dicom', reason: DOCUMENT_MESSAGES.dicom };
  if (ascii(head, 0, 4) === 'GIF8') return { detected: 'gif', reason: DOCUMENT_MESSAGES.otherImage };
  if (ascii(head, 0, 2) === 'BM' && head.length > 14) return { detected: 'bmp', reason: DOCUMENT_MESSAGES.otherImage };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') {
    return { detected: 'webp', reason: DOCUMENT_MESSAGES.otherImage };
  }
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) {
    return { detected: 'jpeg2000', reason: DOCUMENT_MESSAGES.otherImage };
  }
  if (looksLikeText(head)) return { detected: 'text', reason: DOCUMENT_MESSAGES.text };
  return null;
}

/** Text files (plain text, HTML, RTF, CSV) have no NUL or control bytes and decode as UTF-8. */
function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
  }
  // The sniffed window may cut a multi-byte character in two: ignore the last 3 bytes for the UTF-8 check.
  const text = Buffer.from(head.subarray(0, Math.max(1, head.length - 3))).toString('utf8');
  return !text.includes('\uFFFD');
}

/**
 * Decides a file's kind from its first bytes (`SNIFF_BYTES` are enough). `fileName` is only used to word the
 * message better and to report a name that lies about the content.
 */
export function sniffBytes(head: Uint8Array, fileName?: string): SniffResult {
  const claimed = kindFromName(fileName);
  if (head.length === 0) {
    return { kind: 'unsupported', problem: 'empty', reason: DOCUMENT_MESSAGES.empty, detected: 'empty' };
  }
  const kind = supportedKind(head);
  if (kind) {
    const result: SniffResult = { kind, mimeType: MIME_TYPES[kind] };
    if (claimed && claimed !== kind) result.nameSuggests = claimed;
    return result;
  }
  const known = knownUnsupported(head);
  if (known) return { kind: 'unsupported', problem: 'unsupported', ...known };
  if (claimed) {
    // Named like something we read, but the content is none of it: most likely damaged (or not what it says).
    const reason = claimed === 'pdf' ? DOCUMENT_MESSAGES.damagedPdf : DOCUMENT_MESSAGES.damagedImage;
    return { kind: 'unsupported', problem: 'damaged', reason, detected: 'unknown' };
  }
  return { kind: 'unsupported', problem: 'unsupported', reason: DOCUMENT_MESSAGES.damagedUnknown, detected: 'unknown' };
}

export type FileSniffResult = SniffResult & { size: number };

/**
 * Reads the first bytes of a file and sniffs them. File-system problems (missing file, no permission, a folder)
 * become DocumentErrors with patient-readable messages; an unsupported file is a result, not an error.
 */
export async function sniffFile(filePath: string): Promise<FileSniffResult> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(filePath, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new DocumentError('unsupported', DOCUMENT_MESSAGES.folder);
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    const { bytesRead } = buffer.length > 0 ? await handle.read(buffer, 0, buffer.length, 0) : { bytesRead: 0 };
    return { ...sniffBytes(buffer.subarray(0, bytesRead), path.basename(filePath)), size: stat.size };
  } catch (error) {
    throw fileError(error);
  } finally {
    await handle?.close();
  }
}

/** Like `sniffFile`, but throws a DocumentError for anything we cannot read. */
export async function requireSupportedFile(filePath: string): Promise<{ kind: DocumentKind; size: number }> {
  const sniffed = await sniffFile(filePath);
  if (sniffed.kind === 'unsupported') {
    throw new DocumentError(sniffed.problem, sniffed.reason);
  }
  return { kind: sniffed.kind, size: sniffed.size };
}
