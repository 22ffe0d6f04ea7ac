import {
  APPOINTMENT_KIND_LABELS,
  APPOINTMENT_STATUS_LABELS,
  CHECKLIST_GROUP_LABELS,
  CHECKLIST_GROUPS,
  ITEM_STATUS_LABELS,
  RECORD_KIND_LABELS,
  VISIT_MODE_LABELS,
  type AppointmentDetail,
  type ChecklistItem,
  type RecordsRequest,
} from '../../../shared/contract/appointments';
import type { PatientProfile } from '../../../shared/contract/vault';
import { PdfLayout } from '../pdf/layout';
import { longDate } from './dates';

const MUTED: [number, number, number] = [0.35, 0.35, 0.38];
const BLANK = '_____________________________________________________________';

export function whenText(appointment: Pick<AppointmentDetail, 'date' | 'time'>): string {
  if (!appointment.date) return 'Not booked yet';
  return appointment.time ? `${longDate(appointment.date)} at ${appointment.time}` : longDate(appointment.date);
}

/** How an item's state reads on paper: its status with dates, and whether the vault still lacks a copy. */
export function itemStateText(item: ChecklistItem): string {
  const parts: string[] = [ITEM_STATUS_LABELS[item.status]];
  if (item.status === 'requested' && item.requestedOn) parts[0] = `Requested on ${longDate(item.requestedOn)}`;
  if (item.status === 'received' && item.receivedOn) parts[0] = `Received on ${longDate(item.receivedOn)}`;
  if (item.status === 'sent' && item.sentOn) parts[0] = `Sent on ${longDate(item.sentOn)}`;
  if (item.dueOn && item.open) parts.push(`due by ${longDate(item.dueOn)}${item.late ? ' (LATE)' : ''}`);
  if (item.vault?.physical) parts.push('physical item, not kept in the app');
  else if (item.vault?.missing) parts.push('MISSING: no copy in your records yet');
  else if (item.vault && item.vault.matches.length > 0) parts.push(`${item.vault.matches.length + item.vault.more} in your records`);
  if (item.vault?.inPacket) parts.push('in the packet');
  return parts.join(' · ');
}

/**
 * The prep sheet to print and bring: the appointment, contacts, the checklist with each item's state (what is
 * still missing from the records stands out in words, not only shading), the questions with room for answers,
 * and a notes area.
 */
export async function prepSheetPdf(input: {
  profile: PatientProfile;
  appointment: AppointmentDetail;
  createdOn: string;
}): Promise<{ bytes: Uint8Array; pages: number }> {
  const { appointment, profile } = input;
  const layout = await PdfLayout.create(`Prep sheet: ${appointment.label}`);
  layout.heading('Preparing for your appointment', 18);
  layout.paragraph(`For ${profile.fullName}, born ${longDate(profile.birthDate)} · prepared ${longDate(input.createdOn)} with Second Opinion`, {
    size: 9,
    color: MUTED,
  });
  layout.space(6);

  layout.heading('The appointment', 13);
  const rows: { cells: string[] }[] = [
    { cells: ['What', APPOINTMENT_KIND_LABELS[appointment.kind]] },
    { cells: ['Doctor', appointment.clinician ?? 'Not written down'] },
    { cells: ['Where', [appointment.institution, appointment.place].filter(Boolean).join('\n') || 'Not written down'] },
    { cells: ['When', whenText(appointment)] },
    { cells: ['How', VISIT_MODE_LABELS[appointment.mode]] },
    { cells: ['Status', APPOINTMENT_STATUS_LABELS[appointment.status]] },
  ];
  if (appointment.opinions.length > 0) rows.push({ cells: ['About', appointment.opinions.map((opinion) => opinion.label).join('\n')] });
  layout.table(['', ''], rows, [0.2, 0.8], 10);

  layout.heading('Contacts', 13);
  if (appointment.contacts.length === 0) {
    layout.paragraph('No contacts written down yet. Name: ______________________  Phone: ______________________', { color: MUTED });
  } else {
    layout.table(
      ['Name', 'Role', 'Phone', 'Email'],
      appointment.contacts.map((contact) => ({ cells: [contact.name, contact.role ?? '', contact.phone ?? '', contact.email ?? ''] })),
      [0.28, 0.24, 0.2, 0.28],
    );
  }

  layout.heading('Checklist', 13);
  const missing = appointment.checklist.filter((item) => item.vault?.missing);
  if (missing.length > 0) {
    layout.paragraph(`Still missing from your records: ${missing.map((item) => item.label).join(', ')}.`, { bold: true });
    layout.space(4);
  }
  for (const group of CHECKLIST_GROUPS) {
    const items = appointment.checklist.filter((item) => item.group === group);
    if (items.length === 0) continue;
    layout.keep(40);
    layout.paragraph(CHECKLIST_GROUP_LABELS[group], { bold: true, size: 11.5 });
    for (const item of items) {
      const box = item.open ? '☐' : '☑';
      layout.paragraph(`${box} ${item.label}`, { indent: 6 });
      layout.paragraph(itemStateText(item), { indent: 22, size: 9, color: MUTED });
      if (item.holder) layout.paragraph(`Who has it: ${item.holder}`, { indent: 22, size: 9 });
      if (item.note) layout.paragraph(`Note: ${item.note}`, { indent: 22, size: 9 });
    }
    layout.space(4);
  }

  layout.heading('Questions to ask', 13);
  if (appointment.questions.length === 0) layout.paragraph('No questions on the list yet.', { color: MUTED });
  appointment.questions.forEach((question, index) => {
    layout.keep(60);
    layout.paragraph(`${index + 1}. ${question.text}${question.asked ? '  (asked)' : ''}`, { bold: true });
    if (question.answer.trim()) {
      layout.paragraph(`Answer: ${question.answer}`, { indent: 14 });
    } else {
      layout.paragraph(`Answer: ${BLANK}`, { indent: 14, color: MUTED });
      layout.paragraph(BLANK, { indent: 14, color: MUTED });
    }
    layout.space(4);
  });

  layout.heading('Notes', 13);
  if (appointment.notes.text.trim()) layout.paragraph(appointment.notes.text);
  else for (let line = 0; line < 8; line += 1) layout.paragraph(BLANK, { color: MUTED });

  layout.footer(`Prep sheet · ${appointment.label}`);
  return { bytes: await layout.save(), pages: layout.pageCount };
}

/**
 * A letter the patient prints, signs and sends (or hands over) to ask an office to release records, filled in
 * from the vault profile, the appointment and the request. It asks; it does not claim legal effect.
 */
export async function requestLetterPdf(input: {
  profile: PatientProfile;
  appointment: AppointmentDetail;
  request: RecordsRequest;
  createdOn: string;
}): Promise<{ bytes: Uint8Array; pages: number }> {
  const { profile, appointment, request } = input;
  const layout = await PdfLayout.create('Request for copies of medical records');
  layout.paragraph(profile.fullName, { bold: true, size: 11 });
  layout.paragraph(`Date of birth: ${longDate(profile.birthDate)}`);
  for (const identifier of profile.identifiers ?? []) layout.paragraph(`${identifier.label}: ${identifier.value}`);
  if (request.patientContact) layout.paragraph(request.patientContact);
  layout.space(14);
  layout.paragraph(longDate(input.createdOn));
  layout.space(14);
  layout.paragraph(`To: ${request.office}`, { bold: true });
  if (request.officeAddress) layout.paragraph(request.officeAddress);
  if (request.officeContact) layout.paragraph(request.officeContact);
  layout.space(10);

  layout.heading('Request for copies of my medical records', 14);
  const purpose = appointment.kind === 'follow-up' ? 'a follow-up visit' : `a ${APPOINTMENT_KIND_LABELS[appointment.kind].toLowerCase()}`;
  const withWhom = [appointment.clinician, appointment.institution].filter(Boolean).join(', ');
  const when = appointment.date ? ` on ${longDate(appointment.date)}` : '';
  layout.paragraph(
    `I am asking your office to release copies of my medical records, listed below, for ${purpose}${withWhom ? ` with ${withWhom}` : ''}${when}.`,
  );
  layout.space(4);
  layout.paragraph('Records I am asking for:', { bold: true });
  const byId = new Map(appointment.checklist.map((item) => [item.id, item]));
  const wanted = request.itemIds
    .map((id) => byId.get(id))
    .filter((item): item is ChecklistItem => Boolean(item))
    .map((item) => (item.recordKind && item.recordKind !== 'other' && item.label === RECORD_KIND_LABELS[item.recordKind] ? recordWording(item) : item.label));
  if (request.otherRecords) wanted.push(request.otherRecords);
  if (wanted.length === 0) wanted.push('All records about my cancer diagnosis and treatment');
  for (const line of wanted) layout.paragraph(`•  ${line}`, { indent: 12 });
  layout.space(6);

  layout.paragraph('Please send them to:', { bold: true });
  if (request.sendTo === 'patient') {
    layout.paragraph(`Me, ${profile.fullName}${request.patientContact ? ', at the address above' : ''}.`, { indent: 12 });
  } else {
    const name = request.recipientName ?? ([appointment.clinician, appointment.institution].filter(Boolean).join(', ') || 'the second-opinion office');
    layout.paragraph(name, { indent: 12 });
    const address = request.recipientAddress ?? appointment.place;
    if (address) layout.paragraph(address, { indent: 12 });
  }
  layout.space(6);
  // Left out: the date the office said records must arrive by (checklist), else the day of the appointment.
  const neededBy = request.neededBy ?? appointment.checklist.find((item) => item.template === 'before-visit')?.dueOn ?? appointment.date;
  if (neededBy) layout.paragraph(`They need to arrive by ${longDate(neededBy)}.`, { bold: true });
  layout.paragraph(
    'If your office needs its own release form, or charges a fee for copies, please tell me as soon as possible so there is no delay. Thank you for your help.',
  );
  layout.space(28);
  layout.paragraph('Signature: ________________________________        Date: __________________');
  layout.paragraph(profile.fullName, { indent: 62 });
  layout.footer('Request for copies of medical records');
  return { bytes: await layout.save(), pages: layout.pageCount };
}

function recordWording(item: ChecklistItem): string {
  switch (item.recordKind) {
    case 'pathology-report':
      return 'Pathology reports (biopsy and surgery)';
    case 'slides':
      return 'Pathology slides and tissue blocks (to be sent to the receiving pathology department)';
    case 'imaging-reports':
      return 'Radiology reports of all imaging studies';
    case 'imaging-discs':
      return 'Copies of the images on disc (DICOM format)';
    case 'treatment-recommendations':
      return 'Consultation notes and treatment recommendations';
    case 'lab-results':
      return 'Laboratory results';
    case 'genetic-results':
      return 'Genetic and genomic test results';
    case 'medication-list':
      return 'My current medication list';
    case 'operative-notes':
      return 'Operative notes and discharge summaries';
    case 'opinion-report':
      return 'The consultation report of my second-opinion visit';
    default:
      return item.label;
  }
}
