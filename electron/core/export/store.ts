import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  careTeamMember,
  medication,
  packetFormat,
  packetProfile,
  packetRequest,
  recipient,
  type CareTeamMember,
  type CareTeamMemberInput,
  type Medication,
  type MedicationInput,
  type PacketFormat,
  type PacketLogEntry,
  type PacketProfile,
  type PacketRequest,
} from '../../../shared/contract/export';
import { AppError } from '../../../shared/errors';

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

// ---------------------------------------------------------------------------------------------------------------
// Medications and care team: ordered lists, replaced as a whole ("save" = the list as the person sees it now).

type ListTable = 'medications' | 'care_team';

function readList<T>(db: Database.Database, table: ListTable, schema: z.ZodType<T>): T[] {
  const rows = db.prepare(`SELECT id, content FROM ${table} ORDER BY position`).all() as { id: string; content: string }[];
  return rows.map((row) => {
    const parsed = schema.safeParse({ ...(JSON.parse(row.content) as object), id: row.id });
    // Stored content that no longer fits the schema is damage, not something to show or send.
    if (!parsed.success) throw new AppError('VAULT_DAMAGED');
    return parsed.data;
  });
}

function replaceList(db: Database.Database, table: ListTable, items: { id?: string | undefined }[], now: Date): void {
  const insert = db.prepare(`INSERT INTO ${table} (id, position, content, updated_at) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    db.prepare(`DELETE FROM ${table}`).run();
    const seen = new Set<string>();
    items.forEach((item, position) => {
      // An id given twice (a copy-paste in the UI) becomes a new entry rather than a constraint error.
      const id = item.id && !seen.has(item.id) ? item.id : newId();
      seen.add(id);
      const { id: _ignored, ...content } = item;
      insert.run(id, position, JSON.stringify(content), now.toISOString());
    });
  })();
}

export function listMedications(db: Database.Database): Medication[] {
  const items = readList(db, 'medications', medication);
  // Current ones first, each group in the person's order.
  return [...items.filter((item) => item.current), ...items.filter((item) => !item.current)];
}

export function saveMedications(db: Database.Database, items: MedicationInput[], now: Date): Medication[] {
  replaceList(
    db,
    'medications',
    items.map((item) => ({
      id: item.id,
      name: item.name,
      dose: item.dose ?? null,
      frequency: item.frequency ?? null,
      route: item.route ?? null,
      startDate: item.startDate ?? null,
      reason: item.reason ?? null,
      prescriber: item.prescriber ?? null,
      notes: item.notes ?? '',
      current: item.current ?? true,
    })),
    now,
  );
  return listMedications(db);
}

export function listCareTeam(db: Database.Database): CareTeamMember[] {
  return readList(db, 'care_team', careTeamMember);
}

export function saveCareTeam(db: Database.Database, items: CareTeamMemberInput[], now: Date): CareTeamMember[] {
  replaceList(
    db,
    'care_team',
    items.map((item) => ({
      id: item.id,
      name: item.name,
      role: item.role,
      organization: item.organization ?? null,
      phone: item.phone ?? null,
      email: item.email ?? null,
      address: item.address ?? '',
      notes: item.notes ?? '',
    })),
    now,
  );
  return listCareTeam(db);
}

// ---------------------------------------------------------------------------------------------------------------
// The log of packets written.

export interface PacketRecord {
  id: string;
  at: Date;
  request: PacketRequest;
  format: PacketFormat;
  profile: PacketProfile | null;
  path: string;
  filesetId: string;
  documentIds: string[];
  studyUids: string[];
  files: number;
  bytes: number;
  manifestSha256: string;
}

export function logPacket(db: Database.Database, record: PacketRecord): void {
  db.prepare(
    `INSERT INTO packets (id, created_at, request, format, profile, path, fileset_id, document_ids, study_uids, files, bytes, manifest_sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.id,
    record.at.toISOString(),
    JSON.stringify(record.request),
    record.format,
    record.profile,
    record.path,
    record.filesetId,
    JSON.stringify(record.documentIds),
    JSON.stringify(record.studyUids),
    record.files,
    record.bytes,
    record.manifestSha256,
  );
}

const storedPacket = z.object({
  id: z.string(),
  created_at: z.string(),
  request: z.string(),
  format: packetFormat,
  profile: packetProfile.nullable(),
  path: z.string(),
  fileset_id: z.string(),
  document_ids: z.string(),
  study_uids: z.string(),
  files: z.number(),
  bytes: z.number(),
  manifest_sha256: z.string(),
});

export function listPackets(db: Database.Database): PacketLogEntry[] {
  const rows = db.prepare('SELECT * FROM packets ORDER BY created_at DESC, rowid DESC').all();
  return rows.map((raw) => {
    const row = storedPacket.parse(raw);
    const request = packetRequest.parse(JSON.parse(row.request));
    return {
      id: row.id,
      createdAt: row.created_at,
      recipient: recipient.parse(request.recipient ?? {}),
      format: row.format,
      profile: row.profile,
      path: row.path,
      filesetId: row.fileset_id,
      documentIds: z.array(z.string()).parse(JSON.parse(row.document_ids)),
      studyUids: z.array(z.string()).parse(JSON.parse(row.study_uids)),
      files: row.files,
      bytes: row.bytes,
      manifestSha256: row.manifest_sha256,
    };
  });
}

/** The request a logged packet was built from, with the selection it resolved to (so a rebuild sends the same). */
export function loggedRequest(db: Database.Database, id: string): PacketRequest {
  const raw = db.prepare('SELECT request, document_ids, study_uids FROM packets WHERE id = ?').get(id) as
    | { request: string; document_ids: string; study_uids: string }
    | undefined;
  if (!raw) throw new AppError('NOT_FOUND', 'That packet is not in the log.');
  const request = packetRequest.parse(JSON.parse(raw.request));
  return {
    ...request,
    documentIds: z.array(z.string()).parse(JSON.parse(raw.document_ids)),
    studyUids: z.array(z.string()).parse(JSON.parse(raw.study_uids)),
  };
}
