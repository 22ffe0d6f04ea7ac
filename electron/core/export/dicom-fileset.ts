import { AppError } from '../../../shared/errors';
import { namesMatch } from '../imaging/dicom/person-name';
import { sopKind } from '../imaging/dicom/uids';
import { asciiOf, needsCharset, T, type InstanceKeys, type RawValue } from './dicom-keys';
import { textValue, type DirElement, type DirRecord } from './dicomdir-writer';

/**
 * Plans the DICOM part of a packet: IHE PDI file names (DICOM/P0000001/S0000001/E0000001/I0000001 — patient,
 * study, series, instance, each numbered within its parent) and the DICOMDIR records with their keys, copied from
 * the instances' own headers. Where a Type 1 key is missing, a deterministic stand-in is used (study date from the
 * series/acquisition/content date, study ID and numbers from order) and noted for README.TXT. A missing Patient ID
 * is never made up: the patient record requires one (PS3.3 Table F.5-1, Type 1, unique within the file set), so the
 * packet is refused with a message saying which study lacks it.
 */

export interface FileSetInstance {
  blobId: string;
  size: number;
  sha256: string;
  keys: InstanceKeys;
}

export interface FileSetSeries {
  instances: FileSetInstance[];
}

export interface FileSetStudy {
  /** Position of the study in the person's selection (1-based), for messages and README notes. */
  number: number;
  series: FileSetSeries[];
}

export interface PlannedDicomFile {
  path: string;
  blobId: string;
  size: number;
  sha256: string;
  /** For messages: "image 3 of series 2 of study 1". */
  label: string;
}

export interface FileSetPlan {
  files: PlannedDicomFile[];
  roots: DirRecord[];
  /** Plain sentences for README.TXT about stand-in values. */
  notes: string[];
  patients: number;
}

/** Directory record type for a SOP class (PS3.3 Table F.4-1, F.5). */
export function recordTypeFor(sopClassUid: string): string | null {
  const storage = '1.2.840.10008.5.1.4.1.1.';
  if (!sopClassUid.startsWith(storage)) return null;
  const suffix = sopClassUid.slice(storage.length);
  if (suffix === '88.59') return 'KEY OBJECT DOC';
  if (suffix.startsWith('88.')) return 'SR DOCUMENT';
  if (suffix.startsWith('11.')) return 'PRESENTATION';
  if (suffix.startsWith('104.')) return 'ENCAP DOC';
  if (suffix.startsWith('9.')) return 'WAVEFORM';
  if (suffix === '4.2') return 'SPECTROSCOPY';
  if (suffix === '66') return 'RAW DATA';
  if (suffix === '66.1' || suffix === '66.3') return 'REGISTRATION';
  if (suffix === '66.2') return 'FIDUCIAL';
  if (suffix === '66.4') return 'IMAGE'; // segmentation
  if (suffix === '66.5') return 'SURFACE';
  if (suffix === '481.2') return 'RT DOSE';
  if (suffix === '481.3') return 'RT STRUCTURE SET';
  if (suffix === '481.5' || suffix === '481.8') return 'RT PLAN';
  if (['481.4', '481.6', '481.7', '481.9'].includes(suffix)) return 'RT TREAT RECORD';
  if (sopKind(sopClassUid) === 'image') return 'IMAGE';
  return null;
}

type KeyType = 1 | 2;
interface KeySpec {
  tag: number;
  vr: string;
  type: KeyType;
}

const INSTANCE_NUMBER: KeySpec = { tag: T.instanceNumber, vr: 'IS', type: 1 };
const CONTENT_DATE_1: KeySpec = { tag: T.contentDate, vr: 'DA', type: 1 };
const CONTENT_TIME_1: KeySpec = { tag: T.contentTime, vr: 'TM', type: 1 };

/** Keys of each leaf record type (PS3.3 F.5). Records not listed carry the instance number only. */
const LEAF_KEYS: Record<string, KeySpec[]> = {
  IMAGE: [INSTANCE_NUMBER],
  'SR DOCUMENT': [
    INSTANCE_NUMBER,
    { tag: T.completionFlag, vr: 'CS', type: 1 },
    { tag: T.verificationFlag, vr: 'CS', type: 1 },
    CONTENT_DATE_1,
    CONTENT_TIME_1,
    { tag: T.conceptNameCodeSequence, vr: 'SQ', type: 1 },
  ],
  'KEY OBJECT DOC': [INSTANCE_NUMBER, CONTENT_DATE_1, CONTENT_TIME_1, { tag: T.conceptNameCodeSequence, vr: 'SQ', type: 1 }],
  'ENCAP DOC': [
    INSTANCE_NUMBER,
    { tag: T.contentDate, vr: 'DA', type: 2 },
    { tag: T.contentTime, vr: 'TM', type: 2 },
    { tag: T.conceptNameCodeSequence, vr: 'SQ', type: 2 },
    { tag: T.documentTitle, vr: 'ST', type: 2 },
    { tag: T.mimeTypeOfEncapsulatedDocument, vr: 'LO', type: 1 },
  ],
  PRESENTATION: [
    INSTANCE_NUMBER,
    { tag: T.contentLabel, vr: 'CS', type: 1 },
    { tag: T.contentDescription, vr: 'LO', type: 2 },
    { tag: T.presentationCreationDate, vr: 'DA', type: 1 },
    { tag: T.presentationCreationTime, vr: 'TM', type: 1 },
    { tag: T.contentCreatorName, vr: 'PN', type: 2 },
  ],
  WAVEFORM: [INSTANCE_NUMBER, CONTENT_DATE_1, CONTENT_TIME_1],
};

function present(value: RawValue | undefined): value is RawValue {
  if (!value) return false;
  if (value.vr === 'SQ') return value.value.length > 0;
  return asciiOf(value) !== null || value.value.some((b) => b !== 0x20 && b !== 0);
}

/** The first non-empty value of a tag among instances, in order. */
function firstValue(instances: FileSetInstance[], tag: number): RawValue | undefined {
  for (const instance of instances) {
    const value = instance.keys.values.get(tag);
    if (present(value)) return value;
  }
  return undefined;
}

class RecordBuilder {
  readonly elements: DirElement[] = [];
  #charset: RawValue | null = null;
  #needsCharset = false;

  constructor(charset: RawValue | null) {
    this.#charset = charset;
  }

  copy(spec: KeySpec, value: RawValue | undefined): boolean {
    if (present(value)) {
      this.elements.push({ tag: spec.tag, vr: value.vr, value: value.value });
      if (needsCharset(value)) this.#needsCharset = true;
      return true;
    }
    return false;
  }

  empty(spec: KeySpec): void {
    this.elements.push({ tag: spec.tag, vr: spec.vr, value: Buffer.alloc(0) });
  }

  standIn(spec: KeySpec, text: string): void {
    this.elements.push({ tag: spec.tag, vr: spec.vr, value: textValue(text, spec.vr) });
  }

  raw(tag: number, vr: string, value: Buffer): void {
    this.elements.push({ tag, vr, value });
  }

  record(type: string, children: DirRecord[]): DirRecord {
    // (0008,0005) only where a key's bytes need it (Type 1C in every record).
    if (this.#needsCharset && this.#charset) this.elements.push({ tag: T.specificCharacterSet, vr: 'CS', value: this.#charset.value });
    return { type, elements: this.elements, children };
  }
}

const seven = (n: number) => String(n).padStart(7, '0');

function pnText(value: RawValue | undefined): string {
  return value ? value.value.toString('latin1').replace(/[\0\s]+$/, '') : '';
}

/** Builds the file-set plan. Throws AppError INVALID_INPUT with a patient-readable message when it cannot be made. */
export function planFileSet(studies: FileSetStudy[]): FileSetPlan {
  const notes: string[] = [];
  const files: PlannedDicomFile[] = [];
  // Patients by Patient ID, in the order their first study appears.
  const patients = new Map<string, { name: RawValue | undefined; birth: string | null; studies: FileSetStudy[] }>();
  for (const study of studies) {
    const all = study.series.flatMap((series) => series.instances);
    const id = asciiOf(firstValue(all, T.patientId));
    if (!id) {
      throw new AppError(
        'INVALID_INPUT',
        `The images of study ${study.number} in this packet carry no patient ID. The disc index (DICOMDIR) must list one for every patient, and the app never makes one up. Leave this study out of the packet; the original disc from the imaging center can go with it instead.`,
      );
    }
    const name = firstValue(all, T.patientName);
    const birth = asciiOf(firstValue(all, T.patientBirthDate));
    const known = patients.get(id);
    if (!known) {
      patients.set(id, { name, birth, studies: [study] });
      continue;
    }
    const sameName = !known.name || !name || pnText(known.name) === pnText(name) || namesMatch(pnText(known.name), pnText(name));
    if (!sameName || (known.birth && birth && known.birth !== birth)) {
      throw new AppError(
        'INVALID_INPUT',
        `Two different people in this packet's imaging share one patient ID (study ${known.studies[0]!.number} and study ${study.number}). A disc index cannot tell them apart, so the packet was not written. Leave the other person's study out.`,
      );
    }
    known.studies.push(study);
  }

  const roots: DirRecord[] = [];
  let patientNumber = 0;
  for (const [, patient] of patients) {
    patientNumber += 1;
    const p = `P${seven(patientNumber)}`;
    const studyRecords: DirRecord[] = [];
    patient.studies.forEach((study, studyIndex) => {
      const s = `S${seven(studyIndex + 1)}`;
      const all = study.series.flatMap((series) => series.instances);
      const seriesRecords: DirRecord[] = [];
      study.series.forEach((series, seriesIndex) => {
        const e = `E${seven(seriesIndex + 1)}`;
        const leaves: DirRecord[] = [];
        series.instances.forEach((instance, instanceIndex) => {
          const i = `I${seven(instanceIndex + 1)}`;
          const fileId = ['DICOM', p, s, e, i];
          const type = recordTypeFor(instance.keys.sopClassUid);
          if (!type) {
            throw new AppError(
              'INVALID_INPUT',
              `Series ${seriesIndex + 1} of study ${study.number} holds a kind of DICOM object the app cannot list on a disc index (SOP class ${instance.keys.sopClassUid}). Leave that study out of the packet.`,
            );
          }
          const leaf = new RecordBuilder(instance.keys.charset);
          leaf.raw(0x00041500, 'CS', textValue(fileId.join('\\'), 'CS'));
          leaf.raw(0x00041510, 'UI', textValue(instance.keys.sopClassUid, 'UI'));
          leaf.raw(0x00041511, 'UI', textValue(instance.keys.sopInstanceUid, 'UI'));
          leaf.raw(0x00041512, 'UI', textValue(instance.keys.transferSyntaxUid, 'UI'));
          for (const spec of LEAF_KEYS[type] ?? [INSTANCE_NUMBER]) {
            if (leaf.copy(spec, instance.keys.values.get(spec.tag))) continue;
            if (spec.type === 2) {
              leaf.empty(spec);
            } else if (spec.tag === T.instanceNumber) {
              leaf.standIn(spec, String(instanceIndex + 1));
            } else if (spec.tag === T.contentDate) {
              const date = asciiOf(firstValue(all, T.studyDate)) ?? '19000101';
              leaf.standIn(spec, date);
            } else if (spec.tag === T.contentTime) {
              leaf.standIn(spec, asciiOf(firstValue(all, T.studyTime)) ?? '000000');
            } else if (spec.tag === T.completionFlag) {
              leaf.standIn(spec, 'PARTIAL');
            } else if (spec.tag === T.verificationFlag) {
              leaf.standIn(spec, 'UNVERIFIED');
            } else {
              leaf.empty(spec);
            }
          }
          if (type === 'SR DOCUMENT' && asciiOf(instance.keys.values.get(T.verificationFlag)) === 'VERIFIED') {
            leaf.copy({ tag: T.verificationDateTime, vr: 'DT', type: 1 }, instance.keys.values.get(T.verificationDateTime));
          }
          leaves.push(leaf.record(type, []));
          files.push({
            path: fileId.join('/'),
            blobId: instance.blobId,
            size: instance.size,
            sha256: instance.sha256,
            label: `image ${instanceIndex + 1} of series ${seriesIndex + 1} of study ${study.number}`,
          });
        });
        const seriesRecord = new RecordBuilder(series.instances[0]?.keys.charset ?? null);
        const modality: KeySpec = { tag: T.modality, vr: 'CS', type: 1 };
        if (!seriesRecord.copy(modality, firstValue(series.instances, T.modality))) {
          seriesRecord.standIn(modality, 'OT');
          notes.push(`Study ${study.number}, series ${seriesIndex + 1}: no modality in the images; the index says OT (other).`);
        }
        seriesRecord.copy({ tag: T.seriesInstanceUid, vr: 'UI', type: 1 }, firstValue(series.instances, T.seriesInstanceUid));
        const number: KeySpec = { tag: T.seriesNumber, vr: 'IS', type: 1 };
        if (!seriesRecord.copy(number, firstValue(series.instances, T.seriesNumber))) seriesRecord.standIn(number, String(seriesIndex + 1));
        seriesRecords.push(seriesRecord.record('SERIES', leaves));
      });

      const studyRecord = new RecordBuilder(all[0]?.keys.charset ?? null);
      const date: KeySpec = { tag: T.studyDate, vr: 'DA', type: 1 };
      if (!studyRecord.copy(date, firstValue(all, T.studyDate))) {
        const fallback = [T.seriesDate, T.acquisitionDate, T.contentDate, T.instanceCreationDate].map((t) => asciiOf(firstValue(all, t))).find(Boolean);
        studyRecord.standIn(date, fallback ?? '19000101');
        notes.push(
          fallback
            ? `Study ${study.number}: no study date in the images; the index uses the date of the series.`
            : `Study ${study.number}: no date anywhere in the images; the index shows 1900-01-01 as a placeholder.`,
        );
      }
      const time: KeySpec = { tag: T.studyTime, vr: 'TM', type: 1 };
      if (!studyRecord.copy(time, firstValue(all, T.studyTime))) {
        const fallback = [T.seriesTime, T.acquisitionTime, T.contentTime, T.instanceCreationTime].map((t) => asciiOf(firstValue(all, t))).find(Boolean);
        studyRecord.standIn(time, fallback ?? '000000');
      }
      const description: KeySpec = { tag: T.studyDescription, vr: 'LO', type: 2 };
      if (!studyRecord.copy(description, firstValue(all, T.studyDescription))) studyRecord.empty(description);
      studyRecord.copy({ tag: T.studyInstanceUid, vr: 'UI', type: 1 }, firstValue(all, T.studyInstanceUid));
      const studyId: KeySpec = { tag: T.studyId, vr: 'SH', type: 1 };
      if (!studyRecord.copy(studyId, firstValue(all, T.studyId))) studyRecord.standIn(studyId, String(studyIndex + 1));
      const accession: KeySpec = { tag: T.accessionNumber, vr: 'SH', type: 2 };
      if (!studyRecord.copy(accession, firstValue(all, T.accessionNumber))) studyRecord.empty(accession);
      studyRecords.push(studyRecord.record('STUDY', seriesRecords));
    });

    const first = patient.studies[0]!.series.flatMap((series) => series.instances);
    const patientRecord = new RecordBuilder(first[0]?.keys.charset ?? null);
    for (const spec of [
      { tag: T.patientName, vr: 'PN', type: 2 },
      { tag: T.patientId, vr: 'LO', type: 1 },
      { tag: T.patientBirthDate, vr: 'DA', type: 2 },
      { tag: T.patientSex, vr: 'CS', type: 2 },
    ] satisfies KeySpec[]) {
      if (!patientRecord.copy(spec, firstValue(first, spec.tag))) patientRecord.empty(spec);
    }
    roots.push(patientRecord.record('PATIENT', studyRecords));
  }
  return { files, roots, notes, patients: patients.size };
}
