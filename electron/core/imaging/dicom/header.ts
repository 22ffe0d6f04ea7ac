import { z } from 'zod';
import type { DataSet } from 'dicom-parser';
import { HEADER_LIMITS } from '../limits';
import type { SourceEntry } from '../sources/types';
import {
  asciiValue,
  DataSetParseError,
  firstValue,
  hasOverrun,
  intValue,
  isoDate,
  isoTime,
  numberValue,
  parseDataSet,
  textValue,
  ushortValue,
  type ParsedDataSet,
} from './dataset';
import { SOP, SOP_KINDS, sopKind } from './uids';

const PIXEL_DATA = 'x7fe00010';

const uid = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/);
const text = z.string().min(1).max(HEADER_LIMITS.maxTextChars);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const finite = z.number().refine(Number.isFinite);
const count = z.number().int().nonnegative();

export const DICOM_HEADER_WARNINGS = [
  /** Pixel Data claims more bytes than the file has: the image is cut off (thumbnail/viewing may fail). */
  'pixel-data-truncated',
  /** Some text could not be decoded exactly with the declared character set (raw bytes kept for the name). */
  'text-not-exact',
  /** SOP Instance/Class UID taken from the meta header because the data set lacks it. */
  'uid-from-meta',
  /** No meta header: transfer syntax inferred from the first element. */
  'no-meta-header',
] as const;

/** What we catalogue and store about one DICOM instance. Built only from the header (never from pixel data). */
export const dicomInstanceHeaderSchema = z.strictObject({
  flavour: z.enum(['part10', 'raw-meta', 'raw-explicit', 'raw-implicit']),
  transferSyntaxUid: uid,
  sopClassUid: uid,
  sopInstanceUid: uid,
  kind: z.enum(SOP_KINDS),
  /** Raw (0008,0005), e.g. 'ISO_IR 100' or '\\ISO 2022 IR 87'. */
  specificCharacterSet: z.string().max(256).nullable(),
  patient: z.strictObject({
    /** Decoded Patient's Name in DICOM form: 'FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX', groups separated by '='. */
    name: text.nullable(),
    /** The name's raw bytes (base64) when decoding was not exact, to re-decode later. */
    nameBytes: z.base64().max(4096).nullable(),
    id: text.nullable(),
    birthDate: date.nullable(),
    sex: z.enum(['M', 'F', 'O']).nullable(),
  }),
  study: z.strictObject({
    uid,
    date: date.nullable(),
    time: z.string().regex(/^\d{2}(:\d{2}(:\d{2})?)?$/).nullable(),
    description: text.nullable(),
    accessionNumber: text.nullable(),
    referringPhysician: text.nullable(),
    institution: text.nullable(),
    studyId: text.nullable(),
  }),
  series: z.strictObject({
    uid,
    number: z.number().int().nullable(),
    description: text.nullable(),
    modality: z.string().min(1).max(16).nullable(),
    bodyPart: z.string().min(1).max(64).nullable(),
  }),
  image: z.strictObject({
    instanceNumber: z.number().int().nullable(),
    /** Number of Frames; null when absent (a single frame for images). */
    frames: z.number().int().positive().nullable(),
    rows: count.nullable(),
    columns: count.nullable(),
    samplesPerPixel: count.nullable(),
    bitsAllocated: count.nullable(),
    bitsStored: count.nullable(),
    pixelRepresentation: z.union([z.literal(0), z.literal(1)]).nullable(),
    photometricInterpretation: z.string().min(1).max(32).nullable(),
    planarConfiguration: z.union([z.literal(0), z.literal(1)]).nullable(),
    windowCenter: finite.nullable(),
    windowWidth: finite.nullable(),
    rescaleSlope: finite.nullable(),
    rescaleIntercept: finite.nullable(),
  }),
  hasPixelData: z.boolean(),
  /** Bytes read to parse this header. */
  headerBytes: count,
  warnings: z.array(z.enum(DICOM_HEADER_WARNINGS)),
});

export type DicomInstanceHeader = z.infer<typeof dicomInstanceHeaderSchema>;

export type DicomFileErrorKind =
  | 'not-dicom'
  | 'directory'
  | 'truncated'
  | 'corrupt'
  | 'missing-identifiers'
  | 'header-too-large'
  | 'unreadable';

const FILE_ERROR_MESSAGES: Record<DicomFileErrorKind, string> = {
  'not-dicom': 'This file is not a DICOM imaging file.',
  directory: 'This file is the disc’s index (DICOMDIR), not an image.',
  truncated:
    'This imaging file is incomplete: it ends in the middle of its description. The disc may be damaged or the copy unfinished.',
  corrupt: 'This imaging file is damaged and could not be read.',
  'missing-identifiers':
    'This imaging file lacks the identifiers needed to place it in a study, so it cannot be sorted with the others.',
  'header-too-large': 'The description part of this imaging file is unusually large, so it was not read.',
  unreadable: 'This file could not be read from the disc. Check that the disc or drive is still connected.',
};

export interface DicomFileError {
  code: 'INVALID_INPUT' | 'IO_ERROR';
  kind: DicomFileErrorKind;
  /** Patient-readable; never contains record content. */
  message: string;
}

export type DicomHeaderResult = { ok: true; header: DicomInstanceHeader } | { ok: false; error: DicomFileError };

export function dicomFileError(kind: DicomFileErrorKind): DicomFileError {
  return { code: kind === 'unreadable' ? 'IO_ERROR' : 'INVALID_INPUT', kind, message: FILE_ERROR_MESSAGES[kind] };
}

/** 'incomplete': the header goes on past the bytes read; `needed` is how far it goes when an element says so. */
type Attempt = DicomHeaderResult | { ok: 'incomplete'; needed?: number };

function furthestEnd(ds: DataSet | undefined): number | undefined {
  if (!ds) return undefined;
  let end = 0;
  for (const [tag, element] of Object.entries(ds.elements)) {
    if (tag === PIXEL_DATA || element.length === 0xffffffff) continue;
    end = Math.max(end, element.dataOffset + element.length);
  }
  return end > ds.byteArray.length ? end : undefined;
}

function extract(parsed: ParsedDataSet, headerBytes: number, fileSize: number): DicomHeaderResult {
  const ds: DataSet = parsed.dataSet;
  const warnings = new Set<(typeof DICOM_HEADER_WARNINGS)[number]>();
  const mediaClass = asciiValue(ds, 'x00020002');
  let sopClassUid = asciiValue(ds, 'x00080016');
  let sopInstanceUid = asciiValue(ds, 'x00080018');
  if (mediaClass === SOP.mediaStorageDirectory || (!sopClassUid && ds.elements.x00041220)) {
    return { ok: false, error: dicomFileError('directory') };
  }
  if (!sopClassUid && mediaClass) {
    sopClassUid = mediaClass;
    warnings.add('uid-from-meta');
  }
  if (!sopInstanceUid) {
    sopInstanceUid = asciiValue(ds, 'x00020003');
    if (sopInstanceUid) warnings.add('uid-from-meta');
  }
  const studyUid = asciiValue(ds, 'x0020000d');
  const seriesUid = asciiValue(ds, 'x0020000e');
  if (!sopClassUid || !sopInstanceUid || !studyUid || !seriesUid) {
    return { ok: false, error: dicomFileError('missing-identifiers') };
  }
  if (parsed.transferSyntaxInferred) warnings.add('no-meta-header');

  const charset = asciiValue(ds, 'x00080005');
  let exact = true;
  const t = (tag: string, kind: 'person-name' | 'multi-valued' | 'text' = 'multi-valued'): string | null => {
    const v = textValue(ds, tag, charset, kind);
    if (v && !v.exact) exact = false;
    return v?.text ?? null;
  };
  const nameValue = textValue(ds, 'x00100010', charset, 'person-name');
  if (nameValue && !nameValue.exact) exact = false;

  const sexRaw = asciiValue(ds, 'x00100040')?.toUpperCase() ?? null;
  const sex = sexRaw === 'M' || sexRaw === 'F' || sexRaw === 'O' ? sexRaw : null;
  const pixelRep = ushortValue(ds, 'x00280103');
  const planar = ushortValue(ds, 'x00280006');
  const frames = intValue(ds, 'x00280008');
  const modality = firstValue(ds, 'x00080060');
  const bodyPart = firstValue(ds, 'x00180015');
  const photometric = asciiValue(ds, 'x00280004');

  const pixel = ds.elements[PIXEL_DATA];
  if (pixel && !parsed.inflated && pixel.length !== 0xffffffff) {
    if (pixel.dataOffset - parsed.offsetShift + pixel.length > fileSize) warnings.add('pixel-data-truncated');
  }

  const header: DicomInstanceHeader = {
    flavour: parsed.flavour,
    transferSyntaxUid: parsed.transferSyntaxUid,
    sopClassUid,
    sopInstanceUid,
    kind: sopKind(sopClassUid),
    specificCharacterSet: charset ? charset.slice(0, 256) : null,
    patient: {
      name: nameValue?.text ?? null,
      nameBytes: nameValue && !nameValue.exact ? Buffer.from(nameValue.bytes.subarray(0, 3000)).toString('base64') : null,
      id: t('x00100020'),
      birthDate: isoDate(asciiValue(ds, 'x00100030')),
      sex,
    },
    study: {
      uid: studyUid,
      date: isoDate(asciiValue(ds, 'x00080020')),
      time: isoTime(asciiValue(ds, 'x00080030')),
      description: t('x00081030'),
      accessionNumber: t('x00080050'),
      referringPhysician: t('x00080090', 'person-name'),
      institution: t('x00080080'),
      studyId: t('x00200010'),
    },
    series: {
      uid: seriesUid,
      number: intValue(ds, 'x00200011'),
      description: t('x0008103e'),
      modality: modality ? modality.slice(0, 16) : null,
      bodyPart: bodyPart ? bodyPart.slice(0, 64) : null,
    },
    image: {
      instanceNumber: intValue(ds, 'x00200013'),
      frames: frames !== null && frames >= 1 ? frames : null,
      rows: ushortValue(ds, 'x00280010'),
      columns: ushortValue(ds, 'x00280011'),
      samplesPerPixel: ushortValue(ds, 'x00280002'),
      bitsAllocated: ushortValue(ds, 'x00280100'),
      bitsStored: ushortValue(ds, 'x00280101'),
      pixelRepresentation: pixelRep === 0 || pixelRep === 1 ? pixelRep : null,
      photometricInterpretation: photometric ? photometric.slice(0, 32) : null,
      planarConfiguration: planar === 0 || planar === 1 ? planar : null,
      windowCenter: numberValue(ds, 'x00281050'),
      windowWidth: numberValue(ds, 'x00281051'),
      rescaleSlope: numberValue(ds, 'x00281053'),
      rescaleIntercept: numberValue(ds, 'x00281052'),
    },
    hasPixelData: pixel !== undefined || ds.elements.x7fe00008 !== undefined || ds.elements.x7fe00009 !== undefined,
    headerBytes,
    warnings: [],
  };
  if (!exact) warnings.add('text-not-exact');
  header.warnings = DICOM_HEADER_WARNINGS.filter((w) => warnings.has(w));
  const checked = dicomInstanceHeaderSchema.safeParse(header);
  if (!checked.success) return { ok: false, error: dicomFileError('corrupt') };
  return { ok: true, header: checked.data };
}

function attempt(bytes: Uint8Array, fileSize: number): Attempt {
  const whole = bytes.length >= fileSize;
  let parsed: ParsedDataSet;
  try {
    parsed = parseDataSet(bytes, { untilTag: PIXEL_DATA });
  } catch (error) {
    if (!(error instanceof DataSetParseError)) return { ok: false, error: dicomFileError('corrupt') };
    if (error.kind === 'not-dicom') return { ok: false, error: dicomFileError('not-dicom') };
    if (error.kind === 'too-large') return { ok: false, error: dicomFileError('header-too-large') };
    if (!whole) return { ok: 'incomplete', needed: furthestEnd(error.partial) };
    return { ok: false, error: dicomFileError(error.kind === 'incomplete' ? 'truncated' : 'corrupt') };
  }
  const reachedPixels = parsed.dataSet.elements[PIXEL_DATA] !== undefined;
  if (!reachedPixels && !whole) return { ok: 'incomplete' };
  if (hasOverrun(parsed.dataSet, PIXEL_DATA)) {
    if (!whole) return { ok: 'incomplete', needed: parsed.inflated ? undefined : furthestEnd(parsed.dataSet)! - parsed.offsetShift };
    return { ok: false, error: dicomFileError('truncated') };
  }
  return extract(parsed, bytes.length, fileSize);
}

/**
 * Parses a header from bytes already in memory (the start of the file, or all of it). Pure and synchronous, so it can
 * run in a worker. `fileSize` tells whether `bytes` is the whole file; if it is not and the header goes on past the
 * end of `bytes`, the result is an error of kind 'truncated' — use parseDicomHeader to read more automatically.
 */
export function parseDicomHeaderBytes(bytes: Uint8Array, fileSize: number = bytes.length): DicomHeaderResult {
  const result = attempt(bytes, fileSize);
  if (result.ok === 'incomplete') return { ok: false, error: dicomFileError('truncated') };
  return result;
}

/**
 * Reads and parses one file's header, stopping before Pixel Data (7FE0,0010). Reads the first 64 KiB; when the header
 * goes on longer (large private data, an embedded PDF), reads 16× more, up to the whole file or 256 MiB.
 * Never throws for file content: damaged, truncated or non-DICOM files give `{ ok: false, error }`.
 */
export async function parseDicomHeader(
  entry: Pick<SourceEntry, 'size' | 'readHead'>,
  options: { firstReadBytes?: number; maxHeaderBytes?: number } = {},
): Promise<DicomHeaderResult> {
  const maxHeader = options.maxHeaderBytes ?? HEADER_LIMITS.maxHeaderBytes;
  let want = Math.min(entry.size, options.firstReadBytes ?? HEADER_LIMITS.firstReadBytes);
  for (;;) {
    let bytes: Buffer;
    try {
      bytes = await entry.readHead(want);
    } catch (error) {
      const code = (error as { code?: string } | undefined)?.code;
      if (code === 'INVALID_INPUT') return { ok: false, error: dicomFileError('corrupt') };
      return { ok: false, error: dicomFileError('unreadable') };
    }
    const fileSize = bytes.length < want ? bytes.length : entry.size;
    const result = attempt(bytes, fileSize);
    if (result.ok !== 'incomplete') return result;
    if (want >= maxHeader) return { ok: false, error: dicomFileError('header-too-large') };
    // When a long element (an ICC profile, an embedded PDF, private data) says where it ends, read just past it;
    // otherwise read 16× more.
    const next = result.needed !== undefined && result.needed > want ? result.needed + HEADER_LIMITS.firstReadBytes : want * HEADER_LIMITS.growthFactor;
    want = Math.min(entry.size, maxHeader, next);
  }
}
