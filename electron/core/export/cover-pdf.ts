import type { CareTeamMember, Medication, Recipient } from '../../../shared/contract/export';
import type { PatientProfile } from '../../../shared/contract/vault';
import { compareOpinions, opinionLabel, type Opinion } from '../../../shared/opinions';
import { PdfLayout } from '../pdf/layout';

/**
 * COVER.PDF: a cover letter to the second-opinion office, then a short summary — who the patient is, why they ask,
 * the diagnosis facts recorded so far (from the opinions in the app, with where they came from), current
 * medications, the care team, the questions, and a table of contents of everything in the packet with page numbers.
 */

export interface TocRow {
  where: string;
  what: string;
  date: string;
  pages: string;
}

export interface CoverInput {
  profile: PatientProfile;
  recipient: Recipient;
  createdOn: string;
  opinions: Opinion[];
  medications: Medication[];
  careTeam: CareTeamMember[];
  questions: string[];
  toc: TocRow[];
  /** e.g. '2 imaging studies (DICOM, STD-GEN-CD) in DICOM/, listed in DICOMDIR'. */
  imagingLine: string | null;
}

const SEX_WORDS: Record<string, string> = { female: 'female', male: 'male', other: 'other', unknown: 'not stated' };

/** The diagnosis as the most recent opinion that states one records it, as label/value lines. */
export function diagnosisFacts(opinions: Opinion[]): { source: string; facts: [string, string][]; differ: string[] } | null {
  const withDiagnosis = opinions.filter((opinion) => opinion.diagnosis && Object.keys(opinion.diagnosis).length > 0);
  const latest = withDiagnosis[0];
  if (!latest) return null;
  // compareOpinions turns every field into plain words; comparing an opinion with itself gives just its values.
  const rows = compareOpinions([latest, latest]).rows.filter((row) => ['diagnosis', 'stage', 'receptors'].includes(row.group));
  const facts = rows.flatMap((row) => (row.values[0] ? [[row.label, row.values[0].text] as [string, string]] : []));
  let differ: string[] = [];
  if (withDiagnosis.length >= 2) {
    const compared = compareOpinions(withDiagnosis.slice(0, 4)).rows;
    differ = compared.filter((row) => row.status === 'different' && ['diagnosis', 'stage', 'receptors'].includes(row.group)).map((row) => row.phrase);
  }
  return { source: opinionLabel(latest), facts, differ };
}

export async function coverPdf(input: CoverInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const { profile, recipient } = input;
  const layout = await PdfLayout.create('Cover letter and summary');
  const grey: [number, number, number] = [0.35, 0.35, 0.38];

  // The letter.
  layout.paragraph(input.createdOn, { size: 10 });
  layout.space(6);
  const to = [recipient.doctor, recipient.organization, recipient.address, recipient.contact].filter((x): x is string => Boolean(x && x.trim()));
  if (to.length > 0) for (const line of to) layout.paragraph(line, { size: 10.5 });
  else layout.paragraph('To the second-opinion team', { size: 10.5 });
  layout.space(10);
  layout.paragraph(`Re: second opinion for ${profile.fullName}, born ${profile.birthDate}`, { bold: true });
  if (recipient.appointmentDate) layout.paragraph(`Appointment: ${recipient.appointmentDate}`, { size: 10.5 });
  layout.space(8);
  layout.paragraph(recipient.doctor ? `Dear ${recipient.doctor},` : 'Dear Doctor,');
  layout.space(4);
  layout.paragraph(
    `Please find enclosed my medical records for ${recipient.appointmentDate ? `my second-opinion appointment on ${recipient.appointmentDate}` : 'a second opinion'}. ` +
      'The next pages summarise my situation, my current medications, my care team and the questions I would like to discuss. ' +
      'The table of contents at the end lists everything in this packet; RECORDS.PDF holds the records in date order with a bookmark for each, and the original files are in the ORIGINAL folder, unchanged.',
  );
  if (input.imagingLine) {
    layout.space(4);
    layout.paragraph(`Imaging: ${input.imagingLine}. The images are exactly as I received them from the imaging centers.`);
  }
  layout.space(4);
  layout.paragraph('Thank you for your time and your opinion.');
  layout.space(14);
  layout.paragraph(profile.fullName, { bold: true });

  // The summary.
  layout.newPage();
  layout.heading('Summary', 16);
  layout.heading('Patient', 12);
  layout.paragraph(`Name: ${profile.fullName}`);
  layout.paragraph(`Date of birth: ${profile.birthDate}`);
  if (profile.sex) layout.paragraph(`Sex: ${SEX_WORDS[profile.sex] ?? profile.sex}`);
  for (const identifier of profile.identifiers ?? []) layout.paragraph(`${identifier.label}: ${identifier.value}`);

  layout.heading('Reason for the second opinion', 12);
  layout.paragraph(recipient.reason?.trim() ? recipient.reason : 'Not written down.');

  layout.heading('Diagnosis recorded so far', 12);
  const diagnosis = diagnosisFacts(input.opinions);
  if (!diagnosis) {
    layout.paragraph('No diagnosis has been recorded in the app yet. Please see the pathology and imaging reports in RECORDS.PDF.');
  } else {
    layout.paragraph(`As recorded from: ${diagnosis.source}`, { size: 9, color: grey });
    layout.table(['', 'Recorded'], diagnosis.facts.map(([label, value]) => ({ cells: [label, value] })), [0.45, 0.55]);
    if (diagnosis.differ.length > 0) {
      layout.space(4);
      layout.paragraph(`The opinions recorded so far differ on: ${diagnosis.differ.join(', ')}.`, { size: 9.5 });
    }
  }

  layout.heading('Current medications', 12);
  if (input.medications.length === 0) layout.paragraph('None listed.');
  else {
    layout.table(
      ['Medication', 'Dose', 'How often', 'Since', 'For'],
      input.medications.map((m) => ({ cells: [m.name, [m.dose, m.route].filter(Boolean).join(', ') || '—', m.frequency ?? '—', m.startDate ?? '—', m.reason ?? '—'] })),
      [0.28, 0.2, 0.18, 0.14, 0.2],
    );
  }

  layout.heading('Care team', 12);
  if (input.careTeam.length === 0) layout.paragraph('None listed.');
  else {
    layout.table(
      ['Name', 'Role', 'Where', 'Contact'],
      input.careTeam.map((member) => ({
        cells: [member.name, member.role, member.organization ?? '—', [member.phone, member.email].filter(Boolean).join(' · ') || '—'],
      })),
      [0.25, 0.22, 0.25, 0.28],
    );
  }

  layout.heading('My questions', 12);
  if (input.questions.length === 0) layout.paragraph('None written down yet.');
  input.questions.forEach((question, index) => layout.paragraph(`${index + 1}. ${question}`));

  layout.heading('Contents of this packet', 12);
  layout.table(
    ['Where', 'What', 'Date', 'Pages'],
    input.toc.map((row) => ({ cells: [row.where, row.what, row.date, row.pages] })),
    [0.24, 0.46, 0.15, 0.15],
    8.5,
  );
  layout.space(6);
  layout.paragraph('Prepared by the patient with the Second Opinion app. MANIFEST.JSN and SHA256.TXT list every file with its SHA-256 fingerprint.', {
    size: 8.5,
    color: grey,
  });
  layout.footer(`${profile.fullName} · born ${profile.birthDate} · cover letter and summary`);
  return { bytes: await layout.save(), pages: layout.pageCount };
}
