import { formatCalendarDate } from '../ui/format';

/** Plain words for the imaging screens: kinds of scan, names and dates as stored on discs. */

interface ModalityWords {
  /** Short name people meet on letters and appointment cards. */
  name: string;
  /** What it is, in one plain sentence fragment. */
  plain: string;
}

const MODALITIES: Record<string, ModalityWords> = {
  CT: { name: 'CT scan', plain: 'computed tomography: a detailed X-ray scan taken in thin slices' },
  MR: { name: 'MRI', plain: 'magnetic resonance imaging: pictures made with a strong magnet and radio waves, without X-rays' },
  US: { name: 'Ultrasound', plain: 'pictures made with sound waves' },
  PT: { name: 'PET scan', plain: 'positron emission tomography: shows where a small amount of a tracer collects in the body' },
  MG: { name: 'Mammogram', plain: 'a low-dose X-ray of the breast' },
  CR: { name: 'X-ray', plain: 'a plain X-ray picture' },
  DX: { name: 'X-ray', plain: 'a plain X-ray picture' },
  NM: { name: 'Nuclear medicine scan', plain: 'pictures of where a small amount of a tracer collects, such as a bone scan' },
  XA: { name: 'Angiogram', plain: 'X-ray pictures of blood vessels' },
  RF: { name: 'Fluoroscopy', plain: 'moving X-ray pictures' },
  SR: { name: 'Written report', plain: 'a report stored with the images' },
  DOC: { name: 'Document', plain: 'a document stored with the images' },
  KO: { name: 'Key images', plain: 'a list of the images the doctor marked as important' },
  PR: { name: 'Display settings', plain: 'how the images were shown or marked up' },
  SC: { name: 'Screen capture', plain: 'a copy of a screen or a scanned page' },
  OT: { name: 'Other', plain: 'another kind of image' },
  SEG: { name: 'Outlines', plain: 'areas outlined on the images' },
  RTSTRUCT: { name: 'Radiotherapy outlines', plain: 'areas outlined for radiotherapy planning' },
  RTPLAN: { name: 'Radiotherapy plan', plain: 'the plan for radiotherapy' },
  RTDOSE: { name: 'Radiotherapy dose', plain: 'how much radiation each area receives' },
};

export function modalityName(code: string | null): string {
  if (!code) return 'Images';
  return MODALITIES[code.toUpperCase()]?.name ?? code;
}

/** "CT scan (computed tomography: …)" — or the code itself when it is unknown. */
export function modalityExplained(code: string): { name: string; plain: string | null } {
  const words = MODALITIES[code.toUpperCase()];
  return words ? { name: words.name, plain: words.plain } : { name: code, plain: null };
}

/** Names on discs are often in capitals ("JANE DOE"): shown as "Jane Doe". Mixed case is kept. */
export function displayName(name: string | null | undefined): string {
  if (!name) return 'Name not given';
  if (name !== name.toUpperCase()) return name;
  return name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export function displayDate(date: string | null | undefined): string {
  if (!date) return 'Date not given';
  return formatCalendarDate(date);
}

/** "2024" from "2024-03-01", for the timeline. */
export function yearOf(date: string | null): string | null {
  return date && /^\d{4}/.test(date) ? date.slice(0, 4) : null;
}

export function plainCount(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
