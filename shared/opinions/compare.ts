import { AppError } from '../errors';
import {
  cleanText,
  effectiveGrade,
  findTreatmentMentions,
  her2Status,
  histologyLabel,
  normalizeDuration,
  normalizeHistology,
  sizesEquivalent,
  stageGroupRefines,
  tnmRefines,
  treatmentFamily,
} from './normalize';
import {
  STEP_KINDS,
  type Opinion,
  type OpinionKind,
  type ProvenanceEntry,
  type StepKind,
  type StepTiming,
  type TestResult,
  type TreatmentStep,
} from './schema';

/**
 * compareOpinions(opinions) lines 2–4 opinions up field by field.
 *
 * Row status:
 *   'same'       every opinion states it and they agree (equivalent phrasings count as the same);
 *   'different'  at least two opinions state it and disagree — even if others are silent;
 *   'partial'    the opinions that state it agree, but some opinions do not state it;
 *   'not-stated' no opinion states it.
 * A cell is null when that opinion does not state the field (see the "not stated vs no" rule in schema.ts).
 *
 * Rows for the diagnosis, stage and receptors are always present (so missing facts are visible). Treatment rows
 * appear for each kind of treatment that any opinion mentions; their detail/timing/duration rows, list rows
 * (tests, trials, genomic results) and the order-of-treatments row appear when at least one opinion states them.
 */

export type ComparisonGroup = 'diagnosis' | 'stage' | 'receptors' | 'treatment' | 'other';
export type RowStatus = 'same' | 'different' | 'partial' | 'not-stated';

export interface DisplayValue {
  /** Plain words for people, e.g. 'Positive', '95%', 'Before surgery (neoadjuvant)'. */
  text: string;
  /** Canonical comparison key; equal keys mean equal values (numbers may also be compared with a tolerance). */
  key: string;
  /** Where the value came from, when the opinion recorded it. */
  source?: ProvenanceEntry;
}

export interface ComparisonRow {
  /** Stable id: a field path such as 'diagnosis.er.status' or 'recommendation.steps.surgery.detail'. */
  field: string;
  group: ComparisonGroup;
  /** Plain label for the row. */
  label: string;
  /** Short name used inside sentences ('the type of surgery'); several rows may share one. */
  phrase: string;
  /** One per opinion, in the order given; null = not stated by that opinion. */
  values: (DisplayValue | null)[];
  status: RowStatus;
  /** Extra explanation, e.g. 'N1a is a more detailed form of N1'. */
  note?: string;
  /**
   * The row this one details, e.g. 'recommendation.steps.radiation' for the type/timing/duration of radiation.
   * When that row is not 'same', a 'partial' here only echoes it (an opinion that does not recommend radiation
   * gives no radiation timing), so the summary and the questions leave it out.
   */
  dependsOn?: string;
}

export interface ComparedOpinion {
  id: string;
  /** Column heading, e.g. 'Dr. Rivera, City Cancer Center (2025-03-04)'. */
  label: string;
}

export interface Comparison {
  opinions: ComparedOpinion[];
  rows: ComparisonRow[];
  /** One to three plain sentences. */
  summary: string;
  /** Number of rows whose status is 'different'. */
  differences: number;
}

export const MIN_OPINIONS = 2;
export const MAX_OPINIONS = 4;
/** Ki-67 readings within this many points are read as the same (the test varies between labs). */
export const KI67_TOLERANCE = 5;
export const PERCENT_TOLERANCE = 10;

const KIND_LABEL: Record<OpinionKind, string> = {
  first: 'First opinion',
  second: 'Second opinion',
  third: 'Third opinion',
  'tumor-board': 'Tumor board',
};

export function opinionLabel(opinion: Pick<Opinion, 'clinician' | 'institution' | 'kind' | 'date'>): string {
  const who = [opinion.clinician, opinion.institution].filter((x): x is string => Boolean(x)).join(', ');
  const name = who || KIND_LABEL[opinion.kind];
  return opinion.date ? `${name} (${opinion.date})` : name;
}

// ---------------------------------------------------------------------------------------------------------
// Row machinery
// ---------------------------------------------------------------------------------------------------------

interface Cell extends DisplayValue {
  num?: number;
  kinds?: StepKind[];
}

interface RowSpec {
  field: string;
  group: ComparisonGroup;
  label: string;
  phrase: string;
  get: (o: Opinion) => Cell | null;
  same?: (a: Cell, b: Cell) => boolean;
  note?: (cells: (Cell | null)[], status: RowStatus) => string | undefined;
  /** Provenance keys to look up, most specific first. */
  sourceKeys?: (o: Opinion) => string[];
  /** Leave the row out when no opinion states it. */
  optional?: boolean;
  dependsOn?: string;
}

function parentPaths(field: string): string[] {
  const parts = field.split('.');
  const out: string[] = [];
  for (let i = parts.length; i >= 2; i--) out.push(parts.slice(0, i).join('.'));
  return out;
}

function findSource(o: Opinion, keys: string[]): ProvenanceEntry | undefined {
  const prov = o.provenance;
  if (!prov) return undefined;
  for (const k of keys) {
    const hit = prov[k];
    if (hit) return hit;
  }
  return undefined;
}

function statusOf(cells: (Cell | null)[], same: (a: Cell, b: Cell) => boolean): RowStatus {
  const stated = cells.filter((c): c is Cell => c !== null);
  if (stated.length === 0) return 'not-stated';
  for (let i = 0; i < stated.length; i++) {
    for (let j = i + 1; j < stated.length; j++) {
      if (!same(stated[i]!, stated[j]!)) return 'different';
    }
  }
  return stated.length < cells.length ? 'partial' : 'same';
}

const byKey = (a: Cell, b: Cell) => a.key === b.key;
const withinTolerance = (tolerance: number) => (a: Cell, b: Cell) =>
  a.num !== undefined && b.num !== undefined ? Math.abs(a.num - b.num) <= tolerance : a.key === b.key;

function buildRow(spec: RowSpec, opinions: Opinion[]): ComparisonRow | null {
  const cells = opinions.map((o) => {
    const cell = spec.get(o);
    if (!cell) return null;
    const source = findSource(o, spec.sourceKeys ? spec.sourceKeys(o) : parentPaths(spec.field));
    return source ? { ...cell, source } : cell;
  });
  const status = statusOf(cells, spec.same ?? byKey);
  if (spec.optional && status === 'not-stated') return null;
  const row: ComparisonRow = {
    field: spec.field,
    group: spec.group,
    label: spec.label,
    phrase: spec.phrase,
    values: cells.map((c) => (c ? toDisplay(c) : null)),
    status,
  };
  const note = spec.note?.(cells, status) ?? slightDifferenceNote(cells, status);
  if (note) row.note = note;
  if (spec.dependsOn) row.dependsOn = spec.dependsOn;
  return row;
}

function toDisplay(cell: Cell): DisplayValue {
  const out: DisplayValue = { text: cell.text, key: cell.key };
  if (cell.source) out.source = cell.source;
  return out;
}

function slightDifferenceNote(cells: (Cell | null)[], status: RowStatus): string | undefined {
  if (status !== 'same' && status !== 'partial') return undefined;
  const keys = new Set(cells.filter((c): c is Cell => c !== null && c.num !== undefined).map((c) => c.key));
  return keys.size > 1 ? 'The numbers differ slightly, within the usual variation between measurements or labs.' : undefined;
}

function refinementNote(refines: (general: string, specific: string) => boolean, what: string) {
  return (cells: (Cell | null)[], status: RowStatus): string | undefined => {
    if (status !== 'different') return undefined;
    const keys = [...new Set(cells.filter((c): c is Cell => c !== null).map((c) => c.text))];
    for (const a of keys) {
      for (const b of keys) {
        if (refines(a.replace(/^y?[cp]/, ''), b.replace(/^y?[cp]/, ''))) {
          return `${b} is a more detailed form of ${a}. They do not contradict each other, but the detail can matter for ${what}.`;
        }
      }
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Value helpers
// ---------------------------------------------------------------------------------------------------------

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function enumCell(value: string | undefined, labels: Record<string, string>): Cell | null {
  if (value === undefined) return null;
  return { text: labels[value] ?? cap(value), key: value };
}

function numberCell(value: number | undefined, format: (n: number) => string): Cell | null {
  if (value === undefined) return null;
  return { text: format(value), key: String(value), num: value };
}

function textCell(value: string | undefined): Cell | null {
  if (value === undefined || value.trim() === '') return null;
  return { text: value, key: cleanText(value) };
}

function listCell(values: string[] | undefined, separator = '; '): Cell | null {
  if (!values || values.length === 0) return null;
  const keys = [...new Set(values.map(cleanText))].sort();
  return { text: values.join(separator), key: keys.join('|') };
}

const RECEPTOR_LABELS = { positive: 'Positive', 'low-positive': 'Low positive', negative: 'Negative' };
const HER2_LABELS = { positive: 'Positive', negative: 'Negative', equivocal: 'Equivocal (borderline)' };
const ISH_LABELS = { amplified: 'Amplified', 'not-amplified': 'Not amplified', equivocal: 'Equivocal' };
const NODE_LABELS = {
  negative: 'No cancer found in the lymph nodes',
  positive: 'Cancer found in the lymph nodes',
  'isolated-tumor-cells': 'Only isolated tumor cells in the lymph nodes',
};
const METASTASIS_LABELS = { none: 'No spread found', present: 'Has spread', suspected: 'Possible spread (not confirmed)' };
const MARGIN_LABELS = { negative: 'Clear (no cancer at the edge)', close: 'Close to the edge', positive: 'Cancer at the edge' };
const PRESENCE_LABELS = { present: 'Present', absent: 'Not present' };
const LATERALITY_LABELS = { left: 'Left', right: 'Right', bilateral: 'Both sides', midline: 'Middle', 'not-applicable': 'Not applicable' };
const INTENT_LABELS = { curative: 'To cure the cancer', control: 'To keep the cancer under control', palliative: 'To ease symptoms and comfort' };
const TIMING_LABELS: Record<StepTiming, string> = {
  neoadjuvant: 'Before surgery (neoadjuvant)',
  adjuvant: 'After surgery (adjuvant)',
  concurrent: 'At the same time as another treatment (concurrent)',
  maintenance: 'Ongoing, to keep it under control (maintenance)',
  palliative: 'To ease symptoms (palliative)',
};

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  surgery: 'Surgery',
  chemotherapy: 'Chemotherapy',
  radiation: 'Radiation',
  endocrine: 'Hormone (endocrine) therapy',
  targeted: 'Targeted therapy',
  immunotherapy: 'Immunotherapy',
  'clinical-trial': 'Clinical trial',
  'active-surveillance': 'Active surveillance',
  'supportive-care': 'Supportive care',
  other: 'Other treatment',
};
const STEP_KIND_PHRASES: Record<StepKind, string> = {
  surgery: 'surgery',
  chemotherapy: 'chemotherapy',
  radiation: 'radiation',
  endocrine: 'hormone therapy',
  targeted: 'targeted therapy',
  immunotherapy: 'immunotherapy',
  'clinical-trial': 'a clinical trial',
  'active-surveillance': 'active surveillance',
  'supportive-care': 'supportive care',
  other: 'other treatments',
};
const DETAIL_LABELS: Record<StepKind, [string, string]> = {
  surgery: ['Type of surgery', 'the type of surgery'],
  chemotherapy: ['Chemotherapy drugs (regimen)', 'the chemotherapy drugs'],
  radiation: ['Type of radiation', 'the type of radiation'],
  endocrine: ['Hormone therapy drug', 'the hormone therapy drug'],
  targeted: ['Targeted drug', 'the targeted drug'],
  immunotherapy: ['Immunotherapy drug', 'the immunotherapy drug'],
  'clinical-trial': ['Which trial', 'which trial'],
  'active-surveillance': ['Surveillance details', 'the surveillance plan'],
  'supportive-care': ['Supportive care details', 'the supportive care'],
  other: ['Other treatment details', 'the other treatments'],
};

function tnmCell(o: Opinion, which: 'clinicalTnm' | 'pathologicTnm', letter: 't' | 'n' | 'm'): Cell | null {
  const tnm = o.diagnosis?.[which];
  const cat = tnm?.[letter];
  if (!tnm || !cat) return null;
  const prefix = tnm.prefix ?? (which === 'clinicalTnm' ? 'c' : 'p');
  return { text: `${prefix}${cat}`, key: `${prefix.startsWith('y') ? 'y' : ''}${cat}` };
}

function testRows(o: Opinion[], list: 'genomicResults' | 'germlineResults' | 'otherBiomarkers', label: string): RowSpec[] {
  const tests = new Map<string, string>();
  for (const op of o) {
    for (const r of op.diagnosis?.[list] ?? []) {
      const slug = cleanText(r.test).replace(/[^a-z0-9]+/g, '');
      if (slug && !tests.has(slug)) tests.set(slug, r.test);
    }
  }
  return [...tests].map(([slug, name]) => ({
    field: `diagnosis.${list}.${slug}`,
    group: 'other' as const,
    label: `${name} (${label})`,
    phrase: `the ${name} result`,
    optional: true,
    sourceKeys: (op: Opinion) => {
      const i = (op.diagnosis?.[list] ?? []).findIndex((r) => cleanText(r.test).replace(/[^a-z0-9]+/g, '') === slug);
      return i >= 0 ? [`diagnosis.${list}.${i}`, `diagnosis.${list}`] : [`diagnosis.${list}`];
    },
    get: (op: Opinion) => {
      const hit = (op.diagnosis?.[list] ?? []).find((r: TestResult) => cleanText(r.test).replace(/[^a-z0-9]+/g, '') === slug);
      return hit ? { text: hit.result, key: cleanText(hit.result) } : null;
    },
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Treatment plan helpers
// ---------------------------------------------------------------------------------------------------------

function steps(o: Opinion): TreatmentStep[] {
  return o.recommendation?.steps ?? [];
}

/** Kinds a step stands for: its own kind plus what its regimen contains (TCHP → chemotherapy + targeted). */
function stepKinds(step: TreatmentStep): StepKind[] {
  const kinds = new Set<StepKind>([step.kind]);
  if (step.detail) {
    for (const m of findTreatmentMentions(step.detail)) for (const k of m.implies ?? []) kinds.add(k);
  }
  return [...kinds];
}

function kindState(o: Opinion, kind: StepKind): { state: 'yes' | 'no'; via?: string } | null {
  const direct = steps(o).find((s) => s.kind === kind);
  if (direct) return { state: 'yes' };
  const implied = steps(o).find((s) => stepKinds(s).includes(kind));
  if (implied) return { state: 'yes', via: implied.detail ?? STEP_KIND_LABELS[implied.kind] };
  if (o.recommendation?.notRecommended?.includes(kind)) return { state: 'no' };
  return null;
}

function stepIndexes(o: Opinion, kind: StepKind): number[] {
  return steps(o).flatMap((s, i) => (s.kind === kind ? [i] : []));
}

function detailKey(detail: string, kind: StepKind): string | null {
  const mentions = findTreatmentMentions(detail);
  if (mentions.length === 0) return `text:${cleanText(detail)}`;
  const specific = mentions.filter((m) => !m.generic);
  if (specific.length === 0) return null; // only a general word such as 'chemotherapy': no detail given
  const ofKind = specific.filter((m) => m.kind === kind);
  const use = ofKind.length > 0 ? ofKind : specific;
  return [...new Set(use.map((m) => m.key))].sort().join('+');
}

function detailCell(o: Opinion, kind: StepKind): Cell | null {
  const details = steps(o)
    .filter((s) => s.kind === kind && s.detail)
    .map((s) => s.detail!);
  const keys = new Set<string>();
  const shown: string[] = [];
  for (const d of details) {
    const k = detailKey(d, kind);
    if (k === null) continue;
    for (const part of k.split('+')) keys.add(part);
    shown.push(d);
  }
  if (keys.size === 0) return null;
  return { text: shown.join(', '), key: [...keys].sort().join('+') };
}

function surgeryFamilyNote(cells: (Cell | null)[], status: RowStatus): string | undefined {
  if (status !== 'different') return undefined;
  const stated = cells.filter((c): c is Cell => c !== null);
  const families = new Set(stated.map((c) => c.key.split('+').filter((k) => k !== 'sentinel-node-biopsy' && k !== 'axillary-dissection' && k !== 'reconstruction').map(treatmentFamily).sort().join('+')));
  if (families.size === 1 && [...families][0] === 'mastectomy') {
    return 'All of them recommend a mastectomy; they differ in the type or in the surgery on the lymph nodes.';
  }
  return undefined;
}

function timingCell(o: Opinion, kind: StepKind): Cell | null {
  const timings = [
    ...new Set(
      steps(o)
        .filter((s) => s.kind === kind && s.timing)
        .map((s) => s.timing as StepTiming),
    ),
  ];
  if (timings.length === 0) return null;
  return { text: timings.map((t) => TIMING_LABELS[t]).join(' and '), key: [...timings].sort().join('+') };
}

function durationCell(o: Opinion, kind: StepKind): Cell | null {
  const durations = steps(o)
    .filter((s) => s.kind === kind && s.duration)
    .map((s) => s.duration!);
  if (durations.length === 0) return null;
  const keys = durations.map((d) => normalizeDuration(d)?.key ?? `text:${cleanText(d)}`);
  return { text: durations.join(', '), key: [...new Set(keys)].sort().join('+') };
}

/** The kinds in the order they first appear, consecutive repeats merged. */
function sequenceOf(o: Opinion): StepKind[] {
  const seen: StepKind[] = [];
  for (const s of steps(o)) if (!seen.includes(s.kind)) seen.push(s.kind);
  return seen;
}

function sequencesAgree(a: StepKind[], b: StepKind[]): boolean {
  const common = a.filter((k) => b.includes(k));
  const pa = a.filter((k) => common.includes(k));
  const pb = b.filter((k) => common.includes(k));
  return pa.join('>') === pb.join('>');
}

// ---------------------------------------------------------------------------------------------------------
// Row specifications
// ---------------------------------------------------------------------------------------------------------

function diagnosisSpecs(): RowSpec[] {
  const d = (o: Opinion) => o.diagnosis;
  return [
    { field: 'diagnosis.cancerType', group: 'diagnosis', label: 'Type of cancer', phrase: 'the type of cancer', get: (o) => textCell(d(o)?.cancerType) },
    {
      field: 'diagnosis.histology',
      group: 'diagnosis',
      label: 'Tumor type seen under the microscope (histology)',
      phrase: 'the tumor type',
      get: (o) => {
        const h = d(o)?.histology;
        if (!h) return null;
        const key = normalizeHistology(h);
        return { text: h, key: key ?? `text:${cleanText(h)}` };
      },
      note: (cells, status) => {
        if (status !== 'different') return undefined;
        const keys = new Set(cells.filter((c): c is Cell => c !== null).map((c) => c.key));
        if (keys.has('invasive-carcinoma') && keys.size === 2) {
          const other = [...keys].find((k) => k !== 'invasive-carcinoma')!;
          const label = other.startsWith('text:') ? 'a named type' : histologyLabel(other as Parameters<typeof histologyLabel>[0]);
          return `One opinion names the type more precisely (${label}); the other only says invasive carcinoma.`;
        }
        return undefined;
      },
    },
    { field: 'diagnosis.site', group: 'diagnosis', label: 'Where the tumor is', phrase: 'where the tumor is', get: (o) => textCell(d(o)?.site) },
    { field: 'diagnosis.laterality', group: 'diagnosis', label: 'Side', phrase: 'which side is affected', get: (o) => enumCell(d(o)?.laterality, LATERALITY_LABELS) },
    {
      field: 'diagnosis.tumorSizeMm',
      group: 'diagnosis',
      label: 'Tumor size',
      phrase: 'the tumor size',
      get: (o) => numberCell(d(o)?.tumorSizeMm, (n) => `${n} mm (${Math.round(n) / 10} cm)`),
      same: (a, b) => (a.num !== undefined && b.num !== undefined ? sizesEquivalent(a.num, b.num) : a.key === b.key),
    },
    {
      field: 'diagnosis.grade.value',
      group: 'diagnosis',
      label: 'Grade (1 = slow-growing look, 3 = fast-growing look)',
      phrase: 'the grade',
      get: (o) => {
        const g = d(o)?.grade;
        const value = g ? effectiveGrade(g) : null;
        if (!g || value === null) return null;
        return { text: g.value !== undefined ? `Grade ${value}` : `Grade ${value} (from the score)`, key: String(value) };
      },
    },
    { field: 'diagnosis.grade.score', group: 'diagnosis', label: 'Grade score (3 to 9)', phrase: 'the grade', get: (o) => numberCell(d(o)?.grade?.score, (n) => `${n} of 9`), same: byKey },
    {
      field: 'diagnosis.lymphNodes.status',
      group: 'diagnosis',
      label: 'Lymph nodes',
      phrase: 'the lymph nodes',
      get: (o) => enumCell(d(o)?.lymphNodes?.status, NODE_LABELS),
    },
    {
      field: 'diagnosis.lymphNodes.count',
      group: 'diagnosis',
      label: 'Lymph nodes with cancer, of those checked',
      phrase: 'the number of lymph nodes with cancer',
      sourceKeys: () => ['diagnosis.lymphNodes.positive', 'diagnosis.lymphNodes'],
      get: (o) => {
        const ln = d(o)?.lymphNodes;
        if (!ln || ln.positive === undefined) return null;
        const text = ln.examined !== undefined ? `${ln.positive} of ${ln.examined}` : `${ln.positive} (number checked not given)`;
        return { text, key: `${ln.positive}/${ln.examined ?? '?'}` };
      },
      same: (a, b) => a.key.split('/')[0] === b.key.split('/')[0] && (a.key.endsWith('?') || b.key.endsWith('?') || a.key === b.key),
    },
    {
      field: 'diagnosis.metastasis.status',
      group: 'diagnosis',
      label: 'Spread to other parts of the body (metastasis)',
      phrase: 'whether the cancer has spread',
      get: (o) => enumCell(d(o)?.metastasis?.status, METASTASIS_LABELS),
    },
    {
      field: 'diagnosis.metastasis.sites',
      group: 'diagnosis',
      label: 'Where it has spread',
      phrase: 'where the cancer has spread',
      optional: true,
      get: (o) => listCell(d(o)?.metastasis?.sites, ', '),
    },
    { field: 'diagnosis.margins', group: 'diagnosis', label: 'Edges of the removed tissue (margins)', phrase: 'the margins', get: (o) => enumCell(d(o)?.margins, MARGIN_LABELS) },
    {
      field: 'diagnosis.lymphovascularInvasion',
      group: 'diagnosis',
      label: 'Cancer cells in small blood or lymph vessels (lymphovascular invasion)',
      phrase: 'lymphovascular invasion',
      get: (o) => enumCell(d(o)?.lymphovascularInvasion, PRESENCE_LABELS),
    },
  ];
}

function stageSpecs(): RowSpec[] {
  const letters: ['t' | 'n' | 'm', string][] = [
    ['t', 'T (the main tumor)'],
    ['n', 'N (lymph nodes)'],
    ['m', 'M (spread to distant organs)'],
  ];
  const specs: RowSpec[] = [];
  for (const [which, word] of [
    ['clinicalTnm', 'Clinical'],
    ['pathologicTnm', 'Pathologic'],
  ] as const) {
    for (const [letter, desc] of letters) {
      specs.push({
        field: `diagnosis.${which}.${letter}`,
        group: 'stage',
        label: `${word} ${desc}`,
        phrase: 'the stage',
        get: (o) => tnmCell(o, which, letter),
        note: refinementNote(tnmRefines, 'treatment choices'),
      });
    }
  }
  specs.push({
    field: 'diagnosis.stageGroup',
    group: 'stage',
    label: 'Stage',
    phrase: 'the stage',
    get: (o) => {
      const s = o.diagnosis?.stageGroup;
      return s ? { text: `Stage ${s}`, key: s } : null;
    },
    note: (cells, status) => {
      if (status !== 'different') return undefined;
      const keys = [...new Set(cells.filter((c): c is Cell => c !== null).map((c) => c.key))];
      for (const a of keys) for (const b of keys) if (stageGroupRefines(a, b)) return `Stage ${b} is a more detailed form of stage ${a}.`;
      return undefined;
    },
  });
  return specs;
}

function receptorSpecs(): RowSpec[] {
  const d = (o: Opinion) => o.diagnosis;
  const specs: RowSpec[] = [];
  for (const [which, name] of [
    ['er', 'ER (estrogen receptor)'],
    ['pr', 'PR (progesterone receptor)'],
  ] as const) {
    const short = which.toUpperCase();
    specs.push({ field: `diagnosis.${which}.status`, group: 'receptors', label: name, phrase: `the ${short} result`, get: (o) => enumCell(d(o)?.[which]?.status, RECEPTOR_LABELS) });
    specs.push({
      field: `diagnosis.${which}.percent`,
      group: 'receptors',
      label: `${short}: share of cells stained`,
      phrase: `the ${short} result`,
      get: (o) => numberCell(d(o)?.[which]?.percent, (n) => `${n}%`),
      same: withinTolerance(PERCENT_TOLERANCE),
    });
  }
  specs.push({
    field: 'diagnosis.her2.status',
    group: 'receptors',
    label: 'HER2 overall',
    phrase: 'the HER2 result',
    get: (o) => {
      const h = d(o)?.her2;
      const s = h ? her2Status(h) : null;
      return s ? { text: HER2_LABELS[s], key: s } : null;
    },
  });
  specs.push({
    field: 'diagnosis.her2.ihc',
    group: 'receptors',
    label: 'HER2 staining score (IHC 0 to 3+)',
    phrase: 'the HER2 result',
    get: (o) => {
      const v = d(o)?.her2?.ihc;
      if (v === undefined) return null;
      const low = v === '1+' || (v === '2+' && d(o)?.her2?.ish === 'not-amplified') ? ' (HER2-low)' : '';
      return { text: `IHC ${v}${low}`, key: v };
    },
  });
  specs.push({
    field: 'diagnosis.her2.ish',
    group: 'receptors',
    label: 'HER2 gene test (FISH / ISH)',
    phrase: 'the HER2 result',
    get: (o) => enumCell(d(o)?.her2?.ish, ISH_LABELS),
  });
  specs.push({
    field: 'diagnosis.ki67Percent',
    group: 'receptors',
    label: 'Ki-67 (share of cells dividing)',
    phrase: 'the Ki-67',
    get: (o) => numberCell(d(o)?.ki67Percent, (n) => `${n}%`),
    same: withinTolerance(KI67_TOLERANCE),
  });
  return specs;
}

function treatmentSpecs(opinions: Opinion[]): RowSpec[] {
  const specs: RowSpec[] = [
    {
      field: 'recommendation.intent',
      group: 'treatment',
      label: 'Goal of treatment',
      phrase: 'the goal of treatment',
      get: (o) => enumCell(o.recommendation?.intent, INTENT_LABELS),
    },
  ];
  const mentioned = STEP_KINDS.filter((k) => opinions.some((o) => kindState(o, k) !== null));
  for (const kind of mentioned) {
    specs.push({
      field: `recommendation.steps.${kind}`,
      group: 'treatment',
      label: STEP_KIND_LABELS[kind],
      phrase: STEP_KIND_PHRASES[kind],
      sourceKeys: (o) => {
        const i = stepIndexes(o, kind)[0];
        return i === undefined ? ['recommendation.notRecommended', 'recommendation.steps'] : [`recommendation.steps.${i}`, 'recommendation.steps'];
      },
      get: (o) => {
        const st = kindState(o, kind);
        if (!st) return null;
        if (st.state === 'no') return { text: 'Not recommended', key: 'no' };
        return { text: st.via ? `Recommended (part of ${st.via})` : 'Recommended', key: 'yes' };
      },
    });
    const [detailLabel, detailPhrase] = DETAIL_LABELS[kind];
    specs.push({
      field: `recommendation.steps.${kind}.detail`,
      dependsOn: `recommendation.steps.${kind}`,
      group: 'treatment',
      label: detailLabel,
      phrase: detailPhrase,
      optional: true,
      sourceKeys: (o) => stepIndexes(o, kind).flatMap((i) => [`recommendation.steps.${i}.detail`, `recommendation.steps.${i}`]),
      get: (o) => detailCell(o, kind),
      note: kind === 'surgery' ? surgeryFamilyNote : undefined,
    });
    if (kind !== 'surgery') {
      specs.push({
        field: `recommendation.steps.${kind}.timing`,
        dependsOn: `recommendation.steps.${kind}`,
        group: 'treatment',
        label: `When ${STEP_KIND_PHRASES[kind]} is given`,
        phrase: `when ${STEP_KIND_PHRASES[kind]} is given`,
        optional: true,
        sourceKeys: (o) => stepIndexes(o, kind).flatMap((i) => [`recommendation.steps.${i}.timing`, `recommendation.steps.${i}`]),
        get: (o) => timingCell(o, kind),
      });
    }
    specs.push({
      field: `recommendation.steps.${kind}.duration`,
      dependsOn: `recommendation.steps.${kind}`,
      group: 'treatment',
      label: `How long ${STEP_KIND_PHRASES[kind]} lasts`,
      phrase: `how long ${STEP_KIND_PHRASES[kind]} lasts`,
      optional: true,
      sourceKeys: (o) => stepIndexes(o, kind).flatMap((i) => [`recommendation.steps.${i}.duration`, `recommendation.steps.${i}`]),
      get: (o) => durationCell(o, kind),
    });
  }
  specs.push({
    field: 'recommendation.sequence',
    group: 'treatment',
    label: 'Order of treatments',
    phrase: 'the order of treatments',
    optional: true,
    sourceKeys: () => ['recommendation.steps'],
    get: (o) => {
      const seq = sequenceOf(o);
      if (seq.length < 2) return null;
      return { text: seq.map((k) => STEP_KIND_LABELS[k]).join(' → '), key: seq.join('>'), kinds: seq };
    },
    same: (a, b) => sequencesAgree(a.kinds ?? [], b.kinds ?? []),
    note: (cells, status) => {
      if (status === 'different' || status === 'not-stated') return undefined;
      const keys = new Set(cells.filter((c): c is Cell => c !== null).map((c) => c.key));
      return keys.size > 1
        ? 'The treatments they share come in the same order; the lists of treatments themselves differ (see the rows above).'
        : undefined;
    },
  });
  return specs;
}

function otherSpecs(opinions: Opinion[]): RowSpec[] {
  return [
    {
      field: 'recommendation.furtherTests',
      group: 'other',
      label: 'Tests wanted before deciding',
      phrase: 'further tests',
      optional: true,
      get: (o) => listCell(o.recommendation?.furtherTests),
    },
    {
      field: 'recommendation.clinicalTrials',
      group: 'other',
      label: 'Clinical trials suggested',
      phrase: 'clinical trials',
      optional: true,
      get: (o) => listCell(o.recommendation?.clinicalTrials),
    },
    {
      field: 'recommendation.followUp',
      group: 'other',
      label: 'Follow-up plan',
      phrase: 'the follow-up plan',
      optional: true,
      get: (o) => textCell(o.recommendation?.followUp),
    },
    ...testRows(opinions, 'genomicResults', 'genomic test'),
    ...testRows(opinions, 'germlineResults', 'inherited gene test'),
    ...testRows(opinions, 'otherBiomarkers', 'biomarker'),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------------------

const GROUP_PHRASES: Record<Exclude<ComparisonGroup, 'other'>, string> = {
  diagnosis: 'the diagnosis',
  stage: 'the stage',
  receptors: 'the receptor results (ER, PR, HER2)',
  treatment: 'the treatment plan',
};

function joinWords(items: string[], lastJoin = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lastJoin} ${items[items.length - 1]}`;
}

function uniquePhrases(rows: ComparisonRow[]): string[] {
  return [...new Set(rows.map((r) => r.phrase))];
}

/** 'partial' rows that say something of their own (not just echoing a parent row that is not 'same'). */
export function meaningfulPartials(rows: ComparisonRow[]): ComparisonRow[] {
  const statusOfField = new Map(rows.map((r) => [r.field, r.status]));
  return rows.filter((r) => r.status === 'partial' && (!r.dependsOn || statusOfField.get(r.dependsOn) === 'same'));
}

export function summarize(rows: ComparisonRow[], count: number): string {
  const subject = count === 2 ? 'The two opinions' : `The ${count} opinions`;
  const sentences: string[] = [];
  const agree = (Object.keys(GROUP_PHRASES) as (keyof typeof GROUP_PHRASES)[]).filter((g) => {
    const inGroup = rows.filter((r) => r.group === g);
    return inGroup.some((r) => r.status === 'same') && !inGroup.some((r) => r.status === 'different');
  });
  const different = rows.filter((r) => r.status === 'different');
  const partial = meaningfulPartials(rows);
  const anyStated = rows.some((r) => r.status !== 'not-stated');
  if (!anyStated) {
    return 'There is not yet enough written down in these opinions to compare them. Add what each doctor said, or accept suggestions from their reports.';
  }
  if (agree.length > 0) sentences.push(`${subject} agree on ${joinWords(agree.map((g) => GROUP_PHRASES[g]))}.`);
  if (different.length > 0) {
    const phrases = uniquePhrases(different);
    const shown = phrases.slice(0, 5);
    const rest = phrases.length - shown.length;
    const list = shown.map((p, i) => (i === 0 ? p : `on ${p}`));
    if (rest > 0) list.push(`on ${rest} other point${rest === 1 ? '' : 's'}`);
    sentences.push(`${agree.length > 0 ? 'They' : subject} differ on ${joinWords(list)}.`);
  } else {
    sentences.push(
      agree.length > 0
        ? 'Where they say the same thing, they do not contradict each other.'
        : `${subject} do not contradict each other on anything they both state.`,
    );
  }
  if (partial.length > 0) {
    const phrases = uniquePhrases(partial).slice(0, 3);
    const some = count === 2 ? 'only one of the opinions' : 'only some of the opinions';
    sentences.push(
      `A few points are mentioned in ${some} (for example ${joinWords(phrases)}). That does not mean the doctors disagree, but it may be worth asking about.`,
    );
  }
  return sentences.join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------------

/** Lines up 2–4 opinions. Throws AppError('INVALID_INPUT') for fewer than 2 or more than 4. */
export function compareOpinions(opinions: Opinion[]): Comparison {
  if (opinions.length < MIN_OPINIONS || opinions.length > MAX_OPINIONS) {
    throw new AppError('INVALID_INPUT', `Choose between ${MIN_OPINIONS} and ${MAX_OPINIONS} opinions to compare.`);
  }
  const specs = [...diagnosisSpecs(), ...stageSpecs(), ...receptorSpecs(), ...treatmentSpecs(opinions), ...otherSpecs(opinions)];
  const rows = specs.map((s) => buildRow(s, opinions)).filter((r): r is ComparisonRow => r !== null);
  return {
    opinions: opinions.map((o) => ({ id: o.id, label: opinionLabel(o) })),
    rows,
    summary: summarize(rows, opinions.length),
    differences: rows.filter((r) => r.status === 'different').length,
  };
}
