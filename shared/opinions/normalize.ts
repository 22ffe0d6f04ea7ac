import {
  gradeFromScore,
  STAGE_GROUPS,
  type Grade,
  type Her2,
  type Her2Ihc,
  type Her2Ish,
  type Her2StatusValue,
  type Laterality,
  type LymphNodes,
  type Receptor,
  type ReceptorStatusValue,
  type StageGroup,
  type StepKind,
  type Tnm,
} from './schema';

/**
 * Canonical forms and equivalence for the ways doctors and reports write the same fact.
 * Every `normalizeX(text)` takes a string and returns a canonical value, or null when it cannot tell.
 * Nothing here guesses beyond what the words say; the decisions are documented next to each function.
 */

// ---------------------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------------------

/** Lower case, one space between words, dashes and quotes unified, surrounding punctuation dropped. */
export function cleanText(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:()[\]-]+|[\s.,;:()[\]-]+$/g, '')
    .trim();
}

/** Unifies typographic dashes and minus signs without changing the length (offsets stay valid). */
export function unifyDashes(value: string): string {
  return value.replace(/[\u2010-\u2015\u2212]/g, '-');
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, no: 0, none: 0, a: 1, an: 1, one: 1, single: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7,
  eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
};
export const NUMBER_WORD_PATTERN =
  'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty';

/** '3' → 3, 'three' → 3, 'a' → 1. */
export function parseCount(value: string): number | null {
  const v = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  return NUMBER_WORDS[v] ?? null;
}

export interface Span {
  start: number;
  end: number;
}

/** Keeps the longest of overlapping spans (ties: the earlier entry wins), returned in text order. */
export function pickNonOverlapping<T extends Span & { priority: number }>(items: T[]): T[] {
  const sorted = [...items].sort((a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || a.start - b.start);
  const kept: T[] = [];
  for (const item of sorted) {
    if (!kept.some((k) => item.start < k.end && k.start < item.end)) kept.push(item);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function allMatches(re: RegExp, value: string): RegExpExecArray[] {
  const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
  const global = new RegExp(re.source, flags);
  const out: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = global.exec(value)) !== null) {
    if (m[0].length === 0) {
      global.lastIndex += 1;
      continue;
    }
    out.push(m);
  }
  return out;
}

/** A case-insensitive pattern that finds a label verbatim, so our own display labels read back to their key. */
export function labelPattern(label: string): RegExp {
  const escaped = label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\s+/g, '\\s+');
  const start = /^\w/.test(label) ? '\\b' : '';
  const end = /\w$/.test(label) ? '\\b' : '';
  // 'radiation oncology' is a department, not radiation treatment.
  return new RegExp(`${start}${escaped}${end}(?!\\s+oncolog)`, 'i');
}

// ---------------------------------------------------------------------------------------------------------
// Histology
// ---------------------------------------------------------------------------------------------------------

export const HISTOLOGY_KEYS = [
  'invasive-ductal',
  'invasive-lobular',
  'mixed-ductal-lobular',
  'invasive-micropapillary',
  'mucinous',
  'tubular',
  'cribriform',
  'medullary',
  'metaplastic',
  'papillary',
  'apocrine',
  'adenoid-cystic',
  'inflammatory',
  'paget',
  'phyllodes',
  'invasive-carcinoma',
  'dcis',
  'lcis',
] as const;
export type HistologyKey = (typeof HISTOLOGY_KEYS)[number];

interface HistologyEntry {
  key: HistologyKey;
  label: string;
  /** false for in-situ (non-invasive) findings. */
  invasive: boolean;
  patterns: RegExp[];
}

const INV = '(?:invasive|infiltrating)';
const HISTOLOGY: HistologyEntry[] = [
  {
    key: 'mixed-ductal-lobular',
    label: 'invasive carcinoma with mixed ductal and lobular features',
    invasive: true,
    patterns: [
      new RegExp(`\\b${INV}\\s+(?:mammary\\s+|breast\\s+)?carcinoma,?\\s*(?:with\\s+)?(?:mixed\\s+)?(?:ductal\\s+and\\s+lobular|lobular\\s+and\\s+ductal)(?:\\s+(?:features|type|differentiation))?`, 'i'),
      /\bmixed\s+(?:invasive\s+)?(?:ductal\s+and\s+lobular|lobular\s+and\s+ductal)(?:\s+(?:invasive\s+)?carcinoma|\s+type|\s+features)?/i,
      /\b(?:mixed\s+)?IDC\s*(?:\/|and|&)\s*ILC\b/,
    ],
  },
  {
    key: 'invasive-micropapillary',
    label: 'invasive micropapillary carcinoma',
    invasive: true,
    patterns: [/\binvasive\s+micropapillary\s+carcinoma\b/i],
  },
  {
    key: 'invasive-lobular',
    label: 'invasive lobular carcinoma',
    invasive: true,
    patterns: [
      new RegExp(`\\b${INV}\\s+(?:pleomorphic\\s+|classic(?:al)?\\s+)?lobular\\s+(?:adeno)?carcinoma\\b`, 'i'),
      /\binvasive\s+(?:mammary\s+|breast\s+)?carcinoma,?\s+(?:of\s+)?lobular\s+type\b/i,
      /\blobular\s+carcinoma,?\s+invasive\b/i,
      /\bILC\b/,
    ],
  },
  {
    key: 'invasive-ductal',
    label: 'invasive ductal carcinoma (no special type)',
    invasive: true,
    patterns: [
      new RegExp(`\\b${INV}\\s+ductal\\s+(?:adeno)?carcinoma\\b(?:,?\\s*(?:\\(\\s*)?(?:NOS|NST|no\\s+special\\s+type|not\\s+otherwise\\s+specified)\\b\\)?)?`, 'i'),
      new RegExp(`\\b${INV}\\s+(?:breast\\s+|mammary\\s+)?carcinoma,?\\s*(?:\\(\\s*)?(?:of\\s+)?(?:no\\s+special\\s+type|NST)\\b(?:\\s*\\))?(?:\\s*\\(\\s*ductal\\s*\\))?`, 'i'),
      /\binvasive\s+(?:breast\s+|mammary\s+)?carcinoma,?\s+(?:of\s+)?ductal\s+type\b/i,
      /\bductal\s+carcinoma,?\s+invasive\b/i,
      /\bIDC\b/,
      /\bIC[-\s]?NST\b/,
    ],
  },
  { key: 'mucinous', label: 'mucinous (colloid) carcinoma', invasive: true, patterns: [/\b(?:invasive\s+)?(?:mucinous|colloid)\s+(?:adeno)?carcinoma\b/i] },
  { key: 'tubular', label: 'tubular carcinoma', invasive: true, patterns: [/\b(?:invasive\s+)?tubular\s+carcinoma\b/i] },
  { key: 'cribriform', label: 'invasive cribriform carcinoma', invasive: true, patterns: [/\binvasive\s+cribriform\s+carcinoma\b/i] },
  {
    key: 'medullary',
    label: 'carcinoma with medullary features',
    invasive: true,
    patterns: [/\b(?:invasive\s+)?medullary\s+carcinoma\b/i, /\bcarcinoma\s+with\s+medullary\s+features\b/i],
  },
  { key: 'metaplastic', label: 'metaplastic carcinoma', invasive: true, patterns: [/\bmetaplastic\s+(?:breast\s+)?carcinoma\b/i] },
  { key: 'papillary', label: 'papillary carcinoma', invasive: true, patterns: [/\b(?:invasive|encapsulated|solid)\s+papillary\s+carcinoma\b/i] },
  {
    key: 'apocrine',
    label: 'carcinoma with apocrine differentiation',
    invasive: true,
    patterns: [/\bapocrine\s+carcinoma\b/i, /\bcarcinoma\s+with\s+apocrine\s+(?:differentiation|features)\b/i],
  },
  { key: 'adenoid-cystic', label: 'adenoid cystic carcinoma', invasive: true, patterns: [/\badenoid\s+cystic\s+carcinoma\b/i] },
  {
    key: 'inflammatory',
    label: 'inflammatory breast cancer',
    invasive: true,
    patterns: [/\binflammatory\s+(?:breast\s+)?(?:cancer|carcinoma)\b/i, /\bIBC\b/],
  },
  { key: 'paget', label: 'Paget disease of the nipple', invasive: false, patterns: [/\bpaget'?s?\s+disease\b/i] },
  { key: 'phyllodes', label: 'malignant phyllodes tumour', invasive: true, patterns: [/\b(?:malignant\s+)?phyllodes\s+tumou?r\b/i] },
  {
    key: 'dcis',
    label: 'ductal carcinoma in situ (DCIS)',
    invasive: false,
    patterns: [/\bductal\s+carcinoma\s+in[-\s]?situ\b/i, /\bDCIS\b/, /\bintraductal\s+carcinoma\b/i],
  },
  {
    key: 'lcis',
    label: 'lobular carcinoma in situ (LCIS)',
    invasive: false,
    patterns: [/\blobular\s+carcinoma\s+in[-\s]?situ\b/i, /\bLCIS\b/],
  },
  {
    key: 'invasive-carcinoma',
    label: 'invasive carcinoma (type not given)',
    invasive: true,
    patterns: [new RegExp(`\\b${INV}\\s+(?:breast\\s+|mammary\\s+)?carcinoma\\b`, 'i')],
  },
];

const HISTOLOGY_BY_KEY = new Map(HISTOLOGY.map((e) => [e.key, e]));

/** Whole-string aliases that are too short to search for inside running text. */
const HISTOLOGY_ALIASES: Record<string, HistologyKey> = {
  nst: 'invasive-ductal',
  'ic nst': 'invasive-ductal',
  'ic-nst': 'invasive-ductal',
  'no special type': 'invasive-ductal',
  'ductal': 'invasive-ductal',
  'lobular': 'invasive-lobular',
  'mixed': 'mixed-ductal-lobular',
  'ductal and lobular': 'mixed-ductal-lobular',
};

export interface HistologyMention extends Span {
  key: HistologyKey;
  label: string;
  invasive: boolean;
  text: string;
}

/** Every histology phrase in a text, longest match first where phrases overlap. */
export function findHistologyMentions(value: string): HistologyMention[] {
  const source = unifyDashes(value);
  const found: (HistologyMention & { priority: number })[] = [];
  HISTOLOGY.forEach((entry, priority) => {
    for (const re of [labelPattern(entry.label), ...entry.patterns]) {
      for (const m of allMatches(re, source)) {
        found.push({
          key: entry.key,
          label: entry.label,
          invasive: entry.invasive,
          text: m[0],
          start: m.index,
          end: m.index + m[0].length,
          priority,
        });
      }
    }
  });
  return pickNonOverlapping(found).map(({ priority: _p, ...rest }) => rest);
}

/**
 * 'IDC', 'invasive ductal carcinoma', 'infiltrating ductal carcinoma', 'invasive carcinoma of no special type (NST)'
 * → 'invasive-ductal'. When a text names an invasive type and an in-situ component ('IDC with associated DCIS'),
 * the invasive type is the diagnosis. Ductal + lobular invasive mentions together → 'mixed-ductal-lobular'.
 * A bare 'invasive carcinoma' is kept apart ('invasive-carcinoma'): it is less specific, not a different disease.
 */
export function normalizeHistology(value: string): HistologyKey | null {
  const alias = HISTOLOGY_ALIASES[cleanText(value)];
  if (alias) return alias;
  const mentions = findHistologyMentions(value);
  if (mentions.length === 0) return null;
  const keys = new Set(mentions.map((m) => m.key));
  if (keys.has('mixed-ductal-lobular') || (keys.has('invasive-ductal') && keys.has('invasive-lobular'))) {
    return 'mixed-ductal-lobular';
  }
  const specificInvasive = mentions.find((m) => m.invasive && m.key !== 'invasive-carcinoma');
  if (specificInvasive) return specificInvasive.key;
  if (keys.has('invasive-carcinoma')) return 'invasive-carcinoma';
  return mentions[0]!.key;
}

export function histologyLabel(key: HistologyKey): string {
  return HISTOLOGY_BY_KEY.get(key)?.label ?? key;
}

export function isInvasiveHistology(key: HistologyKey): boolean {
  return HISTOLOGY_BY_KEY.get(key)?.invasive ?? true;
}

// ---------------------------------------------------------------------------------------------------------
// ER / PR
// ---------------------------------------------------------------------------------------------------------

/** Two percentages of stained cells within this many points are read as the same result (lab-to-lab variation). */
export const RECEPTOR_PERCENT_TOLERANCE = 10;

export const ER_NAME = /\b(?:ER|estrogen[-\s]receptors?(?:[-\s]alpha)?|oestrogen[-\s]receptors?)\b(?:\s*\(\s*(?:ER|SP1|6F11|1D5|EP1)\s*\))?/;
export const PR_NAME = /\b(?:PR|PgR|PGR|progesterone[-\s]receptors?)\b(?:\s*\(\s*(?:PR|PgR|1E2|16|636)\s*\))?/;

export interface PercentReading {
  value: number;
  /** As written, e.g. '80–90%', '<1%'. */
  text: string;
  index: number;
  length: number;
}

/**
 * Reads the first percentage in a phrase. Ranges ('80-90%') give the upper end; '<1%' gives 0; '>90%' gives 90.
 * Threshold wording ('greater than 10% of cells', 'between 1% and 10%') is not a measurement and is skipped.
 */
export function readPercent(value: string): PercentReading | null {
  const re = /(<|>|≤|≥|less\s+than\s+|greater\s+than\s+|more\s+than\s+|between\s+|approximately\s+|about\s+|~\s*)?(\d{1,3}(?:\.\d+)?)\s*(%|percent)?(?:\s*(?:-|–|to|and)\s*(\d{1,3}(?:\.\d+)?)\s*(%|percent))?/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    const [whole, qualifierRaw, firstRaw, firstUnit, secondRaw, secondUnit] = m;
    if (!firstUnit && !secondUnit) continue;
    if (!firstUnit && secondRaw === undefined) continue;
    const qualifier = (qualifierRaw ?? '').trim().toLowerCase();
    if (/^(greater|more|between)/.test(qualifier)) continue;
    // "90%" must not be the tail of a bigger number or a ratio such as "8/8".
    const before = value.slice(Math.max(0, m.index - 1), m.index);
    if (/[\d/.]/.test(before)) continue;
    const first = Number(firstRaw);
    const second = secondRaw === undefined ? undefined : Number(secondRaw);
    if (first > 100 || (second !== undefined && second > 100)) continue;
    let result = second !== undefined && second >= first ? second : first;
    if (qualifier === '<' || qualifier === '≤' || qualifier.startsWith('less')) result = first <= 1 ? 0 : first;
    return { value: result, text: whole.trim(), index: m.index, length: whole.length };
  }
  return null;
}

function readIntensity(value: string): Receptor['intensity'] | undefined {
  const m = /\b(weak(?:ly)?|moderate(?:ly)?|strong(?:ly)?|intense(?:ly)?)\b/i.exec(value);
  if (!m) return undefined;
  const w = m[1]!.toLowerCase();
  if (w.startsWith('weak')) return 'weak';
  if (w.startsWith('moderate')) return 'moderate';
  return 'strong';
}

/**
 * Reads the result part of a receptor phrase (what follows 'ER' or 'PR').
 * Status words win; without them the status follows the percent (<1% negative, 1–10% low positive, >10% positive).
 * 'Positive' with a percent of 1–10 stays 'positive' as written; 'negative' with 1–10% is read as 'low-positive'
 * (the current ASCO/CAP wording for that range); contradictions (negative 50%) give null rather than a guess.
 */
export function parseReceptorResult(rest: string): Receptor | null {
  const value = unifyDashes(rest);
  let status: ReceptorStatusValue | undefined;
  const sign = /^\s*(?:\(\s*)?(\+{1,3}|-(?![a-z])|\(\+\)|\(-\))/i.exec(value);
  if (/\blow(?:[-\s]+level)?[-\s]*(?:positive|pos\b|\+)/i.test(value)) status = 'low-positive';
  else if (/\b(?:negative|neg)\b|\bnot\s+(?:detected|expressed)\b|\bno\s+staining\b/i.test(value)) status = 'negative';
  else if (/\b(?:positive|pos)\b|\bexpressed\b/i.test(value)) status = 'positive';
  else if (sign) status = sign[1]!.includes('+') ? 'positive' : 'negative';
  const pct = readPercent(value);
  const percent = pct?.value;
  if (status === undefined && percent !== undefined) {
    status = percent < 1 ? 'negative' : percent <= 10 ? 'low-positive' : 'positive';
  }
  if (status === undefined) return null;
  if (percent !== undefined) {
    if (status === 'negative' && percent >= 1) {
      if (percent <= 10) status = 'low-positive';
      else return null;
    }
    if (status !== 'negative' && percent < 1) return null;
  }
  const result: Receptor = { status };
  if (percent !== undefined) result.percent = percent;
  const intensity = readIntensity(value);
  if (intensity && status !== 'negative') result.intensity = intensity;
  return result;
}

/** Which receptor a phrase starts with: 'er', 'pr' or null. */
export function receptorName(value: string): 'er' | 'pr' | null {
  const v = value.trim();
  const er = new RegExp(`^${ER_NAME.source}`, 'i').exec(v);
  const pr = new RegExp(`^${PR_NAME.source}`, 'i').exec(v);
  if (er) return 'er';
  if (pr) return 'pr';
  return null;
}

/**
 * 'ER+ 95%', 'estrogen receptor positive, 95%', 'ER positive (95%)', 'ER: 95% strong', 'ER: Positive (95%, strong)'
 * → { status: 'positive', percent: 95, intensity? }. The receptor name is optional ('positive, 95%' also works).
 */
export function normalizeReceptor(value: string): Receptor | null {
  const v = unifyDashes(value).trim();
  const name = new RegExp(`^(?:${ER_NAME.source}|${PR_NAME.source})\\s*(?:status)?\\s*[:=]?\\s*`, 'i').exec(v);
  const rest = name ? v.slice(name[0].length) : v;
  return parseReceptorResult(rest);
}

/** Same status, and the same percent within RECEPTOR_PERCENT_TOLERANCE (or no percent on either side). */
export function receptorsEquivalent(a: Receptor, b: Receptor): boolean {
  if (a.status !== b.status) return false;
  if (a.percent === undefined && b.percent === undefined) return true;
  if (a.percent === undefined || b.percent === undefined) return false;
  return Math.abs(a.percent - b.percent) <= RECEPTOR_PERCENT_TOLERANCE;
}

// ---------------------------------------------------------------------------------------------------------
// HER2
// ---------------------------------------------------------------------------------------------------------

export const HER2_NAME = /\b(?:HER-?2(?:\s*\/\s*neu)?|ERBB2|c-?erbB-?2)\b/i;
const ISH_NAME = /\b(?:FISH|SISH|CISH|DDISH|DISH|dual[-\s]?(?:probe\s+)?ISH|ISH|in[-\s]situ\s+hybridi[sz]ation)\b/i;

/** The overall HER2 call that follows from the test results (null when they do not settle it). */
export function her2StatusFrom(ihc: Her2Ihc | undefined, ish: Her2Ish | undefined): Her2StatusValue | null {
  if (ish === 'amplified') return 'positive';
  if (ish === 'not-amplified') return ihc === '3+' ? 'positive' : 'negative';
  if (ihc === '3+') return 'positive';
  if (ihc === '0' || ihc === '1+') return 'negative';
  if (ihc === '2+' || ish === 'equivocal') return 'equivocal';
  return null;
}

/** The effective HER2 status of a recorded result: the stated call, else what the tests imply. */
export function her2Status(value: Her2): Her2StatusValue | null {
  return value.status ?? her2StatusFrom(value.ihc, value.ish);
}

function readIsh(value: string): Her2Ish | undefined {
  if (/\b(?:not|non)[-\s]?amplified\b|\bunamplified\b|\bno\s+amplification\b|\bnegative\b/i.test(value)) return 'not-amplified';
  if (/\bequivocal\b/i.test(value)) return 'equivocal';
  if (/\bamplified\b|\bamplification\b|\bpositive\b/i.test(value)) return 'amplified';
  return undefined;
}

function readIhc(value: string): Her2Ihc | undefined {
  const plus = /(?<![\d.])([0-3])\s*\+(?!\d)/.exec(value);
  if (plus) return `${plus[1]}+` as Her2Ihc;
  if (/(?:\b(?:score|IHC|immunohistochemistry)\b\s*(?:score\s*)?(?:of|:|=|is)?\s*|\(\s*(?:score\s*)?|^\s*[:=]?\s*)0(?![\d.%])/i.test(value)) {
    return '0';
  }
  return undefined;
}

/**
 * 'HER2 2+, FISH not amplified' → { ihc: '2+', ish: 'not-amplified', status: 'negative' }.
 * 'HER2 3+' → positive; 'HER2 IHC 0' / '1+' → negative; 'HER2-low' → negative (HER2-low is a kind of negative);
 * 'HER2 2+' alone → equivocal. The status follows ISH when given, else a stated word, else the IHC score.
 */
export function normalizeHer2(value: string): Her2 | null {
  const v = unifyDashes(value);
  const name = new RegExp(`^\\s*${HER2_NAME.source}\\s*(?:status|protein|gene)?\\s*`, 'i').exec(v);
  const body = name ? v.slice(name[0].length) : v;
  const ishAt = ISH_NAME.exec(body);
  const ihcPart = ishAt ? body.slice(0, ishAt.index) : body;
  const ishPart = ishAt ? body.slice(ishAt.index + ishAt[0].length) : '';
  let ish: Her2Ish | undefined = ishAt ? readIsh(ishPart) : undefined;
  if (!ishAt && /\bamplifi/i.test(body)) ish = readIsh(body);
  const ihc = readIhc(ihcPart);
  let stated: Her2StatusValue | undefined;
  const words = ishAt ? ihcPart : body.replace(/\b(?:not|non)[-\s]?amplified\b|\bamplified\b/gi, '');
  if (/\bequivocal\b|\bborderline\b/i.test(words)) stated = 'equivocal';
  else if (/\b(?:negative|neg)\b|\b(?:ultra)?low\b|^\s*-(?![\d\w])/i.test(words)) stated = 'negative';
  else if (/\b(?:positive|pos|over-?expressed|overexpression)\b|^\s*\+(?!\d)/i.test(words)) stated = 'positive';
  if (ihc === undefined && ish === undefined && stated === undefined) return null;
  const derivedFromIsh = ish !== undefined ? her2StatusFrom(ihc, ish) : null;
  const status = derivedFromIsh ?? stated ?? her2StatusFrom(ihc, undefined) ?? undefined;
  const result: Her2 = {};
  if (ihc !== undefined) result.ihc = ihc;
  if (ish !== undefined) result.ish = ish;
  if (status !== undefined) result.status = status;
  return result;
}

export function her2Equivalent(a: Her2, b: Her2): boolean {
  return her2Status(a) === her2Status(b) && (a.ihc ?? null) === (b.ihc ?? null) && (a.ish ?? null) === (b.ish ?? null);
}

// ---------------------------------------------------------------------------------------------------------
// TNM
// ---------------------------------------------------------------------------------------------------------

const TNM_PREFIX = '(yp|yc|p|c)?';
const T_BODY = '(X|is|0|[1-4](?:mi|[a-e])?)';
const N_BODY = '(X|0(?:\\s*\\((?:i|mol)[+-]\\))?|[1-3](?:mi|[a-c])?)';
const M_BODY = '(X|0(?:\\s*\\(i\\+\\))?|1[a-d]?)';
const TNM_STICKY = new RegExp(
  `\\s*(?:${TNM_PREFIX}(T)${T_BODY}|${TNM_PREFIX}(N)${N_BODY}|${TNM_PREFIX}(M)${M_BODY})`,
  'iy',
);
const TNM_DECORATION = /\((?:m|sn|f|\d+|DCIS|Paget)\)/gi;

function canonicalCategory(letter: 'T' | 'N' | 'M', body: string): string {
  const b = body.replace(/\s+/g, '').toLowerCase();
  return `${letter}${b === 'x' ? 'X' : b}`;
}

/**
 * 'T2 N1 M0', 'pT2N1M0', 'T2, N1, M0', 'cT2 cN1 cM0', 'ypT1c ypN0' → { prefix?, t?, n?, m? }.
 * Decorations that do not change the category are dropped: '(m)' multifocal, '(sn)' sentinel, '(f)' FNA.
 * '(i+)' / '(mol+)' are kept: N0(i+) is reported separately from N0. Mixed prefixes ('pT2 pN1 cM0') take the
 * prefix of the first letter. Returns null when the text holds anything other than TNM letters.
 */
export function normalizeTnm(value: string): Tnm | null {
  const v = unifyDashes(value)
    .replace(TNM_DECORATION, ' ')
    .replace(/\b(?:AJCC|UICC|8th|7th|edition|clinical(?:ly)?|patholog(?:ic|ical)|stage|staging|TNM|classification)\b/gi, ' ')
    .replace(/[,;:/|.]|-(?!\))/g, ' ')
    .trim();
  const result: Tnm = {};
  let pos = 0;
  while (pos < v.length) {
    if (/^\s*$/.test(v.slice(pos))) break;
    TNM_STICKY.lastIndex = pos;
    const m = TNM_STICKY.exec(v);
    if (!m) return null;
    pos = TNM_STICKY.lastIndex;
    const groups = m.slice(1);
    for (let i = 0; i < 9; i += 3) {
      const letter = groups[i + 1];
      if (!letter) continue;
      const cat = canonicalCategory(letter.toUpperCase() as 'T' | 'N' | 'M', groups[i + 2]!);
      const key = letter.toLowerCase() as 't' | 'n' | 'm';
      if (result[key] !== undefined && result[key] !== cat) return null;
      result[key] = cat;
      const p = groups[i]?.toLowerCase() as Tnm['prefix'] | undefined;
      if (p && result.prefix === undefined) result.prefix = p;
    }
  }
  if (result.t === undefined && result.n === undefined && result.m === undefined) return null;
  return result;
}

/** True when `specific` is a refinement of `general`: N1a or N1mi of N1, T1c of T1, N0(i+) of N0, M1b of M1. */
export function tnmRefines(general: string, specific: string): boolean {
  return specific !== general && specific.startsWith(general) && general.length >= 2;
}

function prefixesCompatible(a: Tnm['prefix'], b: Tnm['prefix']): boolean {
  if (!a || !b) return true;
  return a === b;
}

/**
 * Same T, N and M letters (a letter missing on both sides counts as equal). Prefixes: when both are written they
 * must match — clinical and pathologic staging are different facts, and 'y' (after pre-surgery treatment) differs
 * from its absence; when only one side writes a prefix the letters decide. N1a is NOT equivalent to N1.
 */
export function tnmEquivalent(a: Tnm, b: Tnm): boolean {
  return prefixesCompatible(a.prefix, b.prefix) && a.t === b.t && a.n === b.n && a.m === b.m;
}

export function formatTnm(value: Tnm): string {
  const p = value.prefix ?? '';
  return [value.t, value.n, value.m]
    .filter((x): x is string => x !== undefined)
    .map((x) => `${p}${x}`)
    .join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Stage group
// ---------------------------------------------------------------------------------------------------------

const ROMAN: Record<string, string> = { '0': '0', '1': 'I', '2': 'II', '3': 'III', '4': 'IV', i: 'I', ii: 'II', iii: 'III', iv: 'IV', zero: '0', one: 'I', two: 'II', three: 'III', four: 'IV' };

/** 'Stage IIB', '2B', 'IIb', 'stage 2b', 'Anatomic stage group: IIB' → 'IIB'. */
export function normalizeStageGroup(value: string): StageGroup | null {
  const v = cleanText(value)
    .replace(/^(?:ajcc\s+)?(?:(?:anatomic(?:al)?|prognostic|clinical|pathologic(?:al)?)\s+)*(?:prognostic\s+)?stage\s*(?:group)?\s*(?:is|of)?\s*[:=]?\s*/, '')
    .trim();
  const m = /^(0|iv|iii|ii|i|[1-4]|zero|one|two|three|four)\s*-?\s*([abc])?$/.exec(v);
  if (!m) return null;
  const base = ROMAN[m[1]!];
  if (!base) return null;
  const group = `${base}${(m[2] ?? '').toUpperCase()}`;
  return (STAGE_GROUPS as readonly string[]).includes(group) ? (group as StageGroup) : null;
}

/** 'II' is refined by 'IIB'. */
export function stageGroupRefines(general: string, specific: string): boolean {
  return specific !== general && specific.startsWith(general) && /^[ABC]$/.test(specific.slice(general.length));
}

// ---------------------------------------------------------------------------------------------------------
// Grade
// ---------------------------------------------------------------------------------------------------------

const GRADE_WORD: Record<string, 1 | 2 | 3> = { '1': 1, '2': 2, '3': 3, i: 1, ii: 2, iii: 3, one: 1, two: 2, three: 3 };

/**
 * 'grade 2', 'G2', 'Grade II', 'Nottingham grade 2 (score 6/9)', 'moderately differentiated', 'score 7/9'
 * → { value?, score? } with only what is written (a score alone does not invent a grade; see gradeEquivalent).
 */
export function normalizeGrade(value: string): Grade | null {
  const v = cleanText(value);
  const result: Grade = {};
  const score =
    /\b(?:total|combined|overall|nottingham|histologic|sbr|bloom[- ]richardson)?\s*score\s*(?:of|is|=|:)?\s*([3-9])(?:\s*(?:\/|of|out of)\s*9)?\b/.exec(v) ??
    /\b([3-9])\s*(?:\/|out of|of)\s*9\b/.exec(v);
  if (score) result.score = Number(score[1]);
  const g =
    /\bgrade\s*(?:is|of)?\s*[:=]?\s*(1|2|3|iii|ii|i|one|two|three)\b(?!\s*(?:\/|of|out of)\s*9)/.exec(v) ??
    /\bg([1-3])\b/.exec(v) ??
    /^(1|2|3|iii|ii|i)(?:\s*(?:\/|of)\s*3)?$/.exec(v);
  if (g) result.value = GRADE_WORD[g[1]!];
  if (result.value === undefined) {
    if (/\bwell[- ]differentiated\b|\blow[- ]grade\b/.test(v)) result.value = 1;
    else if (/\bmoderately[- ]differentiated\b|\bintermediate[- ]grade\b/.test(v)) result.value = 2;
    else if (/\bpoorly[- ]differentiated\b|\bhigh[- ]grade\b|\bundifferentiated\b/.test(v)) result.value = 3;
  }
  if (result.value === undefined && result.score === undefined) return null;
  if (result.value !== undefined && result.score !== undefined && gradeFromScore(result.score) !== result.value) return null;
  return result;
}

/** The grade a result stands for: the stated grade, else the grade its score belongs to. */
export function effectiveGrade(value: Grade): 1 | 2 | 3 | null {
  if (value.value !== undefined) return value.value as 1 | 2 | 3;
  if (value.score !== undefined) return gradeFromScore(value.score);
  return null;
}

/** Same grade; and when both give a score, the same score. */
export function gradeEquivalent(a: Grade, b: Grade): boolean {
  if (effectiveGrade(a) !== effectiveGrade(b)) return false;
  if (a.score !== undefined && b.score !== undefined) return a.score === b.score;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Laterality
// ---------------------------------------------------------------------------------------------------------

/** 'left breast', 'Lt', 'L', 'right-sided', 'both breasts', 'bilateral' → canonical laterality. */
export function normalizeLaterality(value: string): Laterality | null {
  const v = cleanText(value);
  if (/\b(?:bilateral|both|bilat)\b/.test(v)) return 'bilateral';
  if (/\bmidline\b|\bcentral\b/.test(v)) return 'midline';
  if (/\bnot applicable\b|\bn\/a\b/.test(v)) return 'not-applicable';
  const left = /\b(?:left|lt)\b/.test(v) || (v.length <= 12 && /^l\b/.test(v));
  const right = /\b(?:right|rt)\b/.test(v) || (v.length <= 12 && /^r\b/.test(v));
  if (left && right) return 'bilateral';
  if (left) return 'left';
  if (right) return 'right';
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Sizes, counts, durations
// ---------------------------------------------------------------------------------------------------------

/** '2.3 x 1.8 x 1.5 cm' → 23 (largest dimension), '18 mm' → 18, '1.5-2.0 cm' → 20 (upper end). */
export function normalizeSizeMm(value: string): number | null {
  const v = unifyDashes(value).toLowerCase();
  const m = /(\d+(?:\.\d+)?)(?:\s*(?:x|×|by)\s*(\d+(?:\.\d+)?))?(?:\s*(?:x|×|by)\s*(\d+(?:\.\d+)?))?(?:\s*(?:-|to)\s*(\d+(?:\.\d+)?))?\s*-?\s*(cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b/.exec(v);
  if (!m) return null;
  const numbers = [m[1], m[2], m[3], m[4]].filter((x): x is string => x !== undefined).map(Number);
  const largest = Math.max(...numbers);
  const mm = m[5]!.startsWith('c') ? largest * 10 : largest;
  return Math.round(mm * 10) / 10;
}

/** Two sizes within 2 mm, or within 10% of the larger, are read as the same measurement. */
export function sizesEquivalent(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(2, 0.1 * Math.max(a, b));
}

/**
 * '2/15 lymph nodes positive', '2 of 15 nodes involved', 'sentinel nodes negative (0/3)',
 * 'node-negative', 'isolated tumor cells' → { status, positive?, examined? }.
 */
export function normalizeLymphNodes(value: string): LymphNodes | null {
  const v = cleanText(value);
  const count = new RegExp(`\\b(\\d{1,3}|${NUMBER_WORD_PATTERN}|no)\\s*(?:\\/|of|out of)\\s*(\\d{1,3}|${NUMBER_WORD_PATTERN})\\b`).exec(v);
  let positive: number | undefined;
  let examined: number | undefined;
  if (count) {
    positive = parseCount(count[1]!) ?? undefined;
    examined = parseCount(count[2]!) ?? undefined;
  }
  const itc = /\bisolated tumou?r cells\b|\bitcs?\b|\(i\+\)/.test(v);
  const negWord = /\bnegative\b|\bno (?:evidence of )?(?:metasta|carcinoma|tumou?r)|\buninvolved\b|\bfree of\b|\bbenign\b/.test(v);
  const posWord = /\bpositive\b|\binvolved\b|\bmetastatic carcinoma (?:in|involving)\b|\bwith metasta/.test(v) && !/\buninvolved\b/.test(v);
  let status: LymphNodes['status'] | undefined;
  if (positive !== undefined) status = positive > 0 ? 'positive' : itc ? 'isolated-tumor-cells' : 'negative';
  else if (itc) status = 'isolated-tumor-cells';
  else if (negWord && !posWord) status = 'negative';
  else if (posWord) status = 'positive';
  if (status === undefined) return null;
  const result: LymphNodes = { status };
  if (positive !== undefined) result.positive = positive;
  if (examined !== undefined && (positive === undefined || positive <= examined)) result.examined = examined;
  return result;
}

export interface Duration {
  /** Plain form: '5 years', '4 cycles', '12 weeks'. */
  text: string;
  /** Comparison key: lengths of time become months ('m60'), counts keep their unit ('cycles:4'). */
  key: string;
}

const DAYS_PER: Record<string, number> = { year: 365.25, month: 30.44, week: 7, day: 1 };

/** '5 years' ≡ '60 months' ≡ 'five years'; '12 weeks' ≡ '3 months'; '4 cycles' ≡ 'x4 cycles'; '1 year' ≡ 'one year'. */
export function normalizeDuration(value: string): Duration | null {
  const v = cleanText(value);
  const m = new RegExp(
    `(?:\\bx\\s*)?\\b(\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN}|a|an)\\s*(?:(?:-|to)\\s*(\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN})\\s*)?(years?|yrs?|months?|mos?|weeks?|wks?|days?|cycles?|courses?|fractions?|doses?|infusions?)\\b`,
  ).exec(v);
  let n: number | null;
  let n2: number | null = null;
  let unitRaw: string;
  if (m) {
    n = parseCount(m[1]!);
    n2 = m[2] ? parseCount(m[2]) : null;
    unitRaw = m[3]!;
  } else {
    const x = /\bx\s*(\d+)\b/.exec(v);
    if (!x) return null;
    n = Number(x[1]);
    unitRaw = 'cycles';
  }
  if (n === null) return null;
  const unit = unitRaw.startsWith('y')
    ? 'year'
    : unitRaw.startsWith('mo')
      ? 'month'
      : unitRaw.startsWith('w')
        ? 'week'
        : unitRaw.startsWith('d') && unitRaw !== 'doses' && unitRaw !== 'dose'
          ? 'day'
          : unitRaw.startsWith('cycle') || unitRaw.startsWith('course')
            ? 'cycle'
            : unitRaw.startsWith('fraction')
              ? 'fraction'
              : unitRaw.startsWith('infusion')
                ? 'infusion'
                : 'dose';
  const plural = (count: number) => (count === 1 ? unit : `${unit}s`);
  const amount = n2 !== null ? `${n}–${n2}` : `${n}`;
  const text = `${amount} ${plural(n2 ?? n)}`;
  const days = DAYS_PER[unit];
  if (days !== undefined) {
    const toKey = (count: number) => {
      const months = (count * days) / DAYS_PER.month!;
      return months >= 1 ? `m${Math.round(months)}` : `d${Math.round(count * days)}`;
    };
    return { text, key: n2 !== null ? `${toKey(n)}-${toKey(n2)}` : toKey(n) };
  }
  return { text, key: `${unit}:${amount}` };
}

// ---------------------------------------------------------------------------------------------------------
// Treatments
// ---------------------------------------------------------------------------------------------------------

export interface TreatmentInfo {
  kind: StepKind;
  /** Comparison key. Drugs of one class share a key ('letrozole' and 'anastrozole' → 'aromatase-inhibitor'). */
  key: string;
  /** Plain name for display, e.g. 'lumpectomy (breast-conserving surgery)'. */
  label: string;
  /** Broader family, e.g. every mastectomy type → 'mastectomy'. */
  family?: string;
  /** Other kinds of treatment a regimen contains (TCHP contains anti-HER2 targeted drugs). */
  implies?: StepKind[];
  /** A general word for the kind ('chemotherapy', 'radiation', 'surgery') rather than a specific treatment. */
  generic?: boolean;
}

interface TreatmentEntry extends TreatmentInfo {
  /** Case-insensitive patterns (words). */
  words?: RegExp[];
  /** Case-sensitive patterns (abbreviations such as AC-T, TCHP, SLNB). */
  abbreviations?: RegExp[];
}

const THEN = '(?:\\s*(?:-|→|->|/|then|followed\\s+by|and\\s+then|,\\s*then)\\s*)';
const TAXANE = '(?:weekly\\s+|dose[-\\s]dense\\s+|q\\s?\\d\\s?w(?:eek)?\\s+)?(?:paclitaxel|taxol|docetaxel|taxotere|T|P)';
const AC_WORDS = '(?:doxorubicin|adriamycin)\\s*(?:and|\\+|/|plus|with)\\s*cyclophosphamide';
const CYCLES = '(?:\\s*(?:x|×)\\s*\\d\\s*(?:cycles)?|\\s*\\(\\s*\\w+\\s*\\)|\\s+for\\s+\\d+\\s+cycles)?';

const TREATMENTS: TreatmentEntry[] = [
  // Surgery — most specific first.
  { kind: 'surgery', key: 'nipple-sparing-mastectomy', label: 'nipple-sparing mastectomy', family: 'mastectomy', words: [/\bnipple[-\s]sparing\s+mastectom(?:y|ies)\b/i], abbreviations: [/\bNSM\b/] },
  { kind: 'surgery', key: 'skin-sparing-mastectomy', label: 'skin-sparing mastectomy', family: 'mastectomy', words: [/\bskin[-\s]sparing\s+mastectom(?:y|ies)\b/i], abbreviations: [/\bSSM\b/] },
  { kind: 'surgery', key: 'modified-radical-mastectomy', label: 'modified radical mastectomy', family: 'mastectomy', words: [/\bmodified\s+radical\s+mastectomy\b/i], abbreviations: [/\bMRM\b/] },
  { kind: 'surgery', key: 'bilateral-mastectomy', label: 'bilateral (double) mastectomy', family: 'mastectomy', words: [/\b(?:bilateral|double)\s+(?:total\s+|simple\s+)?mastectom(?:y|ies)\b/i] },
  {
    kind: 'surgery',
    key: 'lumpectomy',
    label: 'lumpectomy (breast-conserving surgery)',
    family: 'breast-conserving',
    words: [
      /\blumpectom(?:y|ies)\b/i,
      /\bbreast[-\s]conserv(?:ing|ation)\s+(?:surgery|therapy|treatment|approach)\b/i,
      /\bbreast\s+conservation\b/i,
      /\b(?:partial|segmental)\s+mastectomy\b/i,
      /\bsegmentectomy\b/i,
      /\bwide\s+(?:local\s+)?excision\b/i,
      /\bquadrantectomy\b/i,
    ],
    abbreviations: [/\bBCS\b/, /\bBCT\b/, /\bWLE\b/],
  },
  { kind: 'surgery', key: 'mastectomy', label: 'mastectomy', family: 'mastectomy', words: [/\b(?:total\s+|simple\s+|unilateral\s+)?mastectom(?:y|ies)\b/i] },
  {
    kind: 'surgery',
    key: 'sentinel-node-biopsy',
    label: 'sentinel lymph node biopsy',
    words: [/\bsentinel\s+(?:lymph\s+)?node\s+(?:biops(?:y|ies)|dissection|mapping|sampling|surgery|procedure|evaluation)\b/i],
    abbreviations: [/\bSLNB\b/, /\bSNB\b/],
  },
  {
    kind: 'surgery',
    key: 'axillary-dissection',
    label: 'axillary lymph node dissection',
    words: [/\baxillary\s+(?:lymph\s+)?node\s+dissection\b/i, /\baxillary\s+(?:dissection|clearance)\b/i],
    abbreviations: [/\bALND\b/],
  },
  {
    kind: 'surgery',
    key: 'reconstruction',
    label: 'breast reconstruction',
    words: [/\b(?:immediate\s+|delayed\s+)?(?:breast\s+)?reconstruction\b/i, /\bDIEP\s+flap\b/i, /\btissue\s+expanders?\b/i],
  },
  {
    kind: 'surgery',
    key: 'oophorectomy',
    label: 'removal of the ovaries (oophorectomy)',
    words: [/\b(?:bilateral\s+)?(?:salpingo-?)?oophorectomy\b/i],
    abbreviations: [/\bBSO\b/],
  },
  {
    kind: 'surgery',
    key: 'surgery',
    label: 'surgery',
    generic: true,
    words: [/\b(?:definitive\s+|breast\s+|upfront\s+|up-front\s+)?surgery\b/i, /\bsurgical\s+(?:resection|excision|management|treatment)\b/i, /\boperation\b/i],
  },
  // Chemotherapy regimens.
  { kind: 'chemotherapy', key: 'keynote-522', label: 'KEYNOTE-522 regimen (pembrolizumab with chemotherapy)', implies: ['immunotherapy'], words: [/\bKEYNOTE[-\s]?522(?:\s+regimen|\s+protocol)?\b/i] },
  {
    kind: 'chemotherapy',
    key: 'tchp',
    label: 'TCHP (docetaxel, carboplatin, trastuzumab, pertuzumab)',
    implies: ['targeted'],
    words: [/\bdocetaxel,?\s+carboplatin,?\s+trastuzumab,?\s+(?:and\s+)?pertuzumab\b/i],
    abbreviations: [/\bTCHP\b/, /\bTCH\s*\+?\s*P\b/],
  },
  {
    kind: 'chemotherapy',
    key: 'tch',
    label: 'TCH (docetaxel, carboplatin, trastuzumab)',
    implies: ['targeted'],
    words: [/\bdocetaxel,?\s+carboplatin,?\s+(?:and\s+)?trastuzumab\b(?!,?\s+(?:and\s+)?pertuzumab)/i],
    abbreviations: [/\bTCH\b(?!\s*\+?\s*P\b)/],
  },
  {
    kind: 'chemotherapy',
    key: 'ac-thp',
    label: 'AC-THP (AC, then a taxane with trastuzumab and pertuzumab)',
    implies: ['targeted'],
    abbreviations: [new RegExp(`\\b(?:dd)?AC${CYCLES}${THEN}THP\\b`)],
  },
  {
    kind: 'chemotherapy',
    key: 'ac-th',
    label: 'AC-TH (AC, then a taxane with trastuzumab)',
    implies: ['targeted'],
    abbreviations: [new RegExp(`\\b(?:dd)?AC${CYCLES}${THEN}TH\\b(?!P)`)],
  },
  {
    kind: 'chemotherapy',
    key: 'ac-t',
    label: 'AC-T (doxorubicin and cyclophosphamide, then a taxane)',
    words: [
      new RegExp(`\\b(?:dose[-\\s]dense\\s+)?${AC_WORDS}${CYCLES}${THEN}(?:\\d+\\s+(?:weeks|cycles)\\s+of\\s+)?(?:weekly\\s+|dose[-\\s]dense\\s+)?(?:paclitaxel|taxol|docetaxel|taxotere)\\b`, 'i'),
      new RegExp(`\\b(?:dose[-\\s]dense\\s+)?(?:dd)?AC${CYCLES}${THEN}(?:\\d+\\s+(?:weeks|cycles)\\s+of\\s+)?(?:weekly\\s+|dose[-\\s]dense\\s+)?(?:paclitaxel|taxol|docetaxel|taxotere)\\b`, 'i'),
    ],
    abbreviations: [new RegExp(`\\b(?:dd\\s?)?AC${CYCLES}${THEN}${TAXANE}\\b(?!H)`), /\b(?:dd)?ACT\b/, /\bAC-?P\b/],
  },
  { kind: 'chemotherapy', key: 'ac', label: 'AC (doxorubicin and cyclophosphamide)', words: [new RegExp(`\\b${AC_WORDS}\\b`, 'i')], abbreviations: [/\b(?:dd)?AC\b/] },
  { kind: 'chemotherapy', key: 'tc', label: 'TC (docetaxel and cyclophosphamide)', words: [/\b(?:docetaxel|taxotere)\s*(?:and|\+|\/|plus|with)\s*cyclophosphamide\b/i], abbreviations: [/\bTC\b(?!H)/] },
  {
    kind: 'chemotherapy',
    key: 'thp',
    label: 'THP (a taxane with trastuzumab and pertuzumab)',
    implies: ['targeted'],
    words: [/\b(?:weekly\s+)?(?:paclitaxel|docetaxel|taxane),?\s+(?:with\s+|plus\s+|and\s+)?trastuzumab,?\s+(?:and|plus|\+)\s+pertuzumab\b/i],
    abbreviations: [/\bTHP\b/],
  },
  {
    kind: 'chemotherapy',
    key: 'th',
    label: 'paclitaxel with trastuzumab (TH / APT)',
    implies: ['targeted'],
    words: [/\b(?:weekly\s+)?paclitaxel\s+(?:and|with|plus|\+)\s+trastuzumab\b(?!,?\s+(?:and|plus|\+)\s+pertuzumab)/i, /\bAPT\s+regimen\b/i],
    abbreviations: [/\bAPT\b/],
  },
  { kind: 'chemotherapy', key: 'cmf', label: 'CMF (cyclophosphamide, methotrexate, fluorouracil)', abbreviations: [/\bCMF\b/] },
  { kind: 'chemotherapy', key: 'carboplatin-paclitaxel', label: 'carboplatin and paclitaxel', words: [/\bcarboplatin\s*(?:and|\+|\/|plus|with)\s*(?:weekly\s+)?paclitaxel\b/i, /\bpaclitaxel\s*(?:and|\+|\/|plus|with)\s*carboplatin\b/i] },
  { kind: 'chemotherapy', key: 'capecitabine', label: 'capecitabine', words: [/\bcapecitabine\b/i, /\bxeloda\b/i] },
  { kind: 'chemotherapy', key: 'paclitaxel', label: 'paclitaxel', words: [/\b(?:weekly\s+|nab-?)?paclitaxel\b/i, /\btaxol\b/i, /\babraxane\b/i] },
  { kind: 'chemotherapy', key: 'docetaxel', label: 'docetaxel', words: [/\bdocetaxel\b/i, /\btaxotere\b/i] },
  { kind: 'chemotherapy', key: 'eribulin', label: 'eribulin', words: [/\beribulin\b/i] },
  { kind: 'chemotherapy', key: 'gemcitabine', label: 'gemcitabine', words: [/\bgemcitabine\b/i] },
  {
    kind: 'chemotherapy',
    key: 'chemotherapy',
    label: 'chemotherapy',
    generic: true,
    words: [/\b(?:systemic\s+|cytotoxic\s+)?chemotherapy\b/i, /\bchemo\b/i],
  },
  // Radiation.
  {
    kind: 'radiation',
    key: 'partial-breast',
    label: 'partial-breast radiation',
    words: [/\b(?:accelerated\s+)?partial[-\s]breast\s+(?:irradiation|radiation|radiotherapy)(?:\s+therapy)?\b/i],
    abbreviations: [/\bAPBI\b/, /\bPBI\b/],
  },
  {
    kind: 'radiation',
    key: 'post-mastectomy',
    label: 'radiation after mastectomy (chest wall)',
    words: [/\bpost[-\s]?mastectomy\s+(?:radiation|radiotherapy|irradiation)(?:\s+therapy)?\b/i, /\bchest[-\s]wall\s+(?:radiation|radiotherapy|irradiation)\b/i],
    abbreviations: [/\bPMRT\b/],
  },
  {
    kind: 'radiation',
    key: 'regional-nodal',
    label: 'radiation to the lymph node areas',
    words: [
      /\bregional\s+nod(?:al|e)\s+(?:irradiation|radiation|radiotherapy)\b/i,
      /\b(?:radiation|radiotherapy|irradiation)\s+to\s+the\s+(?:regional\s+)?(?:lymph\s+nodes|nodes|nodal\s+basins?|axilla|supraclavicular\s+(?:fossa|region|nodes))\b/i,
    ],
    abbreviations: [/\bRNI\b/],
  },
  {
    kind: 'radiation',
    key: 'whole-breast',
    label: 'whole-breast radiation',
    words: [
      /\b(?:hypofractionated\s+)?whole[-\s]breast\s+(?:radiation|irradiation|radiotherapy)(?:\s+therapy)?\b/i,
      /\b(?:radiation|radiotherapy)\s+(?:therapy\s+)?to\s+the\s+(?:left\s+|right\s+|whole\s+|entire\s+)?breast\b/i,
      /\bbreast\s+(?:radiation|irradiation|radiotherapy)\b/i,
    ],
    abbreviations: [/\bWBI\b/, /\bWBRT\b/],
  },
  {
    kind: 'radiation',
    key: 'stereotactic',
    label: 'stereotactic radiation',
    words: [/\bstereotactic\s+(?:radiosurgery|body\s+radiation(?:\s+therapy)?|radiation|radiotherapy)\b/i],
    abbreviations: [/\bSRS\b/, /\bSBRT\b/],
  },
  {
    kind: 'radiation',
    key: 'radiation',
    label: 'radiation',
    generic: true,
    words: [/\b(?:hypofractionated\s+|adjuvant\s+)?(?:radiation|radiotherapy|irradiation)(?!\s+oncolog)(?:\s+therapy|\s+treatment)?\b/i],
    abbreviations: [/\bXRT\b/],
  },
  // Endocrine (hormone) therapy.
  { kind: 'endocrine', key: 'tamoxifen', label: 'tamoxifen', words: [/\btamoxifen\b/i, /\bnolvadex\b/i] },
  { kind: 'endocrine', key: 'aromatase-inhibitor', label: 'letrozole (aromatase inhibitor)', words: [/\bletrozole\b/i, /\bfemara\b/i] },
  { kind: 'endocrine', key: 'aromatase-inhibitor', label: 'anastrozole (aromatase inhibitor)', words: [/\banastrozole\b/i, /\barimidex\b/i] },
  { kind: 'endocrine', key: 'aromatase-inhibitor', label: 'exemestane (aromatase inhibitor)', words: [/\bexemestane\b/i, /\baromasin\b/i] },
  { kind: 'endocrine', key: 'aromatase-inhibitor', label: 'aromatase inhibitor', words: [/\baromatase\s+inhibitors?\b/i], abbreviations: [/\bAIs?\b/] },
  {
    kind: 'endocrine',
    key: 'ovarian-suppression',
    label: 'ovarian function suppression',
    words: [/\bovarian\s+(?:function\s+)?suppression\b/i, /\bgoserelin\b/i, /\bzoladex\b/i, /\bleuprolide\b/i, /\blupron\b/i, /\btriptorelin\b/i],
    abbreviations: [/\bOFS\b/],
  },
  { kind: 'endocrine', key: 'fulvestrant', label: 'fulvestrant', words: [/\bfulvestrant\b/i, /\bfaslodex\b/i] },
  { kind: 'endocrine', key: 'elacestrant', label: 'elacestrant', words: [/\belacestrant\b/i] },
  {
    kind: 'endocrine',
    key: 'endocrine-therapy',
    label: 'hormone (endocrine) therapy',
    generic: true,
    words: [/\b(?:endocrine|hormonal|hormone|anti-?estrogen|antihormonal)\s+(?:therapy|treatment|blockade)\b/i],
  },
  // Targeted therapy.
  { kind: 'targeted', key: 't-dxd', label: 'trastuzumab deruxtecan (T-DXd)', words: [/\b(?:fam-)?trastuzumab\s+deruxtecan\b/i, /\benhertu\b/i], abbreviations: [/\bT-?DXd\b/] },
  { kind: 'targeted', key: 't-dm1', label: 'trastuzumab emtansine (T-DM1)', words: [/\b(?:ado-)?trastuzumab\s+emtansine\b/i, /\bkadcyla\b/i], abbreviations: [/\bT-?DM-?1\b/] },
  {
    kind: 'targeted',
    key: 'trastuzumab-pertuzumab',
    label: 'trastuzumab and pertuzumab (anti-HER2)',
    words: [
      /\btrastuzumab\s*(?:and|\+|\/|plus|with)\s*pertuzumab\b/i,
      /\bpertuzumab\s*(?:and|\+|\/|plus|with)\s*trastuzumab\b/i,
      /\bherceptin\s*(?:and|\+|\/|plus|with)\s*perjeta\b/i,
      /\bphesgo\b/i,
    ],
    abbreviations: [/\bHP\b/],
  },
  { kind: 'targeted', key: 'trastuzumab', label: 'trastuzumab (anti-HER2)', words: [/\btrastuzumab\b(?!\s+(?:deruxtecan|emtansine))/i, /\bherceptin\b/i] },
  { kind: 'targeted', key: 'pertuzumab', label: 'pertuzumab (anti-HER2)', words: [/\bpertuzumab\b/i, /\bperjeta\b/i] },
  { kind: 'targeted', key: 'neratinib', label: 'neratinib', words: [/\bneratinib\b/i] },
  { kind: 'targeted', key: 'tucatinib', label: 'tucatinib', words: [/\btucatinib\b/i] },
  { kind: 'targeted', key: 'lapatinib', label: 'lapatinib', words: [/\blapatinib\b/i] },
  { kind: 'targeted', key: 'cdk4-6-inhibitor', label: 'palbociclib (CDK4/6 inhibitor)', words: [/\bpalbociclib\b/i, /\bibrance\b/i] },
  { kind: 'targeted', key: 'cdk4-6-inhibitor', label: 'ribociclib (CDK4/6 inhibitor)', words: [/\bribociclib\b/i, /\bkisqali\b/i] },
  { kind: 'targeted', key: 'cdk4-6-inhibitor', label: 'abemaciclib (CDK4/6 inhibitor)', words: [/\babemaciclib\b/i, /\bverzenio\b/i] },
  { kind: 'targeted', key: 'cdk4-6-inhibitor', label: 'CDK4/6 inhibitor', words: [/\bCDK\s?4\/6\s+inhibitors?\b/i] },
  { kind: 'targeted', key: 'parp-inhibitor', label: 'olaparib (PARP inhibitor)', words: [/\bolaparib\b/i, /\blynparza\b/i] },
  { kind: 'targeted', key: 'parp-inhibitor', label: 'talazoparib (PARP inhibitor)', words: [/\btalazoparib\b/i] },
  { kind: 'targeted', key: 'parp-inhibitor', label: 'PARP inhibitor', words: [/\bPARP\s+inhibitors?\b/i] },
  { kind: 'targeted', key: 'alpelisib', label: 'alpelisib', words: [/\balpelisib\b/i] },
  { kind: 'targeted', key: 'capivasertib', label: 'capivasertib', words: [/\bcapivasertib\b/i] },
  { kind: 'targeted', key: 'everolimus', label: 'everolimus', words: [/\beverolimus\b/i] },
  { kind: 'targeted', key: 'sacituzumab-govitecan', label: 'sacituzumab govitecan', words: [/\bsacituzumab(?:\s+govitecan)?\b/i, /\btrodelvy\b/i] },
  {
    kind: 'targeted',
    key: 'anti-her2',
    label: 'anti-HER2 therapy',
    generic: true,
    words: [/\b(?:anti-?HER2|HER2[-\s](?:directed|targeted))\s+(?:therapy|treatment|agents?|antibod(?:y|ies))\b/i],
  },
  { kind: 'targeted', key: 'targeted-therapy', label: 'targeted therapy', generic: true, words: [/\btargeted\s+(?:therapy|therapies|treatment)\b/i] },
  // Immunotherapy.
  { kind: 'immunotherapy', key: 'pembrolizumab', label: 'pembrolizumab', words: [/\bpembrolizumab\b/i, /\bkeytruda\b/i] },
  { kind: 'immunotherapy', key: 'atezolizumab', label: 'atezolizumab', words: [/\batezolizumab\b/i, /\btecentriq\b/i] },
  { kind: 'immunotherapy', key: 'immunotherapy', label: 'immunotherapy', generic: true, words: [/\bimmunotherapy\b/i, /\b(?:immune\s+)?checkpoint\s+inhibitors?\b/i] },
  // Other.
  { kind: 'other', key: 'bone-modifying', label: 'bone-strengthening drug', words: [/\bzoledronic\s+acid\b/i, /\bzometa\b/i, /\bdenosumab\b/i, /\bbisphosphonates?\b/i] },
  { kind: 'active-surveillance', key: 'active-surveillance', label: 'active surveillance', words: [/\bactive\s+surveillance\b/i, /\bwatchful\s+waiting\b/i] },
  { kind: 'supportive-care', key: 'supportive-care', label: 'supportive / palliative care', words: [/\b(?:palliative|supportive)\s+care\b/i, /\bhospice\b/i] },
  { kind: 'clinical-trial', key: 'clinical-trial', label: 'clinical trial', generic: true, words: [/\bclinical\s+trials?\b/i] },
];

const FAMILY_BY_KEY = new Map(TREATMENTS.map((t) => [t.key, t.family ?? t.key]));

/** The broader family of a treatment key ('nipple-sparing-mastectomy' → 'mastectomy'); the key itself otherwise. */
export function treatmentFamily(key: string): string {
  return FAMILY_BY_KEY.get(key) ?? key;
}

/** Every treatment the app knows by name, with its plain label (one entry per label), e.g. for a picker. */
export function knownTreatments(): TreatmentInfo[] {
  return TREATMENTS.map(({ words: _w, abbreviations: _a, ...info }) => info);
}

/** Every histology the app knows, with its plain label. */
export function knownHistologies(): { key: HistologyKey; label: string; invasive: boolean }[] {
  return HISTOLOGY.map(({ key, label, invasive }) => ({ key, label, invasive }));
}

export interface TreatmentMention extends Span, TreatmentInfo {
  text: string;
}

/** Every named treatment in a text, longest match first where names overlap ('partial mastectomy' over 'mastectomy'). */
export function findTreatmentMentions(value: string): TreatmentMention[] {
  const source = unifyDashes(value);
  const found: (TreatmentMention & { priority: number })[] = [];
  TREATMENTS.forEach((entry, priority) => {
    const { words, abbreviations, ...info } = entry;
    for (const re of [labelPattern(entry.label), ...(words ?? []), ...(abbreviations ?? [])]) {
      for (const m of allMatches(re, source)) {
        found.push({ ...info, text: m[0], start: m.index, end: m.index + m[0].length, priority });
      }
    }
  });
  return pickNonOverlapping(found).map(({ priority: _p, ...rest }) => rest);
}

/**
 * 'lumpectomy' ≡ 'breast-conserving surgery' ≡ 'partial mastectomy'; 'AC-T' ≡ 'ddAC→T' ≡ 'AC followed by
 * paclitaxel' ≡ 'doxorubicin and cyclophosphamide followed by weekly paclitaxel' (schedule variants are one
 * regimen family); letrozole/anastrozole/exemestane → aromatase inhibitor; trastuzumab, pertuzumab → targeted.
 * Returns the most specific treatment named (a general word such as 'chemotherapy' only when nothing else is).
 */
export function normalizeTreatment(value: string): TreatmentInfo | null {
  const mentions = findTreatmentMentions(value);
  const pick = mentions.find((m) => !m.generic) ?? mentions[0];
  if (!pick) return null;
  const { start: _s, end: _e, text: _t, ...info } = pick;
  return info;
}

/**
 * A comparison key for a whole treatment description: the sorted set of treatment keys it names
 * ('lumpectomy with SLNB' → 'lumpectomy+sentinel-node-biopsy'). General words are dropped when a specific
 * treatment of the same kind is named. Falls back to the cleaned text.
 */
export function treatmentKey(value: string): string {
  const mentions = findTreatmentMentions(value);
  if (mentions.length === 0) return `text:${cleanText(value)}`;
  const specificKinds = new Set(mentions.filter((m) => !m.generic).map((m) => m.kind));
  const keys = new Set(mentions.filter((m) => !(m.generic && specificKinds.has(m.kind))).map((m) => m.key));
  return [...keys].sort().join('+');
}

// ---------------------------------------------------------------------------------------------------------
// Equivalence of two written phrases
// ---------------------------------------------------------------------------------------------------------

export type EquivalenceKind =
  | 'histology'
  | 'receptor'
  | 'her2'
  | 'tnm'
  | 'stageGroup'
  | 'grade'
  | 'laterality'
  | 'treatment'
  | 'duration'
  | 'lymphNodes'
  | 'tumorSize';

/**
 * Do two phrases say the same thing? Each side is normalised with the matching function above; when either side
 * cannot be read, the cleaned texts are compared. A phrase that says less (a status without the percent) is not
 * equivalent to one that says more: that is a "partial" statement, handled by compareOpinions.
 */
export function equivalent(kind: EquivalenceKind, a: string, b: string): boolean {
  const fallback = () => cleanText(a) === cleanText(b);
  switch (kind) {
    case 'histology': {
      const x = normalizeHistology(a);
      const y = normalizeHistology(b);
      return x && y ? x === y : fallback();
    }
    case 'receptor': {
      const x = normalizeReceptor(a);
      const y = normalizeReceptor(b);
      return x && y ? receptorsEquivalent(x, y) : fallback();
    }
    case 'her2': {
      const x = normalizeHer2(a);
      const y = normalizeHer2(b);
      return x && y ? her2Equivalent(x, y) : fallback();
    }
    case 'tnm': {
      const x = normalizeTnm(a);
      const y = normalizeTnm(b);
      return x && y ? tnmEquivalent(x, y) : fallback();
    }
    case 'stageGroup': {
      const x = normalizeStageGroup(a);
      const y = normalizeStageGroup(b);
      return x && y ? x === y : fallback();
    }
    case 'grade': {
      const x = normalizeGrade(a);
      const y = normalizeGrade(b);
      return x && y ? gradeEquivalent(x, y) : fallback();
    }
    case 'laterality': {
      const x = normalizeLaterality(a);
      const y = normalizeLaterality(b);
      return x && y ? x === y : fallback();
    }
    case 'treatment': {
      const x = treatmentKey(a);
      const y = treatmentKey(b);
      return x === y;
    }
    case 'duration': {
      const x = normalizeDuration(a);
      const y = normalizeDuration(b);
      return x && y ? x.key === y.key : fallback();
    }
    case 'lymphNodes': {
      const x = normalizeLymphNodes(a);
      const y = normalizeLymphNodes(b);
      return x && y ? x.status === y.status && x.positive === y.positive && x.examined === y.examined : fallback();
    }
    case 'tumorSize': {
      const x = normalizeSizeMm(a);
      const y = normalizeSizeMm(b);
      return x !== null && y !== null ? sizesEquivalent(x, y) : fallback();
    }
  }
}
