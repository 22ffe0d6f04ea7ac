import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { documentType, type DocumentType } from '../../../shared/contract/documents';
import type { PacketFormat, PacketPreview, PacketProfile, PacketRequest } from '../../../shared/contract/export';
import { AppError } from '../../../shared/errors';
import { formatPersonName } from '../imaging/dicom/person-name';
import { transferSyntaxName, TS } from '../imaging/dicom/uids';
import { recordTypeFor } from './dicom-fileset';

/**
 * What goes into a packet: the default selection, the person's choice, and whether the images fit the imaging
 * profile. Reads only the database (nothing is decrypted), so the preview is instant.
 */

/** Records a second-opinion office asks for (see domain.md), in the default selection. */
const DEFAULT_TYPES = new Set<DocumentType>(['pathology', 'radiology', 'lab', 'genetic', 'treatment-plan', 'operative', 'discharge', 'medication-list']);
/** How many of the most recent consultation notes the default includes. */
export const RECENT_CONSULTATIONS = 3;

export interface SelectedDocument {
  id: string;
  blobId: string;
  sha256: string;
  title: string;
  type: DocumentType;
  serviceDate: string | null;
  facility: string | null;
  clinician: string | null;
  kind: 'pdf' | 'jpeg' | 'png' | 'tiff' | 'text' | 'html' | 'dicom-sr';
  mimeType: string;
  size: number;
  pageCount: number;
  originalName: string;
  importedAt: string;
  /** It names another patient and the person has not confirmed it is theirs. */
  otherPatient: boolean;
  inDefault: boolean;
  why: string;
}

export interface SelectedInstance {
  id: string;
  blobId: string;
  size: number;
  sha256: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntax: string;
  instanceNumber: number | null;
}

export interface SelectedSeries {
  uid: string;
  number: number | null;
  modality: string | null;
  description: string | null;
  instances: SelectedInstance[];
}

export interface SelectedStudy {
  uid: string;
  date: string | null;
  time: string | null;
  description: string | null;
  institution: string | null;
  patientId: string | null;
  patientKey: string;
  otherPatient: boolean;
  series: SelectedSeries[];
  /** Instances left out because another stored file has the same SOP Instance UID. */
  duplicates: number;
  inDefault: boolean;
  why: string;
}

export type ProfileFamily = 'uncompressed' | 'jpeg' | 'jpeg2000';

export interface Resolution {
  all: { documents: SelectedDocument[]; studies: SelectedStudy[] };
  documents: SelectedDocument[];
  studies: SelectedStudy[];
  format: PacketFormat;
  requestedProfile: PacketProfile | null;
  profile: PacketProfile | null;
  family: ProfileFamily | null;
  profileName: string | null;
  fits: PacketProfile[];
  problems: PacketPreview['problems'];
}

const UNCOMPRESSED = new Set<string>([TS.explicitLittle]);
const JPEG = new Set<string>([TS.explicitLittle, TS.jpegBaseline, TS.jpegExtended, TS.jpegLosslessSv1]);
const JPEG2000 = new Set<string>([TS.explicitLittle, TS.jpeg2000Lossless, TS.jpeg2000]);

/** DICOM PS3.11 profile names and the dcmtk dcmmkdir flag that checks each. */
export const PROFILE_NAMES: Record<PacketProfile, Record<ProfileFamily, { name: string; dcmmkdir: string; description: string }>> = {
  cd: {
    uncompressed: { name: 'STD-GEN-CD', dcmmkdir: '-Pgp', description: 'General Purpose CD-R Interchange' },
    jpeg: { name: 'STD-GEN-CD', dcmmkdir: '-Pgp', description: 'General Purpose CD-R Interchange' },
    jpeg2000: { name: 'STD-GEN-CD', dcmmkdir: '-Pgp', description: 'General Purpose CD-R Interchange' },
  },
  dvd: {
    uncompressed: { name: 'STD-GEN-DVD-JPEG', dcmmkdir: '-Pdv', description: 'General Purpose DVD Interchange with JPEG' },
    jpeg: { name: 'STD-GEN-DVD-JPEG', dcmmkdir: '-Pdv', description: 'General Purpose DVD Interchange with JPEG' },
    jpeg2000: { name: 'STD-GEN-DVD-J2K', dcmmkdir: '-Pd2', description: 'General Purpose DVD Interchange with JPEG 2000' },
  },
  usb: {
    uncompressed: { name: 'STD-GEN-USB-JPEG', dcmmkdir: '-Pfl', description: 'General Purpose USB and Flash Memory with JPEG' },
    jpeg: { name: 'STD-GEN-USB-JPEG', dcmmkdir: '-Pfl', description: 'General Purpose USB and Flash Memory with JPEG' },
    jpeg2000: { name: 'STD-GEN-USB-J2K', dcmmkdir: '-Pf2', description: 'General Purpose USB and Flash Memory with JPEG 2000' },
  },
};

export function familyOf(transferSyntaxes: Iterable<string>): ProfileFamily | 'mixed' | 'none' {
  const all = [...transferSyntaxes];
  if (all.every((ts) => UNCOMPRESSED.has(ts))) return 'uncompressed';
  if (all.every((ts) => JPEG.has(ts))) return 'jpeg';
  if (all.every((ts) => JPEG2000.has(ts))) return 'jpeg2000';
  if (all.every((ts) => JPEG.has(ts) || JPEG2000.has(ts))) return 'mixed';
  return 'none';
}

function fitsOf(family: ProfileFamily | 'mixed' | 'none'): PacketProfile[] {
  if (family === 'uncompressed') return ['cd', 'dvd', 'usb'];
  if (family === 'jpeg' || family === 'jpeg2000') return ['dvd', 'usb'];
  return [];
}

const documentRow = z.object({
  id: z.string(),
  blob_id: z.string(),
  sha256: z.string(),
  title: z.string(),
  doc_type: z.string(),
  service_date: z.string().nullable(),
  facility: z.string().nullable(),
  clinician: z.string().nullable(),
  kind: z.enum(['pdf', 'jpeg', 'png', 'tiff', 'text', 'html', 'dicom-sr']),
  mime_type: z.string(),
  size: z.number(),
  page_count: z.number(),
  original_name: z.string(),
  imported_at: z.string(),
  patient_mismatches: z.string(),
  patient_confirmed: z.number(),
});

/** Sort key for date order: service date, else the import day; then import time. */
function dateKey(document: Pick<SelectedDocument, 'serviceDate' | 'importedAt'>): string {
  return `${document.serviceDate ?? document.importedAt.slice(0, 10)}|${document.importedAt}`;
}

function loadDocuments(db: Database.Database): SelectedDocument[] {
  const rows = db
    .prepare(
      `SELECT id, blob_id, sha256, title, doc_type, service_date, facility, clinician, kind, mime_type, size, page_count,
              original_name, imported_at, patient_mismatches, patient_confirmed
       FROM documents WHERE trashed_at IS NULL`,
    )
    .all()
    .map((raw) => documentRow.parse(raw));
  const documents = rows.map((row): SelectedDocument => {
    const mismatches = JSON.parse(row.patient_mismatches) as unknown[];
    const type = documentType.catch('other').parse(row.doc_type);
    const someoneElse = mismatches.length > 0 && row.patient_confirmed === 0;
    const inDefault = !someoneElse && DEFAULT_TYPES.has(type);
    let why: string;
    if (someoneElse) why = 'May belong to someone else: check it before sending.';
    else if (inDefault) why = 'Offices ask for this kind of record.';
    else if (type === 'insurance') why = 'Insurance and billing papers are usually not needed by the doctor.';
    else if (type === 'consultation') why = 'An older consultation note.';
    else why = 'Not a record type offices usually ask for.';
    return {
      id: row.id,
      blobId: row.blob_id,
      sha256: row.sha256,
      title: row.title,
      type,
      serviceDate: row.service_date,
      facility: row.facility,
      clinician: row.clinician,
      kind: row.kind,
      mimeType: row.mime_type,
      size: row.size,
      pageCount: row.page_count,
      originalName: row.original_name,
      importedAt: row.imported_at,
      otherPatient: someoneElse,
      inDefault,
      why,
    };
  });
  // The most recent consultation notes join the default.
  const consultations = documents
    .filter((document) => document.type === 'consultation' && !document.otherPatient)
    .sort((a, b) => dateKey(b).localeCompare(dateKey(a)))
    .slice(0, RECENT_CONSULTATIONS);
  for (const document of consultations) {
    document.inDefault = true;
    document.why = 'One of the most recent consultation notes.';
  }
  return documents.sort((a, b) => dateKey(a).localeCompare(dateKey(b)));
}

interface InstanceRow {
  id: string;
  blob_id: string;
  size: number;
  sha256: string;
  sop_instance_uid: string;
  sop_class_uid: string;
  transfer_syntax: string;
  instance_number: number | null;
  series_uid: string;
}

function loadStudies(db: Database.Database): SelectedStudy[] {
  const studies = db
    .prepare(
      `SELECT st.uid, st.date, st.time, st.description, st.institution, st.patient_key, p.patient_id, p.mismatches
       FROM studies st JOIN imaging_patients p ON p.key = st.patient_key
       ORDER BY st.date IS NULL, st.date, st.time, st.uid`,
    )
    .all() as {
    uid: string;
    date: string | null;
    time: string | null;
    description: string | null;
    institution: string | null;
    patient_key: string;
    patient_id: string | null;
    mismatches: string;
  }[];
  const series = db
    .prepare('SELECT uid, study_uid, number, modality, description FROM series ORDER BY number IS NULL, number, uid')
    .all() as { uid: string; study_uid: string; number: number | null; modality: string | null; description: string | null }[];
  const instances = db
    .prepare(
      `SELECT id, blob_id, size, sha256, sop_instance_uid, sop_class_uid, transfer_syntax, instance_number, series_uid
       FROM instances ORDER BY rowid`,
    )
    .all() as InstanceRow[];
  const bySeries = new Map<string, InstanceRow[]>();
  for (const instance of instances) {
    const list = bySeries.get(instance.series_uid) ?? [];
    list.push(instance);
    bySeries.set(instance.series_uid, list);
  }
  return studies.map((study) => {
    const otherPatient = (JSON.parse(study.mismatches) as unknown[]).length > 0;
    const seen = new Set<string>();
    let duplicates = 0;
    const studySeries = series
      .filter((row) => row.study_uid === study.uid)
      .map((row): SelectedSeries => {
        // The same SOP Instance UID stored twice (different bytes): the first imported copy goes on the media,
        // because a DICOM file set cannot hold two objects with one UID.
        const kept = (bySeries.get(row.uid) ?? []).filter((instance) => {
          if (seen.has(instance.sop_instance_uid)) {
            duplicates += 1;
            return false;
          }
          seen.add(instance.sop_instance_uid);
          return true;
        });
        kept.sort((a, b) => (a.instance_number ?? Number.MAX_SAFE_INTEGER) - (b.instance_number ?? Number.MAX_SAFE_INTEGER) || a.id.localeCompare(b.id));
        return {
          uid: row.uid,
          number: row.number,
          modality: row.modality,
          description: row.description,
          instances: kept.map((instance) => ({
            id: instance.id,
            blobId: instance.blob_id,
            size: instance.size,
            sha256: instance.sha256,
            sopInstanceUid: instance.sop_instance_uid,
            sopClassUid: instance.sop_class_uid,
            transferSyntax: instance.transfer_syntax,
            instanceNumber: instance.instance_number,
          })),
        };
      })
      .filter((row) => row.instances.length > 0);
    return {
      uid: study.uid,
      date: study.date,
      time: study.time,
      description: study.description,
      institution: study.institution,
      patientId: study.patient_id,
      patientKey: study.patient_key,
      otherPatient,
      series: studySeries,
      duplicates,
      inDefault: !otherPatient,
      why: otherPatient ? 'The images name someone else (you confirmed them at import): add them only if they belong here.' : 'Offices ask for the images themselves, not only the reports.',
    };
  });
}

export function studyEncodings(study: SelectedStudy): Map<string, number> {
  const counts = new Map<string, number>();
  for (const series of study.series) for (const instance of series.instances) counts.set(instance.transferSyntax, (counts.get(instance.transferSyntax) ?? 0) + 1);
  return counts;
}

export function studyFits(study: SelectedStudy): PacketProfile[] {
  return fitsOf(familyOf(studyEncodings(study).keys()));
}

const PROFILE_WORDS: Record<PacketProfile, string> = {
  cd: 'CD (General Purpose CD-R, STD-GEN-CD)',
  dvd: 'DVD (General Purpose DVD, JPEG or JPEG 2000 profile)',
  usb: 'USB (General Purpose USB, JPEG or JPEG 2000 profile)',
};

const list = (numbers: number[]) =>
  numbers.length === 1 ? `study ${numbers[0]}` : `studies ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;

/** Resolves a request against the vault: selection, profile and problems (nothing thrown for content problems). */
export function resolvePacket(db: Database.Database, request: PacketRequest): Resolution {
  const allDocuments = loadDocuments(db);
  const allStudies = loadStudies(db);
  const problems: PacketPreview['problems'] = [];

  let documents: SelectedDocument[];
  if (request.documentIds) {
    const byId = new Map(allDocuments.map((document) => [document.id, document]));
    const missing = request.documentIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      // Counted, never listed: the ids are the caller's input, and mean nothing to a person anyway.
      problems.push({ kind: 'not-found', message: `${missing.length} selected document${missing.length === 1 ? ' is' : 's are'} not in the vault (or in the trash).` });
    }
    const wanted = new Set(request.documentIds);
    documents = allDocuments.filter((document) => wanted.has(document.id));
  } else {
    documents = allDocuments.filter((document) => document.inDefault);
  }

  let studies: SelectedStudy[];
  if (request.studyUids) {
    const known = new Set(allStudies.map((study) => study.uid));
    const missing = request.studyUids.filter((uid) => !known.has(uid));
    if (missing.length > 0) {
      problems.push({ kind: 'not-found', message: `${missing.length} selected imaging stud${missing.length === 1 ? 'y is' : 'ies are'} not in the vault.` });
    }
    const wanted = new Set(request.studyUids);
    studies = allStudies.filter((study) => wanted.has(study.uid));
  } else {
    studies = allStudies.filter((study) => study.inDefault);
  }
  studies = studies.filter((study) => study.series.length > 0);

  if (documents.length === 0 && studies.length === 0) {
    problems.push({
      kind: 'nothing-selected',
      message: 'Nothing is selected for this packet. Choose at least one document or imaging study to send.',
    });
  }

  // Imaging: every selected study must fit one profile family, as stored.
  const format = request.format ?? 'folder';
  const requestedProfile = request.profile ?? null;
  const numbered = studies.map((study, index) => ({ study, number: index + 1, family: familyOf(studyEncodings(study).keys()) }));
  const family = familyOf(studies.flatMap((study) => [...studyEncodings(study).keys()]));
  const fits = studies.length === 0 ? (['cd', 'dvd', 'usb'] as PacketProfile[]) : fitsOf(family);
  const unusable = numbered.filter((item) => item.family === 'none');
  let profile: PacketProfile | null = null;
  if (unusable.length > 0) {
    const encodings = [...new Set(unusable.flatMap((item) => [...studyEncodings(item.study).keys()].filter((ts) => !JPEG.has(ts) && !JPEG2000.has(ts))))];
    const implicit = encodings.includes(TS.implicitLittle);
    problems.push({
      kind: 'profile',
      message:
        `${list(unusable.map((item) => item.number))} of the selection ${unusable.length === 1 ? 'is' : 'are'} stored as ${encodings.map(transferSyntaxName).join(', ')}. ` +
        (implicit
          ? 'None of the DICOM media profiles takes implicit VR images as they are: CD, DVD and USB all need explicit VR little endian (a CD checker such as dcmtk’s dcmmkdir -Pgp rejects them). '
          : 'None of the DICOM media profiles (CD, DVD or USB) takes this encoding as it is. ') +
        'The app never converts or changes images. Leave ' +
        (unusable.length === 1 ? 'this study' : 'these studies') +
        ' out of the packet and give the office the original disc from the imaging center instead.',
    });
  } else if (family === 'mixed') {
    const jpeg = numbered.filter((item) => item.family === 'jpeg').map((item) => item.number);
    const j2k = numbered.filter((item) => item.family === 'jpeg2000').map((item) => item.number);
    problems.push({
      kind: 'profile',
      message:
        `The selected imaging mixes JPEG (${list(jpeg)}) and JPEG 2000 (${list(j2k)}). One DVD or USB packet follows either the JPEG or the JPEG 2000 profile, and the app never converts images. ` +
        'Make two packets, one for each group of studies.',
    });
  } else if (requestedProfile && !fits.includes(requestedProfile)) {
    const compressed = numbered.filter((item) => item.family === 'jpeg' || item.family === 'jpeg2000').map((item) => item.number);
    const fitting = fits.map((p) => PROFILE_WORDS[p]).join(' or ');
    problems.push({
      kind: 'profile',
      message:
        `The selected images do not fit a ${PROFILE_WORDS[requestedProfile]} packet: ${list(compressed)} of the selection ${compressed.length === 1 ? 'is' : 'are'} stored ${family === 'jpeg' ? 'JPEG' : 'JPEG 2000'}-compressed, and a CD holds only uncompressed (explicit VR little endian) images. ` +
        `The app never converts images. Choose ${fitting} for this packet — its ${family === 'jpeg' ? 'JPEG' : 'JPEG 2000'} profile takes these images as they are — or leave ${compressed.length === 1 ? 'that study' : 'those studies'} out.`,
    });
  } else if (studies.length > 0) {
    profile = requestedProfile ?? (fits.includes('cd') ? 'cd' : format === 'iso' ? 'dvd' : 'usb');
  } else {
    profile = requestedProfile;
  }

  // A DICOMDIR lists patients by Patient ID, which it requires (Type 1) and which must be unique within the set.
  const numbers = new Map(numbered.map((item) => [item.study.uid, item.number]));
  const noId = studies.filter((study) => !study.patientId);
  if (noId.length > 0) {
    problems.push({
      kind: 'patient-id',
      message:
        `The images of ${list(noId.map((study) => numbers.get(study.uid)!))} of the selection carry no patient ID. A DICOM disc index must list one, and the app never makes one up. ` +
        'Leave these studies out of the packet; the original disc from the imaging center can go with it instead.',
    });
  }
  const byPatientId = new Map<string, Set<string>>();
  for (const study of studies) {
    if (!study.patientId) continue;
    const keys = byPatientId.get(study.patientId) ?? new Set();
    keys.add(study.patientKey);
    byPatientId.set(study.patientId, keys);
  }
  for (const [, keys] of byPatientId) {
    if (keys.size < 2) continue;
    const involved = studies.filter((study) => keys.has(study.patientKey)).map((study) => numbers.get(study.uid)!);
    const names = db.prepare(`SELECT name FROM imaging_patients WHERE key IN (${[...keys].map(() => '?').join(',')})`).all(...keys) as { name: string | null }[];
    const distinct = new Set(names.map((row) => formatPersonName(row.name ?? '').toLowerCase()));
    if (distinct.size < 2) continue; // the same person written the same way (another birth-date spelling is still flagged below)
    problems.push({
      kind: 'other-patient',
      message: `Two different people in the selected imaging share one patient ID (${list(involved)}). A DICOM disc index cannot tell them apart. Leave the other person's studies out.`,
    });
  }

  // Objects a DICOMDIR has no record type for cannot be listed on the media.
  const unlisted = studies.filter((study) => study.series.some((series) => series.instances.some((instance) => recordTypeFor(instance.sopClassUid) === null)));
  if (unlisted.length > 0) {
    problems.push({
      kind: 'unsupported-object',
      message: `${list(unlisted.map((study) => numbers.get(study.uid)!))} of the selection hold${unlisted.length === 1 ? 's' : ''} a kind of DICOM object the app cannot list on a disc index. Leave ${unlisted.length === 1 ? 'it' : 'them'} out of the packet; the original disc can go with it instead.`,
    });
  }

  const familyForName: ProfileFamily | null = family === 'uncompressed' || family === 'jpeg' || family === 'jpeg2000' ? family : null;
  const profileName = profile && studies.length > 0 && familyForName ? PROFILE_NAMES[profile][familyForName].name : null;
  return {
    all: { documents: allDocuments, studies: allStudies },
    documents,
    studies,
    format,
    requestedProfile,
    profile,
    family: familyForName,
    profileName,
    fits,
    problems,
  };
}

/** The first problem as an AppError (the preview shows them all). */
export function throwFirstProblem(resolution: Resolution): void {
  const problem = resolution.problems[0];
  if (!problem) return;
  throw new AppError(problem.kind === 'not-found' ? 'NOT_FOUND' : 'INVALID_INPUT', problem.message);
}
