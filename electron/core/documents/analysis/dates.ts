/**
 * Finding calendar dates in report text (text layer or OCR). Pure functions.
 *
 * Formats: 2025-03-14 (and 2025/03/14), 03/14/2025, 3/14/25, 14.03.2025, 03-14-2025, March 14, 2025,
 * Mar. 14 2025, 14 Mar 2025, 14-MAR-2025, 14th March 2025. Numeric dates with both parts ≤ 12 are read the US
 * way (month first) and flagged `ambiguous`, with the day-first reading in `alternative`; a first part above 12
 * can only be a day, so it is read day-first.
 */

export interface FoundDate {
  /** YYYY-MM-DD. */
  iso: string;
  /** The other reading of an ambiguous numeric date (day first), YYYY-MM-DD. */
  alternative?: string;
  /** Position of the date in the text, and just after it. */
  index: number;
  end: number;
  /** The date as written. */
  raw: string;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

const PATTERNS: Array<{ regex: RegExp; read: (m: RegExpExecArray) => Omit<FoundDate, 'index' | 'end' | 'raw'> | null }> = [
  {
    // 2025-03-14, 2025/03/14, 2025.03.14
    regex: /(?<![\d/.-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d/])/g,
    read: (m) => ymd(Number(m[1]), Number(m[3]), Number(m[4])),
  },
  {
    // 03/14/2025, 14.03.2025, 3-14-25
    regex: /(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)/g,
    read: (m) => numeric(Number(m[1]), Number(m[3]), m[4]!),
  },
  {
    // March 14, 2025 · Mar. 14 2025 · March 14th, 2025
    regex: new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
    read: (m) => ymd(Number(m[3]), monthNumber(m[1]!), Number(m[2])),
  },
  {
    // 14 Mar 2025 · 14-MAR-2025 · 14-Mar-25 · 14th of March, 2025
    regex: new RegExp(`(?<![\\d/.-])(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?[\\s-]+${MONTH}\\.?[\\s,-]+(\\d{4}|\\d{2})(?![\\d/])`, 'gi'),
    read: (m) => ymd(year(m[3]!), monthNumber(m[2]!), Number(m[1])),
  },
];

function monthNumber(name: string): number {
  return MONTHS[name.slice(0, name.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()] ?? 0;
}

/** Two-digit years: up to next year's two digits → 20xx, otherwise 19xx (birth years like '71). */
function year(text: string): number {
  if (text.length === 4) return Number(text);
  const yy = Number(text);
  const pivot = (new Date().getUTCFullYear() % 100) + 1;
  return yy <= pivot ? 2000 + yy : 1900 + yy;
}

/** A real calendar date as YYYY-MM-DD, or null. */
export function isoFromParts(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function ymd(y: number, m: number, d: number): { iso: string } | null {
  const iso = isoFromParts(y, m, d);
  return iso ? { iso } : null;
}

function numeric(first: number, second: number, yearText: string): { iso: string; alternative?: string } | null {
  const y = year(yearText);
  const us = isoFromParts(y, first, second);
  const dayFirst = isoFromParts(y, second, first);
  if (us && dayFirst && us !== dayFirst) return { iso: us, alternative: dayFirst };
  if (us) return { iso: us };
  if (dayFirst) return { iso: dayFirst };
  return null;
}

/** Every date in the text, in order of appearance (overlapping matches resolved by first pattern). */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const { regex, read } of PATTERNS) {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      const index = m.index;
      const end = index + m[0].length;
      if (found.some((other) => index < other.end && end > other.index)) continue;
      const value = read(m);
      if (value) found.push({ ...value, index, end, raw: m[0] });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The first date in a short string (a labelled value), or null. */
export function parseDate(text: string): FoundDate | null {
  return findDates(text)[0] ?? null;
}

/** Whether a found date can be read as the given YYYY-MM-DD (either reading of an ambiguous date). */
export function dateMatches(date: FoundDate, iso: string): boolean {
  return date.iso === iso || date.alternative === iso;
}
