import { z } from 'zod';
import { filePath, opaqueId } from './common';

const pathReason = z.object({ path: z.string(), reason: z.string() });

export const discMismatch = z.object({
  /** How the disc names the patient (shown to the vault's owner only, never logged). */
  patientOnDisc: z.string().nullable(),
  birthDateOnDisc: z.string().nullable(),
  field: z.enum(['name', 'birthDate']),
});

export const discImportOutcome = z.object({
  /** Set when the disc names someone else: nothing was stored; ask, then import again with acceptOtherPatient. */
  heldBack: z.object({ mismatches: z.array(discMismatch) }).nullable(),
  discId: opaqueId.nullable(),
  sourceKind: z.enum(['folder', 'iso', 'zip']),
  patients: z.number().int(),
  studies: z.number().int(),
  series: z.number().int(),
  instances: z.object({ added: z.number().int(), alreadyInVault: z.number().int(), conflicts: z.number().int() }),
  bytesStored: z.number().int(),
  documents: z.object({ added: z.number().int(), alreadyInVault: z.number().int() }),
  /** Viewer software and the like: never run, never imported. */
  softwareSkipped: z.number().int(),
  skipped: z.array(pathReason),
  failed: z.array(pathReason),
  /** Series whose pictures the app cannot draw yet (still imported unchanged). */
  unsupportedThumbnails: z.array(z.object({ seriesUid: z.string(), encoding: z.string() })),
  dicomdir: z.object({ present: z.boolean(), missingFiles: z.number().int() }),
  cancelled: z.boolean(),
});
export type DiscImportOutcome = z.infer<typeof discImportOutcome>;

export const seriesSummary = z.object({
  uid: z.string(),
  number: z.number().int().nullable(),
  description: z.string().nullable(),
  modality: z.string().nullable(),
  bodyPart: z.string().nullable(),
  instanceCount: z.number().int(),
  frameCount: z.number().int(),
  thumbnailId: z.string().nullable(),
  thumbnailStatus: z.enum(['ok', 'unsupported', 'none', 'pending']),
});
export type SeriesSummary = z.infer<typeof seriesSummary>;

export const studySummary = z.object({
  uid: z.string(),
  date: z.string().nullable(),
  time: z.string().nullable(),
  description: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  referringPhysician: z.string().nullable(),
  institution: z.string().nullable(),
  modalities: z.array(z.string()),
  series: z.array(seriesSummary),
  documentIds: z.array(opaqueId),
});
export type StudySummary = z.infer<typeof studySummary>;

export const imagingPatient = z.object({
  key: z.string(),
  name: z.string().nullable(),
  patientId: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string().nullable(),
  otherPatient: z.boolean(),
  studies: z.array(studySummary),
});
export type ImagingPatient = z.infer<typeof imagingPatient>;

export const instanceSummary = z.object({
  id: opaqueId,
  blobId: z.string(),
  instanceNumber: z.number().int().nullable(),
  frames: z.number().int(),
  transferSyntax: z.string(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  conflict: z.boolean(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
});
export type InstanceSummary = z.infer<typeof instanceSummary>;

/** One frame of an image, drawn for the viewer (a PNG, at most 1024 px on its longest edge). */
export const imagingFrame = z.object({
  /** Base64 of a PNG; shown as `data:image/png;base64,…`. */
  png: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Size of the frame as stored. */
  sourceWidth: z.number().int(),
  sourceHeight: z.number().int(),
  /** The window (level) applied, in the image's own units (e.g. Hounsfield units for CT); null for colour images. */
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
  /** The window the file itself suggests (or its full range); null for colour images. */
  defaultWindow: z.object({ center: z.number(), width: z.number() }).nullable(),
  /** Smallest and largest value of this frame (grey images), for window controls. */
  valueRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  frame: z.number().int(),
  frames: z.number().int(),
  colour: z.boolean(),
  /** How the picture is stored, in words (e.g. "JPEG 2000 lossless"). */
  encoding: z.string(),
});
export type ImagingFrame = z.infer<typeof imagingFrame>;

export const imagingOperations = {
  'imaging.import': {
    summary: 'Import an imaging disc: a folder (or mounted disc), an .iso image or a .zip. Nothing on it is ever run.',
    needsUnlock: true,
    input: z.strictObject({
      path: filePath,
      acceptOtherPatient: z.boolean().default(false),
      taskId: z.string().uuid().optional(),
    }),
    output: discImportOutcome,
  },
  'imaging.detect': {
    summary: 'Whether a chosen path is an imaging disc (folder with DICOM, .iso, .zip) or documents.',
    needsUnlock: true,
    input: z.strictObject({ path: filePath }),
    output: z.object({ kind: z.enum(['disc', 'documents']) }),
  },
  'imaging.studies': {
    summary: 'Patients → studies → series found on imported discs, with thumbnails.',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({ patients: z.array(imagingPatient) }),
  },
  'imaging.series': {
    summary: 'The instances of one series, in order, for the viewer.',
    needsUnlock: true,
    input: z.strictObject({ uid: z.string().min(1).max(64) }),
    output: z.object({ series: seriesSummary, instances: z.array(instanceSummary) }),
  },
  'imaging.frame': {
    summary:
      'One frame of an imported image as a PNG for the viewer, with a window (level) applied. Images the app cannot ' +
      'draw yet get a clear error naming their encoding; the stored file is never changed.',
    needsUnlock: true,
    input: z.strictObject({
      instanceId: opaqueId,
      /** 1-based frame number within the instance. */
      frame: z.number().int().min(1).max(1_000_000).default(1),
      windowCenter: z.number().min(-1e9).max(1e9).optional(),
      windowWidth: z.number().min(1).max(1e9).optional(),
      /** Longest edge of the PNG; smaller images are never enlarged. */
      maxEdge: z.number().int().min(16).max(1024).default(768),
    }),
    output: imagingFrame,
  },
} as const;
