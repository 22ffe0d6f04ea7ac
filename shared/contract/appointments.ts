import { z } from 'zod';
import { filePath, isoDate, isoInstant, multilineText, opaqueId, text } from './common';
import type { DocumentType } from './documents';

/**
 * Planning the second opinion: appointments, their preparation checklist, records requests, questions and visit
 * notes; the home screen's "coming up" summary and one timeline of everything in the vault.
 *
 * Words shown to people live beside the vocabularies (…_LABELS) so the UI, the CLI and the PDFs say the same thing.
 */

// ── Vocabularies ────────────────────────────────────────────────────────────────────────────────────────────

export const APPOINTMENT_KINDS = ['first', 'second', 'third', 'tumor-board', 'follow-up'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  first: 'First opinion',
  second: 'Second opinion',
  third: 'Third opinion',
  'tumor-board': 'Tumor board review',
  'follow-up': 'Follow-up with my main doctor',
};

export const APPOINTMENT_STATUSES = ['planning', 'booked', 'done', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  planning: 'Not booked yet',
  booked: 'Booked',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const VISIT_MODES = ['in-person', 'remote'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];
export const VISIT_MODE_LABELS: Record<VisitMode, string> = {
  'in-person': 'In person',
  remote: 'Remote (video or phone)',
};

export const CHECKLIST_GROUPS = ['doctor', 'insurance', 'records', 'forms', 'visit', 'own'] as const;
export type ChecklistGroup = (typeof CHECKLIST_GROUPS)[number];
export const CHECKLIST_GROUP_LABELS: Record<ChecklistGroup, string> = {
  doctor: 'Your doctors',
  insurance: 'Insurance and cost',
  records: 'Records to gather',
  forms: 'Forms and deadlines',
  visit: 'The visit itself',
  own: 'Your own items',
};

/** A task is done or not; a record moves from needed to requested, received and sent. */
export const ITEM_TYPES = ['task', 'record'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const TASK_STATUSES = ['open', 'done', 'not-needed'] as const;
export const RECORD_STATUSES = ['needed', 'requested', 'received', 'sent', 'not-needed'] as const;
export const ITEM_STATUSES = ['open', 'done', 'needed', 'requested', 'received', 'sent', 'not-needed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  open: 'To do',
  done: 'Done',
  needed: 'Needed',
  requested: 'Requested',
  received: 'Received',
  sent: 'Sent or in the packet',
  'not-needed': 'Not needed',
};
/** Statuses that leave an item still to be dealt with. */
export const OPEN_STATUSES: readonly ItemStatus[] = ['open', 'needed', 'requested'];

export const RECORD_KINDS = [
  'pathology-report',
  'slides',
  'imaging-reports',
  'imaging-discs',
  'treatment-recommendations',
  'lab-results',
  'genetic-results',
  'medication-list',
  'operative-notes',
  'opinion-report',
  'other',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const RECORD_KIND_LABELS: Record<RecordKind, string> = {
  'pathology-report': 'Pathology report',
  slides: 'Biopsy slides and tissue blocks',
  'imaging-reports': 'Imaging reports',
  'imaging-discs': 'Imaging discs (the pictures)',
  'treatment-recommendations': 'Treatment recommendations and clinic notes',
  'lab-results': 'Blood work and other lab results',
  'genetic-results': 'Genetic and genomic test results',
  'medication-list': 'List of current medicines',
  'operative-notes': 'Operation notes and discharge summaries',
  'opinion-report': 'The report of the second opinion',
  other: 'Other records',
};

/**
 * Where a kind of record is found in the vault: documents of these types and/or imaging studies. Physical items
 * (slides, tissue blocks) never have a copy in the vault; their status is tracked by hand.
 */
export const RECORD_SOURCES: Record<RecordKind, { documentTypes: readonly DocumentType[]; studies: boolean; physical: boolean }> = {
  'pathology-report': { documentTypes: ['pathology'], studies: false, physical: false },
  slides: { documentTypes: [], studies: false, physical: true },
  'imaging-reports': { documentTypes: ['radiology'], studies: false, physical: false },
  'imaging-discs': { documentTypes: [], studies: true, physical: false },
  'treatment-recommendations': { documentTypes: ['consultation', 'treatment-plan'], studies: false, physical: false },
  'lab-results': { documentTypes: ['lab'], studies: false, physical: false },
  'genetic-results': { documentTypes: ['genetic'], studies: false, physical: false },
  'medication-list': { documentTypes: ['medication-list'], studies: false, physical: false },
  'operative-notes': { documentTypes: ['operative', 'discharge'], studies: false, physical: false },
  'opinion-report': { documentTypes: ['consultation'], studies: false, physical: false },
  other: { documentTypes: [], studies: false, physical: false },
};

export const QUESTION_SOURCES = ['base', 'difference', 'comparison', 'own'] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];
export const QUESTION_SOURCE_LABELS: Record<QuestionSource, string> = {
  base: 'Suggested for every opinion',
  difference: 'Where the opinions differ',
  comparison: 'Carried from a comparison',
  own: 'Your own question',
};

export const REQUEST_STATUSES = ['draft', 'sent', 'answered', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  draft: 'Not sent yet',
  sent: 'Sent, waiting for an answer',
  answered: 'Answered',
  cancelled: 'Cancelled',
};
export const REQUEST_DESTINATIONS = ['patient', 'second-opinion-office'] as const;

export const TIMELINE_KINDS = ['document', 'study', 'opinion', 'appointment', 'request', 'packet'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

// ── Appointments ────────────────────────────────────────────────────────────────────────────────────────────

const required = (max: number) => text(max).pipe(z.string().min(1, 'is required'));
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be written HH:MM (24-hour clock)');
/** Packets are made elsewhere; only their id is kept here. */
const packetId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'is not a valid packet id');

export const appointmentContact = z.strictObject({
  name: required(200),
  role: text(200).optional(),
  phone: text(60).optional(),
  email: text(200).optional(),
});
export type AppointmentContact = z.infer<typeof appointmentContact>;

/** What a person (or a JSON file given to `appointment add`) writes about an appointment. */
export const appointmentInput = z.strictObject({
  kind: z.enum(APPOINTMENT_KINDS),
  status: z.enum(APPOINTMENT_STATUSES).default('planning'),
  clinician: text(200).optional(),
  institution: text(200).optional(),
  date: isoDate.optional(),
  time: clockTime.optional(),
  mode: z.enum(VISIT_MODES).default('in-person'),
  /** Address and room, or how to join a remote visit. */
  place: multilineText(1000).optional(),
  contacts: z.array(appointmentContact).max(20).default([]),
  /** The opinion(s) this appointment is about or produced. */
  opinionIds: z.array(opaqueId).max(8).default([]),
  /** The packet of records made for this appointment (by the packets feature). */
  packetId: packetId.optional(),
});
export type AppointmentInput = z.input<typeof appointmentInput>;
export type AppointmentFields = z.output<typeof appointmentInput>;

export const appointment = z.object(appointmentInput.shape).extend({
  id: opaqueId,
  createdAt: isoInstant,
  updatedAt: isoInstant,
  trashedAt: isoInstant.nullable(),
  /** "Second opinion with Dr. Okafor, University Hospital" — one line for lists and timelines. */
  label: z.string(),
});
export type Appointment = z.infer<typeof appointment>;

export function appointmentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(appointmentInput, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** One line naming an appointment, shared by the UI, the CLI, the PDFs and the timeline. */
export function appointmentLabel(a: { kind: AppointmentKind; clinician?: string | undefined; institution?: string | undefined }): string {
  const who = [a.clinician, a.institution].filter((part): part is string => Boolean(part && part.trim())).join(', ');
  return who ? `${APPOINTMENT_KIND_LABELS[a.kind]} with ${who}` : APPOINTMENT_KIND_LABELS[a.kind];
}

// ── Checklist ───────────────────────────────────────────────────────────────────────────────────────────────

export const vaultMatch = z.object({
  /** A document, an imaging study, or a list kept in the app (the medication list). */
  kind: z.enum(['document', 'study', 'list']),
  /** Document id, study UID, or the list's name. */
  id: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  /** Linked by the person (rather than found by its type). */
  linked: z.boolean(),
});
export type VaultMatch = z.infer<typeof vaultMatch>;

export const checklistItem = z.object({
  id: opaqueId,
  /** The template it was made from; null for the person's own items. */
  template: z.string().nullable(),
  group: z.enum(CHECKLIST_GROUPS),
  type: z.enum(ITEM_TYPES),
  recordKind: z.enum(RECORD_KINDS).nullable(),
  label: z.string(),
  /** Why this matters, in a sentence; empty for the person's own items. */
  hint: z.string(),
  status: z.enum(ITEM_STATUSES),
  /** The answer or detail the person wrote (the expected cost, who is coming along, …). */
  note: z.string(),
  /** Who holds the record (the office, the lab, the imaging center). */
  holder: z.string(),
  dueOn: isoDate.nullable(),
  requestedOn: isoDate.nullable(),
  receivedOn: isoDate.nullable(),
  sentOn: isoDate.nullable(),
  documentIds: z.array(z.string()),
  studyUids: z.array(z.string()),
  position: z.number().int(),
  /** Still to be dealt with. */
  open: z.boolean(),
  /** Open and its due date has passed. */
  late: z.boolean(),
  /** For records: what the vault holds of this kind, and whether a copy is still missing. Null for tasks. */
  vault: z
    .object({
      physical: z.boolean(),
      missing: z.boolean(),
      matches: z.array(vaultMatch),
      /** How many more of this kind the vault holds beyond those listed. */
      more: z.number().int(),
      /** Something that satisfies it is in the appointment's packet. */
      inPacket: z.boolean(),
    })
    .nullable(),
});
export type ChecklistItem = z.infer<typeof checklistItem>;

const itemChanges = z.strictObject({
  label: required(300).optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  note: multilineText(5000).optional(),
  holder: text(300).optional(),
  dueOn: isoDate.nullable().optional(),
  requestedOn: isoDate.nullable().optional(),
  receivedOn: isoDate.nullable().optional(),
  sentOn: isoDate.nullable().optional(),
  documentIds: z.array(opaqueId).max(200).optional(),
  studyUids: z.array(z.string().regex(/^[0-9.]{1,64}$/, 'is not a study UID')).max(200).optional(),
});
export type ItemChanges = z.infer<typeof itemChanges>;

// ── Questions ───────────────────────────────────────────────────────────────────────────────────────────────

export const appointmentQuestion = z.object({
  id: opaqueId,
  source: z.enum(QUESTION_SOURCES),
  topic: z.string().nullable(),
  text: z.string(),
  /** The app's wording (null for the person's own questions), so an edit can be undone. */
  suggestedText: z.string().nullable(),
  asked: z.boolean(),
  answer: z.string(),
  position: z.number().int(),
});
export type AppointmentQuestion = z.infer<typeof appointmentQuestion>;

// ── Records requests ────────────────────────────────────────────────────────────────────────────────────────

const requestFields = {
  /** The office asked to release the records. */
  office: required(200),
  officeAddress: multilineText(1000).optional(),
  /** Phone or fax of the records office. */
  officeContact: text(200).optional(),
  /** Record items of the appointment's checklist to ask for. */
  itemIds: z.array(opaqueId).max(50),
  /** Anything else to ask for, in the person's words. */
  otherRecords: multilineText(1000).optional(),
  sendTo: z.enum(REQUEST_DESTINATIONS),
  /** Where to send them; filled from the appointment when left out. */
  recipientName: text(300).optional(),
  recipientAddress: multilineText(1000).optional(),
  /** When the records must arrive; the appointment's date when left out. */
  neededBy: isoDate.optional(),
  /** How the office can reach the patient (phone, email, address). */
  patientContact: multilineText(1000).optional(),
  /** Remind after this many days without an answer. */
  remindAfterDays: z.number().int().min(1).max(120),
};

export const recordsRequestInput = z.strictObject({
  ...requestFields,
  itemIds: requestFields.itemIds.default([]),
  sendTo: requestFields.sendTo.default('second-opinion-office'),
  remindAfterDays: requestFields.remindAfterDays.default(10),
});
export type RecordsRequestInput = z.input<typeof recordsRequestInput>;

export const requestLogEntry = z.object({
  event: z.enum(['created', 'letter', 'sent', 'answered', 'cancelled', 'reopened']),
  on: isoDate,
  at: isoInstant,
});

export const recordsRequest = z.object(recordsRequestInput.shape).extend({
  id: opaqueId,
  appointmentId: opaqueId,
  status: z.enum(REQUEST_STATUSES),
  sentOn: isoDate.nullable(),
  answeredOn: isoDate.nullable(),
  createdAt: isoInstant,
  log: z.array(requestLogEntry),
  /** Days since it was sent while no answer came (null unless waiting). */
  daysWaiting: z.number().int().nullable(),
  /** The day a reminder is due (null unless waiting). */
  remindOn: isoDate.nullable(),
  /** Sent, unanswered, and the reminder day has come. */
  overdue: z.boolean(),
});
export type RecordsRequest = z.infer<typeof recordsRequest>;

const requestChanges = z.strictObject({
  ...z.object(requestFields).partial().shape,
  status: z.enum(REQUEST_STATUSES).optional(),
  /** The day the status change happened; today when left out. */
  on: isoDate.optional(),
});

// ── Whole appointment ───────────────────────────────────────────────────────────────────────────────────────

export const appointmentCounts = z.object({
  openItems: z.number().int(),
  missingRecords: z.number().int(),
  lateItems: z.number().int(),
  questions: z.number().int(),
  asked: z.number().int(),
  answered: z.number().int(),
  overdueRequests: z.number().int(),
});

export const visitNotes = z.object({
  text: z.string(),
  savedAt: isoInstant.nullable(),
  revision: z.number().int(),
});

export const appointmentSummary = appointment.extend({
  counts: appointmentCounts,
  /** Days from today to the appointment (negative when past); null without a date. */
  daysUntil: z.number().int().nullable(),
});
export type AppointmentSummary = z.infer<typeof appointmentSummary>;

export const appointmentDetail = appointmentSummary.extend({
  opinions: z.array(z.object({ id: opaqueId, label: z.string() })),
  checklist: z.array(checklistItem),
  questions: z.array(appointmentQuestion),
  requests: z.array(recordsRequest),
  notes: visitNotes,
});
export type AppointmentDetail = z.infer<typeof appointmentDetail>;

export const timelineItem = z.object({
  kind: z.enum(TIMELINE_KINDS),
  id: z.string(),
  /** YYYY-MM-DD, or null when nothing dates it. */
  date: z.string().nullable(),
  /** Whether the date is when it happened or only when it was added to the vault. */
  dateKind: z.enum(['event', 'added']),
  title: z.string(),
  detail: z.string().nullable(),
  /** The appointment it belongs to, for requests and packets. */
  appointmentId: z.string().nullable(),
});
export type TimelineItem = z.infer<typeof timelineItem>;

const pdfOutput = z.object({ path: z.string(), bytes: z.number().int(), pages: z.number().int() });
const ref = { appointmentId: opaqueId };

export const appointmentOperations = {
  'appointments.create': {
    summary: 'Plan an appointment; its checklist and questions are made from its kind.',
    needsUnlock: true,
    input: z.strictObject({ appointment: appointmentInput }),
    output: appointmentDetail,
  },
  'appointments.update': {
    summary: 'Replace an appointment’s details. A new kind adds its checklist items; nothing already there is removed.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId, appointment: appointmentInput }),
    output: appointmentDetail,
  },
  'appointments.list': {
    summary: 'Appointments, soonest first (undated ones after, past ones last), optionally only those about an opinion.',
    needsUnlock: true,
    input: z.strictObject({ trash: z.enum(['exclude', 'only']).default('exclude'), opinionId: opaqueId.optional() }),
    output: z.object({ today: isoDate, items: z.array(appointmentSummary) }),
  },
  'appointments.get': {
    summary: 'One appointment with its checklist (and what is missing from the vault), questions, requests and notes.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: appointmentDetail,
  },
  'appointments.trash': {
    summary: 'Move an appointment to the trash (it can be restored).',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'appointments.restore': {
    summary: 'Bring an appointment back from the trash.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'appointments.addItem': {
    summary: 'Add your own item to an appointment’s checklist.',
    needsUnlock: true,
    input: z.strictObject({
      ...ref,
      label: required(300),
      type: z.enum(ITEM_TYPES).default('task'),
      recordKind: z.enum(RECORD_KINDS).optional(),
    }),
    output: checklistItem,
  },
  'appointments.updateItem': {
    summary: 'Tick, edit or link a checklist item to the documents and studies that satisfy it.',
    needsUnlock: true,
    input: z.strictObject({ ...ref, itemId: opaqueId, changes: itemChanges }),
    output: checklistItem,
  },
  'appointments.removeItem': {
    summary: 'Remove a checklist item.',
    needsUnlock: true,
    input: z.strictObject({ ...ref, itemId: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'appointments.addQuestion': {
    summary: 'Add your own question to an appointment.',
    needsUnlock: true,
    input: z.strictObject({ ...ref, text: required(1000) }),
    output: appointmentQuestion,
  },
  'appointments.saveQuestion': {
    summary: 'Mark a question as asked, write down the answer, or change its wording (saved at once).',
    needsUnlock: true,
    input: z.strictObject({
      ...ref,
      questionId: opaqueId,
      text: required(1000).optional(),
      answer: multilineText(10_000).optional(),
      asked: z.boolean().optional(),
    }),
    output: appointmentQuestion,
  },
  'appointments.removeQuestion': {
    summary: 'Take a question off an appointment’s list (a suggested one is not suggested again).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, questionId: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'appointments.reorderQuestions': {
    summary: 'Put an appointment’s questions in a new order (all of its question ids, in the order wanted).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, order: z.array(opaqueId).min(1).max(500) }),
    output: z.object({ questions: z.array(appointmentQuestion) }),
  },
  'appointments.saveNotes': {
    summary: 'Save the visit notes (called continuously while typing; each call is committed to disk).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, text: multilineText(200_000) }),
    output: visitNotes,
  },
  'appointments.addRequest': {
    summary: 'Write down a request for records to an office (the letter is made with requestLetter).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, request: recordsRequestInput }),
    output: recordsRequest,
  },
  'appointments.updateRequest': {
    summary: 'Change a records request, or log that it was sent, answered or cancelled (with the date).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, requestId: opaqueId, changes: requestChanges }),
    output: recordsRequest,
  },
  'appointments.requestLetter': {
    summary: 'Write the records-request letter as a PDF to print and sign (default: the exports folder).',
    needsUnlock: true,
    input: z.strictObject({ ...ref, requestId: opaqueId, destination: filePath.optional() }),
    output: pdfOutput,
  },
  'appointments.prepSheet': {
    summary: 'Write the appointment’s prep sheet as a PDF: checklist, questions with room for answers, contacts.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId, destination: filePath.optional() }),
    output: pdfOutput,
  },
  'appointments.dashboard': {
    summary: 'For the home screen: upcoming appointments, open checklist items and requests waiting too long.',
    needsUnlock: true,
    input: z.strictObject({}),
    output: z.object({
      today: isoDate,
      upcoming: z.array(appointmentSummary),
      openItems: z.array(
        z.object({
          appointmentId: opaqueId,
          appointmentLabel: z.string(),
          item: checklistItem.pick({ id: true, label: true, status: true, group: true, type: true, late: true, dueOn: true }).extend({
            missing: z.boolean(),
          }),
        }),
      ),
      openItemCount: z.number().int(),
      overdueRequests: z.array(
        z.object({
          appointmentId: opaqueId,
          appointmentLabel: z.string(),
          requestId: opaqueId,
          office: z.string(),
          sentOn: isoDate,
          daysWaiting: z.number().int(),
        }),
      ),
    }),
  },
  'timeline.list': {
    summary: 'One timeline of documents, imaging studies, opinions, appointments, records requests and packets, newest first.',
    needsUnlock: true,
    input: z.strictObject({
      kinds: z.array(z.enum(TIMELINE_KINDS)).max(TIMELINE_KINDS.length).optional(),
      limit: z.number().int().min(1).max(20_000).default(2000),
    }),
    output: z.object({ total: z.number().int(), items: z.array(timelineItem) }),
  },
} as const;
