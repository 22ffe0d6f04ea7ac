import { z } from 'zod';
import { filePath, isoDate, isoInstant, multilineText, opaqueId, text } from './common';

/** The kinds of medical documents the app recognises (see docs and the classifier). */
export const DOCUMENT_TYPES = [
  'pathology',
  'radiology',
  'lab',
  'genetic',
  'consultation',
  'treatment-plan',
  'operative',
  'discharge',
  'medication-list',
  'insurance',
  'other',
] as const;
export const documentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof documentType>;

/** Plain-language names, shared by the UI, the CLI and exported packets. */
export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  pathology: 'Pathology report',
  radiology: 'Imaging report',
  lab: 'Lab results',
  genetic: 'Genetic or genomic test',
  consultation: 'Consultation or clinic note',
  'treatment-plan': 'Treatment plan',
  operative: 'Operative or procedure note',
  discharge: 'Discharge summary',
  'medication-list': 'Medication list',
  insurance: 'Insurance, billing or letter',
  other: 'Other document',
};

export const fileKind = z.enum(['pdf', 'jpeg', 'png', 'tiff', 'text', 'html', 'dicom-sr']);

/** A value the app guessed, with the reason shown to the person; or one they set themselves. */
const guessed = <T extends z.ZodType>(value: T) =>
  z.object({ value: value.nullable(), reason: z.string().nullable(), source: z.enum(['guess', 'user']) });

export const patientMismatch = z.object({
  kind: z.enum(['name', 'birthDate']),
  /** What the document says (shown only to the vault's owner, never logged). */
  found: z.string(),
});

export const documentSummary = z.object({
  id: opaqueId,
  title: z.string(),
  type: documentType,
  serviceDate: isoDate.nullable(),
  facility: z.string().nullable(),
  clinician: z.string().nullable(),
  kind: fileKind,
  originalName: z.string(),
  pageCount: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  importedAt: isoInstant,
  tags: z.array(z.string()),
  /** The document names someone else and the person has not confirmed it belongs in this vault. */
  needsPatientCheck: z.boolean(),
  /** For `vault://blob/<id>`: the original file and a small first-page picture. */
  fileId: z.string(),
  thumbnailId: z.string().nullable(),
  trashedAt: isoInstant.nullable(),
  studyUid: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof documentSummary>;

export const documentDetail = documentSummary.extend({
  mimeType: z.string(),
  notes: z.string(),
  guesses: z.object({
    type: guessed(documentType),
    serviceDate: guessed(isoDate),
    facility: guessed(z.string()),
    clinician: guessed(z.string()),
    title: guessed(z.string()),
  }),
  patientMismatches: z.array(patientMismatch),
  patientConfirmed: z.boolean(),
  pages: z.array(
    z.object({
      page: z.number().int().positive(),
      text: z.string(),
      source: z.enum(['text-layer', 'ocr', 'none']),
      /** OCR confidence 0–100; null for text taken from the file itself. */
      confidence: z.number().nullable(),
    }),
  ),
});
export type DocumentDetail = z.infer<typeof documentDetail>;

export const importOutcome = z.object({
  imported: z.array(z.object({ path: z.string(), documentId: opaqueId, title: z.string(), type: documentType })),
  duplicates: z.array(z.object({ path: z.string(), documentId: opaqueId })),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  failed: z.array(z.object({ path: z.string(), reason: z.string() })),
  cancelled: z.boolean(),
});
export type ImportOutcome = z.infer<typeof importOutcome>;

/** A search hit's snippet as segments, so the UI highlights without ever injecting HTML. */
export const highlightedText = z.array(z.object({ text: z.string(), hit: z.boolean() }));

const correctionFields = z.strictObject({
  type: documentType.nullable().optional(),
  serviceDate: isoDate.nullable().optional(),
  facility: text(200).nullable().optional(),
  clinician: text(200).nullable().optional(),
  title: text(300).nullable().optional(),
});

const tag = text(60).pipe(z.string().min(1));
const ids = z.array(opaqueId).min(1).max(10_000);

export const documentOperations = {
  'documents.import': {
    summary: 'Import files and folders (PDF, JPEG, PNG, TIFF). Each file succeeds or fails on its own.',
    needsUnlock: true,
    input: z.strictObject({ paths: z.array(filePath).min(1).max(1000), taskId: z.string().uuid().optional() }),
    output: importOutcome,
  },
  'documents.list': {
    summary: 'Documents, newest first, with optional filters.',
    needsUnlock: true,
    input: z.strictObject({
      type: documentType.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      facility: text(200).optional(),
      tag: tag.optional(),
      trash: z.enum(['exclude', 'only']).default('exclude'),
      limit: z.number().int().min(1).max(20_000).default(20_000),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ total: z.number().int(), items: z.array(documentSummary) }),
  },
  'documents.facets': {
    summary: 'Values to filter by: types, facilities and tags in use.',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({
      types: z.array(z.object({ type: documentType, count: z.number().int() })),
      facilities: z.array(z.string()),
      tags: z.array(z.string()),
    }),
  },
  'documents.get': {
    summary: 'One document with its text per page, guesses and corrections.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: documentDetail,
  },
  'documents.update': {
    summary: 'Correct guesses (null clears a correction), edit notes and tags, confirm whose document it is.',
    needsUnlock: true,
    input: z.strictObject({
      id: opaqueId,
      corrections: correctionFields.optional(),
      notes: multilineText(20_000).optional(),
      tags: z.array(tag).max(50).optional(),
      patientConfirmed: z.boolean().optional(),
    }),
    output: documentDetail,
  },
  'documents.reanalyze': {
    summary: 'Guess type, date, facility and title again from the stored text. Corrections are kept.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: documentDetail,
  },
  'documents.trash': {
    summary: 'Move documents to the trash (they can be restored).',
    needsUnlock: true,
    input: z.strictObject({ ids }),
    output: z.object({ count: z.number().int() }),
  },
  'documents.restore': {
    summary: 'Bring documents back from the trash.',
    needsUnlock: true,
    input: z.strictObject({ ids }),
    output: z.object({ count: z.number().int() }),
  },
  'documents.search': {
    summary: 'Full-text search over text, titles, notes and tags.',
    needsUnlock: true,
    input: z.strictObject({ query: text(300), limit: z.number().int().min(1).max(500).default(25) }),
    output: z.object({
      results: z.array(
        z.object({
          id: opaqueId,
          title: z.string(),
          type: documentType,
          serviceDate: isoDate.nullable(),
          snippet: highlightedText,
        }),
      ),
    }),
  },
  'documents.extract': {
    summary: 'Write the original file, byte for byte, to a new file.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId, destination: filePath }),
    output: z.object({ path: z.string(), bytes: z.number().int() }),
  },
} as const;
