import { DOCUMENT_TYPE_LABELS, type DocumentType } from '../../../shared/contract/documents';
import type { Recipient } from '../../../shared/contract/export';
import type { PatientProfile } from '../../../shared/contract/vault';

/** README.TXT, INDEX.HTM, MANIFEST.JSN and SHA256.TXT of a packet. */

export const APP_NAME = 'Second Opinion';

/** Plain ASCII for README.TXT: accents dropped, anything else outside printable ASCII becomes '?'. */
export function toAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e\n]/g, '?');
}

export interface ReadmeInput {
  appVersion: string;
  createdOn: string;
  filesetId: string | null;
  profileName: string | null;
  profileDescription: string | null;
  encodings: { name: string; uid: string; instances: number }[];
  studies: number;
  instances: number;
  documents: number;
  notes: string[];
  hasOriginals: boolean;
}

/** README.TXT: plain ASCII with CRLF line ends, as PS3.11 media expect. No patient details in it. */
export function readmeText(input: ReadmeInput): Buffer {
  const lines = [
    'SECOND OPINION PACKET',
    '=====================',
    '',
    `Made with ${APP_NAME} ${input.appVersion} on ${input.createdOn}, by the patient, for a second medical opinion.`,
    `${APP_NAME} is a private records app that runs on the patient's own computer.`,
    'Nothing on this media runs by itself: there is no viewer software, autorun or program on it.',
    '',
    'CONTENTS',
    '  COVER.PDF     Cover letter and a short summary, with a table of contents of this packet.',
    `  RECORDS.PDF   The ${input.documents} selected record${input.documents === 1 ? '' : 's'} merged in date order, one bookmark per document.`,
    '  INDEX.HTM     A plain web page listing the contents (no scripts).',
    ...(input.hasOriginals ? ['  ORIGINAL\\     The original files, byte for byte as they were received.'] : []),
    ...(input.studies > 0
      ? [
          '  DICOMDIR      The DICOM index of the images (DICOM PS3.10 / PS3.11).',
          '  DICOM\\        The images, one file per DICOM object, named as IHE PDI describes:',
          '                DICOM\\Pnnnnnnn\\Snnnnnnn\\Ennnnnnn\\Innnnnnn = patient, study, series, image.',
        ]
      : []),
    '  FHIR.JSN      The same contents as a FHIR R4 Bundle (JSON).',
    '  MANIFEST.JSN  Every file with its size and SHA-256 fingerprint (JSON).',
    '  SHA256.TXT    Checksums of every file; check them with "sha256sum -c SHA256.TXT" here.',
    '',
  ];
  if (input.studies > 0) {
    lines.push(
      'IMAGING',
      `  ${input.studies} stud${input.studies === 1 ? 'y' : 'ies'}, ${input.instances} DICOM object${input.instances === 1 ? '' : 's'}.`,
      `  File-set ID: ${input.filesetId}`,
      `  Media profile: ${input.profileName} (${input.profileDescription}).`,
      '  Encodings (transfer syntaxes):',
      ...input.encodings.map((encoding) => `    ${encoding.name} (${encoding.uid}): ${encoding.instances}`),
      '  The DICOM files are exact copies of the files the patient received. Nothing was converted,',
      '  compressed or changed; the DICOMDIR was made for this packet from the files\' own headers.',
      ...(input.notes.length > 0 ? ['  Notes on the DICOMDIR:', ...input.notes.map((note) => `    - ${note}`)] : []),
      '',
    );
  }
  return Buffer.from(`${toAscii(lines.join('\n')).split('\n').join('\r\n')}\r\n`, 'ascii');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface IndexInput {
  profile: PatientProfile;
  recipient: Recipient;
  createdOn: string;
  documents: { label: string; type: DocumentType; date: string | null; facility: string | null; title: string; pages: string; original: string }[];
  studies: { date: string | null; description: string | null; modalities: string[]; instances: number; institution: string | null }[];
  profileName: string | null;
}

/** INDEX.HTM: plain HTML with relative links, no scripts (its policy forbids them). */
export function indexHtml(input: IndexInput): Buffer {
  const e = escapeHtml;
  const link = (href: string, text: string) => `<a href="${e(href)}">${e(text)}</a>`;
  const rows = input.documents
    .map(
      (d) =>
        `<tr><td>${e(d.date ?? '')}</td><td>${e(DOCUMENT_TYPE_LABELS[d.type])}</td><td>${e(d.title)}</td><td>${e(d.facility ?? '')}</td><td>${e(d.pages)}</td><td>${link(d.original, d.original)}</td></tr>`,
    )
    .join('\n');
  const studies = input.studies
    .map(
      (s) =>
        `<tr><td>${e(s.date ?? '')}</td><td>${e(s.description ?? '')}</td><td>${e(s.modalities.join(', '))}</td><td>${e(s.institution ?? '')}</td><td>${s.instances}</td></tr>`,
    )
    .join('\n');
  const to = [input.recipient.doctor, input.recipient.organization].filter(Boolean).join(', ');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Records of ${e(input.profile.fullName)} for a second opinion</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}</style>
</head>
<body>
<h1>Records for a second opinion</h1>
<p>Patient: <strong>${e(input.profile.fullName)}</strong>, born ${e(input.profile.birthDate)}.${to ? ` Prepared for ${e(to)}.` : ''}${input.recipient.appointmentDate ? ` Appointment: ${e(input.recipient.appointmentDate)}.` : ''} Made on ${e(input.createdOn)}.</p>
<ul>
<li>${link('COVER.PDF', 'Cover letter and summary')} (COVER.PDF)</li>
<li>${link('RECORDS.PDF', 'All records in one PDF, in date order')} (RECORDS.PDF)</li>
<li>${link('README.TXT', 'How this packet is organised')} (README.TXT)</li>
<li>${link('FHIR.JSN', 'FHIR R4 bundle')} (FHIR.JSN) · ${link('MANIFEST.JSN', 'manifest')} · ${link('SHA256.TXT', 'checksums')}</li>
</ul>
<h2>Documents</h2>
${input.documents.length > 0 ? `<table>\n<tr><th>Date</th><th>Type</th><th>Title</th><th>Facility</th><th>Pages in RECORDS.PDF</th><th>Original file</th></tr>\n${rows}\n</table>` : '<p>No documents in this packet.</p>'}
<h2>Imaging</h2>
${input.studies.length > 0 ? `<p>DICOM images in the DICOM folder, indexed by DICOMDIR (media profile ${e(input.profileName ?? '')}). Open them with a DICOM viewer.</p>\n<table>\n<tr><th>Date</th><th>Study</th><th>Modality</th><th>Where</th><th>Objects</th></tr>\n${studies}\n</table>` : '<p>No imaging in this packet.</p>'}
</body>
</html>
`;
  return Buffer.from(html, 'utf8');
}

export function sha256Text(files: { path: string; sha256: string }[]): Buffer {
  // GNU coreutils format: hash, two spaces, path; LF line ends (sha256sum -c reads a CR as part of the name).
  return Buffer.from(files.map((file) => `${file.sha256}  ${file.path}\n`).join(''), 'ascii');
}
