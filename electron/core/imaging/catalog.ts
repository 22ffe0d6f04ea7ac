import type { DicomInstanceHeader } from './dicom/header';
import { formatPersonName, namesMatch, personNameGroups } from './dicom/person-name';
import type { SopKind } from './dicom/uids';

/** One parsed instance handed to the catalog. */
export interface CatalogInput {
  /** The caller's handle for the file (entry path, blob id …); returned as is. */
  ref: string;
  header: DicomInstanceHeader;
  /** Hash of the file's bytes (e.g. SHA-256 hex). Needed to tell true duplicates from UID conflicts. */
  contentHash?: string;
}

export interface CatalogInstance {
  ref: string;
  sopInstanceUid: string;
  sopClassUid: string;
  kind: SopKind;
  instanceNumber: number | null;
  frames: number;
  transferSyntaxUid: string;
  /** Same SOP Instance UID as another kept instance, with different or unknown bytes. */
  conflict: boolean;
}

export interface CatalogSeries {
  uid: string;
  number: number | null;
  description: string | null;
  modality: string | null;
  bodyPart: string | null;
  instanceCount: number;
  /** Instances that are images (see sopKind). */
  imageCount: number;
  frameCount: number;
  /** Encapsulated PDFs and structured reports (documents for the caller). */
  documentCount: number;
  /** Sorted by instance number, then ref. */
  instances: CatalogInstance[];
  /** The middle image instance: the one to render as the series thumbnail; null without images. */
  thumbnailRef: string | null;
}

export interface CatalogStudy {
  uid: string;
  date: string | null;
  time: string | null;
  description: string | null;
  accessionNumber: string | null;
  referringPhysician: string | null;
  institution: string | null;
  studyId: string | null;
  /** Distinct series modalities, sorted. */
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  frameCount: number;
  series: CatalogSeries[];
}

export interface CatalogPatient {
  /** Grouping key: patient ID + normalised name + birth date (IDs collide across institutions). */
  key: string;
  /** DICOM form 'FAMILY^GIVEN…' as decoded. */
  name: string | null;
  /** Reading order, e.g. 'JOHN DOE'. */
  displayName: string | null;
  id: string | null;
  birthDate: string | null;
  sex: 'M' | 'F' | 'O' | null;
  studies: CatalogStudy[];
  instanceCount: number;
}

export interface CatalogConflict {
  sopInstanceUid: string;
  refs: string[];
  /** 'different-content': hashes differ; 'content-unknown': at least one hash was not given. */
  reason: 'different-content' | 'content-unknown';
}

export interface Catalog {
  patients: CatalogPatient[];
  /** Exact duplicates (same UID and same content hash) that were dropped, with the ref that was kept. */
  duplicates: Array<{ sopInstanceUid: string; kept: string; dropped: string }>;
  conflicts: CatalogConflict[];
  /** Studies whose instances name different patients (e.g. a name corrected between series). */
  splitStudies: string[];
  totals: { patients: number; studies: number; series: number; instances: number; frames: number };
}

function normaliseName(name: string | null): string {
  if (!name) return '';
  return name
    .split('=')
    .map((g) => g.replace(/\^+$/, '').replace(/\s+/g, ' ').trim())
    .join('=')
    .replace(/=+$/, '')
    .toUpperCase();
}

export function patientKey(patient: DicomInstanceHeader['patient']): string {
  return JSON.stringify([patient.id ?? '', normaliseName(patient.name), patient.birthDate ?? '']);
}

function framesOf(header: DicomInstanceHeader): number {
  if (header.kind !== 'image' || !header.hasPixelData) return 0;
  return header.image.frames ?? 1;
}

function compareNullableNumber(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

function compareText(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

interface MutableSeries extends Omit<CatalogSeries, 'instances' | 'thumbnailRef'> {
  instances: CatalogInstance[];
}
interface MutableStudy extends Omit<CatalogStudy, 'series' | 'modalities' | 'seriesCount'> {
  series: Map<string, MutableSeries>;
}
interface MutablePatient extends Omit<CatalogPatient, 'studies'> {
  studies: Map<string, MutableStudy>;
}

/**
 * Groups instances into patients → studies → series, incrementally. Deduplicates by SOP Instance UID when the content
 * hashes say the bytes are the same; the same UID with different (or unknown) bytes keeps both and reports a conflict.
 */
export class CatalogBuilder {
  private readonly patients = new Map<string, MutablePatient>();
  private readonly byUid = new Map<string, Array<{ ref: string; hash: string | undefined; instance: CatalogInstance }>>();
  private readonly duplicates: Catalog['duplicates'] = [];
  private readonly conflicts = new Map<string, CatalogConflict>();
  private readonly studyPatients = new Map<string, Set<string>>();

  /** Adds one instance; returns what happened to it. */
  add(input: CatalogInput): 'added' | 'duplicate' | 'conflict' {
    const { header, ref, contentHash } = input;
    const uid = header.sopInstanceUid;
    const previous = this.byUid.get(uid);
    if (previous && contentHash !== undefined) {
      const same = previous.find((p) => p.hash === contentHash);
      if (same) {
        this.duplicates.push({ sopInstanceUid: uid, kept: same.ref, dropped: ref });
        return 'duplicate';
      }
    }
    const instance: CatalogInstance = {
      ref,
      sopInstanceUid: uid,
      sopClassUid: header.sopClassUid,
      kind: header.kind,
      instanceNumber: header.image.instanceNumber,
      frames: framesOf(header),
      transferSyntaxUid: header.transferSyntaxUid,
      conflict: false,
    };
    let outcome: 'added' | 'conflict' = 'added';
    if (previous) {
      outcome = 'conflict';
      const unknown = contentHash === undefined || previous.some((p) => p.hash === undefined);
      const conflict = this.conflicts.get(uid) ?? { sopInstanceUid: uid, refs: previous.map((p) => p.ref), reason: 'different-content' };
      conflict.refs.push(ref);
      if (unknown) conflict.reason = 'content-unknown';
      this.conflicts.set(uid, conflict);
      instance.conflict = true;
      for (const p of previous) p.instance.conflict = true;
      previous.push({ ref, hash: contentHash, instance });
    } else {
      this.byUid.set(uid, [{ ref, hash: contentHash, instance }]);
    }

    const key = patientKey(header.patient);
    let patient = this.patients.get(key);
    if (!patient) {
      patient = {
        key,
        name: header.patient.name,
        displayName: header.patient.name ? formatPersonName(header.patient.name) || null : null,
        id: header.patient.id,
        birthDate: header.patient.birthDate,
        sex: header.patient.sex,
        studies: new Map(),
        instanceCount: 0,
      };
      this.patients.set(key, patient);
    }
    patient.sex ??= header.patient.sex;
    patient.instanceCount += 1;

    const s = header.study;
    let study = patient.studies.get(s.uid);
    if (!study) {
      study = {
        uid: s.uid,
        date: s.date,
        time: s.time,
        description: s.description,
        accessionNumber: s.accessionNumber,
        referringPhysician: s.referringPhysician,
        institution: s.institution,
        studyId: s.studyId,
        instanceCount: 0,
        frameCount: 0,
        series: new Map(),
      };
      patient.studies.set(s.uid, study);
    } else {
      // Fill gaps from later instances; never overwrite what the first instance said.
      study.date ??= s.date;
      study.time ??= s.time;
      study.description ??= s.description;
      study.accessionNumber ??= s.accessionNumber;
      study.referringPhysician ??= s.referringPhysician;
      study.institution ??= s.institution;
      study.studyId ??= s.studyId;
    }
    const owners = this.studyPatients.get(s.uid) ?? new Set<string>();
    owners.add(key);
    this.studyPatients.set(s.uid, owners);

    const se = header.series;
    let series = study.series.get(se.uid);
    if (!series) {
      series = {
        uid: se.uid,
        number: se.number,
        description: se.description,
        modality: se.modality,
        bodyPart: se.bodyPart,
        instanceCount: 0,
        imageCount: 0,
        frameCount: 0,
        documentCount: 0,
        instances: [],
      };
      study.series.set(se.uid, series);
    } else {
      series.number ??= se.number;
      series.description ??= se.description;
      series.modality ??= se.modality;
      series.bodyPart ??= se.bodyPart;
    }
    series.instances.push(instance);
    series.instanceCount += 1;
    series.frameCount += instance.frames;
    if (instance.kind === 'image') series.imageCount += 1;
    if (instance.kind === 'encapsulated-pdf' || instance.kind === 'structured-report') series.documentCount += 1;
    study.instanceCount += 1;
    study.frameCount += instance.frames;
    return outcome;
  }

  build(): Catalog {
    const totals = { patients: 0, studies: 0, series: 0, instances: 0, frames: 0 };
    const patients: CatalogPatient[] = [...this.patients.values()].map((p) => {
      const studies: CatalogStudy[] = [...p.studies.values()].map((st) => {
        const series: CatalogSeries[] = [...st.series.values()].map((se) => {
          const instances = [...se.instances].sort(
            (a, b) => compareNullableNumber(a.instanceNumber, b.instanceNumber) || compareText(a.ref, b.ref),
          );
          const images = instances.filter((i) => i.kind === 'image');
          const middle = images[Math.floor((images.length - 1) / 2)];
          return { ...se, instances, thumbnailRef: middle?.ref ?? null };
        });
        series.sort((a, b) => compareNullableNumber(a.number, b.number) || compareText(a.description, b.description) || compareText(a.uid, b.uid));
        const modalities = [...new Set(series.map((s) => s.modality).filter((m): m is string => m !== null))].sort();
        totals.series += series.length;
        return { ...st, modalities, seriesCount: series.length, series };
      });
      studies.sort((a, b) => compareText(a.date, b.date) || compareText(a.time, b.time) || compareText(a.uid, b.uid));
      totals.studies += studies.length;
      totals.instances += p.instanceCount;
      totals.frames += studies.reduce((n, s) => n + s.frameCount, 0);
      return { ...p, studies };
    });
    patients.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id) || compareText(a.birthDate, b.birthDate));
    totals.patients = patients.length;
    const splitStudies = [...this.studyPatients.entries()].filter(([, owners]) => owners.size > 1).map(([uid]) => uid);
    return { patients, duplicates: [...this.duplicates], conflicts: [...this.conflicts.values()], splitStudies, totals };
  }
}

/** Convenience: builds a catalog from a list of instances. */
export function buildCatalog(inputs: Iterable<CatalogInput>): Catalog {
  const builder = new CatalogBuilder();
  for (const input of inputs) builder.add(input);
  return builder.build();
}

export interface ProfileMismatch {
  field: 'name' | 'birthDate';
  /** 'different': both known and not matching; 'missing-on-disc': the disc does not say. */
  kind: 'different' | 'missing-on-disc';
  disc: string | null;
  profile: string;
}

/**
 * Compares a patient found on a disc with the vault's patient profile. The name is compared tolerantly: DICOM's
 * 'FAMILY^GIVEN^MIDDLE' against 'Given Family', any order, ignoring case, accents and punctuation, allowing a missing
 * middle name or initials (see namesMatch); every component group (alphabetic, ideographic, phonetic) is tried.
 * The birth date must be identical (both 'YYYY-MM-DD'). Returns an empty list when everything matches.
 */
export function compareToProfile(
  patient: Pick<CatalogPatient, 'name' | 'birthDate'>,
  profile: { fullName: string; birthDate: string },
): ProfileMismatch[] {
  const mismatches: ProfileMismatch[] = [];
  const groups = patient.name ? personNameGroups(patient.name) : [];
  const displayName = patient.name ? formatPersonName(patient.name) || patient.name : null;
  if (groups.length === 0) {
    mismatches.push({ field: 'name', kind: 'missing-on-disc', disc: null, profile: profile.fullName });
  } else if (!groups.some((g) => namesMatch(g, profile.fullName))) {
    mismatches.push({ field: 'name', kind: 'different', disc: displayName, profile: profile.fullName });
  }
  if (!patient.birthDate) {
    mismatches.push({ field: 'birthDate', kind: 'missing-on-disc', disc: null, profile: profile.birthDate });
  } else if (patient.birthDate !== profile.birthDate) {
    mismatches.push({ field: 'birthDate', kind: 'different', disc: patient.birthDate, profile: profile.birthDate });
  }
  return mismatches;
}
