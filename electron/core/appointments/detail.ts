import type Database from 'better-sqlite3-multiple-ciphers';
import {
  OPEN_STATUSES,
  type Appointment,
  type AppointmentDetail,
  type AppointmentSummary,
  type ChecklistItem,
  type RecordsRequest,
} from '../../../shared/contract/appointments';
import { opinionLabel } from '../../../shared/opinions';
import { getOpinion } from '../opinions/store';
import { addDays, daysBetween } from './dates';
import { toQuestion } from './questions';
import { readItems, readNotes, readQuestionRows, readRequests, type ItemRow, type StoredRequest } from './store';
import { templateHint } from './templates';
import { VaultContents } from './vault-contents';

/** Turns stored rows into what the contract promises, computing what is missing, late or overdue as of `today`. */

export function toChecklistItem(
  row: ItemRow,
  today: string,
  contents: VaultContents,
  packet: ReturnType<VaultContents['packet']>,
): ChecklistItem {
  const open = OPEN_STATUSES.includes(row.status);
  return {
    id: row.id,
    template: row.template,
    group: row.grp,
    type: row.type,
    recordKind: row.record_kind,
    label: row.label,
    hint: templateHint(row.template),
    status: row.status,
    note: row.note,
    holder: row.holder,
    dueOn: row.due_on,
    requestedOn: row.requested_on,
    receivedOn: row.received_on,
    sentOn: row.sent_on,
    documentIds: row.document_ids,
    studyUids: row.study_uids,
    position: row.position,
    open,
    late: open && row.due_on !== null && row.due_on < today,
    vault:
      row.type === 'record'
        ? contents.recordStatus({ recordKind: row.record_kind, status: row.status, documentIds: row.document_ids, studyUids: row.study_uids }, packet)
        : null,
  };
}

export function toRecordsRequest(request: StoredRequest, today: string): RecordsRequest {
  const waiting = request.status === 'sent' && request.sentOn !== null;
  const remindOn = waiting ? addDays(request.sentOn!, request.fields.remindAfterDays) : null;
  return {
    ...request.fields,
    id: request.id,
    appointmentId: request.appointmentId,
    status: request.status,
    sentOn: request.sentOn,
    answeredOn: request.answeredOn,
    createdAt: request.createdAt,
    log: request.log,
    daysWaiting: waiting ? Math.max(0, daysBetween(request.sentOn!, today)) : null,
    remindOn,
    overdue: remindOn !== null && remindOn <= today,
  };
}

export function checklistFor(db: Database.Database, appointment: Appointment, today: string, contents = new VaultContents(db)): ChecklistItem[] {
  const packet = contents.packet(appointment.packetId);
  return readItems(db, appointment.id).map((row) => toChecklistItem(row, today, contents, packet));
}

export function summaryOf(db: Database.Database, appointment: Appointment, today: string, contents = new VaultContents(db)): AppointmentSummary {
  const checklist = checklistFor(db, appointment, today, contents);
  const questions = readQuestionRows(db, appointment.id);
  const requests = readRequests(db, appointment.id).map((request) => toRecordsRequest(request, today));
  return withCounts(appointment, today, checklist, questions.map(toQuestion), requests);
}

export function detailOf(db: Database.Database, appointment: Appointment, today: string): AppointmentDetail {
  const contents = new VaultContents(db);
  const checklist = checklistFor(db, appointment, today, contents);
  const questions = readQuestionRows(db, appointment.id).map(toQuestion);
  const requests = readRequests(db, appointment.id).map((request) => toRecordsRequest(request, today));
  const opinions = appointment.opinionIds.flatMap((id) => {
    try {
      const opinion = getOpinion(db, id);
      return [{ id, label: opinionLabel(opinion) }];
    } catch {
      return [];
    }
  });
  return {
    ...withCounts(appointment, today, checklist, questions, requests),
    opinions,
    checklist,
    questions,
    requests,
    notes: readNotes(db, appointment.id),
  };
}

function withCounts(
  appointment: Appointment,
  today: string,
  checklist: ChecklistItem[],
  questions: AppointmentDetail['questions'],
  requests: RecordsRequest[],
): AppointmentSummary {
  return {
    ...appointment,
    daysUntil: appointment.date ? daysBetween(today, appointment.date) : null,
    counts: {
      openItems: checklist.filter((item) => item.open).length,
      missingRecords: checklist.filter((item) => item.vault?.missing).length,
      lateItems: checklist.filter((item) => item.late).length,
      questions: questions.length,
      asked: questions.filter((question) => question.asked).length,
      answered: questions.filter((question) => question.answer.trim() !== '').length,
      overdueRequests: requests.filter((request) => request.overdue).length,
    },
  };
}

/** Soonest first; undated plans after dated ones; finished and past ones last (most recent first). */
export function compareAppointments(a: AppointmentSummary, b: AppointmentSummary): number {
  const rank = (s: AppointmentSummary) => {
    if (s.status === 'done' || s.status === 'cancelled' || (s.daysUntil !== null && s.daysUntil < 0)) return 2;
    return s.date ? 0 : 1;
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  const when = (s: AppointmentSummary) => `${s.date ?? ''}T${s.time ?? ''}`;
  if (ra === 0) return when(a).localeCompare(when(b));
  if (ra === 2) return when(b).localeCompare(when(a));
  return b.createdAt.localeCompare(a.createdAt);
}

export function isUpcoming(summary: AppointmentSummary): boolean {
  return (summary.status === 'planning' || summary.status === 'booked') && (summary.daysUntil === null || summary.daysUntil >= 0);
}
