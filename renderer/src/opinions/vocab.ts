import {
  HER2_IHC_SCORES,
  HER2_ISH_RESULTS,
  HER2_STATUSES,
  INTENTS,
  LATERALITIES,
  MARGIN_STATUSES,
  METASTASIS_STATUSES,
  NODE_STATUSES,
  OPINION_KINDS,
  RECEPTOR_STATUSES,
  STAGE_GROUPS,
  STEP_KINDS,
  STEP_TIMINGS,
  STEP_KIND_LABELS,
  type OpinionKind,
  type StepKind,
  type StepTiming,
} from '../../../shared/opinions';

/** Plain words for every value the opinion form offers. "Not stated" is never one of them: it is the blank. */
export interface Choice {
  value: string;
  label: string;
}

export const KIND_LABELS: Record<OpinionKind, string> = {
  first: 'First opinion',
  second: 'Second opinion',
  third: 'Third opinion',
  'tumor-board': 'Tumor board',
};

export const KIND_CHOICES: Choice[] = OPINION_KINDS.map((value) => ({ value, label: KIND_LABELS[value] }));

const LATERALITY_LABELS: Record<(typeof LATERALITIES)[number], string> = {
  left: 'Left',
  right: 'Right',
  bilateral: 'Both sides',
  midline: 'Middle of the body',
  'not-applicable': 'Does not apply',
};
export const LATERALITY_CHOICES: Choice[] = LATERALITIES.map((value) => ({ value, label: LATERALITY_LABELS[value] }));

const NODE_LABELS: Record<(typeof NODE_STATUSES)[number], string> = {
  negative: 'No cancer found (negative)',
  positive: 'Cancer found (positive)',
  'isolated-tumor-cells': 'Only a few isolated cells',
};
export const NODE_CHOICES: Choice[] = NODE_STATUSES.map((value) => ({ value, label: NODE_LABELS[value] }));

const METASTASIS_LABELS: Record<(typeof METASTASIS_STATUSES)[number], string> = {
  none: 'No spread found',
  present: 'Spread found',
  suspected: 'Spread suspected, not confirmed',
};
export const METASTASIS_CHOICES: Choice[] = METASTASIS_STATUSES.map((value) => ({ value, label: METASTASIS_LABELS[value] }));

const RECEPTOR_LABELS: Record<(typeof RECEPTOR_STATUSES)[number], string> = {
  positive: 'Positive',
  'low-positive': 'Low positive (1–10%)',
  negative: 'Negative',
};
export const RECEPTOR_CHOICES: Choice[] = RECEPTOR_STATUSES.map((value) => ({ value, label: RECEPTOR_LABELS[value] }));

export const INTENSITY_CHOICES: Choice[] = [
  { value: 'weak', label: 'Weak' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'strong', label: 'Strong' },
];

export const HER2_IHC_CHOICES: Choice[] = HER2_IHC_SCORES.map((value) => ({ value, label: value }));
const ISH_LABELS: Record<(typeof HER2_ISH_RESULTS)[number], string> = {
  amplified: 'Amplified (extra copies)',
  'not-amplified': 'Not amplified',
  equivocal: 'Borderline (equivocal)',
};
export const HER2_ISH_CHOICES: Choice[] = HER2_ISH_RESULTS.map((value) => ({ value, label: ISH_LABELS[value] }));
const HER2_STATUS_LABELS: Record<(typeof HER2_STATUSES)[number], string> = {
  positive: 'Positive',
  negative: 'Negative (includes “HER2-low”)',
  equivocal: 'Borderline (equivocal)',
};
export const HER2_STATUS_CHOICES: Choice[] = HER2_STATUSES.map((value) => ({ value, label: HER2_STATUS_LABELS[value] }));

export const STAGE_CHOICES: Choice[] = STAGE_GROUPS.map((value) => ({ value, label: `Stage ${value}` }));
export const GRADE_CHOICES: Choice[] = [1, 2, 3].map((value) => ({ value: String(value), label: `Grade ${value}` }));
export const SCORE_CHOICES: Choice[] = [3, 4, 5, 6, 7, 8, 9].map((value) => ({ value: String(value), label: String(value) }));

const MARGIN_LABELS: Record<(typeof MARGIN_STATUSES)[number], string> = {
  negative: 'Clear (negative)',
  close: 'Close',
  positive: 'Cancer at the edge (positive)',
};
export const MARGIN_CHOICES: Choice[] = MARGIN_STATUSES.map((value) => ({ value, label: MARGIN_LABELS[value] }));
export const LVI_CHOICES: Choice[] = [
  { value: 'absent', label: 'Not seen (absent)' },
  { value: 'present', label: 'Seen (present)' },
];

const INTENT_LABELS: Record<(typeof INTENTS)[number], string> = {
  curative: 'To cure',
  control: 'To control the cancer',
  palliative: 'To relieve symptoms (palliative)',
};
export const INTENT_CHOICES: Choice[] = INTENTS.map((value) => ({ value, label: INTENT_LABELS[value] }));

export const STEP_KIND_CHOICES: Choice[] = STEP_KINDS.map((value) => ({ value, label: STEP_KIND_LABELS[value] }));
export function stepKindLabel(kind: StepKind): string {
  return STEP_KIND_LABELS[kind];
}

export const TIMING_LABELS: Record<StepTiming, string> = {
  neoadjuvant: 'Before surgery (neoadjuvant)',
  adjuvant: 'After surgery (adjuvant)',
  concurrent: 'At the same time as another treatment',
  maintenance: 'Ongoing, to keep results (maintenance)',
  palliative: 'To relieve symptoms (palliative)',
};
/** '' = not stated; 'none' = the step has no before/after-surgery timing (stored as null). */
export const TIMING_NONE = 'none';
export const TIMING_CHOICES: Choice[] = [
  { value: TIMING_NONE, label: 'Does not apply (for example the surgery itself)' },
  ...STEP_TIMINGS.map((value) => ({ value, label: TIMING_LABELS[value] })),
];

export const CLINICAL_PREFIX_CHOICES: Choice[] = [
  { value: 'c', label: 'c — before any treatment' },
  { value: 'yc', label: 'yc — after treatment given before surgery' },
];
export const PATHOLOGIC_PREFIX_CHOICES: Choice[] = [
  { value: 'p', label: 'p — from surgery' },
  { value: 'yp', label: 'yp — from surgery after earlier treatment' },
];
