/**
 * Decoding DICOM text (PN, LO, SH, ST, LT, UT, UC) with Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and
 * PS3.5 §6.1. Uses only TextDecoder (WHATWG encodings, available in Node with ICU and in Electron).
 *
 * Supported exactly: default repertoire (ISO_IR 6), ISO_IR 100/101/109/110/144/127/126/138/148/203/166/13, ISO_IR 192
 * (UTF-8), GB18030, GBK, and the ISO 2022 forms with code extensions (ISO 2022 IR 6/100/…/13/87/159/149/58), switching
 * character sets at escape sequences and resetting at delimiters as PS3.5 §6.1.2.5.3 requires.
 * Best effort (result marked `exact: false`): an unknown or misspelt character set, bytes that do not decode (the
 * decoder's U+FFFD appears), and non-ASCII bytes under the default repertoire — common on real discs — which are tried
 * as UTF-8 and otherwise read as ISO-8859-1. Callers keep the raw bytes (e.g. `patient.nameBytes`) for those.
 * Notes: ISO_IR 148 is decoded with windows-1254 and ISO_IR 166 with windows-874 (WHATWG supersets, identical for
 * bytes DICOM allows); ISO_IR 13/14 map 0x5C/0x7E to '\' and '~' like most viewers do.
 */

export interface DecodedText {
  text: string;
  /** False when the character set was unknown or some bytes could not be decoded faithfully. */
  exact: boolean;
}

type Charset =
  | { kind: 'ascii' }
  | { kind: 'latin1' }
  | { kind: 'single'; label: string }
  | { kind: 'katakana' } // JIS X 0201 right half (ISO-IR 13) in GR
  | { kind: 'jis0208' } // ISO-IR 87, two 7-bit bytes in G0
  | { kind: 'jis0212' } // ISO-IR 159, two 7-bit bytes in G0
  | { kind: 'multi'; label: string } // whole-value multibyte: UTF-8, GB18030, GBK, or GR double-byte (EUC-KR, GB2312)
  | { kind: 'unknown' };

const SINGLE_BYTE: Record<string, Charset> = {
  '': { kind: 'ascii' },
  IR6: { kind: 'ascii' },
  IR100: { kind: 'latin1' },
  IR101: { kind: 'single', label: 'iso-8859-2' },
  IR109: { kind: 'single', label: 'iso-8859-3' },
  IR110: { kind: 'single', label: 'iso-8859-4' },
  IR144: { kind: 'single', label: 'iso-8859-5' },
  IR127: { kind: 'single', label: 'iso-8859-6' },
  IR126: { kind: 'single', label: 'iso-8859-7' },
  IR138: { kind: 'single', label: 'iso-8859-8' },
  IR148: { kind: 'single', label: 'iso-8859-9' },
  IR203: { kind: 'single', label: 'iso-8859-15' },
  IR166: { kind: 'single', label: 'windows-874' },
  IR13: { kind: 'katakana' },
};

/** G0/G1 designations by escape sequence (the bytes after ESC). PS3.3 Tables C.12-3, C.12-4. */
const ESCAPES: Record<string, { g: 0 | 1; charset: Charset }> = {
  '(B': { g: 0, charset: { kind: 'ascii' } },
  '(J': { g: 0, charset: { kind: 'ascii' } }, // JIS X 0201 romaji (IR 14)
  ')I': { g: 1, charset: { kind: 'katakana' } },
  '$B': { g: 0, charset: { kind: 'jis0208' } },
  '$@': { g: 0, charset: { kind: 'jis0208' } },
  '$(D': { g: 0, charset: { kind: 'jis0212' } },
  '$)C': { g: 1, charset: { kind: 'multi', label: 'euc-kr' } },
  '$)A': { g: 1, charset: { kind: 'multi', label: 'gbk' } },
  '-A': { g: 1, charset: { kind: 'latin1' } },
  '-B': { g: 1, charset: { kind: 'single', label: 'iso-8859-2' } },
  '-C': { g: 1, charset: { kind: 'single', label: 'iso-8859-3' } },
  '-D': { g: 1, charset: { kind: 'single', label: 'iso-8859-4' } },
  '-L': { g: 1, charset: { kind: 'single', label: 'iso-8859-5' } },
  '-G': { g: 1, charset: { kind: 'single', label: 'iso-8859-6' } },
  '-F': { g: 1, charset: { kind: 'single', label: 'iso-8859-7' } },
  '-H': { g: 1, charset: { kind: 'single', label: 'iso-8859-8' } },
  '-M': { g: 1, charset: { kind: 'single', label: 'iso-8859-9' } },
  '-T': { g: 1, charset: { kind: 'single', label: 'windows-874' } },
  '-b': { g: 1, charset: { kind: 'single', label: 'iso-8859-15' } },
};

/** 'ISO 2022 IR 100', 'ISO_IR 100', 'iso-ir100' → 'IR100'; 'ISO_IR 192'/'UTF-8' → 'UTF8'. */
function normaliseTerm(term: string): string {
  const t = term.toUpperCase().replace(/[\s_-]/g, '');
  if (t === 'ISOIR192' || t === 'UTF8' || t === 'ISO2022IR192') return 'UTF8';
  const m = /^ISO(?:2022)?IR(\d+)$/.exec(t);
  if (m) return `IR${m[1]}`;
  return t;
}

function isIso2022(term: string): boolean {
  return /^ISO[\s_-]*2022/i.test(term.trim());
}

const decoders = new Map<string, TextDecoder>();
function decoder(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) {
    d = new TextDecoder(label);
    decoders.set(label, d);
  }
  return d;
}

/** Exact ISO-8859-1 (WHATWG's 'latin1' label means windows-1252, so Buffer's native decoder is used instead). */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i]! >= 0x80) return true;
  return false;
}

function hasEscape(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === 0x1b) return true;
  return false;
}

interface Acc {
  text: string;
  exact: boolean;
}

function decodeRun(bytes: Uint8Array, charset: Charset | null, acc: Acc): void {
  if (bytes.length === 0) return;
  if (!charset) {
    acc.exact = false;
    acc.text += latin1(bytes);
    return;
  }
  let out: string;
  switch (charset.kind) {
    case 'ascii':
      if (hasHighBytes(bytes)) acc.exact = false;
      out = latin1(bytes);
      break;
    case 'latin1':
      out = latin1(bytes);
      break;
    case 'single':
    case 'multi':
      out = decoder(charset.label).decode(bytes);
      break;
    case 'katakana': {
      out = '';
      for (const b of bytes) out += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : String.fromCharCode(b);
      break;
    }
    case 'jis0208':
    case 'jis0212': {
      const euc: number[] = [];
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        if (charset.kind === 'jis0212') euc.push(0x8f);
        euc.push(bytes[i]! | 0x80, bytes[i + 1]! | 0x80);
      }
      if (bytes.length % 2 !== 0) acc.exact = false;
      out = decoder('euc-jp').decode(new Uint8Array(euc));
      break;
    }
    case 'unknown':
      acc.exact = false;
      out = latin1(bytes);
      break;
  }
  if (out.includes('\ufffd')) acc.exact = false;
  acc.text += out;
}

/** Decodes one run in which G0 handles bytes < 0x80 and G1 bytes ≥ 0x80. */
function decodeMixed(bytes: Uint8Array, g0: Charset, g1: Charset | null, acc: Acc): void {
  let start = 0;
  for (let i = 1; i <= bytes.length; i += 1) {
    const prevHigh = bytes[i - 1]! >= 0x80;
    if (i === bytes.length || (bytes[i]! >= 0x80) !== prevHigh) {
      decodeRun(bytes.subarray(start, i), prevHigh ? g1 : g0, acc);
      start = i;
    }
  }
}

function isSingleByteG0(c: Charset): boolean {
  return c.kind !== 'jis0208' && c.kind !== 'jis0212';
}

/**
 * Decodes ISO 2022 code extensions: escape sequences switch G0/G1; at each delimiter (CR, LF, TAB, FF, and for person
 * names '^' and '=', for multi-valued text '\') the designations return to those of the first defined term.
 */
function decodeIso2022(bytes: Uint8Array, terms: string[], delimiters: Set<number>, acc: Acc): void {
  const first = normaliseTerm(terms[0] ?? '');
  const initialG1: Charset | null = first === 'IR6' || first === '' ? null : (SINGLE_BYTE[first] ?? { kind: 'unknown' });
  if (initialG1?.kind === 'unknown') acc.exact = false;
  let g0: Charset = { kind: 'ascii' };
  let g1: Charset | null = initialG1;
  let start = 0;
  const flush = (end: number): void => {
    decodeMixed(bytes.subarray(start, end), g0, g1, acc);
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      flush(i);
      let matched = false;
      for (const len of [3, 2]) {
        const seq = latin1(bytes.subarray(i + 1, i + 1 + len));
        const designation = ESCAPES[seq];
        if (seq.length === len && designation) {
          if (designation.g === 0) g0 = designation.charset;
          else g1 = designation.charset;
          i += 1 + len;
          matched = true;
          break;
        }
      }
      if (!matched) {
        acc.exact = false;
        i += 1;
      }
      start = i;
      continue;
    }
    if (isSingleByteG0(g0) && delimiters.has(b)) {
      flush(i);
      acc.text += String.fromCharCode(b);
      g0 = { kind: 'ascii' };
      g1 = initialG1;
      i += 1;
      start = i;
      continue;
    }
    i += 1;
  }
  flush(bytes.length);
}

export type TextKind = 'person-name' | 'multi-valued' | 'text';

const CONTROL_DELIMITERS = [0x0a, 0x0c, 0x0d, 0x09];

/**
 * Decodes the bytes of a text value. `specificCharacterSet` is the raw (0008,0005) value ('ISO_IR 100',
 * '\\ISO 2022 IR 87', …) or undefined; `kind` selects the delimiters that reset ISO 2022 designations.
 */
export function decodeDicomText(
  bytes: Uint8Array,
  specificCharacterSet: string | undefined | null,
  kind: TextKind = 'text',
): DecodedText {
  // Fast path: ASCII bytes under one known, non-ISO-2022 character set read the same in every one of them.
  const declared = specificCharacterSet ?? '';
  if (!declared.includes('\\') && !isIso2022(declared) && !hasHighBytes(bytes) && !hasEscape(bytes)) {
    const term = normaliseTerm(declared);
    if (term in SINGLE_BYTE || term === 'UTF8' || term === 'GB18030' || term === 'GBK') return { text: latin1(bytes), exact: true };
  }
  const terms = (specificCharacterSet ?? '').split('\\').map((t) => t.trim());
  const acc: Acc = { text: '', exact: true };
  const firstNormalised = normaliseTerm(terms[0] ?? '');

  if (firstNormalised === 'UTF8' || firstNormalised === 'GB18030' || firstNormalised === 'GBK') {
    decodeRun(bytes, { kind: 'multi', label: firstNormalised === 'UTF8' ? 'utf-8' : firstNormalised.toLowerCase() }, acc);
    return acc;
  }
  if (terms.length > 1 || terms.some(isIso2022) || hasEscape(bytes)) {
    const delimiters = new Set(CONTROL_DELIMITERS);
    if (kind === 'person-name') [0x5e, 0x3d, 0x5c].forEach((d) => delimiters.add(d));
    if (kind === 'multi-valued') delimiters.add(0x5c);
    decodeIso2022(bytes, terms, delimiters, acc);
    return acc;
  }
  const single = SINGLE_BYTE[firstNormalised];
  if (!single) {
    decodeRun(bytes, { kind: 'unknown' }, acc);
    return acc;
  }
  if (single.kind === 'ascii' && hasHighBytes(bytes)) {
    // Undeclared non-ASCII bytes: many systems write UTF-8 or Latin-1 without saying so.
    acc.exact = false;
    try {
      acc.text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      acc.text = latin1(bytes);
    }
    return acc;
  }
  decodeRun(bytes, single, acc);
  return acc;
}
