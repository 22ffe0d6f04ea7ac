import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../shared/errors';
import { DOCUMENT_LIMITS } from '../limits';
import { asciiValue, DataSetParseError, elementBytes, firstValue, isoDate, isoTime, parseDataSet, textValue } from './dataset';
import { formatPersonName } from './person-name';

const noPdf = () =>
  new AppError('INVALID_INPUT', 'This imaging file was expected to hold a PDF document, but no readable PDF was found in it.');
const noReport = () =>
  new AppError('INVALID_INPUT', 'This imaging file was expected to hold a written report, but its content could not be read.');

function parseWhole(bytes: Uint8Array, onError: () => AppError): DataSet {
  try {
    return parseDataSet(bytes).dataSet;
  } catch (error) {
    if (error instanceof DataSetParseError && error.partial && error.kind === 'incomplete') return error.partial;
    throw onError();
  }
}

export interface EncapsulatedPdf {
  /** The PDF's bytes, copied out of the DICOM file, without the DICOM padding byte. */
  pdf: Buffer;
  /** (0042,0010) Document Title, decoded; null when absent. */
  title: string | null;
}

/**
 * Takes the PDF out of an Encapsulated PDF instance (SOP class 1.2.840.10008.5.1.4.1.1.104.1): Encapsulated Document
 * (0042,0011), trimmed to Encapsulated Document Length (0042,0015) when given, else without a trailing NUL pad byte.
 * Throws a patient-readable AppError when the file holds no PDF.
 */
export function extractEncapsulatedPdf(file: Uint8Array): EncapsulatedPdf {
  const ds = parseWhole(file, noPdf);
  const bytes = elementBytes(ds, 'x00420011');
  if (!bytes) throw noPdf();
  const mime = asciiValue(ds, 'x00420012');
  if (mime && mime.toLowerCase() !== 'application/pdf') throw noPdf();
  let length = bytes.length;
  const declared = ds.elements.x00420015 ? ds.uint32('x00420015') : undefined;
  if (declared !== undefined && declared > 0 && declared <= bytes.length) length = declared;
  else if (length > 0 && bytes[length - 1] === 0) length -= 1;
  const pdf = Buffer.from(bytes.subarray(0, length)); // a copy: never keep the whole DICOM file alive
  const start = pdf.subarray(0, 1024).indexOf('%PDF-');
  if (start < 0) throw noPdf();
  const charset = asciiValue(ds, 'x00080005');
  return { pdf, title: textValue(ds, 'x00420010', charset, 'text')?.text ?? null };
}

interface SrContext {
  charset: string | null;
  lines: string[];
  items: number;
  chars: number;
  truncated: boolean;
}

function firstItem(ds: DataSet, tag: string): DataSet | undefined {
  return ds.elements[tag]?.items?.[0]?.dataSet;
}

function codeMeaning(ds: DataSet | undefined, charset: string | null): string | null {
  if (!ds) return null;
  return textValue(ds, 'x00080104', charset, 'text')?.text ?? asciiValue(ds, 'x00080100');
}

function numericValue(item: DataSet, ctx: SrContext): string | null {
  const measured = firstItem(item, 'x0040a300');
  if (!measured) return null;
  const value = firstValue(measured, 'x0040a30a');
  if (value === null) return null;
  const units = firstItem(measured, 'x004008ea');
  const scheme = units ? asciiValue(units, 'x00080102') : null;
  const code = units ? asciiValue(units, 'x00080100') : null;
  let unit = '';
  if (code && scheme === 'UCUM') unit = code === '1' ? '' : code;
  else unit = codeMeaning(units, ctx.charset) ?? '';
  return unit ? `${value} ${unit}` : value;
}

function itemValue(item: DataSet, valueType: string, ctx: SrContext): string | null {
  switch (valueType) {
    case 'TEXT':
      return textValue(item, 'x0040a160', ctx.charset, 'text', DOCUMENT_LIMITS.maxSrTextChars)?.text ?? null;
    case 'CODE':
      return codeMeaning(firstItem(item, 'x0040a168'), ctx.charset);
    case 'NUM':
      return numericValue(item, ctx);
    case 'DATE':
      return isoDate(asciiValue(item, 'x0040a121'));
    case 'TIME':
      return isoTime(asciiValue(item, 'x0040a122'));
    case 'DATETIME': {
      const v = asciiValue(item, 'x0040a120');
      if (!v) return null;
      const d = isoDate(v.slice(0, 8));
      const t = isoTime(v.slice(8));
      return [d, t].filter(Boolean).join(' ') || v;
    }
    case 'PNAME': {
      const v = textValue(item, 'x0040a123', ctx.charset, 'person-name')?.text;
      return v ? formatPersonName(v) : null;
    }
    case 'UIDREF':
      return asciiValue(item, 'x0040a124');
    case 'IMAGE':
      return '(image reference)';
    case 'COMPOSITE':
      return '(reference to another object)';
    case 'WAVEFORM':
      return '(waveform reference)';
    case 'SCOORD':
    case 'SCOORD3D':
      return '(marked region)';
    case 'TCOORD':
      return '(time range)';
    default:
      return null;
  }
}

function push(ctx: SrContext, line: string): void {
  if (ctx.truncated) return;
  if (ctx.chars + line.length > DOCUMENT_LIMITS.maxSrTextChars) {
    ctx.truncated = true;
    ctx.lines.push('…');
    return;
  }
  ctx.chars += line.length + 1;
  ctx.lines.push(line);
}

function walk(ds: DataSet, depth: number, ctx: SrContext): void {
  const items = ds.elements.x0040a730?.items;
  if (!items) return;
  const indent = '  '.repeat(depth);
  for (const element of items) {
    const item = element.dataSet;
    if (!item) continue;
    ctx.items += 1;
    if (ctx.items > DOCUMENT_LIMITS.maxSrItems) {
      ctx.truncated = true;
      return;
    }
    const valueType = (asciiValue(item, 'x0040a040') ?? '').toUpperCase();
    const concept = codeMeaning(firstItem(item, 'x0040a043'), ctx.charset);
    if (item.elements.x0040db73 && !valueType) {
      push(ctx, `${indent}(see another part of this report)`);
      continue;
    }
    if (valueType === 'CONTAINER') {
      if (concept) push(ctx, `${indent}${concept}`);
      if (depth + 1 < DOCUMENT_LIMITS.maxSrDepth) walk(item, concept ? depth + 1 : depth, ctx);
      continue;
    }
    const value = itemValue(item, valueType, ctx);
    const label = concept ?? '';
    if (value !== null && value.includes('\n')) {
      if (label) push(ctx, `${indent}${label}:`);
      for (const l of value.split(/\r?\n/)) push(ctx, `${indent}${label ? '  ' : ''}${l}`);
    } else if (value !== null || label) {
      push(ctx, `${indent}${label}${label && value !== null ? ': ' : ''}${value ?? ''}`);
    }
    if (depth + 1 < DOCUMENT_LIMITS.maxSrDepth) walk(item, depth + 1, ctx);
  }
}

/**
 * Renders a Structured Report as readable, indented plain text: the document title, then every content item with its
 * concept name and value (text, codes, measurements with units, dates, names), children indented under their parent.
 * Throws a patient-readable AppError when the file holds no readable report content.
 */
export function structuredReportToText(file: Uint8Array): string {
  const ds = parseWhole(file, noReport);
  const charset = asciiValue(ds, 'x00080005');
  const ctx: SrContext = { charset, lines: [], items: 0, chars: 0, truncated: false };
  const title = codeMeaning(firstItem(ds, 'x0040a043'), charset);
  if (title) push(ctx, title);
  const meta: string[] = [];
  const date = isoDate(asciiValue(ds, 'x00080023') ?? asciiValue(ds, 'x00080020'));
  if (date) meta.push(`Date: ${date}`);
  const completion = asciiValue(ds, 'x0040a491');
  if (completion) meta.push(`Completion: ${completion.toLowerCase()}`);
  const verification = asciiValue(ds, 'x0040a493');
  if (verification) meta.push(`Verification: ${verification.toLowerCase()}`);
  if (meta.length > 0) push(ctx, meta.join(' · '));
  if (title || meta.length > 0) push(ctx, '');
  walk(ds, 0, ctx);
  if (!ds.elements.x0040a730 && !title) throw noReport();
  return `${ctx.lines.join('\n').replace(/\n+$/, '')}\n`;
}
