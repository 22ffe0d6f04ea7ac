import type { DataSet } from 'dicom-parser';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { DataSetParseError, hasOverrun, parseDataSet } from '../imaging/dicom/dataset';
import { TS } from '../imaging/dicom/uids';

/**
 * The values a DICOMDIR record needs, copied as raw bytes from an instance's own header (never re-encoded, so names
 * in any character set stay exactly as the modality wrote them). Only explicit VR little endian data sets are read:
 * every transfer syntax a packet profile allows encodes its data set that way.
 */

export interface RawValue {
  vr: string;
  /** The value bytes as stored (even length); for sequences, the items as stored. */
  value: Buffer;
}

export interface InstanceKeys {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  /** Raw Specific Character Set (0008,0005), or null. */
  charset: RawValue | null;
  /** Values by tag number ((group << 16) | element), only the tags in KEY_TAGS that are present. */
  values: Map<number, RawValue>;
}

export const tag = (group: number, element: number): number => ((group << 16) | element) >>> 0;

export const T = {
  specificCharacterSet: tag(0x0008, 0x0005),
  instanceCreationDate: tag(0x0008, 0x0012),
  instanceCreationTime: tag(0x0008, 0x0013),
  sopClassUid: tag(0x0008, 0x0016),
  sopInstanceUid: tag(0x0008, 0x0018),
  studyDate: tag(0x0008, 0x0020),
  seriesDate: tag(0x0008, 0x0021),
  acquisitionDate: tag(0x0008, 0x0022),
  contentDate: tag(0x0008, 0x0023),
  studyTime: tag(0x0008, 0x0030),
  seriesTime: tag(0x0008, 0x0031),
  acquisitionTime: tag(0x0008, 0x0032),
  contentTime: tag(0x0008, 0x0033),
  accessionNumber: tag(0x0008, 0x0050),
  modality: tag(0x0008, 0x0060),
  studyDescription: tag(0x0008, 0x1030),
  referencedSeriesSequence: tag(0x0008, 0x1115),
  patientName: tag(0x0010, 0x0010),
  patientId: tag(0x0010, 0x0020),
  patientBirthDate: tag(0x0010, 0x0030),
  patientSex: tag(0x0010, 0x0040),
  studyInstanceUid: tag(0x0020, 0x000d),
  seriesInstanceUid: tag(0x0020, 0x000e),
  studyId: tag(0x0020, 0x0010),
  seriesNumber: tag(0x0020, 0x0011),
  instanceNumber: tag(0x0020, 0x0013),
  verificationDateTime: tag(0x0040, 0xa030),
  conceptNameCodeSequence: tag(0x0040, 0xa043),
  completionFlag: tag(0x0040, 0xa491),
  verificationFlag: tag(0x0040, 0xa493),
  documentTitle: tag(0x0042, 0x0010),
  mimeTypeOfEncapsulatedDocument: tag(0x0042, 0x0012),
  contentLabel: tag(0x0070, 0x0080),
  contentDescription: tag(0x0070, 0x0081),
  presentationCreationDate: tag(0x0070, 0x0082),
  presentationCreationTime: tag(0x0070, 0x0083),
  contentCreatorName: tag(0x0070, 0x0084),
} as const;

const KEY_TAGS = new Set<number>(Object.values(T));

/** dicom-parser's tag string 'xggggeeee' → number. */
function tagNumber(key: string): number {
  return Number.parseInt(key.slice(1), 16) >>> 0;
}

function rawValue(dataSet: DataSet, key: string): RawValue | null {
  const element = dataSet.elements[key];
  if (!element || !element.vr) return null;
  const start = element.dataOffset;
  const end = start + element.length;
  if (start < 0 || end > dataSet.byteArray.length || element.length < 0) return null;
  const bytes = Buffer.from(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + start, element.length);
  // Copy: the head buffer is dropped after parsing.
  const value = Buffer.from(bytes);
  return { vr: element.vr, value: value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from([element.vr === 'UI' ? 0 : 0x20])]) };
}

function ascii(value: RawValue | null | undefined): string | null {
  if (!value) return null;
  const text = value.value.toString('latin1').replace(/[\0\s]+$/, '').trim();
  return text === '' ? null : text;
}

export type ReadHead = (bytes: number) => Promise<Buffer>;

const PIXEL_DATA = 'x7fe00010';

/**
 * Reads the header of one stored instance through `readHead` (the first n decrypted bytes), growing the read until
 * the header is complete. Throws AppError INVALID_INPUT when the data set is not explicit VR little endian or cannot
 * be read; decryption damage surfaces from `readHead` itself.
 */
export async function readInstanceKeys(size: number, readHead: ReadHead, firstRead = 64 * 1024): Promise<InstanceKeys> {
  let want = Math.min(size, firstRead);
  for (;;) {
    const bytes = await readHead(want);
    const whole = bytes.length >= size;
    let parsed;
    try {
      parsed = parseDataSet(bytes, { untilTag: PIXEL_DATA });
    } catch (error) {
      if (!whole && error instanceof DataSetParseError && error.kind === 'incomplete') {
        want = Math.min(size, want * 16);
        continue;
      }
      throw new AppError('INVALID_INPUT', 'An image’s description could not be read, so it cannot be listed on the disc index.');
    }
    if (!whole && (parsed.dataSet.elements[PIXEL_DATA] === undefined || hasOverrun(parsed.dataSet, PIXEL_DATA))) {
      want = Math.min(size, want * 16);
      continue;
    }
    if (parsed.flavour !== 'part10') {
      throw new AppError('INVALID_INPUT', 'An image file lacks the standard DICOM file header (preamble and meta information), so it cannot go on DICOM media unchanged.');
    }
    if (parsed.transferSyntaxUid === TS.implicitLittle || parsed.transferSyntaxUid === TS.explicitBig || parsed.inflated) {
      throw new AppError('INVALID_INPUT', 'An image is not stored as explicit VR little endian, which the packet profiles require.');
    }
    const values = new Map<number, RawValue>();
    for (const key of Object.keys(parsed.dataSet.elements)) {
      const number = tagNumber(key);
      if (!KEY_TAGS.has(number)) continue;
      const value = rawValue(parsed.dataSet, key);
      if (value) values.set(number, value);
    }
    const sopClassUid = ascii(values.get(T.sopClassUid)) ?? parsed.dataSet.string('x00020002')?.replace(/\0/g, '').trim() ?? '';
    const sopInstanceUid = ascii(values.get(T.sopInstanceUid)) ?? parsed.dataSet.string('x00020003')?.replace(/\0/g, '').trim() ?? '';
    return {
      transferSyntaxUid: parsed.transferSyntaxUid,
      sopClassUid,
      sopInstanceUid,
      charset: values.get(T.specificCharacterSet) ?? null,
      values,
    };
  }
}

/** Bytes of an instance's start kept at import to take its keys from (64 KiB holds the header of almost any image). */
export const KEYS_HEAD_BYTES = 64 * 1024;

/**
 * The keys of an instance from the first bytes of its file (`head`, at most `size`), as kept at import; null when
 * they cannot be taken from `head` (the header ends later, or the file cannot go on media unchanged). The keys only
 * save the export a second read, so null is never an error: the export then reads the stored file and says why.
 */
export async function instanceKeysFromHead(head: Buffer, size: number): Promise<InstanceKeys | null> {
  try {
    return await readInstanceKeys(size, async (bytes) => {
      if (bytes > head.length) throw new Error('header longer than the bytes kept');
      return head.subarray(0, bytes);
    });
  } catch {
    return null;
  }
}

const storedKeys = z.object({
  v: z.literal(1),
  ts: z.string(),
  sopClass: z.string(),
  sopInstance: z.string(),
  values: z.array(z.tuple([z.number().int().nonnegative(), z.string().length(2), z.string()])),
});

/** Keys as stored in the catalogue (instances.media_keys): JSON, value bytes in base64. */
export function serializeInstanceKeys(keys: InstanceKeys): string {
  const values = [...keys.values].map(([number, raw]) => [number, raw.vr, raw.value.toString('base64')]);
  return JSON.stringify({ v: 1, ts: keys.transferSyntaxUid, sopClass: keys.sopClassUid, sopInstance: keys.sopInstanceUid, values });
}

/** Keys read back from the catalogue; null when absent or not in the stored form (the header is read instead). */
export function parseInstanceKeys(text: string | null): InstanceKeys | null {
  if (text === null) return null;
  let parsed;
  try {
    parsed = storedKeys.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const values = new Map<number, RawValue>();
  for (const [number, vr, base64] of parsed.data.values) {
    if (KEY_TAGS.has(number)) values.set(number, { vr, value: Buffer.from(base64, 'base64') });
  }
  return {
    transferSyntaxUid: parsed.data.ts,
    sopClassUid: parsed.data.sopClass,
    sopInstanceUid: parsed.data.sopInstance,
    charset: values.get(T.specificCharacterSet) ?? null,
    values,
  };
}

export function asciiOf(value: RawValue | null | undefined): string | null {
  return ascii(value);
}

/** True when a value's bytes need a declared character set (bytes ≥ 0x80 or ISO 2022 escapes). */
export function needsCharset(value: RawValue): boolean {
  if (value.vr === 'SQ') return value.value.some((b) => b >= 0x80 || b === 0x1b);
  for (const b of value.value) if (b >= 0x80 || b === 0x1b) return true;
  return false;
}
