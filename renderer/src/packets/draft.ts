import type { AppointmentDetail, AppointmentInput, PacketFormat, PacketProfile, PacketRequest, Recipient } from '../../../shared/contract';

/** What the person has typed and chosen in the wizard so far. Kept in the wizard only: it goes when the app locks. */
export interface RecipientDraft {
  organization: string;
  doctor: string;
  contact: string;
  address: string;
  appointmentDate: string;
  reason: string;
}

export interface Question {
  /** Only for React keys and focus; never sent. */
  key: string;
  text: string;
}

export interface PacketDraft {
  recipient: RecipientDraft;
  /** null: the app's suggested selection (see packets.preview); a list once the person changes it. */
  documentIds: string[] | null;
  studyUids: string[] | null;
  questions: Question[];
  includeMedications: boolean;
  includeCareTeam: boolean;
  format: PacketFormat;
  /** null: the most widely readable profile the images fit, chosen by the core. */
  profile: PacketProfile | null;
  /**
   * null: the app's exports folder, under a new name (the core picks it). Otherwise the place the person chose in
   * the Save dialog, for the format it was chosen for (its name ends in that format's ending).
   */
  destination: ChosenDestination | null;
  /** The appointment this packet is for: it is linked to the packet once built. */
  appointmentId: string | null;
}

export interface ChosenDestination {
  /** Absolute path of the new file or folder (nothing exists there yet). */
  path: string;
  format: PacketFormat;
}

let questionKey = 0;

export function newQuestion(text: string): Question {
  questionKey += 1;
  return { key: `q${questionKey}`, text };
}

export function emptyDraft(): PacketDraft {
  return {
    recipient: { organization: '', doctor: '', contact: '', address: '', appointmentDate: '', reason: '' },
    documentIds: null,
    studyUids: null,
    questions: [],
    includeMedications: true,
    includeCareTeam: true,
    format: 'folder',
    profile: null,
    destination: null,
    appointmentId: null,
  };
}

/** Limits of the contract (shared/contract/export.ts), so typing can never produce a request the core refuses. */
export const LIMITS = { organization: 200, doctor: 200, contact: 300, address: 500, reason: 2000, question: 1000, questions: 100 } as const;

/** The recipient as the contract wants it: trimmed, empty fields left out, nothing at all when nothing was typed. */
export function toRecipient(draft: RecipientDraft): Recipient | undefined {
  const line = (value: string) => value.trim() || undefined;
  const recipient: Recipient = {
    organization: line(draft.organization),
    doctor: line(draft.doctor),
    contact: line(draft.contact),
    address: draft.address.trim() ? draft.address : undefined,
    appointmentDate: /^\d{4}-\d{2}-\d{2}$/.test(draft.appointmentDate) ? draft.appointmentDate : undefined,
    reason: draft.reason.trim() ? draft.reason : undefined,
  };
  const given = Object.fromEntries(Object.entries(recipient).filter(([, value]) => value !== undefined)) as Recipient;
  return Object.keys(given).length > 0 ? given : undefined;
}

/**
 * The request for packets.preview and packets.build. The recipient is left out of the preview: it does not change
 * what goes in, and leaving it out keeps typing a name from asking the core for a new preview at every key.
 */
export function toRequest(draft: PacketDraft, withRecipient: boolean): PacketRequest {
  const questions = draft.questions.map((question) => question.text.trim()).filter(Boolean);
  const request: PacketRequest = {
    includeMedications: draft.includeMedications,
    includeCareTeam: draft.includeCareTeam,
    format: draft.format,
  };
  if (withRecipient) {
    const recipient = toRecipient(draft.recipient);
    if (recipient) request.recipient = recipient;
  }
  if (draft.documentIds) request.documentIds = draft.documentIds;
  if (draft.studyUids) request.studyUids = draft.studyUids;
  if (questions.length > 0) request.questions = questions;
  if (draft.profile) request.profile = draft.profile;
  return request;
}

/**
 * The request for packets.build: as toRequest, plus where to write it when the person chose a place (only for the
 * format it was chosen for; else the core's default, the exports folder).
 */
export function toBuildInput(draft: PacketDraft): PacketRequest & { destination?: string } {
  const request: PacketRequest & { destination?: string } = toRequest(draft, true);
  if (draft.destination && draft.destination.format === draft.format) request.destination = draft.destination.path;
  return request;
}

/** "Second opinion packet 2025-04-02": the name offered in the Save dialog (the core uses the same for the exports folder). */
export function suggestedPacketName(today: string): string {
  return `Second opinion packet ${today}`;
}

/** A new packet for an appointment: the office, doctor, date and the questions not asked yet. */
export function draftFromAppointment(appointment: AppointmentDetail): PacketDraft {
  const draft = emptyDraft();
  const contact = appointment.contacts.find((c) => c.phone || c.email);
  draft.appointmentId = appointment.id;
  draft.recipient = {
    organization: (appointment.institution ?? '').slice(0, LIMITS.organization),
    doctor: (appointment.clinician ?? '').slice(0, LIMITS.doctor),
    contact: contact ? [contact.phone, contact.email].filter(Boolean).join(', ').slice(0, LIMITS.contact) : '',
    address: appointment.mode === 'in-person' ? (appointment.place ?? '').slice(0, LIMITS.address) : '',
    appointmentDate: appointment.date ?? '',
    reason: '',
  };
  draft.questions = appointment.questions
    .filter((question) => !question.asked && question.text.trim())
    .slice(0, LIMITS.questions)
    .map((question) => newQuestion(question.text.slice(0, LIMITS.question)));
  return draft;
}

/** The appointment as it is, with the packet made for it (appointments.update replaces every field). */
export function appointmentWithPacket(appointment: AppointmentDetail, packetId: string): AppointmentInput {
  return {
    kind: appointment.kind,
    status: appointment.status,
    clinician: appointment.clinician,
    institution: appointment.institution,
    date: appointment.date,
    time: appointment.time,
    mode: appointment.mode,
    place: appointment.place,
    contacts: appointment.contacts,
    opinionIds: appointment.opinionIds,
    packetId,
  };
}
