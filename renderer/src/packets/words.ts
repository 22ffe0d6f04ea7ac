import type { PacketFormat, PacketPreview, PacketProfile, Recipient } from '../../../shared/contract';
import { displayDate, modalityName } from '../imaging/words';
import { formatBytes, formatCalendarDate, plural } from '../ui/format';

/** Plain words for the packet screens. */

export const FORMAT_WORDS: Record<PacketFormat, { name: string; plain: string }> = {
  folder: { name: 'A folder', plain: 'To copy onto a USB stick, or to upload to the office’s secure website file by file.' },
  zip: { name: 'One .zip file', plain: 'Everything in a single file, for an upload page or a USB stick.' },
  iso: { name: 'A disc image (.iso)', plain: 'Ready to burn onto a CD or DVD with your computer’s disc burning tool.' },
};

export const PROFILE_WORDS: Record<PacketProfile, { name: string; plain: string }> = {
  cd: { name: 'CD', plain: 'Uncompressed images only. Every imaging system can read it.' },
  dvd: { name: 'DVD', plain: 'Also takes compressed (JPEG or JPEG 2000) images exactly as they are.' },
  usb: { name: 'USB stick', plain: 'Like DVD, for a USB stick or a folder.' },
};

export const NEXT_STEPS: Record<PacketFormat, string> = {
  folder: 'Next: copy the whole folder onto a USB stick or upload it as the office asks. Keep this copy too.',
  zip: 'Next: upload the .zip file or copy it onto a USB stick, as the office asks. Keep this copy too.',
  iso: 'Next: burn the .iso file onto a blank CD or DVD (most computers do this when you right-click the file), and label the disc with your name.',
};

/** "Dr. Ada Lovelace, Memorial Cancer Institute", or null when no one was named. */
export function recipientName(recipient: Recipient | undefined): string | null {
  if (!recipient) return null;
  const who = [recipient.doctor, recipient.organization].filter((part): part is string => Boolean(part && part.trim())).join(', ');
  return who || null;
}

type DocumentItem = PacketPreview['documents'][number];
type StudyItem = PacketPreview['studies'][number];

export function documentMeta(document: DocumentItem): string {
  return [
    document.serviceDate ? formatCalendarDate(document.serviceDate) : 'No date',
    document.facility,
    document.pages > 0 ? plural(document.pages, 'page', 'pages') : null,
    formatBytes(document.bytes),
  ]
    .filter(Boolean)
    .join(' · ');
}

export function studyTitle(study: StudyItem): string {
  const kind = study.modalities.length > 0 ? study.modalities.map(modalityName).join(', ') : 'Images';
  return `${study.description ?? kind}, ${displayDate(study.date)}`;
}

export function studyMeta(study: StudyItem): string {
  const encodings = study.encodings.map((encoding) => encoding.name).join(', ');
  return [
    study.institution,
    study.modalities.map(modalityName).join(', ') || null,
    `${plural(study.series, 'series', 'series')}, ${plural(study.instances, 'image file', 'image files')}`,
    formatBytes(study.bytes),
    encodings ? `stored as ${encodings}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function fitsWords(fits: readonly PacketProfile[]): string {
  if (fits.length === 0) return 'Fits no disc format as it is stored: give the office the original disc instead.';
  return `Fits on: ${fits.map((profile) => PROFILE_WORDS[profile].name).join(', ')}.`;
}

/** "3 documents · 2 scans · about 4 MB", for the summary line and the review. */
export function previewLine(preview: PacketPreview): string {
  const documents = preview.documents.filter((document) => document.selected).length;
  const studies = preview.studies.filter((study) => study.selected).length;
  return [
    plural(documents, 'document', 'documents'),
    plural(studies, 'scan', 'scans'),
    `about ${formatBytes(preview.estimatedBytes)}`,
  ].join(' · ');
}
