import { dateMatches, findDates, parseDate, type FoundDate } from './dates';

/**
 * Guesses about a document from its text: its type, service date, facility, clinician and title, and whether
 * it names another patient. Pure functions, no I/O. Every guess carries a `reason` in plain words that the app
 * shows next to it, so the person can tell why and correct it.
 *
 * Text comes from PDF text layers or OCR: matching is case-insensitive (except short abbreviations such as
 * "CT" or "PET"), tolerant of line breaks inside phrases, and never needs exact layout.
 */

// The list of types is the contract's: one definition for the classifier, the store, the UI and the CLI.
import { DOCUMENT_TYPES, type DocumentType } from '../../../../shared/contract/documents';
export { DOCUMENT_TYPES, type DocumentType };

/** A facility or clinician named in the document, with why we think so. */
export interface NameGuess {
  name: string;
  reason: string;
}

export interface Classification {
  type: DocumentType;
  reason: string;
}

export interface ServiceDateGuess {
  /** YYYY-MM-DD. */
  date: string;
  reason: string;
}

export interface PatientProfile {
  fullName: string;
  /** YYYY-MM-DD. */
  birthDate?: string | null;
}

export interface PatientMismatch {
  field: 'name' | 'birthDate';
  /** As written in the document (names) or YYYY-MM-DD (dates). */
  found: string;
  expected: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared text helpers

/** Joins words hyphenated across line breaks and evens out whitespace (OCR and PDF text layers). */
function normalise(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2')
    .replace(/[\u00a0\t]+/g, ' ');
}

/** Lines with single spaces, except that a wider gap (table columns) stays as two spaces. */
function lines(text: string): string[] {
  return normalise(text)
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, '  ').replace(/(\S) (?= )/g, '$1 ').trim());
}

/**
 * The text after `from` up to the end of its line, at most `max` characters: a name after a label is far shorter.
 * Bounded on purpose: taking the whole rest of the text for every label found made a text repeating a label
 * ("Signed by: Signed by: …") take minutes (quadratic time).
 */
function restOfLine(text: string, from: number, max = 200): string {
  const window = text.slice(from, from + max);
  const newline = window.indexOf('\n');
  return newline < 0 ? window : window.slice(0, newline);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function quoteList(items: string[]): string {
  return items.map((item) => `“${item}”`).join(', ');
}

/** “Some Title Case” → as written, but ALL-CAPS lines become sentence case keeping known abbreviations. */
const ABBREVIATIONS = new Set([
  'MRI', 'CT', 'PET', 'PET/CT', 'CBC', 'CMP', 'BMP', 'BRCA', 'BRCA1', 'BRCA2', 'HER2', 'ER', 'PR', 'DX', 'US',
  'DCIS', 'FDG', 'ICD', 'EOB', 'II', 'III', 'IV', 'NGS', 'IHC', 'FISH', 'MD', 'DO', 'PC', 'LLC', 'ED', 'ICU', 'AC-T',
  'TCHP', 'PD-L1', 'W/WO', 'W/O', 'CA', 'CEA', 'BI-RADS', 'PICC', 'OR', 'DEXA', 'SPECT', 'ECHO',
]);

function sentenceCase(line: string): string {
  const letters = line.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '');
  if (letters.length === 0 || upper.length / letters.length < 0.8) return line;
  const words = line.toLowerCase().split(' ');
  return words
    .map((word, index) => {
      const upperWord = word.toUpperCase();
      const bare = upperWord.replace(/[^A-Z0-9/-]/g, '');
      if (ABBREVIATIONS.has(bare) || /\d/.test(word)) return upperWord;
      return index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
    })
    .join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Document type

interface Cue {
  /** Shown to the person in the reason. */
  label: string;
  pattern: RegExp;
  weight: number;
  /** Count up to 3 occurrences (e.g. "tablet" on a medication list), not just one. */
  repeats?: boolean;
}

/**
 * `phrase` is matched case-insensitively on word boundaries, spaces matching any whitespace. A phrase written
 * in capitals of ≤ 5 letters (CT, PET, HPI) is matched case-sensitively. `pattern` overrides the regex.
 */
function cue(phrase: string, weight: number, options: { pattern?: string; repeats?: boolean } = {}): Cue {
  const source = options.pattern ?? escapeRegExp(phrase).replace(/ /g, '\\s+');
  const caseSensitive = !options.pattern && /^[A-Z0-9/-]{2,5}$/.test(phrase);
  return {
    label: phrase,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu'),
    weight,
    repeats: options.repeats,
  };
}

const CUES: Record<Exclude<DocumentType, 'other'>, Cue[]> = {
  pathology: [
    cue('surgical pathology', 6),
    cue('pathology report', 6),
    cue('cytology report', 6),
    cue('final pathologic diagnosis', 5),
    cue('final diagnosis', 3),
    cue('gross description', 4),
    cue('microscopic description', 4),
    cue('pathologist', 3),
    cue('immunohistochemistry', 3, { pattern: 'immunohistochemi(?:stry|cal)' }),
    cue('frozen section', 3),
    cue('synoptic', 3),
    cue('histologic grade', 3),
    cue('Nottingham', 3),
    cue('lymphovascular invasion', 3),
    cue('margins', 2, { pattern: 'margins?\\s+(?:are\\s+)?(?:negative|positive|uninvolved|involved|clear|close)|margin\\s+status' }),
    cue('estrogen receptor', 2),
    cue('progesterone receptor', 2),
    cue('specimen', 1),
    cue('biopsy', 1),
    cue('carcinoma', 1),
    cue('Ki-67', 1, { pattern: 'ki-?67' }),
    cue('pT/pN stage', 2, { pattern: 'p[TN][0-4Xx][a-d]?(?:\\(\\w+\\))?' }),
  ],
  radiology: [
    cue('radiology report', 6),
    cue('imaging report', 6),
    cue('diagnostic imaging', 4),
    cue('mammogram', 4, { pattern: 'mammogra(?:m|phy|phic)' }),
    cue('tomosynthesis', 3),
    cue('ultrasound', 3, { pattern: 'ultrasound|sonograph?(?:y|ic)?|sonogram' }),
    cue('MRI', 3),
    cue('CT', 3),
    cue('PET', 3),
    cue('bone scan', 4),
    cue('x-ray', 3, { pattern: 'x-?ray|radiograph' }),
    cue('BI-RADS', 5, { pattern: 'BI-?RADS' }),
    cue('radiologist', 3),
    cue('impression', 2),
    cue('technique', 2),
    cue('comparison', 2),
    cue('contrast', 1),
    cue('findings', 1),
    cue('indication', 1),
    cue('SUV', 2),
    cue('FDG', 2),
  ],
  lab: [
    cue('laboratory report', 6),
    cue('lab results', 6),
    cue('complete blood count', 5),
    cue('comprehensive metabolic panel', 5),
    cue('basic metabolic panel', 5),
    cue('reference range', 4, { pattern: 'ref(?:erence)?\\.?\\s+(?:range|interval)|normal\\s+range' }),
    cue('CBC', 3),
    cue('CMP', 3),
    cue('hemoglobin', 2, { pattern: 'ha?emoglobin' }),
    cue('hematocrit', 2, { pattern: 'ha?ematocrit' }),
    cue('platelets', 2, { pattern: 'platelets?(?:\\s+count)?' }),
    cue('WBC', 2),
    cue('RBC', 2),
    cue('creatinine', 2),
    cue('glucose', 1),
    cue('bilirubin', 2),
    cue('alkaline phosphatase', 2),
    cue('ALT', 1),
    cue('AST', 1),
    cue('sodium', 1),
    cue('potassium', 1),
    cue('CA 15-3', 3, { pattern: 'CA\\s*15-3|CA\\s*27[.-]29' }),
    cue('CEA', 2),
    cue('collected', 1),
  ],
  genetic: [
    cue('genetic test', 6, { pattern: 'genetic\\s+(?:test(?:ing)?|analysis)(?:\\s+(?:report|results?))?' }),
    cue('genomic', 4, { pattern: 'genomic(?:\\s+(?:test|profil(?:e|ing)|report|analysis))?' }),
    cue('hereditary cancer', 5, { pattern: 'hereditary\\s+(?:cancer|breast)' }),
    cue('germline', 5),
    cue('Oncotype DX', 6, { pattern: 'oncotype(?:\\s*dx)?' }),
    cue('MammaPrint', 6),
    cue('Recurrence Score', 5),
    cue('next-generation sequencing', 5, { pattern: 'next[-\\s]generation\\s+sequencing|\\bNGS\\b' }),
    cue('variant of uncertain significance', 5, { pattern: 'variants?\\s+of\\s+(?:uncertain|unknown)\\s+significance' }),
    cue('pathogenic variant', 4, { pattern: '(?:likely\\s+)?pathogenic\\s+(?:variants?|mutations?)' }),
    cue('BRCA1', 3, { pattern: 'BRCA1' }),
    cue('BRCA2', 3, { pattern: 'BRCA2' }),
    cue('PALB2', 2),
    cue('CHEK2', 2),
    cue('TP53', 2),
    cue('PIK3CA', 2),
    cue('genes analyzed', 4, { pattern: 'genes?\\s+(?:analy[sz]ed|tested)' }),
    cue('genetic counselor', 3, { pattern: 'genetic\\s+counsel(?:or|ing|lor)' }),
    cue('tumor mutational burden', 4),
    cue('microsatellite', 3),
    cue('VUS', 3),
  ],
  consultation: [
    cue('consultation', 5, { pattern: 'consultation(?:\\s+(?:note|report))?|consult\\s+note' }),
    cue('new patient visit', 5, { pattern: 'new\\s+patient\\s+(?:visit|consult(?:ation)?|evaluation)' }),
    cue('clinic note', 5, { pattern: '(?:clinic|progress|office)\\s+(?:note|visit)' }),
    cue('second opinion', 4),
    cue('history of present illness', 4),
    cue('HPI', 3),
    cue('chief complaint', 3),
    cue('review of systems', 3),
    cue('physical exam', 3, { pattern: 'physical\\s+exam(?:ination)?' }),
    cue('past medical history', 2),
    cue('family history', 1),
    cue('social history', 2),
    cue('assessment and plan', 3, { pattern: 'assessment\\s*(?:and|&|/)\\s*plan' }),
    cue('reason for visit', 3, { pattern: 'reason\\s+for\\s+(?:visit|consultation|referral)' }),
    cue('referred by', 2, { pattern: 'referred\\s+by|referring\\s+(?:physician|provider)' }),
    cue('vital signs', 2),
    cue('ECOG', 2),
  ],
  'treatment-plan': [
    cue('treatment plan', 6),
    cue('treatment recommendation', 5, { pattern: 'treatment\\s+recommendations?|recommended\\s+treatment' }),
    cue('tumor board', 4),
    cue('chemotherapy plan', 5, { pattern: 'chemotherapy\\s+(?:plan|regimen|orders?|schedule)' }),
    cue('treatment summary', 5),
    cue('plan of care', 5, { pattern: 'plan\\s+of\\s+care|care\\s+plan' }),
    cue('radiation plan', 5, { pattern: 'radiation\\s+(?:therapy\\s+|treatment\\s+)?plan' }),
    cue('regimen', 3),
    cue('cycles', 2, { pattern: 'cycles?\\s+\\d|\\d+\\s+cycles|cycle\\s+length' }),
    cue('neoadjuvant', 2),
    cue('adjuvant', 1),
    cue('curative intent', 3, { pattern: '(?:curative|palliative)\\s+intent|intent\\s*:\\s*(?:curative|palliative|control)' }),
    cue('mg/m²', 2, { pattern: 'mg\\s*/\\s*m(?:2|²)|AUC\\s*\\d' }),
    cue('every 3 weeks', 2, { pattern: 'every\\s+(?:\\d+|one|two|three|four)\\s+weeks?|q\\s*[1-4]\\s*w(?:ee)?ks?' }),
    cue('fractions', 2, { pattern: '\\d+\\s+fractions|\\d+(?:\\.\\d+)?\\s*Gy' }),
    cue('planned start', 3, { pattern: '(?:planned|anticipated|target)\\s+start' }),
    cue('endocrine therapy', 2),
  ],
  operative: [
    cue('operative report', 6, { pattern: 'operative\\s+(?:report|note)|op\\s+note' }),
    cue('procedure note', 5),
    cue('preoperative diagnosis', 4, { pattern: 'pre-?operative\\s+diagnos[ie]s' }),
    cue('postoperative diagnosis', 4, { pattern: 'post-?operative\\s+diagnos[ie]s' }),
    cue('procedure performed', 3, { pattern: 'procedures?\\s+performed|operations?\\s+performed' }),
    cue('anesthesia', 3, { pattern: 'ana?esthesia' }),
    cue('estimated blood loss', 4, { pattern: 'estimated\\s+blood\\s+loss|\\bEBL\\b' }),
    cue('surgeon', 2),
    cue('assistant', 1),
    cue('complications', 1),
    cue('operating room', 3),
    cue('incision', 2),
    cue('specimens removed', 2, { pattern: 'specimens?\\s+(?:removed|sent)' }),
    cue('drains', 1, { pattern: 'drains?' }),
    cue('sentinel lymph node', 1, { pattern: 'sentinel\\s+(?:lymph\\s+)?nodes?' }),
    cue('lumpectomy', 1),
    cue('mastectomy', 1),
  ],
  discharge: [
    cue('discharge summary', 7),
    cue('discharge instructions', 4),
    cue('admission date', 3, { pattern: 'admission\\s+date|date\\s+of\\s+admission|admit\\s+date' }),
    cue('discharge date', 3, { pattern: 'discharge\\s+date|date\\s+of\\s+discharge' }),
    cue('hospital course', 4),
    cue('discharge diagnosis', 4, { pattern: 'discharge\\s+diagnos[ie]s' }),
    cue('discharge medications', 3),
    cue('disposition', 2),
    cue('condition at discharge', 3, { pattern: 'condition\\s+(?:at|on)\\s+discharge' }),
    cue('length of stay', 2),
    cue('admitting diagnosis', 3),
  ],
  'medication-list': [
    cue('medication list', 7, { pattern: 'medication\\s+list|list\\s+of\\s+medications' }),
    cue('current medications', 4, { pattern: '(?:current|active)\\s+medications' }),
    cue('medication reconciliation', 5),
    cue('tablet', 1, { pattern: 'tablets?|tabs?|capsules?', repeats: true }),
    cue('by mouth', 1, { pattern: 'by\\s+mouth|orally|\\bPO\\b', repeats: true }),
    cue('daily', 1, { pattern: 'daily|twice\\s+a\\s+day|at\\s+bedtime|as\\s+needed|\\bPRN\\b|\\bBID\\b|\\bTID\\b', repeats: true }),
    cue('refills', 2, { pattern: 'refills?' }),
    cue('prescriber', 2, { pattern: 'prescriber|prescribed\\s+by' }),
    cue('dispense', 2),
    cue('pharmacy', 2),
    cue('Sig:', 2, { pattern: 'Sig\\s*:' }),
  ],
  insurance: [
    cue('explanation of benefits', 7),
    cue('this is not a bill', 5),
    cue('prior authorization', 5, { pattern: '(?:prior|pre)[-\\s]?authori[sz]ation' }),
    cue('claim number', 4, { pattern: 'claim\\s+(?:number|no\\.?|#|id)' }),
    cue('billing statement', 5, { pattern: 'billing\\s+statement|statement\\s+of\\s+account|invoice' }),
    cue('appeal', 3),
    cue('coverage', 2, { pattern: 'coverage(?:\\s+(?:decision|determination))?' }),
    cue('insurance', 2),
    cue('member ID', 3, { pattern: 'member\\s+(?:id|number|no\\.?)' }),
    cue('group number', 2, { pattern: 'group\\s+(?:number|no\\.?|#)' }),
    cue('policy number', 2, { pattern: 'policy\\s+(?:number|no\\.?|holder)' }),
    cue('subscriber', 2),
    cue('amount billed', 3, { pattern: 'amount\\s+(?:billed|due|charged)|total\\s+charges' }),
    cue('patient responsibility', 3, { pattern: '(?:patient|your)\\s+responsibility|you\\s+may\\s+owe' }),
    cue('deductible', 2),
    cue('copay', 2, { pattern: 'co-?pay(?:ment)?|co-?insurance' }),
    cue('in-network', 2, { pattern: '(?:in|out[-\\s]of)[-\\s]network' }),
    cue('balance due', 3),
    cue('medically necessary', 2, { pattern: 'medical(?:ly)?\\s+necess(?:ary|ity)' }),
    cue('denied', 2, { pattern: 'denied|denial' }),
  ],
};

/** Phrases in the first lines (the title area) count double. */
const TITLE_AREA_CHARS = 400;
/** Below this score the document is 'other'. */
const MIN_SCORE = 5;

/** Guesses the document's type from its text, with the phrases that decided it. */
export function classifyDocument(text: string): Classification {
  const clean = normalise(text);
  if (!/[\p{L}]{3}/u.test(clean)) {
    return { type: 'other', reason: 'No text could be read from this document, so its type is unknown.' };
  }
  let best: { type: DocumentType; score: number; matched: Array<{ label: string; weight: number; at: number }> } | null = null;
  for (const [type, cues] of Object.entries(CUES) as Array<[DocumentType, Cue[]]>) {
    let score = 0;
    const matched: Array<{ label: string; weight: number; at: number }> = [];
    for (const item of cues) {
      item.pattern.lastIndex = 0;
      const hits = [...clean.matchAll(item.pattern)];
      if (hits.length === 0) continue;
      const at = hits[0]!.index ?? 0;
      const count = item.repeats ? Math.min(3, hits.length) : 1;
      const titleBonus = at < TITLE_AREA_CHARS && item.weight >= 4 ? 2 : 1;
      score += item.weight * count * titleBonus;
      matched.push({ label: item.label, weight: item.weight * titleBonus, at });
    }
    if (!best || score > best.score) best = { type, score, matched };
  }
  if (!best || best.score < MIN_SCORE) {
    return { type: 'other', reason: 'No wording typical of a medical report, test result, letter or medication list was found.' };
  }
  const top = best.matched
    .sort((a, b) => b.weight - a.weight || a.at - b.at)
    .slice(0, 3)
    .map((item) => item.label);
  return { type: best.type, reason: `Mentions ${quoteList(top)}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Service date

const BIRTH_LABEL = /(?:\bD\.?\s?O\.?\s?B\b\.?|date\s+of\s+birth|birth\s*date|\bborn\b|\bbirthday)/i;

/** Labels in order of preference; each label's own wording is shown in the reason. */
const DATE_LABELS: Array<{ rank: number; pattern: RegExp }> = [
  {
    rank: 100,
    pattern:
      /(?:date\s+of\s+(?:service|procedure|surgery|operation|collection|exam(?:ination)?|study|visit|consultation|conference|encounter|admission|test|scan)|(?:service|procedure|surgery|operation|collection|exam|study|visit|encounter|consult(?:ation)?|appointment|admission|admit|test|scan|sample|clinic)\s+date|\bDOS\b|(?:specimen\s+)?collected(?:\s+(?:on|date))?|date\s+collected|drawn(?:\s+on)?|date\s+(?:of\s+)?procedure|performed(?:\s+on)?|date\s+performed|obtained(?:\s+on)?|date\s+obtained|seen\s+on)/gi,
  },
  {
    rank: 70,
    pattern:
      /(?:report(?:ed)?\s+(?:date|on)|date\s+(?:of\s+)?report(?:ed)?|date\s+reported|(?:electronically\s+)?signed(?:\s+out)?(?:\s+on)?|sign[-\s]?out\s+date|verified(?:\s+on)?|finali[sz]ed(?:\s+on)?|final\s+report\s+date|result(?:ed)?\s+date|date\s+resulted|resulted(?:\s+on)?|received(?:\s+on)?|date\s+received|accessioned|discharge\s+date|date\s+of\s+discharge|discharged(?:\s+on)?|dictated(?:\s+on)?|transcribed(?:\s+on)?|issued(?:\s+on)?|date\s+issued|letter\s+date|plan\s+date|date\s+of\s+plan|reviewed(?:\s+on)?|dated)/gi,
  },
  { rank: 50, pattern: /\bdate\s*[:#]?\s*$/gi },
  {
    rank: 10,
    pattern:
      /(?:print(?:ed)?(?:\s+on)?|print\s+date|fax(?:ed)?|run\s+date|next\s+(?:appointment|visit)|follow[-\s]?up|return(?:\s+visit)?|due|expir(?:es|ation)|effective|valid|through|last\s+menstrual|\bLMP\b|since|diagnosed(?:\s+on)?|date\s+of\s+diagnosis|onset|prior|previous|comparison|compared|history)/gi,
  },
];
const UNLABELLED_RANK = 30;

function describeLabel(label: string): string {
  const clean = label.replace(/\s+/g, ' ').replace(/[\s:#]+$/, '').trim();
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}

interface RankedDate {
  date: FoundDate;
  rank: number;
  label: string | null;
}

/** Finds each date's label: the closest label wording between the previous date (or line start) and the date. */
function rankDates(text: string, birthDate: string | null | undefined): RankedDate[] {
  const ranked: RankedDate[] = [];
  const dates = findDates(text);
  dates.forEach((date, i) => {
    const lineStart = text.lastIndexOf('\n', date.index - 1) + 1;
    const previousEnd = i > 0 ? dates[i - 1]!.end : 0;
    let windowStart = Math.max(lineStart, previousEnd, date.index - 80);
    let window = text.slice(windowStart, date.index);
    // A date alone at the start of a line may be labelled at the end of the line above ("Collected:\n03/14/2025").
    if (!window.trim() && lineStart > 0) {
      const above = text.lastIndexOf('\n', lineStart - 2) + 1;
      windowStart = Math.max(above, previousEnd);
      window = text.slice(windowStart, lineStart);
      if (!/[:#]\s*$/.test(window)) window = '';
    }
    const birth = [...window.matchAll(new RegExp(BIRTH_LABEL.source, 'gi'))].at(-1);
    let best: { rank: number; label: string; end: number } | null = null;
    for (const { rank, pattern } of DATE_LABELS) {
      for (const match of window.matchAll(pattern)) {
        const label = match[0].replace(/[\s:#]+$/, '');
        const end = (match.index ?? 0) + label.length;
        if (!best || end > best.end || (end === best.end && rank > best.rank)) best = { rank, label, end };
      }
    }
    if (birth && (!best || (birth.index ?? 0) + birth[0].length >= best.end)) return; // a labelled birth date
    if (birthDate && dateMatches(date, birthDate)) return; // the patient's birth date, wherever it is
    ranked.push(best ? { date, rank: best.rank, label: best.label } : { date, rank: UNLABELLED_RANK, label: null });
  });
  return ranked;
}

/**
 * The date the document is about: a labelled service/procedure/collection/exam/visit date first, then a
 * report/signature date, then a date labelled just "Date", then the first other date. Never a birth date
 * (labelled DOB/date of birth, or equal to the profile's birth date).
 */
export function guessServiceDate(text: string, options: { birthDate?: string | null } = {}): ServiceDateGuess | null {
  const clean = normalise(text);
  const ranked = rankDates(clean, options.birthDate);
  if (ranked.length === 0) return null;
  const today = new Date().toISOString().slice(0, 10);
  // Prefer dates not in the future (a follow-up appointment is not what the document is about).
  const best = [...ranked].sort(
    (a, b) =>
      Number(a.date.iso > today) - Number(b.date.iso > today) || b.rank - a.rank || a.date.index - b.date.index,
  )[0]!;
  const reason = best.label
    ? `The date labelled “${describeLabel(best.label)}”`
    : 'The first date in the document that is not a birth date';
  return { date: best.date.iso, reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Facility, clinician, title

const FACILITY_LABEL =
  /^(?:facility|hospital|institution|location|site|performing\s+(?:lab(?:oratory)?|site|facility|location)|performed\s+at|laboratory|testing\s+laboratory|imaging\s+(?:center|facility)|clinic|practice|organization)\s*[:#]\s*(.+)$/im;
const FACILITY_WORDS =
  /\b(?:hospital|medical\s+cent(?:er|re)|cancer\s+(?:cent(?:er|re)|institute)|health(?:care)?\s+(?:system|network)|health|clinic|laborator(?:y|ies)|labs|imaging|radiology\s+(?:associates|group|partners)|oncology\s+(?:associates|group|partners|cent(?:er|re))|university|infirmary|diagnostics|pathology\s+(?:associates|group|partners)|medical\s+group|institute|(?:surgical|medical|surgery|oncology|breast|cancer|women'?s|imaging)\s+(?:associates|group|partners|specialists|care)|health\s+plan|insurance)\b/i;
const TITLE_WORDS = /\b(?:report|note|summary|results?|consultation|plan|recommendations?|list|statement|explanation|letter)\b/i;
/** Title wording that rules a line out as a facility name ("plan" is not here: "… Health Plan" is an insurer). */
const NOT_FACILITY_WORDS = /\b(?:report|note|summary|results?|consultation|list|statement|explanation|letter)\b/i;
const PERSONAL_LABELS = /^(?:patient|name|pt|dob|mrn|sex|gender|age|account|acct|physician|provider|doctor|dr\.?|ordering|referring|attending|to|from|re|cc|dear)\b/i;

/** Cuts a facility name at an address (", 1200 …") or a phone number. */
function cleanFacility(value: string): string {
  return value
    .split(/,\s*(?=\d)|\s{2,}|\s+(?=(?:tel|phone|fax|ph)\b)/i)[0]!
    .replace(/[\s,;:–—-]+$/, '')
    .trim();
}

function looksLikeFacility(segment: string): boolean {
  return FACILITY_WORDS.test(segment) && !NOT_FACILITY_WORDS.test(segment);
}

/** ALL-CAPS letterheads read better in title case: "NORTHFIELD CANCER INSTITUTE" → "Northfield Cancer Institute". */
function displayName(name: string): string {
  if (name !== name.toUpperCase() || !/[A-Z]{3}/.test(name)) return name;
  return name
    .toLowerCase()
    .split(' ')
    .map((word, index) => {
      if (ABBREVIATIONS.has(word.toUpperCase()) && word.length <= 3 && !['of', 'and'].includes(word)) return word.toUpperCase();
      if (index > 0 && ['of', 'and', 'the', 'for', 'at', 'in'].includes(word)) return word;
      return word.replace(/(^|[-'’/])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
    })
    .join(' ');
}

/** Letterhead pieces: "Riverbend General Hospital | Department of Pathology" → two segments. */
const SEGMENT_SEPARATOR = /\s+[|•·–—-]\s+/;

/** The hospital, lab, practice or insurer the document comes from. */
export function guessFacility(text: string): NameGuess | null {
  const all = lines(text);
  const labelled = FACILITY_LABEL.exec(all.join('\n'));
  if (labelled) {
    const name = displayName(cleanFacility(labelled[1]!));
    const label = labelled[0].split(/[:#]/)[0]!.trim();
    if (name.length >= 3) return { name, reason: `Named after “${describeLabel(label)}”` };
  }
  for (const line of all.slice(0, 15)) {
    if (!line || PERSONAL_LABELS.test(line) || /^\d/.test(line) || /:\s*\S/.test(line)) continue;
    for (const segment of line.split(SEGMENT_SEPARATOR)) {
      if (!looksLikeFacility(segment)) continue;
      const name = displayName(cleanFacility(segment));
      if (name.length >= 3 && name.length <= 90) {
        return { name, reason: 'Appears in the letterhead at the top of the document' };
      }
    }
  }
  return null;
}

const CREDENTIALS = '(?:M\\.?D\\.?|D\\.?O\\.?|MBBS|Ph\\.?D\\.?|NP|APRN|PA-C|PA|RN|FACS|FCAP|FACR|CGC|MS|FRCPC?|MSc|DNP)';
const NAME_VALUE = new RegExp(
  `^((?:Dr\\.?\\s+)?(?!${CREDENTIALS}\\b)[A-Z][\\p{L}'’.-]*(?:,?\\s+(?!${CREDENTIALS}(?![\\p{L}]))(?:[A-Z][\\p{L}'’-]+|[A-Z]\\.?(?![\\p{L}]))){1,4}(?:,?\\s+${CREDENTIALS}(?![\\p{L}]))*)`,
  'u',
);

/** The person's name at the start of a labelled value, up to where a date, time or another label begins. */
function nameAt(value: string): string | null {
  const cut = value.split(/\s+(?:on|at)\s+\d|\s{2,}|\s+\d|\s+\(|\s+(?:date|time|phone|fax|npi)\b|;|\||\s+(?=\p{L}+(?: \p{L}+)?\s*:)/iu)[0]!.trim();
  const match = NAME_VALUE.exec(cut);
  if (!match || FACILITY_WORDS.test(match[1]!)) return null;
  const name = match[1]!.replace(/[\s,]+$/, '');
  const words = name.replace(new RegExp(`,?\\s+${CREDENTIALS}`, 'g'), '').split(/[\s,]+/).filter(Boolean);
  return words.length >= 2 && words.length <= 6 ? name : null;
}

const CLINICIAN_LABELS: Array<{ rank: number; pattern: RegExp }> = [
  { rank: 100, pattern: /(?:electronically\s+)?(?:signed(?:\s+out)?|authenticated|verified|finali[sz]ed|approved)\s+by\s*:?\s*/gi },
  {
    rank: 80,
    pattern:
      /(?:^|\s)(?<!(?:ordering|referring|requesting|primary\s+care)\s+)(?:pathologist|radiologist|surgeon|attending(?:\s+physician)?|oncologist|consultant|consulting\s+physician|interpreting\s+physician|reading\s+physician|author|provider|physician|treating\s+physician|dictated\s+by|reported\s+by|interpreted\s+by|seen\s+by|genetic\s+counsel(?:l)?or|laboratory\s+director|medical\s+director|prescriber|prescribed\s+by)\s*:\s*/gi,
  },
  { rank: 40, pattern: /(?:^|\s)(?:ordering|referring|requesting)\s+(?:physician|provider|doctor|clinician)\s*:\s*/gi },
];

/** The clinician who wrote or signed the document. */
export function guessClinician(text: string): NameGuess | null {
  const clean = lines(text).join('\n');
  let best: { rank: number; name: string; label: string } | null = null;
  for (const { rank, pattern } of CLINICIAN_LABELS) {
    for (const match of clean.matchAll(pattern)) {
      const rest = restOfLine(clean, (match.index ?? 0) + match[0].length);
      const name = nameAt(rest);
      if (name && (!best || rank > best.rank)) best = { rank, name, label: match[0] };
    }
  }
  if (best) {
    const label = describeLabel(best.label.replace(/\s*:?\s*$/, ''));
    return { name: best.name, reason: `Named after “${label}”` };
  }
  const doctor = /\bDr\.?\s+([A-Z][\p{L}'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][\p{L}'’-]+)?)/u.exec(clean);
  if (doctor) return { name: `Dr. ${doctor[1]}`, reason: 'The doctor named in the document' };
  const credentialed = new RegExp(
    `\\b([A-Z][\\p{L}'’-]+(?:\\s+[A-Z]\\.?)?\\s+[A-Z][\\p{L}'’-]+,\\s*${CREDENTIALS})(?![\\p{L}])`,
    'u',
  ).exec(clean);
  if (credentialed) return { name: credentialed[1]!, reason: 'The name followed by a medical degree' };
  return null;
}

const DEFAULT_TITLES: Record<DocumentType, string> = {
  pathology: 'Pathology report',
  radiology: 'Imaging report',
  lab: 'Lab results',
  genetic: 'Genetic test results',
  consultation: 'Consultation note',
  'treatment-plan': 'Treatment plan',
  operative: 'Operative note',
  discharge: 'Discharge summary',
  'medication-list': 'Medication list',
  insurance: 'Insurance or billing letter',
  other: 'Document',
};

const TITLE_HINTS: Partial<Record<DocumentType, RegExp>> = {
  pathology: /patholog|cytolog/i,
  radiology: /\b(?:MRI|CT|PET|mammogra|ultrasound|sonogra|x-?ray|bone\s+scan|imaging|radiology|tomosynthesis)/i,
  lab: /\b(?:lab|laboratory|blood|panel|CBC|CMP|results)\b/i,
  genetic: /genetic|genomic|oncotype|mammaprint|hereditary|germline|sequencing|BRCA/i,
  consultation: /consult|clinic|visit|progress|note|opinion/i,
  'treatment-plan': /plan|recommendation|tumor\s+board|summary/i,
  operative: /operative|procedure|op\s+note/i,
  discharge: /discharge/i,
  'medication-list': /medication/i,
  insurance: /benefits|insurance|authori[sz]ation|claim|statement|appeal|coverage|invoice|bill/i,
};

/** A short title: the document's own heading when there is one, else the exam name, else a plain type name. */
export function guessTitle(text: string, type: DocumentType): string {
  const all = lines(text).filter(Boolean);
  const hint = TITLE_HINTS[type];
  if (type === 'radiology') {
    const exam = /^(?:exam(?:ination)?|study|procedure|exam\s+description)\s*:\s*(.{4,90})$/im.exec(all.join('\n'));
    if (exam) return sentenceCase(exam[1]!.replace(/\s+(?:date|accession)\b.*$/i, '').trim());
  }
  // First a heading with title wording ("… report", "… summary") or a letter's subject; else a heading about
  // this type in capitals or on the first two lines.
  for (const pass of ['titled', 'hinted'] as const) {
    for (const [index, raw] of all.slice(0, 12).entries()) {
      // A letter's subject line is its title: "RE: Prior Authorization Request - Notice of …".
      const subject = /^(?:re|subject)\s*:\s*(.+)$/i.exec(raw)?.[1];
      const line = (subject ?? raw).replace(/\s{2,}/g, ' ');
      // Headings are short and are not sentences.
      if (line.length < 4 || line.length > 90 || /\.$/.test(line) || line.split(' ').length > 12) continue;
      if (!subject && (PERSONAL_LABELS.test(line) || /:\s*\S/.test(line) || /^\d/.test(line))) continue;
      if (findDates(line).length > 0 || /\d{3}[-.\s)]\d{3,4}/.test(line)) continue;
      const titled = Boolean(subject) || TITLE_WORDS.test(line);
      if (pass === 'titled' ? !titled : !(hint?.test(line) && (line === line.toUpperCase() || index < 2))) continue;
      // "Hospital Discharge Summary - Greenway Medical Center": keep the part that is the title, not the letterhead.
      const part = line
        .split(SEGMENT_SEPARATOR)
        .find((segment) => !looksLikeFacility(segment) && !/^department\b/i.test(segment) &&
          (pass === 'hinted' || subject || TITLE_WORDS.test(segment)));
      if (part) return sentenceCase(part.replace(/[:\s]+$/, ''));
    }
  }
  return DEFAULT_TITLES[type];
}

// ---------------------------------------------------------------------------------------------------------------
// Patient check

const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

/** Lower-case name words without accents; "LAST, FIRST MIDDLE" is turned round to "first middle last". */
function nameWords(name: string): string[] {
  let plain = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z,\s-]/g, ' ')
    .replace(/-/g, ' ');
  const comma = plain.indexOf(',');
  if (comma >= 0) plain = `${plain.slice(comma + 1)} ${plain.slice(0, comma)}`;
  return plain
    .replace(/,/g, ' ')
    .split(/\s+/)
    .filter((word) => word && !NAME_SUFFIXES.has(word));
}

/**
 * Whether a name in a document is the profile's person: every full word of it is one of the profile's names,
 * the given name appears (or its initial), and at least one family name appears. Middle names and initials
 * may be missing; case, accents, hyphens and "LAST, FIRST" order do not matter.
 */
export function sameName(found: string, profileName: string): boolean {
  const profile = nameWords(profileName);
  const words = nameWords(found);
  if (profile.length === 0 || words.length === 0) return false;
  const full = words.filter((word) => word.length > 1);
  const initials = words.filter((word) => word.length === 1);
  const given = profile[0]!;
  const others = profile.slice(1);
  if (!full.every((word) => profile.includes(word))) return false;
  if (!full.includes(given) && !initials.includes(given.charAt(0))) return false;
  if (others.length > 0 && !full.some((word) => others.includes(word))) return false;
  return full.length > 0;
}

/**
 * A patient's name as printed after a label: 2–5 capitalised words or initials ("DOE, JANE", "Jane Q. Doe"),
 * no digits, no medical degree. Rules out narrative ("Patient: tolerating treatment well") and clinicians.
 */
function looksLikePersonName(value: string): boolean {
  if (value.length > 60 || /\d/.test(value)) return false;
  if (new RegExp(`(?:^|[\\s,])${CREDENTIALS}$`).test(value)) return false;
  const words = value.split(/[\s,]+/).filter(Boolean);
  if (words.length < 2 || words.length > 5) return false;
  return words.every((word) => /^(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.)$/u.test(word)) && nameWords(value).length >= 2;
}

const PATIENT_NAME_LABEL =
  /(?:^|[\s|;])(patient(?:'s)?(?:\s+(?:full\s+)?name)?|pt\.?(?:\s+name)?|name)(?:\s*\([^)]{0,30}\))?\s*[:#]\s*/gim;
const NOT_PATIENT_QUALIFIER =
  /(?:physician|provider|doctor|facility|practice|insured|subscriber|guarantor|contact|lab(?:oratory)?|hospital|clinic|company|plan|drug|test|member|father|mother|spouse|parent|employer|pharmacy|file|user|product|representative)'?s?\s*$/i;
const NEXT_LABEL =
  /\s{2,}|\s+(?:DOB|D\.O\.B|Date\s+of\s+Birth|Birth\s*Date|MRN|Med(?:ical)?\s+Rec|Sex|Gender|Age|Acct|Account|ID|Visit|Date|Accession|Physician|Provider|Location|Room|Phone|Address|Encounter|Case)\b|\s*[|;]/i;
const DOB_LABEL = /(?:\bD\.?\s?O\.?\s?B\b\.?|date\s+of\s+birth|birth\s*date|\bborn(?:\s+on)?)\s*[:#]?\s*/gi;

/**
 * Names and birth dates in the document that are not the profile's: another name after "Patient:"/"Name:"
 * labels, or another date after "DOB"/"Date of birth". Each is listed once, with a plain-words reason.
 */
export function checkPatient(text: string, profile: PatientProfile): PatientMismatch[] {
  const clean = lines(text).join('\n');
  const mismatches: PatientMismatch[] = [];
  const seen = new Set<string>();
  for (const match of clean.matchAll(PATIENT_NAME_LABEL)) {
    const label = match[1]!.toLowerCase();
    const start = match.index ?? 0;
    const before = clean.slice(Math.max(0, start - 30), start + (match[0].length - match[0].trimStart().length));
    if (label === 'name') {
      // A bare "Name:" counts only at the start of a line or after a word saying it is the patient's.
      const lineBefore = before.split('\n').at(-1) ?? '';
      if (lineBefore.trim() && !/patient'?s?\s*$/i.test(lineBefore)) continue;
    }
    if (NOT_PATIENT_QUALIFIER.test(before.split('\n').at(-1) ?? '')) continue;
    const rest = restOfLine(clean, start + match[0].length);
    const value = rest.split(NEXT_LABEL)[0]!.replace(/[\s,;:]+$/, '').trim();
    if (!looksLikePersonName(value) || sameName(value, profile.fullName)) continue;
    const key = `name:${nameWords(value).sort().join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mismatches.push({
      field: 'name',
      found: value,
      expected: profile.fullName,
      reason: `The document names the patient “${value}”, not ${profile.fullName}.`,
    });
  }
  if (profile.birthDate) {
    for (const match of clean.matchAll(DOB_LABEL)) {
      const after = clean.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 30);
      const date = parseDate(after);
      if (!date || date.index > 3 || dateMatches(date, profile.birthDate)) continue;
      const key = `dob:${date.iso}`;
      if (seen.has(key)) continue;
      seen.add(key);
      mismatches.push({
        field: 'birthDate',
        found: date.iso,
        expected: profile.birthDate,
        reason: `The document gives the birth date ${date.raw.trim()}, which is not the birth date in your profile.`,
      });
    }
  }
  return mismatches;
}
