import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { HEADER_LIMITS } from '../limits';
import { decodeDicomText, type DecodedText, type TextKind } from './charset';
import { sniffDicom, type DicomFlavour } from './sniff';
import { TS } from './uids';

export interface ParsedDataSet {
  dataSet: DataSet;
  flavour: DicomFlavour;
  transferSyntaxUid: string;
  /** True when there is no meta header and the transfer syntax was inferred from the first element. */
  transferSyntaxInferred: boolean;
  /** Subtract from element offsets to get offsets in the given bytes (non-zero when a preamble was added). */
  offsetShift: number;
  /** True for Deflated Explicit VR: element offsets then point into the inflated copy. */
  inflated: boolean;
  /** The bytes the element offsets refer to. */
  bytes: Uint8Array;
}

export type ParseFailureKind = 'not-dicom' | 'incomplete' | 'corrupt' | 'too-large';

/** Raised by parseDataSet; `partial` holds what was parsed before the problem (may be empty). */
export class DataSetParseError extends Error {
  constructor(
    readonly kind: ParseFailureKind,
    readonly partial: DataSet | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'DataSetParseError';
  }
}

const PREAMBLE = (() => {
  const b = new Uint8Array(132);
  b.set([0x44, 0x49, 0x43, 0x4d], 128);
  return b;
})();

function describe(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return String(error);
}

const EOF_PATTERN =
  /past end|end of buffer|eof|unexpected end|buffer overrun|beyond|exceed|outside the bounds|out of range|greater than or equal to 'byteArray' length/i;

/** True when a Part 10 meta header announces more bytes (group length) than there are. */
function metaCutShort(bytes: Uint8Array): boolean {
  if (bytes.length < 144) return bytes.length >= 132;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isGroupLength = view.getUint16(132, true) === 0x0002 && view.getUint16(134, true) === 0x0000;
  return isGroupLength && 144 + view.getUint32(140, true) > bytes.length;
}

/**
 * Parses a DICOM data set with dicom-parser, for Part 10 files and for the no-preamble variants. With `untilTag`
 * parsing stops at that element (x7fe00010 = Pixel Data: headers only, pixel data never read).
 */
export function parseDataSet(bytes: Uint8Array, options: { untilTag?: string; maxInflatedBytes?: number } = {}): ParsedDataSet {
  const flavour = sniffDicom(bytes);
  if (!flavour) throw new DataSetParseError('not-dicom', undefined, 'no DICM prefix and no data set start');
  let input = bytes;
  let offsetShift = 0;
  let tsOption: string | undefined;
  if (flavour === 'raw-meta') {
    const withPreamble = new Uint8Array(bytes.length + 132);
    withPreamble.set(PREAMBLE, 0);
    withPreamble.set(bytes, 132);
    input = withPreamble;
    offsetShift = 132;
  } else if (flavour === 'raw-explicit') {
    tsOption = TS.explicitLittle;
  } else if (flavour === 'raw-implicit') {
    tsOption = TS.implicitLittle;
  }
  let inflated = false;
  let inflatedBytes: Uint8Array | undefined;
  const maxInflated = options.maxInflatedBytes ?? HEADER_LIMITS.maxInflatedBytes;
  const inflater = (arr: Uint8Array, position: number): Uint8Array => {
    inflated = true;
    let out: Buffer;
    try {
      out = inflateRawSync(arr.subarray(position), { maxOutputLength: maxInflated });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new DataSetParseError('too-large', undefined, 'inflated data set too large');
      throw new DataSetParseError('incomplete', undefined, `inflate: ${describe(error)}`);
    }
    const full = new Uint8Array(position + out.length);
    full.set(arr.subarray(0, position), 0);
    full.set(out, position);
    inflatedBytes = full;
    return full;
  };
  const parseOptions: Record<string, unknown> = { inflater };
  if (options.untilTag) parseOptions.untilTag = options.untilTag;
  if (tsOption) parseOptions.TransferSyntaxUID = tsOption;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(input, parseOptions as dicomParser.ParseDicomOptions);
  } catch (error) {
    if (error instanceof DataSetParseError) throw error;
    const wrapped = error as { exception?: unknown; dataSet?: DataSet } | undefined;
    const inner = wrapped && typeof wrapped === 'object' && 'exception' in wrapped ? wrapped.exception : error;
    if (inner instanceof DataSetParseError) throw inner;
    const detail = describe(inner);
    const partial = wrapped && typeof wrapped === 'object' && 'dataSet' in wrapped ? wrapped.dataSet : undefined;
    // Sequences nested deeper than the parser's recursion can go ("Maximum call stack size exceeded") are damage,
    // not a file cut short: the word "exceeded" must not make it look like the end of the buffer.
    const tooDeep = inner instanceof RangeError && /call stack/i.test(detail);
    const cut = !tooDeep && (EOF_PATTERN.test(detail) || (flavour === 'part10' && metaCutShort(bytes)));
    throw new DataSetParseError(cut ? 'incomplete' : 'corrupt', partial, detail);
  }
  const transferSyntaxUid = (dataSet.string('x00020010') ?? tsOption ?? '').replace(/\0/g, '').trim();
  return {
    dataSet,
    flavour,
    transferSyntaxUid: transferSyntaxUid || TS.implicitLittle,
    transferSyntaxInferred: tsOption !== undefined || !transferSyntaxUid,
    offsetShift,
    inflated,
    bytes: inflatedBytes ?? input,
  };
}

/** True when some element of the (top-level) data set claims bytes beyond the end of the buffer. */
export function hasOverrun(dataSet: DataSet, exceptTag?: string): boolean {
  const size = dataSet.byteArray.length;
  const elements = dataSet.elements;
  for (const tag in elements) {
    if (tag === exceptTag) continue;
    const element = elements[tag]!;
    if (element.length === 0xffffffff) continue;
    if (element.dataOffset + element.length > size) return true;
  }
  return false;
}

export function elementBytes(dataSet: DataSet, tag: string): Uint8Array | undefined {
  const element: Element | undefined = dataSet.elements[tag];
  if (!element || element.length === 0xffffffff || element.length <= 0) return undefined;
  const end = element.dataOffset + element.length;
  if (element.dataOffset < 0 || end > dataSet.byteArray.length) return undefined;
  return dataSet.byteArray.subarray(element.dataOffset, end);
}

/** A code string / UID / date / number string: ASCII, trailing NULs and spaces removed; '' → null. */
export function asciiValue(dataSet: DataSet, tag: string): string | null {
  const bytes = elementBytes(dataSet, tag);
  if (!bytes) return null;
  const view = bytes.length > 4096 ? bytes.subarray(0, 4096) : bytes;
  const s = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('latin1').replace(/\0+$/, '').trim();
  return s === '' ? null : s;
}

/** First value of a multi-valued ASCII element. */
export function firstValue(dataSet: DataSet, tag: string): string | null {
  const value = asciiValue(dataSet, tag);
  if (value === null) return null;
  const first = value.split('\\')[0]!.trim();
  return first === '' ? null : first;
}

export function numberValue(dataSet: DataSet, tag: string): number | null {
  const v = firstValue(dataSet, tag);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function intValue(dataSet: DataSet, tag: string): number | null {
  const n = numberValue(dataSet, tag);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** US value (binary), honouring the data set's byte order. */
export function ushortValue(dataSet: DataSet, tag: string): number | null {
  const element = dataSet.elements[tag];
  if (!element || element.length < 2 || element.dataOffset + 2 > dataSet.byteArray.length) return null;
  const v = dataSet.uint16(tag);
  return v === undefined ? null : v;
}

export interface TextValue extends DecodedText {
  bytes: Uint8Array;
}

/** A text value (PN, LO, SH, ST, LT, UT, UC) decoded with the Specific Character Set. */
export function textValue(
  dataSet: DataSet,
  tag: string,
  charset: string | null,
  kind: TextKind,
  maxChars = HEADER_LIMITS.maxTextChars,
): TextValue | null {
  const bytes = elementBytes(dataSet, tag);
  if (!bytes) return null;
  const decoded = decodeDicomText(bytes, charset, kind);
  let text = decoded.text.replace(/[\0\s]+$/, '');
  if (kind !== 'text') text = text.trimStart();
  if (text.length > maxChars) text = text.slice(0, maxChars);
  if (text === '') return null;
  return { text, exact: decoded.exact, bytes };
}

/** 'YYYYMMDD' (or ACR-NEMA 'YYYY.MM.DD') → 'YYYY-MM-DD'; anything invalid → null. */
export function isoDate(value: string | null): string | null {
  if (!value) return null;
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1800 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${y}-${mo}-${d}`;
}

/** 'HHMMSS.ffffff' (or 'HH:MM:SS') → 'HH:MM:SS', 'HH:MM' or 'HH'; invalid → null. */
export function isoTime(value: string | null): string | null {
  if (!value) return null;
  const m = /^(\d{2}):?(\d{2})?:?(\d{2})?/.exec(value.trim());
  if (!m) return null;
  const [, h, mi, s] = m;
  if (Number(h) > 23 || (mi !== undefined && Number(mi) > 59) || (s !== undefined && Number(s) > 60)) return null;
  return [h, mi, s].filter((p) => p !== undefined).join(':');
}
