import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import {
  APPOINTMENT_KIND_LABELS,
  type Appointment,
  type AppointmentFields,
  type ItemStatus,
} from '../../../shared/contract/appointments';
import { AppError } from '../../../shared/errors';
import { requireVault, type CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { writeNewFile } from '../platform/files';
import { readProfile } from '../vault/profile';
import { localDate } from './dates';
import { compareAppointments, detailOf, isUpcoming, summaryOf, toChecklistItem, toRecordsRequest } from './detail';
import { prepSheetPdf, requestLetterPdf } from './pdfs';
import { syncQuestions, toQuestion } from './questions';
import {
  cleanFields,
  deleteItem,
  insertAppointment,
  insertItem,
  insertQuestion,
  listAppointments,
  newId,
  readAllRequests,
  readAppointment,
  readItem,
  readItems,
  readNotes,
  readQuestionRow,
  readQuestionRows,
  readRequest,
  removeQuestion,
  replaceAppointment,
  setAppointmentTrashed,
  setQuestionPositions,
  statusFits,
  updateItem,
  updateQuestion,
  writeNotes,
  writeRequest,
  type StoredRequest,
} from './store';
import { templatesFor } from './templates';
import { timeline } from './timeline';
import { VaultContents } from './vault-contents';

type AppointmentHandlers = Pick<
  Handlers,
  | 'appointments.create'
  | 'appointments.update'
  | 'appointments.list'
  | 'appointments.get'
  | 'appointments.trash'
  | 'appointments.restore'
  | 'appointments.addItem'
  | 'appointments.updateItem'
  | 'appointments.removeItem'
  | 'appointments.addQuestion'
  | 'appointments.saveQuestion'
  | 'appointments.removeQuestion'
  | 'appointments.reorderQuestions'
  | 'appointments.saveNotes'
  | 'appointments.addRequest'
  | 'appointments.updateRequest'
  | 'appointments.requestLetter'
  | 'appointments.prepSheet'
  | 'appointments.dashboard'
  | 'timeline.list'
>;

const today = (ctx: CoreContext) => localDate(ctx.now());

export const appointmentHandlers: AppointmentHandlers = {
  'appointments.create': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const fields = cleanFields(input.appointment);
    assertOpinionsExist(db, fields.opinionIds);
    const now = ctx.now();
    const id = db.transaction(() => {
      const created = insertAppointment(db, fields, now);
      addTemplateItems(db, created, fields, now);
      return created;
    })();
    return freshDetail(ctx, db, id);
  },

  'appointments.update': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const fields = cleanFields(input.appointment);
    const before = readAppointment(db, input.id);
    assertOpinionsExist(db, fields.opinionIds.filter((id) => !before.opinionIds.includes(id)));
    const now = ctx.now();
    db.transaction(() => {
      replaceAppointment(db, input.id, fields, now);
      if (fields.kind !== before.kind) addTemplateItems(db, input.id, fields, now);
    })();
    return freshDetail(ctx, db, input.id);
  },

  'appointments.list': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const day = today(ctx);
    const contents = new VaultContents(db);
    const items = listAppointments(db, input.trash)
      .filter((appointment) => !input.opinionId || appointment.opinionIds.includes(input.opinionId))
      .map((appointment) => summaryOf(db, appointment, day, contents))
      .sort(compareAppointments);
    return { today: day, items };
  },

  'appointments.get': async (ctx, input) => freshDetail(ctx, requireVault(ctx).db, input.id),

  'appointments.trash': async (ctx, input) => ({ count: setAppointmentTrashed(requireVault(ctx).db, input.id, ctx.now()) }),
  'appointments.restore': async (ctx, input) => ({ count: setAppointmentTrashed(requireVault(ctx).db, input.id, null) }),

  'appointments.addItem': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const isRecord = input.type === 'record';
    const id = insertItem(
      db,
      appointment.id,
      {
        template: null,
        group: isRecord ? 'records' : 'own',
        type: input.type,
        recordKind: isRecord ? (input.recordKind ?? 'other') : null,
        label: input.label,
        status: isRecord ? 'needed' : 'open',
      },
      ctx.now(),
    );
    return itemOut(ctx, db, appointment, id);
  },

  'appointments.updateItem': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const item = readItem(db, appointment.id, input.itemId);
    const changes = { ...input.changes };
    if (changes.status && !statusFits(item.type, changes.status)) {
      throw new AppError('INVALID_INPUT', item.type === 'task' ? 'A task is either to do, done, or not needed.' : 'Choose one of the statuses for a record.');
    }
    const contents = new VaultContents(db);
    for (const id of changes.documentIds ?? []) {
      if (!item.document_ids.includes(id) && !contents.documentExists(id)) throw new AppError('NOT_FOUND', 'One of the linked documents could not be found.');
    }
    for (const uid of changes.studyUids ?? []) {
      if (!item.study_uids.includes(uid) && !contents.studyExists(uid)) throw new AppError('NOT_FOUND', 'One of the linked imaging studies could not be found.');
    }
    // Moving a record along dates the step when the person did not give a date.
    if (changes.status && changes.status !== item.status) {
      const day = today(ctx);
      if (changes.status === 'requested' && changes.requestedOn === undefined && !item.requested_on) changes.requestedOn = day;
      if (changes.status === 'received' && changes.receivedOn === undefined && !item.received_on) changes.receivedOn = day;
      if (changes.status === 'sent' && changes.sentOn === undefined && !item.sent_on) changes.sentOn = day;
    }
    updateItem(db, appointment.id, item.id, changes, ctx.now());
    return itemOut(ctx, db, appointment, item.id);
  },

  'appointments.removeItem': async (ctx, input) => {
    const db = requireVault(ctx).db;
    readAppointment(db, input.appointmentId);
    return { count: deleteItem(db, input.appointmentId, input.itemId) };
  },

  'appointments.addQuestion': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const id = insertQuestion(db, appointment.id, { source: 'own', sourceKey: null, topic: null, suggestedText: null, text: input.text }, ctx.now());
    return toQuestion(readQuestionRow(db, appointment.id, id));
  },

  'appointments.saveQuestion': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const row = readQuestionRow(db, appointment.id, input.questionId);
    updateQuestion(db, row, { text: input.text, answer: input.answer, asked: input.asked }, ctx.now());
    return toQuestion(readQuestionRow(db, appointment.id, row.id));
  },

  'appointments.removeQuestion': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    let row;
    try {
      row = readQuestionRow(db, appointment.id, input.questionId);
    } catch {
      return { count: 0 };
    }
    return { count: removeQuestion(db, row, ctx.now()) };
  },

  'appointments.reorderQuestions': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const current = readQuestionRows(db, appointment.id).map((row) => row.id);
    const wanted = new Set(input.order);
    if (wanted.size !== input.order.length || wanted.size !== current.length || current.some((id) => !wanted.has(id))) {
      throw new AppError('INVALID_INPUT', 'The list of questions changed meanwhile. Please try again.');
    }
    db.transaction(() => setQuestionPositions(db, appointment.id, input.order, ctx.now()))();
    return { questions: readQuestionRows(db, appointment.id).map(toQuestion) };
  },

  'appointments.saveNotes': async (ctx, input) => {
    const db = requireVault(ctx).db;
    readAppointment(db, input.appointmentId);
    writeNotes(db, input.appointmentId, input.text, ctx.now());
    return readNotes(db, input.appointmentId);
  },

  'appointments.addRequest': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    assertRecordItems(db, appointment.id, input.request.itemIds);
    const now = ctx.now();
    const request: StoredRequest = {
      id: newId(),
      appointmentId: appointment.id,
      fields: { ...input.request, itemIds: [...new Set(input.request.itemIds)] },
      status: 'draft',
      sentOn: null,
      answeredOn: null,
      log: [{ event: 'created', on: today(ctx), at: now.toISOString() }],
      createdAt: now.toISOString(),
    };
    writeRequest(db, request, now, true);
    return toRecordsRequest(readRequest(db, appointment.id, request.id), today(ctx));
  },

  'appointments.updateRequest': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const request = readRequest(db, appointment.id, input.requestId);
    const { status, on, ...fieldChanges } = input.changes;
    const defined = Object.fromEntries(Object.entries(fieldChanges).filter(([, value]) => value !== undefined));
    if (defined.itemIds) assertRecordItems(db, appointment.id, defined.itemIds as string[]);
    const now = ctx.now();
    const day = on ?? today(ctx);
    const next: StoredRequest = { ...request, fields: { ...request.fields, ...defined }, log: [...request.log] };
    const logEvent = (event: StoredRequest['log'][number]['event']) => next.log.push({ event, on: day, at: now.toISOString() });
    if (status && status !== request.status) {
      if (status === 'sent') {
        if (request.status !== 'draft') logEvent('reopened');
        next.sentOn = on ?? request.sentOn ?? day;
        next.answeredOn = null;
        logEvent('sent');
      } else if (status === 'answered') {
        next.sentOn = request.sentOn ?? day;
        next.answeredOn = day;
        logEvent('answered');
      } else if (status === 'cancelled') {
        logEvent('cancelled');
      } else {
        next.sentOn = null;
        next.answeredOn = null;
        logEvent('reopened');
      }
      next.status = status;
    } else if (on) {
      // Same status, new date: the person corrects when it happened.
      if (request.status === 'sent') next.sentOn = on;
      if (request.status === 'answered') next.answeredOn = on;
    }
    db.transaction(() => {
      writeRequest(db, next, now);
      if (status === 'sent' && request.status !== 'sent') moveItems(db, appointment.id, next, ['needed'], 'requested', next.sentOn!, now);
      if (status === 'answered' && request.status !== 'answered') moveItems(db, appointment.id, next, ['needed', 'requested'], 'received', next.answeredOn!, now);
    })();
    return toRecordsRequest(readRequest(db, appointment.id, request.id), today(ctx));
  },

  'appointments.requestLetter': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const appointment = readAppointment(db, input.appointmentId);
    const stored = readRequest(db, appointment.id, input.requestId);
    const day = today(ctx);
    const { bytes, pages } = await requestLetterPdf({
      profile: readProfile(db),
      appointment: detailOf(db, appointment, day),
      request: toRecordsRequest(stored, day),
      createdOn: day,
    });
    const destination = input.destination
      ? path.resolve(input.destination)
      : path.join(ctx.exportDir, `Records request to ${safeName(stored.fields.office)} ${day}.pdf`);
    const written = await writeNewFile(destination, bytes, { vaultDir: ctx.vaultDir, what: 'The request', renameIfExists: !input.destination });
    const now = ctx.now();
    // Re-read: the request may have changed while the PDF was being written.
    const latest = readRequest(db, appointment.id, stored.id);
    writeRequest(db, { ...latest, log: [...latest.log, { event: 'letter', on: day, at: now.toISOString() }] }, now);
    return { path: written, bytes: bytes.length, pages };
  },

  'appointments.prepSheet': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const detail = freshDetail(ctx, db, input.id);
    const day = today(ctx);
    const { bytes, pages } = await prepSheetPdf({ profile: readProfile(db), appointment: detail, createdOn: day });
    const name = `Prep sheet ${APPOINTMENT_KIND_LABELS[detail.kind].toLowerCase()} ${detail.date ?? day}.pdf`;
    const destination = input.destination ? path.resolve(input.destination) : path.join(ctx.exportDir, name);
    const written = await writeNewFile(destination, bytes, { vaultDir: ctx.vaultDir, what: 'The PDF', renameIfExists: !input.destination });
    return { path: written, bytes: bytes.length, pages };
  },

  'appointments.dashboard': async (ctx) => {
    const db = requireVault(ctx).db;
    const day = today(ctx);
    const contents = new VaultContents(db);
    const appointments = listAppointments(db, 'exclude');
    const upcoming = appointments
      .map((appointment) => summaryOf(db, appointment, day, contents))
      .filter(isUpcoming)
      .sort(compareAppointments);
    const openItems = upcoming.flatMap((summary) => {
      const appointment = appointments.find((a) => a.id === summary.id)!;
      const packet = contents.packet(appointment.packetId);
      return readItems(db, appointment.id)
        .map((row) => toChecklistItem(row, day, contents, packet))
        .filter((item) => item.open)
        .map((item) => ({
          appointmentId: appointment.id,
          appointmentLabel: appointment.label,
          item: {
            id: item.id,
            label: item.label,
            status: item.status,
            group: item.group,
            type: item.type,
            late: item.late,
            dueOn: item.dueOn,
            missing: item.vault?.missing ?? false,
          },
        }));
    });
    // Late first, then records still missing from the vault, then in checklist order.
    const weight = (entry: (typeof openItems)[number]) => (entry.item.late ? 0 : entry.item.missing ? 1 : 2);
    const sorted = openItems.map((entry, index) => ({ entry, index })).sort((a, b) => weight(a.entry) - weight(b.entry) || a.index - b.index);
    const labels = new Map(appointments.map((appointment) => [appointment.id, appointment]));
    const overdueRequests = readAllRequests(db)
      .map((request) => toRecordsRequest(request, day))
      .filter((request) => request.overdue && labels.get(request.appointmentId)?.status !== 'cancelled')
      .map((request) => ({
        appointmentId: request.appointmentId,
        appointmentLabel: labels.get(request.appointmentId)?.label ?? '',
        requestId: request.id,
        office: request.office,
        sentOn: request.sentOn!,
        daysWaiting: request.daysWaiting ?? 0,
      }))
      .sort((a, b) => b.daysWaiting - a.daysWaiting);
    return {
      today: day,
      upcoming,
      openItems: sorted.slice(0, 8).map((entry) => entry.entry),
      openItemCount: openItems.length,
      overdueRequests,
    };
  },

  'timeline.list': async (ctx, input) => timeline(requireVault(ctx).db, input.kinds, input.limit),
};

/** Syncs the question list (suggestions come and go with the opinions) and reads the whole appointment. */
function freshDetail(ctx: CoreContext, db: Database.Database, id: string) {
  const appointment = readAppointment(db, id);
  syncQuestions(db, appointment, ctx.now());
  return detailOf(db, appointment, today(ctx));
}

function itemOut(ctx: CoreContext, db: Database.Database, appointment: Appointment, itemId: string) {
  const contents = new VaultContents(db);
  return toChecklistItem(readItem(db, appointment.id, itemId), today(ctx), contents, contents.packet(appointment.packetId));
}

/**
 * Adds the checklist items of the appointment's kind that it does not have yet. A record the vault already holds
 * starts as received; one it lacks starts as needed.
 */
function addTemplateItems(db: Database.Database, appointmentId: string, fields: AppointmentFields, now: Date): void {
  const present = new Set(readItems(db, appointmentId).map((item) => item.template));
  const contents = new VaultContents(db);
  for (const template of templatesFor(fields.kind)) {
    if (present.has(template.key)) continue;
    let status: ItemStatus = template.type === 'task' ? 'open' : 'needed';
    if (template.type === 'record') {
      const vault = contents.recordStatus({ recordKind: template.recordKind, status, documentIds: [], studyUids: [] }, null);
      if (!vault.physical && !vault.missing) status = 'received';
    }
    insertItem(db, appointmentId, { template: template.key, group: template.group, type: template.type, recordKind: template.recordKind, label: template.label, status }, now);
  }
}

function moveItems(db: Database.Database, appointmentId: string, request: StoredRequest, from: ItemStatus[], to: ItemStatus, on: string, now: Date): void {
  for (const itemId of request.fields.itemIds) {
    let item;
    try {
      item = readItem(db, appointmentId, itemId);
    } catch {
      continue; // removed from the checklist since
    }
    if (item.type !== 'record' || !from.includes(item.status)) continue;
    updateItem(
      db,
      appointmentId,
      itemId,
      {
        status: to,
        ...(to === 'requested' ? { requestedOn: on } : { receivedOn: on }),
        ...(item.holder ? {} : { holder: request.fields.office }),
      },
      now,
    );
  }
}

function assertOpinionsExist(db: Database.Database, ids: readonly string[]): void {
  const exists = db.prepare('SELECT 1 FROM opinions WHERE id = ? AND trashed_at IS NULL');
  for (const id of ids) {
    if (!exists.get(id)) throw new AppError('NOT_FOUND', 'One of the linked opinions could not be found. It may be in the trash.');
  }
}

function assertRecordItems(db: Database.Database, appointmentId: string, ids: readonly string[]): void {
  const records = new Set(
    readItems(db, appointmentId)
      .filter((item) => item.type === 'record')
      .map((item) => item.id),
  );
  if (ids.some((id) => !records.has(id))) {
    throw new AppError('INVALID_INPUT', 'Only records on this appointment’s checklist can be asked for in a request.');
  }
}

/** A file name part from an office name: no path separators or characters file systems refuse. */
function safeName(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return value.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60) || 'office';
}
