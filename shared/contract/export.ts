import { z } from 'zod';
import { filePath, isoDate, isoInstant, multilineText, opaqueId, text } from './common';
import { documentType } from './documents';

/**
 * The export packet for a second-opinion office, and the lists it carries that the person keeps in the app:
 * current medications and the care team. A packet is a folder, a .zip or an .iso with the same tree: a cover
 * letter with a summary, the selected records merged into one PDF, the original files, the imaging as a DICOM
 * file set (DICOMDIR), a FHIR bundle, and a manifest with SHA-256 of every file.
 */

const line = (max: number) => text(max).pipe(z.string().min(1, 'is required'));
/** Optional; null (as `list` returns it) means the same as absent, so listed items can be saved back as they are. */
const optionalLine = (max: number) => text(max).nullable().optional();

export const medicationInput = z.strictObject({
  /** Kept when editing an existing entry; new entries get one. */
  id: opaqueId.optional(),
  name: line(200),
  dose: optionalLine(120),
  frequency: optionalLine(120),
  route: optionalLine(60),
  startDate: isoDate.nullable().optional(),
  /** What it is for, in the person's words. */
  reason: optionalLine(200),
  prescriber: optionalLine(200),
  notes: multilineText(1000).nullable().optional(),
  /** false: stopped (kept in the list for history; packets show current ones by default). */
  current: z.boolean().default(true),
});
export const medication = z.object({
  id: opaqueId,
  name: z.string(),
  dose: z.string().nullable(),
  frequency: z.string().nullable(),
  route: z.string().nullable(),
  startDate: isoDate.nullable(),
  reason: z.string().nullable(),
  prescriber: z.string().nullable(),
  notes: z.string(),
  current: z.boolean(),
});
export type Medication = z.infer<typeof medication>;
export type MedicationInput = z.input<typeof medicationInput>;

export const careTeamMemberInput = z.strictObject({
  id: opaqueId.optional(),
  name: line(200),
  /** e.g. 'medical oncologist', 'breast surgeon', 'nurse navigator'. */
  role: line(120),
  organization: optionalLine(200),
  phone: optionalLine(60),
  email: optionalLine(200),
  address: multilineText(500).nullable().optional(),
  notes: multilineText(1000).nullable().optional(),
});
export const careTeamMember = z.object({
  id: opaqueId,
  name: z.string(),
  role: z.string(),
  organization: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string(),
  notes: z.string(),
});
export type CareTeamMember = z.infer<typeof careTeamMember>;
export type CareTeamMemberInput = z.input<typeof careTeamMemberInput>;

export const PACKET_FORMATS = ['folder', 'zip', 'iso'] as const;
export const packetFormat = z.enum(PACKET_FORMATS);
export type PacketFormat = z.infer<typeof packetFormat>;

/**
 * Imaging profile (DICOM PS3.11): 'cd' = General Purpose CD-R (STD-GEN-CD, uncompressed explicit VR little endian
 * only); 'dvd' / 'usb' = the general purpose DVD / USB profiles with JPEG (.50 .51 .70) or JPEG 2000 (.90 .91)
 * images, kept exactly as stored. Images are never converted: when they do not fit, the app says which fits.
 */
export const PACKET_PROFILES = ['cd', 'dvd', 'usb'] as const;
export const packetProfile = z.enum(PACKET_PROFILES);
export type PacketProfile = z.infer<typeof packetProfile>;

export const recipient = z.strictObject({
  /** The second-opinion office or institution. */
  organization: optionalLine(200),
  doctor: optionalLine(200),
  /** Phone, fax or e-mail of the office. */
  contact: optionalLine(300),
  address: multilineText(500).optional(),
  appointmentDate: isoDate.optional(),
  /** Why the person is asking for an opinion, in their own words. */
  reason: multilineText(2000).optional(),
});
export type Recipient = z.infer<typeof recipient>;

const studyUid = z.string().regex(/^[0-9.]{1,64}$/, 'is not a DICOM UID');

/**
 * What goes into a packet. Leave `documentIds` / `studyUids` out for the app's default selection (see
 * `packets.preview`: each item says whether it is in the default and why); give them to choose exactly.
 * Everything is optional so that `fromPacket` can rebuild a logged packet with a few changes.
 */
export const packetRequest = z.strictObject({
  recipient: recipient.optional(),
  documentIds: z.array(opaqueId).max(20_000).optional(),
  studyUids: z.array(studyUid).max(10_000).optional(),
  questions: z.array(line(1000)).max(100).optional(),
  /** Current medications and the care team are included unless turned off. */
  includeMedications: z.boolean().optional(),
  includeCareTeam: z.boolean().optional(),
  format: packetFormat.optional(),
  /** Left out: the most widely readable profile the selected images fit (CD when they are uncompressed). */
  profile: packetProfile.optional(),
});
export type PacketRequest = z.infer<typeof packetRequest>;

export const packetDocumentItem = z.object({
  id: opaqueId,
  title: z.string(),
  type: documentType,
  serviceDate: isoDate.nullable(),
  facility: z.string().nullable(),
  pages: z.number().int(),
  bytes: z.number().int(),
  /** It names another patient and the person has not confirmed it is theirs (left out of the default). */
  otherPatient: z.boolean(),
  selected: z.boolean(),
  inDefault: z.boolean(),
  /** Why it is or is not in the default selection. */
  why: z.string(),
});

export const packetStudyItem = z.object({
  uid: z.string(),
  date: z.string().nullable(),
  description: z.string().nullable(),
  modalities: z.array(z.string()),
  institution: z.string().nullable(),
  series: z.number().int(),
  instances: z.number().int(),
  bytes: z.number().int(),
  /** Encodings of the stored images, with how many instances use each. */
  encodings: z.array(z.object({ transferSyntax: z.string(), name: z.string(), instances: z.number().int() })),
  otherPatient: z.boolean(),
  selected: z.boolean(),
  inDefault: z.boolean(),
  why: z.string(),
  /** Profiles this study's images fit as they are. */
  fits: z.array(packetProfile),
});

export const packetProblem = z.object({
  kind: z.enum(['nothing-selected', 'profile', 'other-patient', 'patient-id', 'unsupported-object', 'not-found']),
  message: z.string(),
});

export const packetPreview = z.object({
  documents: z.array(packetDocumentItem),
  studies: z.array(packetStudyItem),
  medications: z.number().int(),
  careTeam: z.number().int(),
  questions: z.number().int(),
  format: packetFormat,
  profile: z.object({
    requested: packetProfile.nullable(),
    /** The profile the packet would be written with (null when none fits). */
    chosen: packetProfile.nullable(),
    /** DICOM name of the chosen profile, e.g. STD-GEN-CD. */
    name: z.string().nullable(),
    fits: z.array(packetProfile),
  }),
  /** The packet's top-level contents with estimated sizes. */
  contents: z.array(z.object({ path: z.string(), what: z.string(), files: z.number().int(), bytes: z.number().int() })),
  estimatedBytes: z.number().int(),
  recordsPages: z.number().int(),
  /** Empty when the packet can be built. */
  problems: z.array(packetProblem),
});
export type PacketPreview = z.infer<typeof packetPreview>;

export const packetBuildResult = z.object({
  packetId: opaqueId,
  path: z.string(),
  format: packetFormat,
  profile: packetProfile.nullable(),
  profileName: z.string().nullable(),
  filesetId: z.string(),
  files: z.number().int(),
  bytes: z.number().int(),
  manifestSha256: z.string(),
  documents: z.number().int(),
  studies: z.number().int(),
  instances: z.number().int(),
  coverPages: z.number().int(),
  recordsPages: z.number().int(),
  /** The packet was read back after writing: every file present with its size and SHA-256. */
  check: z.object({ ok: z.boolean(), files: z.number().int(), bytes: z.number().int(), problems: z.array(z.string()) }),
});
export type PacketBuildResult = z.infer<typeof packetBuildResult>;

export const packetLogEntry = z.object({
  id: opaqueId,
  createdAt: isoInstant,
  recipient: recipient,
  format: packetFormat,
  profile: packetProfile.nullable(),
  path: z.string(),
  filesetId: z.string(),
  documentIds: z.array(z.string()),
  studyUids: z.array(z.string()),
  files: z.number().int(),
  bytes: z.number().int(),
  manifestSha256: z.string(),
});
export type PacketLogEntry = z.infer<typeof packetLogEntry>;

export const exportOperations = {
  'medications.list': {
    summary: 'The medication list kept in the app (current first).',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({ items: z.array(medication) }),
  },
  'medications.save': {
    summary: 'Replace the medication list (in the order given).',
    needsUnlock: true,
    input: z.strictObject({ items: z.array(medicationInput).max(200) }),
    output: z.object({ items: z.array(medication) }),
  },
  'careTeam.list': {
    summary: 'The care team: clinicians with their role and how to reach them.',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({ items: z.array(careTeamMember) }),
  },
  'careTeam.save': {
    summary: 'Replace the care team list (in the order given).',
    needsUnlock: true,
    input: z.strictObject({ items: z.array(careTeamMemberInput).max(100) }),
    output: z.object({ items: z.array(careTeamMember) }),
  },
  'packets.preview': {
    summary: 'What a packet would hold: the default or given selection, sizes, profile fit and problems. Writes nothing.',
    needsUnlock: true,
    input: packetRequest,
    output: packetPreview,
  },
  'packets.build': {
    summary: 'Write a packet for a second-opinion office (folder, .zip or .iso), check it, and log what was sent.',
    needsUnlock: true,
    input: packetRequest.extend({
      /** Where the packet goes (a new folder or file). Default: the exports folder. */
      destination: filePath.optional(),
      /** Rebuild a logged packet: its selection and recipient, with any field given here changed. */
      fromPacket: opaqueId.optional(),
      taskId: z.string().uuid().optional(),
    }),
    output: packetBuildResult,
  },
  'packets.list': {
    summary: 'Packets written so far: when, to whom, what, format, profile and manifest fingerprint.',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({ items: z.array(packetLogEntry) }),
  },
} as const;
