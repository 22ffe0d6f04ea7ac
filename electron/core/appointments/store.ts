import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  appointmentInput,
  appointmentLabel,
  CHECKLIST_GROUPS,
  ITEM_STATUSES,
  ITEM_TYPES,
  QUESTION_SOURCES,
  RECORD_KINDS,
  RECORD_STATUSES,
  recordsRequestInput,
  REQUEST_STATUSES,
  requestLogEntry,
  TASK_STATUSES,
  type Appointment,
  type AppointmentFields,
  type ChecklistGroup,
  type ItemStatus,
  type ItemType,
  type RecordKind,
} from '../../../shared/contract/appointments';
import { AppError } from '../../../shared/errors';

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export function notFound(what: 'appointment' | 'item' | 'question' | 'request' = 'appointment'): AppError {
  const words = {
    appointment: 'That appointment could not be found. It may be in the trash.',
    item: 'That checklist item could not be found. It may have been removed.',
    question: 'That question could not be found. It may have been removed.',
    request: 'That records request could not be found.',
  } as const;
  return new AppError('NOT_FOUND', words[what]);
}

/** Empty strings from forms mean "not written": they are left out rather than stored. */
export function cleanFields(fields: AppointmentFields): AppointmentFields {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === '' || value === undefined) continue;
    out[key] = value;
  }
  out.contacts = fields.contacts.map((contact) =>
    Object.fromEntries(Object.entries(contact).filter(([, value]) => value !== '' && value !== undefined)),
  );
  out.opinionIds = [...new Set(fields.opinionIds)];
  return appointmentInput.parse(out);
}

// ── Appointments ────────────────────────────────────────────────────────────────────────────────────────────

interface AppointmentRow {
  id: string;
  content: string;
  created_at: string;
  updated_at: string;
  trashed_at: string | null;
}

export function insertAppointment(db: Database.Database, fields: AppointmentFields, now: Date): string {
  const id = newId();
  const at = now.toISOString();
  db.prepare('INSERT INTO appointments (id, content, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, JSON.stringify(fields), at, at);
  return id;
}

export function replaceAppointment(db: Database.Database, id: string, fields: AppointmentFields, now: Date): void {
  const changed = db
    .prepare('UPDATE appointments SET content = ?, updated_at = ? WHERE id = ? AND trashed_at IS NULL')
    .run(JSON.stringify(fields), now.toISOString(), id).changes;
  if (changed === 0) throw notFound();
}

export function readAppointment(db: Database.Database, id: string, options: { includeTrashed?: boolean } = {}): Appointment {
  const trashed = options.includeTrashed ? '' : ' AND trashed_at IS NULL';
  const row = db.prepare(`SELECT * FROM appointments WHERE id = ?${trashed}`).get(id) as AppointmentRow | undefined;
  if (!row) throw notFound();
  return toAppointment(row);
}

export function listAppointments(db: Database.Database, trash: 'exclude' | 'only'): Appointment[] {
  const where = trash === 'only' ? 'trashed_at IS NOT NULL' : 'trashed_at IS NULL';
  return (db.prepare(`SELECT * FROM appointments WHERE ${where}`).all() as AppointmentRow[]).map(toAppointment);
}

export function setAppointmentTrashed(db: Database.Database, id: string, at: Date | null): number {
  return at
    ? db.prepare('UPDATE appointments SET trashed_at = ? WHERE id = ? AND trashed_at IS NULL').run(at.toISOString(), id).changes
    : db.prepare('UPDATE appointments SET trashed_at = NULL WHERE id = ? AND trashed_at IS NOT NULL').run(id).changes;
}

/** Stored content is re-validated: an appointment that no longer fits the schema is damage, not something to show. */
function toAppointment(row: AppointmentRow): Appointment {
  const content = appointmentInput.safeParse(JSON.parse(row.content));
  if (!content.success) throw new AppError('VAULT_DAMAGED');
  return {
    ...content.data,
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    trashedAt: row.trashed_at,
    label: appointmentLabel(content.data),
  };
}

// ── Checklist items ─────────────────────────────────────────────────────────────────────────────────────────

export const itemRow = z.object({
  id: z.string(),
  appointment_id: z.string(),
  position: z.number().int(),
  template: z.string().nullable(),
  grp: z.enum(CHECKLIST_GROUPS),
  type: z.enum(ITEM_TYPES),
  record_kind: z.enum(RECORD_KINDS).nullable(),
  label: z.string(),
  status: z.enum(ITEM_STATUSES),
  note: z.string(),
  holder: z.string(),
  due_on: z.string().nullable(),
  requested_on: z.string().nullable(),
  received_on: z.string().nullable(),
  sent_on: z.string().nullable(),
  document_ids: z.string().transform((value) => z.array(z.string()).catch([]).parse(JSON.parse(value))),
  study_uids: z.string().transform((value) => z.array(z.string()).catch([]).parse(JSON.parse(value))),
  updated_at: z.string(),
});
export type ItemRow = z.output<typeof itemRow>;

export function readItems(db: Database.Database, appointmentId: string): ItemRow[] {
  const rows = db.prepare('SELECT * FROM appointment_items WHERE appointment_id = ? ORDER BY position, rowid').all(appointmentId);
  return rows.map((row) => parseRow(itemRow, row));
}

export function readItem(db: Database.Database, appointmentId: string, itemId: string): ItemRow {
  const row = db.prepare('SELECT * FROM appointment_items WHERE appointment_id = ? AND id = ?').get(appointmentId, itemId);
  if (!row) throw notFound('item');
  return parseRow(itemRow, row);
}

export interface NewItem {
  template: string | null;
  group: ChecklistGroup;
  type: ItemType;
  recordKind: RecordKind | null;
  label: string;
  status: ItemStatus;
}

export function insertItem(db: Database.Database, appointmentId: string, item: NewItem, now: Date): string {
  const id = newId();
  const position = nextPosition(db, 'appointment_items', appointmentId);
  db.prepare(
    `INSERT INTO appointment_items (id, appointment_id, position, template, grp, type, record_kind, label, status, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, appointmentId, position, item.template, item.group, item.type, item.recordKind, item.label, item.status, now.toISOString());
  return id;
}

export function statusFits(type: ItemType, status: ItemStatus): boolean {
  return type === 'task' ? (TASK_STATUSES as readonly string[]).includes(status) : (RECORD_STATUSES as readonly string[]).includes(status);
}

export interface ItemUpdate {
  label?: string;
  status?: ItemStatus;
  note?: string;
  holder?: string;
  dueOn?: string | null;
  requestedOn?: string | null;
  receivedOn?: string | null;
  sentOn?: string | null;
  documentIds?: string[];
  studyUids?: string[];
}

const ITEM_COLUMNS: Record<keyof ItemUpdate, string> = {
  label: 'label',
  status: 'status',
  note: 'note',
  holder: 'holder',
  dueOn: 'due_on',
  requestedOn: 'requested_on',
  receivedOn: 'received_on',
  sentOn: 'sent_on',
  documentIds: 'document_ids',
  studyUids: 'study_uids',
};

export function updateItem(db: Database.Database, appointmentId: string, itemId: string, changes: ItemUpdate, now: Date): void {
  const sets = ['updated_at = ?'];
  const values: (string | null)[] = [now.toISOString()];
  for (const [key, column] of Object.entries(ITEM_COLUMNS) as [keyof ItemUpdate, string][]) {
    const value = changes[key];
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(Array.isArray(value) ? JSON.stringify([...new Set(value)]) : value);
  }
  const changed = db
    .prepare(`UPDATE appointment_items SET ${sets.join(', ')} WHERE appointment_id = ? AND id = ?`)
    .run(...values, appointmentId, itemId).changes;
  if (changed === 0) throw notFound('item');
}

export function deleteItem(db: Database.Database, appointmentId: string, itemId: string): number {
  return db.prepare('DELETE FROM appointment_items WHERE appointment_id = ? AND id = ?').run(appointmentId, itemId).changes;
}

// ── Questions ───────────────────────────────────────────────────────────────────────────────────────────────

export const questionRow = z.object({
  id: z.string(),
  appointment_id: z.string(),
  position: z.number().int(),
  source: z.enum(QUESTION_SOURCES),
  source_key: z.string(),
  topic: z.string().nullable(),
  suggested_text: z.string().nullable(),
  text: z.string().nullable(),
  answer: z.string(),
  asked: z.number().int(),
  removed: z.number().int(),
});
export type QuestionRow = z.output<typeof questionRow>;

export function readQuestionRows(db: Database.Database, appointmentId: string, options: { includeRemoved?: boolean } = {}): QuestionRow[] {
  const removed = options.includeRemoved ? '' : ' AND removed = 0';
  return db
    .prepare(`SELECT * FROM appointment_questions WHERE appointment_id = ?${removed} ORDER BY position, rowid`)
    .all(appointmentId)
    .map((row) => parseRow(questionRow, row));
}

export function readQuestionRow(db: Database.Database, appointmentId: string, questionId: string): QuestionRow {
  const row = db.prepare('SELECT * FROM appointment_questions WHERE appointment_id = ? AND id = ? AND removed = 0').get(appointmentId, questionId);
  if (!row) throw notFound('question');
  return parseRow(questionRow, row);
}

export function insertQuestion(
  db: Database.Database,
  appointmentId: string,
  question: { source: QuestionRow['source']; sourceKey: string | null; topic: string | null; suggestedText: string | null; text: string | null },
  now: Date,
): string {
  const id = newId();
  db.prepare(
    `INSERT INTO appointment_questions (id, appointment_id, position, source, source_key, topic, suggested_text, text, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    appointmentId,
    nextPosition(db, 'appointment_questions', appointmentId),
    question.source,
    question.sourceKey ?? `own:${id}`,
    question.topic,
    question.suggestedText,
    question.text,
    now.toISOString(),
  );
  return id;
}

export function updateQuestion(
  db: Database.Database,
  row: QuestionRow,
  changes: { text?: string; answer?: string; asked?: boolean },
  now: Date,
): void {
  const sets = ['updated_at = ?'];
  const values: (string | number | null)[] = [now.toISOString()];
  if (changes.text !== undefined) {
    sets.push('text = ?');
    // The suggestion's own wording means "not edited", so improvements to the wording still reach it.
    values.push(row.suggested_text !== null && changes.text === row.suggested_text ? null : changes.text);
  }
  if (changes.answer !== undefined) {
    sets.push('answer = ?');
    values.push(changes.answer);
  }
  if (changes.asked !== undefined) {
    sets.push('asked = ?');
    values.push(Number(changes.asked));
  }
  db.prepare(`UPDATE appointment_questions SET ${sets.join(', ')} WHERE id = ?`).run(...values, row.id);
}

/** The person's own questions are deleted; a suggested one is only hidden, so it is not suggested again. */
export function removeQuestion(db: Database.Database, row: QuestionRow, now: Date): number {
  if (row.source === 'own') return db.prepare('DELETE FROM appointment_questions WHERE id = ?').run(row.id).changes;
  return db.prepare('UPDATE appointment_questions SET removed = 1, updated_at = ? WHERE id = ?').run(now.toISOString(), row.id).changes;
}

export function setQuestionPositions(db: Database.Database, appointmentId: string, order: readonly string[], now: Date): void {
  const set = db.prepare('UPDATE appointment_questions SET position = ?, updated_at = ? WHERE appointment_id = ? AND id = ?');
  order.forEach((id, index) => set.run(index + 1, now.toISOString(), appointmentId, id));
}

// ── Visit notes ─────────────────────────────────────────────────────────────────────────────────────────────

export function readNotes(db: Database.Database, appointmentId: string): { text: string; savedAt: string | null; revision: number } {
  const row = db.prepare('SELECT text, revision, updated_at FROM appointment_notes WHERE appointment_id = ?').get(appointmentId) as
    | { text: string; revision: number; updated_at: string }
    | undefined;
  return row ? { text: row.text, savedAt: row.updated_at, revision: row.revision } : { text: '', savedAt: null, revision: 0 };
}

/** One small statement, committed (WAL, synchronous=FULL) before the call returns: a crash loses nothing saved. */
export function writeNotes(db: Database.Database, appointmentId: string, text: string, now: Date): void {
  db.prepare(
    `INSERT INTO appointment_notes (appointment_id, text, revision, updated_at) VALUES (?, ?, 1, ?)
     ON CONFLICT(appointment_id) DO UPDATE SET text = excluded.text, revision = revision + 1, updated_at = excluded.updated_at`,
  ).run(appointmentId, text, now.toISOString());
}

// ── Records requests ────────────────────────────────────────────────────────────────────────────────────────

export const requestRow = z.object({
  id: z.string(),
  appointment_id: z.string(),
  content: z.string(),
  status: z.enum(REQUEST_STATUSES),
  sent_on: z.string().nullable(),
  answered_on: z.string().nullable(),
  log: z.string(),
  created_at: z.string(),
});

export interface StoredRequest {
  id: string;
  appointmentId: string;
  fields: z.output<typeof recordsRequestInput>;
  status: (typeof REQUEST_STATUSES)[number];
  sentOn: string | null;
  answeredOn: string | null;
  log: z.output<typeof requestLogEntry>[];
  createdAt: string;
}

export function readRequests(db: Database.Database, appointmentId: string): StoredRequest[] {
  return db
    .prepare('SELECT * FROM records_requests WHERE appointment_id = ? ORDER BY created_at, rowid')
    .all(appointmentId)
    .map(toStoredRequest);
}

export function readRequest(db: Database.Database, appointmentId: string, requestId: string): StoredRequest {
  const row = db.prepare('SELECT * FROM records_requests WHERE appointment_id = ? AND id = ?').get(appointmentId, requestId);
  if (!row) throw notFound('request');
  return toStoredRequest(row);
}

/** Requests of every appointment still in use, for reminders on the home screen. */
export function readAllRequests(db: Database.Database): StoredRequest[] {
  return db
    .prepare(
      `SELECT r.* FROM records_requests r JOIN appointments a ON a.id = r.appointment_id
       WHERE a.trashed_at IS NULL ORDER BY r.created_at, r.rowid`,
    )
    .all()
    .map(toStoredRequest);
}

export function writeRequest(db: Database.Database, request: StoredRequest, now: Date, insert = false): void {
  const values = [
    JSON.stringify(request.fields),
    request.status,
    request.sentOn,
    request.answeredOn,
    JSON.stringify(request.log),
    now.toISOString(),
  ];
  if (insert) {
    db.prepare(
      `INSERT INTO records_requests (content, status, sent_on, answered_on, log, updated_at, id, appointment_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...values, request.id, request.appointmentId, request.createdAt);
  } else {
    db.prepare(
      'UPDATE records_requests SET content = ?, status = ?, sent_on = ?, answered_on = ?, log = ?, updated_at = ? WHERE id = ? AND appointment_id = ?',
    ).run(...values, request.id, request.appointmentId);
  }
}

function toStoredRequest(raw: unknown): StoredRequest {
  const row = parseRow(requestRow, raw);
  const fields = recordsRequestInput.safeParse(JSON.parse(row.content));
  const log = z.array(requestLogEntry).safeParse(JSON.parse(row.log));
  if (!fields.success || !log.success) throw new AppError('VAULT_DAMAGED');
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    fields: fields.data,
    status: row.status,
    sentOn: row.sent_on,
    answeredOn: row.answered_on,
    log: log.data,
    createdAt: row.created_at,
  };
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

function nextPosition(db: Database.Database, table: 'appointment_items' | 'appointment_questions', appointmentId: string): number {
  const row = db.prepare(`SELECT coalesce(max(position), 0) AS p FROM ${table} WHERE appointment_id = ?`).get(appointmentId) as { p: number };
  return row.p + 1;
}

function parseRow<T extends z.ZodType>(schema: T, row: unknown): z.output<T> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new AppError('VAULT_DAMAGED');
  return parsed.data;
}
