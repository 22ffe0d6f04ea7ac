import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { imagingPatient, instanceSummary, seriesSummary } from '../../../shared/contract/imaging';
import { AppError } from '../../../shared/errors';
import { formatPersonName } from './dicom/person-name';
import { storedImage } from './store';

type Patient = z.infer<typeof imagingPatient>;
type Series = z.infer<typeof seriesSummary>;
type Instance = z.infer<typeof instanceSummary>;

interface SeriesRow {
  uid: string;
  study_uid: string;
  number: number | null;
  description: string | null;
  modality: string | null;
  body_part: string | null;
  thumbnail_blob_id: string | null;
  thumbnail_status: Series['thumbnailStatus'];
  instance_count: number;
  frame_count: number;
}

const SERIES_SQL = `
  SELECT s.*, count(i.id) AS instance_count, coalesce(sum(i.frames), 0) AS frame_count
  FROM series s LEFT JOIN instances i ON i.series_uid = s.uid`;

/** Patients → studies → series, newest study first, for the imaging view and `studies` in the CLI. */
export function listStudies(db: Database.Database): Patient[] {
  const patients = db.prepare('SELECT * FROM imaging_patients ORDER BY display_name').all() as {
    key: string;
    name: string | null;
    patient_id: string | null;
    birth_date: string | null;
    sex: string | null;
    mismatches: string;
  }[];
  const studies = db.prepare('SELECT * FROM studies ORDER BY date IS NULL, date DESC, time DESC').all() as {
    uid: string;
    patient_key: string;
    date: string | null;
    time: string | null;
    description: string | null;
    accession_number: string | null;
    referring_physician: string | null;
    institution: string | null;
  }[];
  const series = db.prepare(`${SERIES_SQL} GROUP BY s.uid ORDER BY s.number IS NULL, s.number, s.uid`).all() as SeriesRow[];
  const documents = db.prepare('SELECT id, study_uid FROM documents WHERE study_uid IS NOT NULL AND trashed_at IS NULL').all() as {
    id: string;
    study_uid: string;
  }[];
  return patients.map((patient) => ({
    key: patient.key,
    name: patient.name ? formatPersonName(patient.name) || patient.name : null,
    patientId: patient.patient_id,
    birthDate: patient.birth_date,
    sex: patient.sex,
    otherPatient: (JSON.parse(patient.mismatches) as unknown[]).length > 0,
    studies: studies
      .filter((study) => study.patient_key === patient.key)
      .map((study) => {
        const ofStudy = series.filter((row) => row.study_uid === study.uid).map(toSeries);
        return {
          uid: study.uid,
          date: study.date,
          time: study.time,
          description: study.description,
          accessionNumber: study.accession_number,
          referringPhysician: study.referring_physician ? formatPersonName(study.referring_physician) || study.referring_physician : null,
          institution: study.institution,
          modalities: [...new Set(ofStudy.map((row) => row.modality).filter((value): value is string => value !== null))].sort(),
          series: ofStudy,
          documentIds: documents.filter((document) => document.study_uid === study.uid).map((document) => document.id),
        };
      }),
  }));
}

export function seriesDetail(db: Database.Database, uid: string): { series: Series; instances: Instance[] } {
  const row = db.prepare(`${SERIES_SQL} WHERE s.uid = ? GROUP BY s.uid`).get(uid) as SeriesRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'That series could not be found.');
  const instances = db
    .prepare(
      `SELECT id, blob_id, instance_number, frames, transfer_syntax, sop_class_uid, sop_instance_uid, conflict, image
       FROM instances WHERE series_uid = ? ORDER BY instance_number IS NULL, instance_number, id`,
    )
    .all(uid) as {
    id: string;
    blob_id: string;
    instance_number: number | null;
    frames: number;
    transfer_syntax: string;
    sop_class_uid: string;
    sop_instance_uid: string;
    conflict: number;
    image: string;
  }[];
  return {
    series: toSeries(row),
    instances: instances.map((instance) => {
      const image = storedImage.parse(JSON.parse(instance.image));
      return {
        id: instance.id,
        blobId: instance.blob_id,
        instanceNumber: instance.instance_number,
        frames: instance.frames,
        transferSyntax: instance.transfer_syntax,
        sopClassUid: instance.sop_class_uid,
        sopInstanceUid: instance.sop_instance_uid,
        conflict: instance.conflict === 1,
        rows: image.rows ?? null,
        columns: image.columns ?? null,
        windowCenter: image.windowCenter ?? null,
        windowWidth: image.windowWidth ?? null,
      };
    }),
  };
}

function toSeries(row: SeriesRow): Series {
  return {
    uid: row.uid,
    number: row.number,
    description: row.description,
    modality: row.modality,
    bodyPart: row.body_part,
    instanceCount: row.instance_count,
    frameCount: row.frame_count,
    thumbnailId: row.thumbnail_blob_id,
    thumbnailStatus: row.thumbnail_status,
  };
}
