import {
  findHistologyMentions,
  findTreatmentMentions,
  her2StatusFrom,
  histologyLabel,
  HER2_NAME,
  normalizeDuration,
  normalizeHer2,
  normalizeStageGroup,
  normalizeTnm,
  normalizeTreatment,
  NUMBER_WORD_PATTERN,
  parseCount,
  parseReceptorResult,
  readPercent,
  unifyDashes,
  type TreatmentMention,
} from './normalize';
import {
  gradeFromScore,
  type Grade,
  type Her2,
  type Laterality,
  type LymphNodes,
  type Metastasis,
  type OpinionInput,
  type Receptor,
  type StageGroup,
  type StepKind,
  type StepTiming,
  type Tnm,
  type TreatmentStep,
} from './schema';
import { STEP_KIND_LABELS } from './compare';

/**
 * proposeFromText(text) reads a report or a consultation note and PROPOSES values for an opinion. Nothing is
 * applied: each proposal is shown to the person, who accepts, edits or rejects it (applyProposals does the merge
 * for the accepted ones).
 *
 * A proposal is { field, value, display, snippet, start, end }:
 *   field    a path in OpinionInput ('diagnosis.er', 'recommendation.steps', ...);
 *   value    in the schema's shape for that path. For list fields ('recommendation.steps',
 *            'recommendation.notRecommended', 'recommendation.clinicalTrials') it is ONE item to add;
 *   display  plain words for the person;
 *   snippet  the sentence the value was read from (several sentences joined by ' … ' when pieces were combined);
 *   start/end offsets of the matched phrase in `text` (text.slice(start, end)); for combined findings they
 *            span from the first piece to the last.
 *
 * Rules worth knowing:
 *   - Negations are read as stated "no"s where the schema has one ('No lymphovascular invasion' → absent;
 *     'negative for metastatic carcinoma (0/3)' → nodes negative 0 of 3; 'chemotherapy is not recommended' →
 *     notRecommended). A negated histology ('no invasive carcinoma identified') or a negated specific treatment
 *     ('sentinel node biopsy is not needed') gives no proposal.
 *   - Ranges give the upper value ('80-90%' → 90, '1.5 to 1.8 cm' → 18 mm, 'Ki-67 15-20%' → 20).
 *   - Sizes are the largest dimension in mm; margin distances, node deposits, core lengths are not tumor sizes.
 *   - TNM: the c/p/yp prefix decides clinical vs pathologic; without one, words nearby ('clinical', 'pathologic')
 *     decide, else the kind of document (pathology report → pathologic, other notes → clinical).
 *   - Treatments are not proposed from pathology reports (they name the procedure that produced the specimen) nor
 *     from mentions of past treatment ('status post', 'underwent', 'completed'), nor when set against another
 *     option ('versus'). A general word ('chemotherapy') is dropped when a specific one of the same kind is named.
 *   - Timing: 'neoadjuvant / before surgery' and 'adjuvant / after surgery' words nearby, or the order in the
 *     sentence ('chemotherapy first, then surgery' → neoadjuvant; 'lumpectomy followed by radiation' → adjuvant).
 *   - Identical findings are proposed once; a finding contained in a fuller one ('ER positive' beside
 *     'ER positive, 95%') is dropped in favour of the fuller one.
 */

export type ProposalField =
  | 'diagnosis.histology'
  | 'diagnosis.grade'
  | 'diagnosis.er'
  | 'diagnosis.pr'
  | 'diagnosis.her2'
  | 'diagnosis.ki67Percent'
  | 'diagnosis.tumorSizeMm'
  | 'diagnosis.lymphNodes'
  | 'diagnosis.metastasis'
  | 'diagnosis.clinicalTnm'
  | 'diagnosis.pathologicTnm'
  | 'diagnosis.stageGroup'
  | 'diagnosis.laterality'
  | 'diagnosis.margins'
  | 'diagnosis.lymphovascularInvasion'
  | 'recommendation.steps'
  | 'recommendation.notRecommended'
  | 'recommendation.clinicalTrials';

export interface ProposalValues {
  'diagnosis.histology': string;
  'diagnosis.grade': Grade;
  'diagnosis.er': Receptor;
  'diagnosis.pr': Receptor;
  'diagnosis.her2': Her2;
  'diagnosis.ki67Percent': number;
  'diagnosis.tumorSizeMm': number;
  'diagnosis.lymphNodes': LymphNodes;
  'diagnosis.metastasis': Metastasis;
  'diagnosis.clinicalTnm': Tnm;
  'diagnosis.pathologicTnm': Tnm;
  'diagnosis.stageGroup': StageGroup;
  'diagnosis.laterality': Laterality;
  'diagnosis.margins': 'negative' | 'close' | 'positive';
  'diagnosis.lymphovascularInvasion': 'present' | 'absent';
  'recommendation.steps': TreatmentStep;
  'recommendation.notRecommended': StepKind;
  'recommendation.clinicalTrials': string;
}

export type Proposal = {
  [F in ProposalField]: {
    field: F;
    value: ProposalValues[F];
    display: string;
    snippet: string;
    start: number;
    end: number;
  };
}[ProposalField];

/** The field and value of a proposal (what applyProposals needs), with the value typed by the field. */
export type ProposalCore = { [F in ProposalField]: { field: F; value: ProposalValues[F] } }[ProposalField];

/** Fields whose proposals add one item to a list rather than set a value. */
export const LIST_PROPOSAL_FIELDS: readonly ProposalField[] = [
  'recommendation.steps',
  'recommendation.notRecommended',
  'recommendation.clinicalTrials',
];

// ---------------------------------------------------------------------------------------------------------
// Internal shapes
// ---------------------------------------------------------------------------------------------------------

interface Seg {
  text: string;
  start: number;
  end: number;
}

interface Raw {
  field: ProposalField;
  value: unknown;
  start: number;
  end: number;
  /** Sentences (segment indexes) the finding came from. */
  segs: number[];
}

interface Ctx {
  src: string;
  segs: Seg[];
  isPathology: boolean;
  out: Raw[];
}

const SNIPPET_MAX = 300;

function add(ctx: Ctx, field: ProposalField, value: unknown, start: number, end: number, seg: number): Raw {
  const raw: Raw = { field, value, start, end, segs: [seg] };
  ctx.out.push(raw);
  return raw;
}

// ---------------------------------------------------------------------------------------------------------
// Segmentation
// ---------------------------------------------------------------------------------------------------------

const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'vs', 'e.g', 'i.e', 'approx', 'no', 'st', 'fig', 'cf', 'etc', 'pt', 'dx']);

/** Sentences with their offsets: lines are split, and lines are split again after . ! ? before a capital or digit. */
export function segmentText(src: string): Seg[] {
  const segs: Seg[] = [];
  let lineStart = 0;
  for (const line of src.split('\n')) {
    let segStart = 0;
    const boundary = /([.!?])\s+(?=[A-Z0-9(-])/g;
    let m: RegExpExecArray | null;
    while ((m = boundary.exec(line)) !== null) {
      const before = /(\S+)$/.exec(line.slice(segStart, m.index))?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(before.replace(/^\(/, ''))) continue;
      if (/^[a-z]$/i.test(before) && m[1] === '.') continue; // initials: "Dr. A. Smith", "A. Left breast"
      pushSeg(segs, line, lineStart, segStart, m.index + 1);
      segStart = m.index + m[0].length;
    }
    pushSeg(segs, line, lineStart, segStart, line.length);
    lineStart += line.length + 1;
  }
  return segs;
}

function pushSeg(segs: Seg[], line: string, lineStart: number, from: number, to: number) {
  const text = line.slice(from, to);
  if (text.trim() === '') return;
  segs.push({ text, start: lineStart + from, end: lineStart + to });
}

function looksLikePathologyReport(src: string): boolean {
  return /\bfinal\s+(?:pathologic(?:al)?\s+)?diagnosis\b|\bspecimens?\s*:|\bsurgical\s+pathology\b|\bpathology\s+report\b|\bgross\s+description\b|\bmicroscopic\s+description\b|\bsynoptic\b|\baddendum\b/i.test(
    src,
  );
}

function allMatches(re: RegExp, value: string): RegExpExecArray[] {
  const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
  const g = new RegExp(re.source, flags);
  const out: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = g.exec(value)) !== null) {
    if (m[0].length === 0) {
      g.lastIndex += 1;
      continue;
    }
    out.push(m);
  }
  return out;
}

/** Text of the clause around a position in a segment (clauses end at ; and at 'but' / 'however'). */
function clauseAround(text: string, index: number): { text: string; start: number } {
  const stops = /;|\bbut\b|\bhowever\b|\bwhereas\b/gi;
  let start = 0;
  let end = text.length;
  let m: RegExpExecArray | null;
  while ((m = stops.exec(text)) !== null) {
    if (m.index + m[0].length <= index) start = m.index + m[0].length;
    else if (m.index >= index) {
      end = m.index;
      break;
    }
  }
  return { text: text.slice(start, end), start };
}

// ---------------------------------------------------------------------------------------------------------
// Histology
// ---------------------------------------------------------------------------------------------------------

const NEGATION_BEFORE = /\b(?:no|not|negative\s+for|without|free\s+of|absence\s+of|rule\s+out|r\/o|history\s+of|prior|previous)\b[^.;:]*$/i;
const NEGATION_AFTER = /^[\s,]*(?:[:-]\s*)?(?:is\s+|was\s+|are\s+)?(?:not\s+(?:identified|present|seen)|absent|none\b|negative\b)/i;

function extractHistology(ctx: Ctx) {
  const found: { key: ReturnType<typeof findHistologyMentions>[number]['key']; invasive: boolean; start: number; end: number; seg: number }[] = [];
  ctx.segs.forEach((seg, si) => {
    for (const m of findHistologyMentions(seg.text)) {
      const before = seg.text.slice(Math.max(0, m.start - 60), m.start);
      const after = seg.text.slice(m.end, m.end + 40);
      if (NEGATION_BEFORE.test(before) || NEGATION_AFTER.test(after)) continue;
      found.push({ key: m.key, invasive: m.invasive, start: seg.start + m.start, end: seg.start + m.end, seg: si });
    }
  });
  const anyInvasive = found.some((f) => f.invasive);
  const anySpecificInvasive = found.some((f) => f.invasive && f.key !== 'invasive-carcinoma');
  for (const f of found) {
    if (anyInvasive && !f.invasive) continue; // an in-situ component beside an invasive cancer is not the diagnosis
    if (anySpecificInvasive && f.key === 'invasive-carcinoma') continue;
    add(ctx, 'diagnosis.histology', histologyLabel(f.key), f.start, f.end, f.seg);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Grade
// ---------------------------------------------------------------------------------------------------------

const GRADE_WORDS: Record<string, 1 | 2 | 3> = { '1': 1, '2': 2, '3': 3, i: 1, ii: 2, iii: 3, one: 1, two: 2, three: 3 };
const GRADE_RE =
  /\b(?:(?:combined|overall|final|nottingham|elston(?:[-\s]ellis)?|histologic(?:al)?|SBR|(?:modified\s+)?bloom[-\s]richardson|tumou?r)\s+){0,2}grade\s*(?:\((?:nottingham|elston[^)]*|SBR|modified[^)]*)\))?\s*(?:is\s+|of\s+)?[:=]?\s*(?:grade\s*)?(1|2|3|III|II|I|one|two|three)\b(?:\s*(?:\/|of|out\s+of)\s*(?:3|III)\b)?/gi;
const SIDE_EFFECT_AFTER = /^\s*(?:neuropathy|toxicity|nausea|fatigue|diarrh|mucositis|rash|anemia|neutropenia|dermatitis)/i;
const SCORE_RE =
  /\b(?:total|combined|overall|final|nottingham|histologic|SBR|bloom[-\s]richardson)\s+score\s*(?:of|is|=|:)?\s*([3-9])\b(?:\s*(?:\/|of|out\s+of)\s*9\b)?|\bscore\s*(?:of|:|=)?\s*([3-9])\s*(?:\/|of|out\s+of)\s*9\b|\b([3-9])\s*\/\s*9\b/gi;
const DIFFERENTIATION_RE = /\b(well|moderately|poorly)[-\s]differentiated\b/gi;
const G_RE = /\bG([1-3])\b(?!\s*P\d)/g;

function extractGrade(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    let value: 1 | 2 | 3 | undefined;
    let score: number | undefined;
    let start = Infinity;
    let end = -1;
    const take = (m: RegExpExecArray) => {
      start = Math.min(start, m.index);
      end = Math.max(end, m.index + m[0].length);
    };
    for (const m of allMatches(GRADE_RE, seg.text)) {
      const before = seg.text.slice(Math.max(0, m.index - 12), m.index);
      if (/nuclear\s*$/i.test(before) || /nuclear/i.test(m[0])) continue;
      if (SIDE_EFFECT_AFTER.test(seg.text.slice(m.index + m[0].length))) continue;
      if (value === undefined) {
        value = GRADE_WORDS[m[1]!.toLowerCase()];
        take(m);
      }
    }
    for (const m of allMatches(G_RE, seg.text)) {
      if (value === undefined) {
        value = GRADE_WORDS[m[1]!];
        take(m);
      }
    }
    for (const m of allMatches(SCORE_RE, seg.text)) {
      const before = seg.text.slice(Math.max(0, m.index - 25), m.index);
      if (/allred|recurrence|oncotype|h-?score/i.test(before)) continue;
      if (score === undefined) {
        score = Number(m[1] ?? m[2] ?? m[3]);
        take(m);
      }
    }
    if (value === undefined && score === undefined) {
      for (const m of allMatches(DIFFERENTIATION_RE, seg.text)) {
        const w = m[1]!.toLowerCase();
        value = w === 'well' ? 1 : w === 'moderately' ? 2 : 3;
        take(m);
        break;
      }
    }
    if (value === undefined && score === undefined) return;
    if (value !== undefined && score !== undefined && gradeFromScore(score) !== value) {
      add(ctx, 'diagnosis.grade', { value }, seg.start + start, seg.start + end, si);
      return;
    }
    const grade: Grade = {};
    if (value !== undefined) grade.value = value;
    if (score !== undefined) grade.score = score;
    add(ctx, 'diagnosis.grade', grade, seg.start + start, seg.start + end, si);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Receptors, HER2, Ki-67
// ---------------------------------------------------------------------------------------------------------

const ER_MENTION = [/\bER(?=[\s:+\-(/,]|$)/g, /\b(?:o?estrogen)[-\s]receptors?(?:\s*\(\s*ER\s*\))?(?:\s+status)?/gi];
const PR_MENTION = [/\bP(?:R|gR|GR)(?=[\s:+\-(/,]|$)/g, /\bprogesterone[-\s]receptors?(?:\s*\(\s*P(?:R|gR|GR)\s*\))?(?:\s+status)?/gi];
const HER2_MENTION = [new RegExp(HER2_NAME.source, 'gi')];
const KI67_MENTION = [/\bKi[-\s]?67\b(?:\s*\(MIB-?1\))?/gi];
const ISH_LINE = /\b(?:FISH|SISH|CISH|DDISH|dual[-\s]?(?:probe\s+)?ISH|ISH|in[-\s]situ\s+hybridi[sz]ation)\b/;

interface Marker {
  kind: 'er' | 'pr' | 'her2' | 'ki67';
  start: number;
  end: number;
}

function markersIn(text: string): Marker[] {
  const found: (Marker & { len: number })[] = [];
  const push = (kind: Marker['kind'], list: RegExp[]) => {
    for (const re of list) for (const m of allMatches(re, text)) found.push({ kind, start: m.index, end: m.index + m[0].length, len: m[0].length });
  };
  push('er', ER_MENTION);
  push('pr', PR_MENTION);
  push('her2', HER2_MENTION);
  push('ki67', KI67_MENTION);
  found.sort((a, b) => b.len - a.len);
  const kept: Marker[] = [];
  for (const f of found) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push({ kind: f.kind, start: f.start, end: f.end });
  return kept.sort((a, b) => a.start - b.start);
}

function windowEnd(text: string, from: number, markers: Marker[], max: number): number {
  let end = Math.min(text.length, from + max);
  const next = markers.find((m) => m.start >= from);
  if (next) end = Math.min(end, next.start);
  const semi = text.slice(from, end).search(/;/);
  if (semi >= 0) end = from + semi;
  return end;
}

const JOINT_RE =
  /\b(ER|PR|PgR)\s*(?:\/|and|&|,)\s*(PR|PgR|ER)(\s*(?:\/|and|&|,)\s*HER-?2(?:\/neu)?)?\s*(?:receptors?\s+)?(?:(?:are|were|both|all)\s+)*[-:]?\s*(positive|negative|pos|neg|\+|-)(?![\w%])/gi;
const TRIPLE_NEGATIVE_RE = /\btriple[-\s]negative\b|\bTNBC\b/gi;
const PERCENT_LINE = /^\s*(?:percentage|percent|proportion|%)\s+(?:of\s+)?(?:positive\s+)?(?:tumou?r\s+)?(?:cells|nuclei|staining)[^:]*:\s*(.+)$/i;
const INTENSITY_LINE = /^\s*(?:average\s+)?intensity(?:\s+of\s+(?:nuclear\s+)?staining)?\s*:\s*(.+)$/i;

function extractReceptors(ctx: Ctx) {
  let last: { raw: Raw; end: number } | null = null;
  ctx.segs.forEach((seg, si) => {
    const text = seg.text;
    const markers = markersIn(text);
    const consumed: [number, number][] = [];
    for (const m of allMatches(JOINT_RE, text)) {
      const word = m[4]!.toLowerCase();
      const negative = word.startsWith('neg') || word === '-';
      const value: Receptor = { status: negative ? 'negative' : 'positive' };
      const s = seg.start + m.index;
      const e = s + m[0].length;
      add(ctx, 'diagnosis.er', { ...value }, s, e, si);
      add(ctx, 'diagnosis.pr', { ...value }, s, e, si);
      if (m[3]) add(ctx, 'diagnosis.her2', { status: negative ? 'negative' : 'positive' }, s, e, si);
      consumed.push([m.index, m.index + m[0].length]);
    }
    for (const m of allMatches(TRIPLE_NEGATIVE_RE, text)) {
      const s = seg.start + m.index;
      const e = s + m[0].length;
      add(ctx, 'diagnosis.er', { status: 'negative' }, s, e, si);
      add(ctx, 'diagnosis.pr', { status: 'negative' }, s, e, si);
      add(ctx, 'diagnosis.her2', { status: 'negative' }, s, e, si);
    }
    let sawMarker = false;
    for (const mk of markers) {
      if (consumed.some(([a, b]) => mk.start >= a && mk.start < b)) continue;
      sawMarker = true;
      const wEnd = windowEnd(text, mk.end, markers, mk.kind === 'ki67' ? 50 : 90);
      const windowText = text.slice(mk.end, wEnd);
      if (mk.kind === 'er' || mk.kind === 'pr') {
        const value = parseReceptorResult(windowText);
        if (!value) {
          last = null;
          continue;
        }
        const raw = add(ctx, mk.kind === 'er' ? 'diagnosis.er' : 'diagnosis.pr', value, seg.start + mk.start, seg.start + wEnd, si);
        last = { raw, end: seg.end };
      } else if (mk.kind === 'her2') {
        last = null;
        const value = normalizeHer2(text.slice(mk.start, wEnd));
        if (value) add(ctx, 'diagnosis.her2', value, seg.start + mk.start, seg.start + wEnd, si);
      } else {
        last = null;
        if (!/^\s*(?:proliferation\s+)?(?:index|labell?ing\s+index|rate|score)?\s*(?:of|is|was|:|=|-)?\s*(?:approximately|about|~|<|>)?\s*\d/i.test(windowText)) continue;
        const pct = readPercent(windowText);
        if (pct) add(ctx, 'diagnosis.ki67Percent', pct.value, seg.start + mk.start, seg.start + mk.end + pct.index + pct.length, si);
      }
    }
    if (!sawMarker) {
      // Stand-alone ISH lines ('FISH: not amplified') and CAP follow-up lines for the receptor above.
      const ish = ISH_LINE.exec(text);
      if (ish) {
        const value = normalizeHer2(text.slice(ish.index));
        if (value && value.ish) add(ctx, 'diagnosis.her2', value, seg.start + ish.index, seg.end, si);
      }
      const prev = last as { raw: Raw; end: number } | null;
      if (prev && seg.start - prev.end < 300) {
        const receptor = prev.raw.value as Receptor;
        const pl = PERCENT_LINE.exec(text);
        const il = INTENSITY_LINE.exec(text);
        if (pl && receptor.percent === undefined) {
          const pct = readPercent(pl[1]!);
          if (pct) {
            const merged = parseReceptorResult(`${receptor.status === 'low-positive' ? 'low positive' : receptor.status} ${pct.value}%`);
            if (merged) {
              prev.raw.value = receptor.intensity ? { ...merged, intensity: receptor.intensity } : merged;
              prev.raw.end = seg.end;
              prev.raw.segs.push(si);
              prev.end = seg.end;
            }
          }
        } else if (il && receptor.intensity === undefined && receptor.status !== 'negative') {
          const w = /\b(weak|moderate|strong|intense)\b/i.exec(il[1]!);
          if (w) {
            const intensity = w[1]!.toLowerCase() === 'intense' ? 'strong' : (w[1]!.toLowerCase() as Receptor['intensity']);
            prev.raw.value = { ...receptor, intensity };
            prev.raw.end = seg.end;
            prev.raw.segs.push(si);
            prev.end = seg.end;
          }
        } else if (!pl && !il && text.trim() !== '') {
          last = null;
        }
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Tumor size
// ---------------------------------------------------------------------------------------------------------

const SIZE_RE =
  /(?<![\d.])(\d{1,3}(?:\.\d+)?)(?:\s*(?:x|×|by)\s*(\d{1,3}(?:\.\d+)?))?(?:\s*(?:x|×|by)\s*(\d{1,3}(?:\.\d+)?))?(?:\s*(?:-|to)\s*(\d{1,3}(?:\.\d+)?))?\s*-?\s*(cm|mm)\b/gi;
const SIZE_CONTEXT_BEFORE = /\b(?:tumou?rs?|mass|masses|carcinoma|lesion|size|measur\w*|dimension|focus|invasive|IDC|ILC|nodule|cancer|spanning|span)\b/i;
const SIZE_CONTEXT_AFTER = /^\s*(?:\w+\s+){0,3}?(?:mass|tumou?r|lesion|carcinoma|cancer|invasive|IDC|ILC|irregular|spiculated|hypoechoic|nodule|enhancing)\b/i;
const SIZE_EXCLUDE_BEFORE =
  /\b(?:margins?|nodes?|nodal|deposits?|metasta\w*|away|from|distance|clip|skin|nipple|cores?|specimen|fragments?|DCIS|in\s+situ|needle|gauge|axilla\w*|seroma|cyst|additional|length|biopsy\s+site|incision|scar)\b/i;
const SIZE_EXCLUDE_AFTER = /^\s*(?:from|away|to\s+the|of\s+(?:the\s+)?(?:margin|skin|nipple))|^\s*(?:\w+\s+)?(?:deposit|metasta|margin|node)/i;

function extractSize(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    for (const m of allMatches(SIZE_RE, seg.text)) {
      const beforeAll = seg.text.slice(Math.max(0, m.index - 80), m.index);
      const near = seg.text.slice(Math.max(0, m.index - 40), m.index);
      const nearClause = near.split(/[;]/).pop() ?? near;
      const after = seg.text.slice(m.index + m[0].length, m.index + m[0].length + 40);
      if (SIZE_EXCLUDE_AFTER.test(after)) continue;
      const describesTumorAfter = SIZE_CONTEXT_AFTER.test(after);
      if (!describesTumorAfter && (!SIZE_CONTEXT_BEFORE.test(beforeAll) || SIZE_EXCLUDE_BEFORE.test(nearClause))) continue;
      const numbers = [m[1], m[2], m[3], m[4]].filter((x): x is string => x !== undefined).map(Number);
      const largest = Math.max(...numbers);
      const mm = Math.round((m[5]!.toLowerCase() === 'cm' ? largest * 10 : largest) * 10) / 10;
      if (!(mm > 0 && mm <= 300)) continue;
      add(ctx, 'diagnosis.tumorSizeMm', mm, seg.start + m.index, seg.start + m.index + m[0].length, si);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lymph nodes and metastasis
// ---------------------------------------------------------------------------------------------------------

const NODE_WORD = /\b(?:lymph\s+)?nodes?\b|\bLNs?\b|\bSLNs?\b|\baxilla(?:ry)?\b/i;
const COUNT_RE = new RegExp(`\\b(\\d{1,2}|${NUMBER_WORD_PATTERN}|no)\\s*(?:\\/|of|out\\s+of)\\s*(\\d{1,2}|${NUMBER_WORD_PATTERN})\\b`, 'gi');
const COUNT_AFTER_NODE = /^\s*\)?\s*(?:\w+\s+){0,3}?(?:(?:sentinel|axillary|regional|non-?sentinel)\s+)?(?:lymph\s+)?(?:nodes?|LNs?|SLNs?)\b/i;
const EXAMINED_RE = /\b(?:total\s+)?number\s+of\s+(?:sentinel\s+)?(?:lymph\s+)?nodes?\s+examined(?:\s*\([^)]*\))?\s*:\s*(\d{1,3})/gi;
const WITH_RE = /\bnumber\s+(?:of\s+(?:sentinel\s+)?(?:lymph\s+)?nodes?\s+)?with\s+(macrometasta\w+|micrometasta\w+|isolated\s+tumou?r\s+cells|metasta\w+)\s*:\s*(\d{1,3}|none)/gi;
const NODE_STATUS_PATTERNS: [RegExp, LymphNodes['status']][] = [
  [/\bnode[-\s](negative|positive)\b/gi, 'negative'],
  [/\b(negative|positive)\s+(?:sentinel\s+|axillary\s+)?(?:lymph\s+)?nodes?\b/gi, 'negative'],
  [/\b(?:sentinel\s+|axillary\s+|regional\s+)?(?:lymph\s+)?nodes?\b(?:\s+\w+){0,3}?\s*(?:[:-]|are|were|is|was|remain)?\s*(negative|positive|uninvolved|involved|benign)\b/gi, 'negative'],
  [/\bno\s+(?:evidence\s+of\s+)?(?:lymph\s+node|nodal|axillary)\s+(?:metasta\w+|involvement|disease)\b/gi, 'negative'],
  [/\b(?:axillary|nodal|lymph\s+node)\s+(?:lymph\s+node\s+)?metasta(?:sis|ses|tic\s+disease)\b/gi, 'positive'],
];

function nodeStatusWord(word: string | undefined, fallback: LymphNodes['status']): LymphNodes['status'] {
  if (!word) return fallback;
  const w = word.toLowerCase();
  if (w === 'positive' || w === 'involved') return 'positive';
  return 'negative';
}

function extractNodes(ctx: Ctx) {
  let examined: { n: number; start: number; end: number; seg: number } | null = null;
  let positiveTotal: number | null = null;
  let itc = 0;
  let withEnd = -1;
  ctx.segs.forEach((seg, si) => {
    const text = seg.text;
    let counted = false;
    for (const m of allMatches(COUNT_RE, text)) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
      const before = text.slice(Math.max(0, m.index - 60), m.index);
      const nodeNear = COUNT_AFTER_NODE.test(after) || NODE_WORD.test(before);
      if (!nodeNear) continue;
      if (/\b(?:score|allred|ratio|grade)\s*[:=]?\s*$/i.test(before) || /^\s*\/?\s*9\b/.test(text.slice(m.index + m[0].length - 1))) continue;
      const positive = parseCount(m[1]!);
      const total = parseCount(m[2]!);
      if (positive === null || total === null || total === 0 || positive > total) continue;
      const isItc = /isolated\s+tumou?r\s+cells|\(i\+\)/i.test(text);
      const status: LymphNodes['status'] = positive > 0 ? 'positive' : isItc ? 'isolated-tumor-cells' : 'negative';
      add(ctx, 'diagnosis.lymphNodes', { status, positive, examined: total }, seg.start + m.index, seg.start + m.index + m[0].length, si);
      counted = true;
    }
    for (const m of allMatches(EXAMINED_RE, text)) {
      examined = { n: Number(m[1]), start: seg.start + m.index, end: seg.start + m.index + m[0].length, seg: si };
    }
    for (const m of allMatches(WITH_RE, text)) {
      const n = m[2]!.toLowerCase() === 'none' ? 0 : Number(m[2]);
      const kind = m[1]!.toLowerCase();
      if (kind.startsWith('isolated')) itc += n;
      else positiveTotal = (positiveTotal ?? 0) + n;
      withEnd = seg.start + m.index + m[0].length;
    }
    if (counted) return;
    if (/\bisolated\s+tumou?r\s+cells\b/i.test(text) && NODE_WORD.test(text) && !/number\s+.*with\s+isolated/i.test(text)) {
      const m = /\bisolated\s+tumou?r\s+cells\b/i.exec(text)!;
      add(ctx, 'diagnosis.lymphNodes', { status: 'isolated-tumor-cells' }, seg.start + m.index, seg.start + m.index + m[0].length, si);
      return;
    }
    if (/number\s+of/i.test(text)) return;
    for (const [re, fallback] of NODE_STATUS_PATTERNS) {
      const m = allMatches(re, text)[0];
      if (!m) continue;
      const between = m[0];
      if (/\b(?:ER|PR|HER-?2|margins?)\b/i.test(between)) continue;
      const before = text.slice(Math.max(0, m.index - 30), m.index);
      let status = nodeStatusWord(m[1], fallback);
      if (fallback === 'positive' && /\b(?:no|without|negative\s+for)\b[^.;]*$/i.test(before)) status = 'negative';
      add(ctx, 'diagnosis.lymphNodes', { status }, seg.start + m.index, seg.start + m.index + m[0].length, si);
      break;
    }
  });
  const ex = examined as { n: number; start: number; end: number; seg: number } | null;
  if (ex && positiveTotal !== null && positiveTotal <= ex.n) {
    const status: LymphNodes['status'] = positiveTotal > 0 ? 'positive' : itc > 0 ? 'isolated-tumor-cells' : 'negative';
    add(ctx, 'diagnosis.lymphNodes', { status, positive: positiveTotal, examined: ex.n }, ex.start, Math.max(ex.end, withEnd), ex.seg);
  }
}

const SITE_WORDS: Record<string, string> = {
  bone: 'bone', bones: 'bone', liver: 'liver', hepatic: 'liver', lung: 'lung', lungs: 'lung', pulmonary: 'lung', brain: 'brain',
  pleura: 'pleura', pleural: 'pleura', peritoneum: 'peritoneum', peritoneal: 'peritoneum', adrenal: 'adrenal gland',
  skin: 'skin', spine: 'spine', ovary: 'ovary', ovaries: 'ovary', 'distant lymph nodes': 'distant lymph nodes',
};
const SITE = '(?:bones?|liver|hepatic|lungs?|pulmonary|brain|pleura|pleural|peritoneum|peritoneal|adrenal|skin|spine|ovary|ovaries|distant\\s+lymph\\s+nodes)';
const SITE_LIST = `(${SITE}(?:\\s*(?:,|and|&)\\s*(?:the\\s+)?${SITE})*)`;
const MET_TO_RE = new RegExp(`\\bmetasta(?:tic|sis|ses)\\s+(?:disease\\s+)?(?:to|in|involving)\\s+(?:the\\s+)?${SITE_LIST}`, 'gi');
const SITE_MET_RE = new RegExp(`\\b${SITE_LIST}\\s+metastas[ie]s\\b`, 'gi');
const MET_NONE_RE = /\b(?:no|without|negative\s+for|free\s+of)\s+(?:\w+\s+){0,5}?(?:evidence\s+of\s+|signs?\s+of\s+)?(?:distant\s+)?(?:metastases|metastasis|metastatic\s+disease)\b/gi;
const MET_GENERAL_RE = /\b(?:de\s+novo\s+)?metastatic\s+(?:breast\s+)?(?:cancer|carcinoma|disease)\b/gi;

function sitesOf(list: string): string[] {
  const out: string[] = [];
  for (const m of allMatches(new RegExp(SITE, 'gi'), list)) {
    const site = SITE_WORDS[m[0].toLowerCase().replace(/\s+/g, ' ')] ?? m[0].toLowerCase();
    if (!out.includes(site)) out.push(site);
  }
  return out;
}

function extractMetastasis(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    const text = seg.text;
    for (const m of allMatches(MET_NONE_RE, text)) {
      if (/\b(?:lymph|node|nodal|axilla)/i.test(m[0])) continue;
      add(ctx, 'diagnosis.metastasis', { status: 'none' }, seg.start + m.index, seg.start + m.index + m[0].length, si);
      return;
    }
    const negatedBefore = (i: number) => /\b(?:no|without|negative\s+for|free\s+of|rule\s+out)\b[^.;]*$/i.test(text.slice(Math.max(0, i - 40), i));
    let found = false;
    for (const re of [MET_TO_RE, SITE_MET_RE]) {
      for (const m of allMatches(re, text)) {
        if (negatedBefore(m.index)) continue;
        const sites = sitesOf(m[1]!);
        add(ctx, 'diagnosis.metastasis', { status: 'present', sites }, seg.start + m.index, seg.start + m.index + m[0].length, si);
        found = true;
      }
    }
    if (found || NODE_WORD.test(text)) return;
    for (const m of allMatches(MET_GENERAL_RE, text)) {
      if (negatedBefore(m.index)) continue;
      add(ctx, 'diagnosis.metastasis', { status: 'present' }, seg.start + m.index, seg.start + m.index + m[0].length, si);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Margins, lymphovascular invasion
// ---------------------------------------------------------------------------------------------------------

const MARGIN_RE = [
  /\bmargins?\b(?:\s+of\s+(?:resection|excision))?(?:\s*\([^)]*\))?\s*(?:are|is|were|was|:|-)?\s*(?:all\s+|widely\s+)?(negative|uninvolved|free|clear|positive|involved|close)\b/gi,
  /\b(negative|positive|close|clear|free)\s+(?:surgical\s+|resection\s+)?margins?\b/gi,
];

function extractMargins(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    for (const re of MARGIN_RE) {
      const m = allMatches(re, seg.text)[0];
      if (!m) continue;
      const w = m[1]!.toLowerCase();
      const value = w === 'positive' || w === 'involved' ? 'positive' : w === 'close' ? 'close' : 'negative';
      add(ctx, 'diagnosis.margins', value, seg.start + m.index, seg.start + m.index + m[0].length, si);
      return;
    }
  });
}

const LVI_RE = /\b(?:lympho-?vascular|lymph-vascular|angiolymphatic|lymphatic|vascular)\s+(?:space\s+)?invasion\b(?:\s*\(\s*LVI\s*\))?|\bLVS?I\b/gi;

function extractLvi(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    for (const m of allMatches(LVI_RE, seg.text)) {
      const before = seg.text.slice(Math.max(0, m.index - 40), m.index);
      const after = seg.text.slice(m.index + m[0].length, m.index + m[0].length + 40);
      let value: 'present' | 'absent' | undefined;
      if (/\b(?:no|without|negative\s+for|absence\s+of|free\s+of)\b(?:\s+(?:evidence|definite|definitive|convincing)\s+of)?\s*$/i.test(before)) value = 'absent';
      else if (/^\s*(?:\([^)]*\)\s*)?(?:is\s+|was\s+|:|-)?\s*(?:not\s+(?:identified|present|seen)|absent|negative|none|-(?!\w))/i.test(after)) value = 'absent';
      else if (/^\s*(?:\([^)]*\)\s*)?(?:is\s+|was\s+|:|-)?\s*(?:present|identified|positive|seen|focal|extensive|\+)/i.test(after)) value = 'present';
      else if (/\bwith\s+$/i.test(before)) value = 'present';
      if (!value) continue;
      add(ctx, 'diagnosis.lymphovascularInvasion', value, seg.start + m.index, seg.start + m.index + m[0].length, si);
      return;
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// TNM and stage group
// ---------------------------------------------------------------------------------------------------------

const P = '(?:yp|yc|p|c)?';
const T_TOKEN = `${P}T(?:X|is|0|[1-4](?:mi|[a-e])?)(?:\\s*\\((?:m|\\d+)\\))?`;
const N_TOKEN = `${P}N(?:X|0(?:\\s*\\((?:i|mol)[+-]\\))?|[1-3](?:mi|[a-c])?)(?:\\s*\\((?:sn|f)\\))?`;
const M_TOKEN = `${P}M(?:X|0(?:\\s*\\(i\\+\\))?|1[a-d]?)`;
const SEP = '\\s*[,/]?\\s*';
const TNM_COMBO_RE = new RegExp(`(?<![A-Za-z0-9])${T_TOKEN}${SEP}${N_TOKEN}(?:${SEP}${M_TOKEN})?(?![A-Za-z0-9])`, 'g');
const TNM_SINGLE_RE = new RegExp(
  `(?<![A-Za-z0-9])(?:yp|yc|p|c)(?:T(?:X|is|0|[1-4](?:mi|[a-e])?)(?:\\s*\\((?:m|\\d+)\\))?|N(?:X|0(?:\\s*\\((?:i|mol)[+-]\\))?|[1-3](?:mi|[a-c])?)(?:\\s*\\((?:sn|f)\\))?|M(?:X|0|1[a-d]?))(?![A-Za-z0-9])`,
  'g',
);

function extractTnm(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    const taken: [number, number][] = [];
    const handle = (m: RegExpExecArray) => {
      if (taken.some(([a, b]) => m.index < b && a < m.index + m[0].length)) return;
      taken.push([m.index, m.index + m[0].length]);
      const tnm = normalizeTnm(m[0]);
      if (!tnm) return;
      let pathologic: boolean;
      if (tnm.prefix) pathologic = tnm.prefix === 'p' || tnm.prefix === 'yp';
      else if (/\bclinical(?:ly)?\b/i.test(seg.text)) pathologic = false;
      else if (/\bpatholog\w*|\bsurgical\b/i.test(seg.text)) pathologic = true;
      else pathologic = ctx.isPathology;
      add(ctx, pathologic ? 'diagnosis.pathologicTnm' : 'diagnosis.clinicalTnm', tnm, seg.start + m.index, seg.start + m.index + m[0].length, si);
    };
    for (const m of allMatches(TNM_COMBO_RE, seg.text)) handle(m);
    for (const m of allMatches(TNM_SINGLE_RE, seg.text)) handle(m);
  });
}

const STAGE_RE =
  /\b(?:AJCC\s+)?(?:(?:anatomic(?:al)?|prognostic|clinical|pathologic(?:al)?)\s+)*stage\s*(?:group)?\s*(?:is\s+|of\s+|:\s*|=\s*)?(0|IV|III|II|I|[1-4])\s*-?\s*([ABCabc])?(?![\w+])/gi;

function extractStageGroup(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    for (const m of allMatches(STAGE_RE, seg.text)) {
      const group = normalizeStageGroup(`${m[1]}${m[2] ?? ''}`);
      if (!group) continue;
      add(ctx, 'diagnosis.stageGroup', group, seg.start + m.index, seg.start + m.index + m[0].length, si);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Laterality
// ---------------------------------------------------------------------------------------------------------

const LATERALITY_RES: RegExp[] = [
  /\b(left|right|bilateral)\s+(?:breasts?|axilla(?:ry)?|chest\s+wall|side|sided)\b/gi,
  /\b(left|right)-sided\b/gi,
  /\b(left|right)\s+(?:partial\s+|total\s+|simple\s+|modified\s+radical\s+|skin-sparing\s+|nipple-sparing\s+)?(?:lumpectomy|mastectomy)\b/gi,
  /\blaterality\s*:\s*(left|right|bilateral)\b/gi,
  /\bbreast,\s*(left|right)\b/gi,
  /\b(R|L|Rt|Lt)\.?\s+breast\b/g,
];

function extractLaterality(ctx: Ctx) {
  const found: { value: Laterality; start: number; end: number; seg: number }[] = [];
  ctx.segs.forEach((seg, si) => {
    for (const re of LATERALITY_RES) {
      for (const m of allMatches(re, seg.text)) {
        const after = seg.text.slice(m.index + m[0].length, m.index + m[0].length + 40);
        const before = seg.text.slice(Math.max(0, m.index - 40), m.index);
        if (/^\s*(?:is|was|appears|remains)\s+(?:normal|unremarkable|negative|benign|clear)/i.test(after)) continue;
        if (/\b(?:no|without)\b[^.;]*$/i.test(before) && !/\bcancer|carcinoma|mass\b/i.test(before)) continue;
        const w = m[1]!.toLowerCase();
        const value: Laterality = w.startsWith('l') ? 'left' : w.startsWith('r') ? 'right' : 'bilateral';
        found.push({ value, start: seg.start + m.index, end: seg.start + m.index + m[0].length, seg: si });
      }
    }
  });
  if (found.length === 0) return;
  const counts = new Map<Laterality, number>();
  for (const f of found) counts.set(f.value, (counts.get(f.value) ?? 0) + 1);
  const max = Math.max(...counts.values());
  const keep = new Set([...counts].filter(([, n]) => n === max).map(([v]) => v));
  for (const f of found) if (keep.has(f.value)) add(ctx, 'diagnosis.laterality', f.value, f.start, f.end, f.seg);
}

// ---------------------------------------------------------------------------------------------------------
// Treatments
// ---------------------------------------------------------------------------------------------------------

const SKIP_LINE = /^\s*(?:[A-Z]\.\s*)?(?:specimens?|procedures?|operations?(?:\s+performed)?|received|clinical\s+(?:history|information)|history|indications?|prior\s+treatment|past\s+(?:medical|surgical)\s+history|gross)\b/i;
const PAST_BEFORE = /\b(?:s\/p|status\s+post|underwent|has\s+had|had\s+(?:a|an|her)?|history\s+of|previous(?:ly)?|prior(?!\s+to)|was\s+treated|completed|received|tolerated|was\s+started)\b/i;
const OPTIONS_CLAUSE = /\b(?:versus|vs\.?|the\s+role\s+of|pros\s+and\s+cons|alternatives?)\b/i;
const NEG_BEFORE = /\b(?:no|not|without|avoid(?:ing)?|forgo(?:ing)?|omit(?:ting)?|against|declines?|declined|skip(?:ping)?)\b(?:\s+[\w-]+){0,3}\s*$|n't(?:\s+[\w-]+){0,3}\s*$/i;
const NEG_AFTER =
  /^[\s,]*(?:[\w-]+\s+){0,3}?(?:is|are|would|will|can|may|could|should|does|do)?\s*(?:not\s+be\s+|be\s+|reasonably\s+be\s+)?(?:not\s+(?:recommended|indicated|needed|necessary|required|beneficial|warranted|advised|feasible|possible|appropriate|an\s+option)|omitted|unnecessary|not\s+needed)\b/i;

/**
 * A surgery named only as a point in time ('radiation after lumpectomy', 'a 49-year-old after right mastectomy and
 * axillary dissection') is context, not a recommendation. Chains joined by 'and' / 'with' / '+' share the verdict.
 */
function surgeryIsContext(text: string, m: TreatmentMention, mentions: TreatmentMention[]): boolean {
  let head = m;
  for (;;) {
    const prev = [...mentions].reverse().find((o) => o.end <= head.start && o.kind === 'surgery');
    if (!prev || !/^\s*(?:and|with|plus|\+|,|&)\s*(?:an?\s+|the\s+|left\s+|right\s+)?$/i.test(text.slice(prev.end, head.start))) break;
    head = prev;
  }
  return /\b(?:after|following|s\/p|status\s+post)\s+(?:her\s+|the\s+|a\s+|an\s+)?(?:left\s+|right\s+|bilateral\s+)?$/i.test(
    text.slice(Math.max(0, head.start - 40), head.start),
  );
}
const NOT_A_RECOMMENDATION = /\b(?:rather\s+than|instead\s+of|declined|declines|refused)\b/i;
const SURGERY_IN_TIMING = /(?:before|after|prior\s+to|following|until|at\s+the\s+time\s+of|from|post|pre|recovery\s+from|time\s+of|at)\s+(?:her\s+|the\s+|definitive\s+|any\s+)?$/i;

interface TimingCue {
  timing: StepTiming;
  start: number;
  end: number;
}

const TIMING_CUES: [RegExp, StepTiming][] = [
  [/\bneo-?adjuvant\b|\bpre-?operative(?:ly)?\b|\b(?:before|prior\s+to|ahead\s+of)\s+(?:her\s+|the\s+|any\s+|definitive\s+)?(?:surgery|operation|lumpectomy|mastectomy)\b|\bup-?front\s+(?:systemic|chemo\w*)/gi, 'neoadjuvant'],
  [/(?<!neo-?)\badjuvant\b|\bpost-?operative(?:ly)?\b|\b(?:after|following)\s+(?:her\s+|the\s+|definitive\s+)?(?:surgery|operation|lumpectomy|mastectomy|recovery)\b/gi, 'adjuvant'],
  [/\bconcurrent(?:ly)?\b|\bat\s+the\s+same\s+time\s+as\b/gi, 'concurrent'],
  [/\bmaintenance\b/gi, 'maintenance'],
  [/\bpalliative(?!\s+care)\b/gi, 'palliative'],
];

function timingCues(text: string): TimingCue[] {
  const cues: TimingCue[] = [];
  for (const [re, timing] of TIMING_CUES) for (const m of allMatches(re, text)) cues.push({ timing, start: m.index, end: m.index + m[0].length });
  return cues.sort((a, b) => a.start - b.start);
}

const CONNECT_AFTER = /\b(?:followed\s+by|then|after\s+which|afterwards|and\s+then)\b/i;
const CONNECT_BEFORE = /\b(?:followed\s+by|then|before|prior\s+to|and\s+then)\b/i;

function timingFor(text: string, mention: TreatmentMention, surgeries: TreatmentMention[], cues: TimingCue[]): StepTiming | undefined {
  if (mention.kind === 'surgery') return undefined;
  const surgeryBetween = (a: number, b: number) => surgeries.some((s) => s.start >= a && s.end <= b);
  let best: TimingCue | undefined;
  for (const c of cues) {
    if (c.end > mention.start) break;
    if (surgeryBetween(c.end, mention.start) || text.slice(c.end, mention.start).includes(';')) continue;
    best = c;
  }
  if (best) return best.timing;
  const following = cues.find((c) => c.start >= mention.end && c.start - mention.end <= 40 && !text.slice(mention.end, c.start).includes(';'));
  if (following) return following.timing;
  const surgeryBefore = [...surgeries].reverse().find((s) => s.end <= mention.start);
  if (surgeryBefore && CONNECT_AFTER.test(text.slice(surgeryBefore.end, mention.start))) return 'adjuvant';
  const surgeryAfter = surgeries.find((s) => s.start >= mention.end);
  if (surgeryAfter && CONNECT_BEFORE.test(text.slice(mention.end, surgeryAfter.start))) return 'neoadjuvant';
  return undefined;
}

const DURATION_UNITS = '(?:years?|yrs?|months?|weeks?|cycles?|courses?|doses?|infusions?)';
const DURATION_AFTER = new RegExp(
  `^[^.;]{0,30}?(?:\\bfor|\\bx|×|\\bover|\\bto\\s+complete|\\btotal(?:ing)?|\\btotal\\s+of)\\s*(?:at\\s+least\\s+|a\\s+total\\s+of\\s+|approximately\\s+|about\\s+)?((?:\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN}|a|one)\\s*(?:(?:-|to)\\s*(?:\\d+|${NUMBER_WORD_PATTERN})\\s*)?${DURATION_UNITS})\\b|^[^.;]{0,40}?\\bin\\s+(\\d+\\s+fractions)\\b`,
  'i',
);
const DURATION_BEFORE = new RegExp(`((?:\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN}|one|a)\\s*(?:(?:-|to)\\s*\\d+\\s*)?${DURATION_UNITS})\\s+of\\s+(?:[\\w-]+\\s+){0,2}$`, 'i');

function durationFor(text: string, mention: TreatmentMention, next: TreatmentMention | undefined): string | undefined {
  const afterEnd = next ? Math.min(next.start, mention.end + 90) : mention.end + 90;
  const after = text.slice(mention.end, afterEnd).replace(/^\s*\([^)]*\)/, (m) => ' '.repeat(Math.min(m.length, 1)));
  const a = DURATION_AFTER.exec(after);
  const raw = a ? (a[1] ?? a[2]) : DURATION_BEFORE.exec(text.slice(Math.max(0, mention.start - 40), mention.start))?.[1];
  if (!raw) return undefined;
  return normalizeDuration(raw)?.text;
}

interface StepFound {
  step: TreatmentStep;
  key: string;
  generic: boolean;
  start: number;
  end: number;
  seg: number;
}

function extractTreatments(ctx: Ctx) {
  const steps: StepFound[] = [];
  const notRecommended = new Map<StepKind, { start: number; end: number; seg: number }>();
  ctx.segs.forEach((seg, si) => {
    const text = seg.text;
    if (SKIP_LINE.test(text)) return;
    const all = findTreatmentMentions(text);
    // Expansions of a specific regimen in brackets ('THP (paclitaxel, trastuzumab, pertuzumab)') are not extra
    // steps. Brackets after a general word ('chemotherapy (dose-dense AC-T)') name the treatment and are kept.
    const mentions = all.filter((m) => {
      const openParen = text.lastIndexOf('(', m.start);
      if (openParen < 0 || text.indexOf(')', openParen) < m.end) return true;
      const owner = all.find((o) => o !== m && o.end <= openParen && openParen - o.end <= 2);
      return !owner || owner.generic === true;
    });
    if (mentions.length === 0) return;
    const cues = timingCues(text);
    const surgeries = mentions.filter((m) => m.kind === 'surgery' && !(m.generic && SURGERY_IN_TIMING.test(text.slice(Math.max(0, m.start - 30), m.start))));
    mentions.forEach((m, i) => {
      const clause = clauseAround(text, m.start);
      const inClauseBefore = text.slice(clause.start, m.start);
      if (m.kind === 'surgery' && !m.generic && surgeryIsContext(text, m, mentions)) return;
      if (m.generic && m.kind === 'surgery' && SURGERY_IN_TIMING.test(text.slice(Math.max(0, m.start - 30), m.start))) return;
      if (PAST_BEFORE.test(inClauseBefore)) return;
      if (OPTIONS_CLAUSE.test(clause.text)) return;
      if (NOT_A_RECOMMENDATION.test(inClauseBefore.slice(-40))) return;
      const negated = NEG_BEFORE.test(inClauseBefore.slice(-40)) || NEG_AFTER.test(text.slice(m.end, clause.start + clause.text.length));
      if (negated) {
        if (m.generic && m.kind !== 'clinical-trial') {
          if (!notRecommended.has(m.kind)) notRecommended.set(m.kind, { start: seg.start + m.start, end: seg.start + m.end, seg: si });
        }
        return;
      }
      if (m.kind === 'clinical-trial') return;
      const step: TreatmentStep = { kind: m.kind, detail: m.label };
      const timing = timingFor(text, m, surgeries, cues);
      if (timing) step.timing = timing;
      const duration = durationFor(text, m, mentions[i + 1]);
      if (duration) step.duration = duration;
      steps.push({ step, key: m.key, generic: m.generic === true, start: seg.start + m.start, end: seg.start + m.end, seg: si });
    });
  });

  // General words give way to specific treatments of the same kind (their timing/duration carry over).
  const specificKinds = new Set(steps.filter((s) => !s.generic).map((s) => s.step.kind));
  for (const g of steps.filter((s) => s.generic && specificKinds.has(s.step.kind))) {
    for (const s of steps.filter((x) => !x.generic && x.step.kind === g.step.kind)) {
      if (s.step.timing === undefined && g.step.timing !== undefined && g.seg === s.seg) s.step.timing = g.step.timing;
      if (s.step.duration === undefined && g.step.duration !== undefined) s.step.duration = g.step.duration;
    }
  }
  const kept = steps.filter((s) => !(s.generic && specificKinds.has(s.step.kind)) && !(s.generic && notRecommended.has(s.step.kind)));
  const seen = new Map<string, StepFound>();
  for (const s of kept) {
    const id = `${s.step.kind}|${s.key}|${s.step.timing ?? ''}`;
    const prev = seen.get(id);
    if (prev) {
      if (prev.step.duration === undefined && s.step.duration !== undefined) prev.step.duration = s.step.duration;
      continue;
    }
    // A later mention without timing repeats an earlier one with timing.
    const earlier = [...seen.values()].find((x) => x.step.kind === s.step.kind && x.key === s.key);
    if (earlier && s.step.timing === undefined) continue;
    if (earlier && earlier.step.timing === undefined) {
      earlier.step.timing = s.step.timing;
      if (s.step.duration !== undefined && earlier.step.duration === undefined) earlier.step.duration = s.step.duration;
      continue;
    }
    seen.set(id, s);
  }
  for (const s of seen.values()) add(ctx, 'recommendation.steps', s.step, s.start, s.end, s.seg);
  for (const [kind, at] of notRecommended) {
    if (specificKinds.has(kind) && kept.some((s) => s.step.kind === kind)) continue;
    add(ctx, 'recommendation.notRecommended', kind, at.start, at.end, at.seg);
  }
}

function extractTrials(ctx: Ctx) {
  ctx.segs.forEach((seg, si) => {
    for (const m of allMatches(/\bNCT\d{8}\b/g, seg.text)) {
      add(ctx, 'recommendation.clinicalTrials', m[0], seg.start + m.index, seg.start + m.index + m[0].length, si);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Merging, de-duplication, display
// ---------------------------------------------------------------------------------------------------------

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** a says nothing that b does not also say (and b says more). */
function subsumedBy(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return kb.length > ka.length && ka.every((k) => deepEqual(ra[k], rb[k]));
}

function mergeInto(target: Raw, other: Raw, value: unknown) {
  target.value = value;
  target.start = Math.min(target.start, other.start);
  target.end = Math.max(target.end, other.end);
  target.segs = [...new Set([...target.segs, ...other.segs])].sort((a, b) => a - b);
}

function mergeHer2(raws: Raw[]): Raw[] {
  const groups: Raw[] = [];
  for (const r of raws) {
    const v = r.value as Her2;
    const g = groups.find((x) => {
      const w = x.value as Her2;
      const ihcOk = !v.ihc || !w.ihc || v.ihc === w.ihc;
      const ishOk = !v.ish || !w.ish || v.ish === w.ish;
      const statusOk = !v.status || !w.status || v.status === w.status || v.ish !== undefined || w.ish !== undefined;
      return ihcOk && ishOk && statusOk && (v.ihc !== undefined || v.ish !== undefined || w.ihc !== undefined || w.ish !== undefined);
    });
    if (!g) {
      groups.push({ ...r, segs: [...r.segs] });
      continue;
    }
    const w = g.value as Her2;
    const ihc = w.ihc ?? v.ihc;
    const ish = w.ish ?? v.ish;
    const status = ish !== undefined ? (her2StatusFrom(ihc, ish) ?? undefined) : (w.status ?? v.status);
    const merged: Her2 = {};
    if (ihc) merged.ihc = ihc;
    if (ish) merged.ish = ish;
    if (status) merged.status = status;
    mergeInto(g, r, merged);
  }
  return groups;
}

function mergeObjects(raws: Raw[], compatible: (a: Record<string, unknown>, b: Record<string, unknown>) => boolean): Raw[] {
  const groups: Raw[] = [];
  for (const r of raws) {
    const v = r.value as Record<string, unknown>;
    const g = groups.find((x) => {
      const w = x.value as Record<string, unknown>;
      const keys = new Set([...Object.keys(v), ...Object.keys(w)]);
      for (const k of keys) if (v[k] !== undefined && w[k] !== undefined && !deepEqual(v[k], w[k])) return false;
      return compatible(w, v);
    });
    if (!g) groups.push({ ...r, segs: [...r.segs] });
    else mergeInto(g, r, { ...(g.value as object), ...v });
  }
  return groups;
}

function consolidate(raws: Raw[]): Raw[] {
  const byField = new Map<ProposalField, Raw[]>();
  for (const r of raws) byField.set(r.field, [...(byField.get(r.field) ?? []), r]);
  const out: Raw[] = [];
  for (const [field, list] of byField) {
    let items = list;
    if (field === 'diagnosis.her2') items = mergeHer2(items);
    if (field === 'diagnosis.clinicalTnm' || field === 'diagnosis.pathologicTnm') items = mergeObjects(items, () => true);
    if (field === 'diagnosis.grade') {
      items = mergeObjects(items, (a, b) => {
        const value = (a.value ?? b.value) as number | undefined;
        const score = (a.score ?? b.score) as number | undefined;
        return value === undefined || score === undefined || gradeFromScore(score) === value;
      });
    }
    if (LIST_PROPOSAL_FIELDS.includes(field)) {
      out.push(...items);
      continue;
    }
    const kept: Raw[] = [];
    for (const r of items) {
      if (kept.some((k) => deepEqual(k.value, r.value))) continue;
      if (items.some((o) => o !== r && subsumedBy(r.value, o.value))) continue;
      kept.push(r);
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.start - b.start || a.field.localeCompare(b.field));
}

const TIMING_WORDS: Record<StepTiming, string> = {
  neoadjuvant: 'before surgery (neoadjuvant)',
  adjuvant: 'after surgery (adjuvant)',
  concurrent: 'at the same time as another treatment',
  maintenance: 'as ongoing (maintenance) treatment',
  palliative: 'to ease symptoms (palliative)',
};

function receptorWords(r: Receptor): string {
  const status = r.status === 'low-positive' ? 'low positive' : r.status;
  const parts = [status];
  if (r.percent !== undefined) parts.push(`${r.percent}%`);
  if (r.intensity) parts.push(`${r.intensity} staining`);
  return parts.join(', ');
}

export function describeProposal(p: ProposalCore): string {
  switch (p.field) {
    case 'diagnosis.histology':
      return `Tumor type: ${p.value}`;
    case 'diagnosis.grade':
      return [p.value.value !== undefined ? `Grade ${p.value.value}` : 'Grade', p.value.score !== undefined ? `(score ${p.value.score} of 9)` : '']
        .join(' ')
        .trim();
    case 'diagnosis.er':
      return `ER ${receptorWords(p.value)}`;
    case 'diagnosis.pr':
      return `PR ${receptorWords(p.value)}`;
    case 'diagnosis.her2': {
      const tests = [p.value.ihc ? `IHC ${p.value.ihc}` : '', p.value.ish ? `ISH ${p.value.ish.replace('-', ' ')}` : ''].filter(Boolean).join(', ');
      const status = p.value.status ?? 'result';
      return `HER2 ${status}${tests ? ` (${tests})` : ''}`;
    }
    case 'diagnosis.ki67Percent':
      return `Ki-67 ${p.value}%`;
    case 'diagnosis.tumorSizeMm':
      return `Tumor size ${p.value} mm`;
    case 'diagnosis.lymphNodes': {
      const v = p.value;
      const count = v.positive !== undefined ? ` (${v.positive}${v.examined !== undefined ? ` of ${v.examined}` : ''} with cancer)` : '';
      const words = v.status === 'positive' ? 'cancer found' : v.status === 'negative' ? 'no cancer found' : 'isolated tumor cells only';
      return `Lymph nodes: ${words}${count}`;
    }
    case 'diagnosis.metastasis':
      return p.value.status === 'none'
        ? 'No spread to distant organs'
        : `Spread to distant organs${p.value.sites?.length ? `: ${p.value.sites.join(', ')}` : ''}`;
    case 'diagnosis.clinicalTnm':
      return `Clinical TNM ${formatTnmForDisplay(p.value, 'c')}`;
    case 'diagnosis.pathologicTnm':
      return `Pathologic TNM ${formatTnmForDisplay(p.value, 'p')}`;
    case 'diagnosis.stageGroup':
      return `Stage ${p.value}`;
    case 'diagnosis.laterality':
      return p.value === 'bilateral' ? 'Both sides' : `${p.value === 'left' ? 'Left' : p.value === 'right' ? 'Right' : p.value} side`;
    case 'diagnosis.margins':
      return `Margins ${p.value === 'negative' ? 'clear' : p.value}`;
    case 'diagnosis.lymphovascularInvasion':
      return `Lymphovascular invasion ${p.value === 'absent' ? 'not present' : 'present'}`;
    case 'recommendation.steps': {
      const s = p.value;
      const named = s.detail !== undefined && normalizeTreatment(s.detail)?.generic !== true;
      const parts = [named ? `${STEP_KIND_LABELS[s.kind]}: ${s.detail}` : `${STEP_KIND_LABELS[s.kind]} (type not named)`];
      if (s.timing) parts.push(TIMING_WORDS[s.timing]);
      if (s.duration) parts.push(s.duration);
      return parts.join(', ');
    }
    case 'recommendation.notRecommended':
      return `${STEP_KIND_LABELS[p.value]}: not recommended`;
    case 'recommendation.clinicalTrials':
      return `Clinical trial ${p.value}`;
  }
}

function formatTnmForDisplay(t: Tnm, fallbackPrefix: string): string {
  const prefix = t.prefix ?? '';
  const letters = [t.t, t.n, t.m].filter((x): x is string => x !== undefined).map((x) => `${prefix}${x}`);
  return letters.join(' ') || fallbackPrefix;
}

function snippetFor(ctx: Ctx, raw: Raw): string {
  const parts = raw.segs.map((i) => {
    const seg = ctx.segs[i]!;
    const text = ctx.src.slice(seg.start, seg.end).trim();
    if (text.length <= SNIPPET_MAX) return text;
    const rel = Math.max(0, Math.min(raw.start, seg.end) - seg.start);
    const from = Math.max(0, rel - SNIPPET_MAX / 2);
    return `…${text.slice(from, from + SNIPPET_MAX).trim()}…`;
  });
  return parts.join(' … ');
}

// ---------------------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------------------

/** Reads a report or note and returns proposals, in the order they appear in the text. Never throws on text. */
export function proposeFromText(text: string): Proposal[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  const src = unifyDashes(text.replace(/\r\n?/g, (m) => (m.length === 2 ? ' \n' : '\n')));
  const ctx: Ctx = { src, segs: segmentText(src), isPathology: looksLikePathologyReport(src), out: [] };
  extractHistology(ctx);
  extractGrade(ctx);
  extractReceptors(ctx);
  extractSize(ctx);
  extractNodes(ctx);
  extractMetastasis(ctx);
  extractMargins(ctx);
  extractLvi(ctx);
  extractTnm(ctx);
  extractStageGroup(ctx);
  extractLaterality(ctx);
  if (!ctx.isPathology) extractTreatments(ctx);
  extractTrials(ctx);
  return consolidate(ctx.out).map((raw) => {
    const p = { field: raw.field, value: raw.value } as ProposalCore;
    return {
      ...p,
      display: describeProposal(p),
      snippet: snippetFor(ctx, raw),
      start: raw.start,
      end: raw.end,
    } as Proposal;
  });
}

/**
 * Applies accepted proposals to a draft opinion and returns a new draft (the input is not changed).
 * Object values (grade, ER, HER2, TNM, lymph nodes) are merged key by key, later proposals winning; list fields
 * get the item appended unless an equal one is there. The result should be checked with `opinionInput`.
 */
export function applyProposals<T extends Partial<OpinionInput>>(draft: T, proposals: ProposalCore[]): T {
  const next = structuredClone(draft) as Partial<OpinionInput> & Record<string, unknown>;
  for (const p of proposals) {
    const [section, key] = p.field.split('.') as ['diagnosis' | 'recommendation', string];
    const target = ((next[section] as Record<string, unknown> | undefined) ?? {}) as Record<string, unknown>;
    next[section] = target as never;
    if (LIST_PROPOSAL_FIELDS.includes(p.field)) {
      const list = (target[key] as unknown[] | undefined) ?? [];
      if (!list.some((x) => deepEqual(x, p.value))) list.push(structuredClone(p.value));
      target[key] = list;
    } else if (typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value) && p.field !== 'diagnosis.metastasis') {
      const existing = target[key];
      target[key] = typeof existing === 'object' && existing !== null ? { ...(existing as object), ...(p.value as object) } : { ...(p.value as object) };
    } else {
      target[key] = structuredClone(p.value);
    }
  }
  return next as T;
}
