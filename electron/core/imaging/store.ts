import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { BlobInfo } from '../vault/blob-store';
import type { DicomInstanceHeader } from './dicom/header';
import { patientKey } from './catalog';

/** Rows of the imaging catalogue. All writes happen inside the caller's transaction. */

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export function insertDisc(db: Database.Database, disc: { id: string; label: string; sourceKind: string; at: Date }): void {
  db.prepare('INSERT INTO discs (id, label, source_kind, imported_at) VALUES (?, ?, ?, ?)').run(disc.id, disc.label, disc.sourceKind, disc.at.toISOString());
}

export function findInstance(db: Database.Database, sopInstanceUid: string, sha256: string): boolean {
  return db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ? AND sha256 = ?').get(sopInstanceUid, sha256) !== undefined;
}

export function uidKnown(db: Database.Database, sopInstanceUid: string): boolean {
  return db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ? LIMIT 1').get(sopInstanceUid) !== undefined;
}

export interface InstanceToInsert {
  header: DicomInstanceHeader;
  blob: Pick<BlobInfo, 'id' | 'sha256' | 'size'>;
  discId: string;
  sourcePath: string;
  conflict: boolean;
  patientMismatches: unknown[];
  patientConfirmed: boolean;
  /** The instance's DICOMDIR values (serialized), or null when its header was not read at import. */
  mediaKeys: string | null;
}

/** Inserts an instance and, the first time they are seen, its patient, study and series. */
export function insertInstance(db: Database.Database, item: InstanceToInsert): void {
  const { header } = item;
  const key = patientKey(header.patient);
  db.prepare(
    `INSERT OR IGNORE INTO imaging_patients (key, name, display_name, patient_id, birth_date, sex, mismatches, confirmed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(key, header.patient.name, header.patient.name, header.patient.id, header.patient.birthDate, header.patient.sex, JSON.stringify(item.patientMismatches), item.patientConfirmed ? 1 : 0);
  const study = header.study;
  db.prepare(
    `INSERT OR IGNORE INTO studies (uid, patient_key, date, time, description, accession_number, referring_physician, institution, study_id, disc_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(study.uid, key, study.date, study.time, study.description, study.accessionNumber, study.referringPhysician, study.institution, study.studyId, item.discId);
  const series = header.series;
  db.prepare(
    `INSERT OR IGNORE INTO series (uid, study_uid, number, description, modality, body_part) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(series.uid, study.uid, series.number, series.description, series.modality, series.bodyPart);
  const image = header.image;
  db.prepare(
    `INSERT INTO instances (id, sop_instance_uid, series_uid, sop_class_uid, kind, transfer_syntax, instance_number, frames,
       blob_id, sha256, size, disc_id, source_path, conflict, image, media_keys)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    newId(),
    header.sopInstanceUid,
    series.uid,
    header.sopClassUid,
    header.kind,
    header.transferSyntaxUid,
    image.instanceNumber,
    header.kind === 'image' && header.hasPixelData ? (image.frames ?? 1) : 0,
    item.blob.id,
    item.blob.sha256,
    item.blob.size,
    item.discId,
    item.sourcePath,
    item.conflict ? 1 : 0,
    JSON.stringify({ rows: image.rows, columns: image.columns, windowCenter: image.windowCenter, windowWidth: image.windowWidth }),
    item.mediaKeys,
  );
}

/** The middle image of a series (by instance number), whose picture becomes the series thumbnail. */
export function middleImage(db: Database.Database, seriesUid: string): { blobId: string; size: number } | null {
  const rows = db
    .prepare(
      `SELECT blob_id AS blobId, size FROM instances WHERE series_uid = ? AND kind = 'image' AND frames > 0
       ORDER BY instance_number IS NULL, instance_number, id`,
    )
    .all(seriesUid) as { blobId: string; size: number }[];
  return rows[Math.floor(rows.length / 2)] ?? null;
}

export function setThumbnail(db: Database.Database, seriesUid: string, status: 'ok' | 'unsupported' | 'none', blobId: string | null): void {
  db.prepare('UPDATE series SET thumbnail_status = ?, thumbnail_blob_id = ? WHERE uid = ?').run(status, blobId, seriesUid);
}

export const storedImage = z
  .object({
    rows: z.number().nullable().optional(),
    columns: z.number().nullable().optional(),
    windowCenter: z.number().nullable().optional(),
    windowWidth: z.number().nullable().optional(),
  })
  .catch({});
