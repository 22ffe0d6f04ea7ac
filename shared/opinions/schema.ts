import { z } from 'zod';
import { isoDate, isoInstant, multilineText, opaqueId, text } from '../contract/common';

/**
 * The shape of one recorded opinion (a doctor's or a tumor board's view of the diagnosis and the plan).
 *
 * NOT STATED vs NO — the rule every consumer must follow:
 *   - A field that is ABSENT (the key is missing) means "this opinion did not say". It is never a "no".
 *   - A stated "no" is a VALUE: `metastasis: { status: 'none' }`, `er: { status: 'negative' }`,
 *     `lymphNodes: { status: 'negative', positive: 0, examined: 3 }`, `lymphovascularInvasion: 'absent'`,
 *     `recommendation.notRecommended: ['radiation']` ("the doctor said radiation is not needed").
 *   - A treatment kind that appears neither in `steps` nor in `notRecommended` was not mentioned.
 *   - Empty arrays carry no statement: `steps: []` is read like an absent `steps`.
 *   - `null` is used only where documented (a step's `timing: null` = "no before/after-surgery timing applies").
 *
 * Strings are bounded and trimmed; objects are strict (unknown keys are refused) so typos do not pass silently.
 */

// ---------------------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------------------

export const OPINION_KINDS = ['first', 'second', 'third', 'tumor-board'] as const;
export const LATERALITIES = ['left', 'right', 'bilateral', 'midline', 'not-applicable'] as const;
export const NODE_STATUSES = ['negative', 'positive', 'isolated-tumor-cells'] as const;
export const METASTASIS_STATUSES = ['none', 'present', 'suspected'] as const;
export const MARGIN_STATUSES = ['negative', 'close', 'positive'] as const;
export const PRESENCE = ['present', 'absent'] as const;
export const RECEPTOR_STATUSES = ['positive', 'low-positive', 'negative'] as const;
export const STAINING_INTENSITIES = ['weak', 'moderate', 'strong'] as const;
export const HER2_IHC_SCORES = ['0', '1+', '2+', '3+'] as const;
export const HER2_ISH_RESULTS = ['amplified', 'not-amplified', 'equivocal'] as const;
export const HER2_STATUSES = ['positive', 'negative', 'equivocal'] as const;
export const STAGE_GROUPS = [
  '0', 'I', 'IA', 'IB', 'IC', 'II', 'IIA', 'IIB', 'IIC', 'III', 'IIIA', 'IIIB', 'IIIC', 'IV', 'IVA', 'IVB', 'IVC',
] as const;
export const CLINICAL_TNM_PREFIXES = ['c', 'yc'] as const;
export const PATHOLOGIC_TNM_PREFIXES = ['p', 'yp'] as const;
export const INTENTS = ['curative', 'control', 'palliative'] as const;
export const STEP_KINDS = [
  'surgery',
  'chemotherapy',
  'radiation',
  'endocrine',
  'targeted',
  'immunotherapy',
  'clinical-trial',
  'active-surveillance',
  'supportive-care',
  'other',
] as const;
export const STEP_TIMINGS = ['neoadjuvant', 'adjuvant', 'concurrent', 'maintenance', 'palliative'] as const;

export type OpinionKind = (typeof OPINION_KINDS)[number];
export type Laterality = (typeof LATERALITIES)[number];
export type ReceptorStatusValue = (typeof RECEPTOR_STATUSES)[number];
export type Her2Ihc = (typeof HER2_IHC_SCORES)[number];
export type Her2Ish = (typeof HER2_ISH_RESULTS)[number];
export type Her2StatusValue = (typeof HER2_STATUSES)[number];
export type StageGroup = (typeof STAGE_GROUPS)[number];
export type StepKind = (typeof STEP_KINDS)[number];
export type StepTiming = (typeof STEP_TIMINGS)[number];
export type Intent = (typeof INTENTS)[number];

// ---------------------------------------------------------------------------------------------------------
// TNM. Each letter is stored without its prefix ('T2', 'N1a', 'M0'); the prefix is a separate key.
// Clinical (c / yc) and pathologic (p / yp) staging are DIFFERENT fields: they are never compared to each other.
// Sub-categories are kept: N1a and N1mi are not the same value as N1 (see normalize.ts, `tnmRefines`).
// ---------------------------------------------------------------------------------------------------------

export const T_CATEGORY = /^T(X|0|is|[1-4](mi|[a-e])?)$/;
export const N_CATEGORY = /^N(X|0(\((i|mol)[+-]\))?|[1-3](mi|[a-c])?)$/;
export const M_CATEGORY = /^M(X|0(\(i\+\))?|1[a-d]?)$/;

const tCategory = z.string().max(8).regex(T_CATEGORY, "must look like 'T2', 'T1c', 'Tis' or 'TX'");
const nCategory = z.string().max(12).regex(N_CATEGORY, "must look like 'N0', 'N1a', 'N1mi' or 'N0(i+)'");
const mCategory = z.string().max(8).regex(M_CATEGORY, "must look like 'M0' or 'M1'");

function tnmSchema<P extends readonly [string, ...string[]]>(prefixes: P) {
  return z
    .strictObject({
      /** 'c' clinical, 'p' pathologic; a leading 'y' means "after treatment given before surgery". */
      prefix: z.enum(prefixes).optional(),
      t: tCategory.optional(),
      n: nCategory.optional(),
      m: mCategory.optional(),
    })
    .refine((v) => v.t !== undefined || v.n !== undefined || v.m !== undefined, 'give at least one of t, n, m');
}

export const clinicalTnm = tnmSchema(CLINICAL_TNM_PREFIXES);
export const pathologicTnm = tnmSchema(PATHOLOGIC_TNM_PREFIXES);
export type Tnm = { prefix?: 'c' | 'yc' | 'p' | 'yp'; t?: string; n?: string; m?: string };
export type ClinicalTnm = z.infer<typeof clinicalTnm>;
export type PathologicTnm = z.infer<typeof pathologicTnm>;

// ---------------------------------------------------------------------------------------------------------
// Diagnosis
// ---------------------------------------------------------------------------------------------------------

const percent = z.number().min(0).max(100);

export const lymphNodes = z
  .strictObject({
    /** 'negative' is a stated "no cancer found in the nodes" (a value, not an absence). */
    status: z.enum(NODE_STATUSES),
    /** Nodes with cancer. 0 is a stated value. */
    positive: z.number().int().min(0).max(200).optional(),
    /** Nodes looked at. */
    examined: z.number().int().min(0).max(200).optional(),
  })
  .refine((v) => v.positive === undefined || v.examined === undefined || v.positive <= v.examined, {
    message: 'cannot have more positive nodes than examined',
    path: ['positive'],
  })
  .refine((v) => !(v.status === 'negative' && (v.positive ?? 0) > 0), {
    message: "status 'negative' contradicts a positive count above 0",
    path: ['status'],
  })
  .refine((v) => !(v.status === 'positive' && v.positive === 0), {
    message: "status 'positive' contradicts a positive count of 0",
    path: ['status'],
  });
export type LymphNodes = z.infer<typeof lymphNodes>;

export const metastasis = z
  .strictObject({
    /** 'none' = the doctor says there is no distant spread (a value). */
    status: z.enum(METASTASIS_STATUSES),
    sites: z.array(text(100).min(1)).max(20).optional(),
  })
  .refine((v) => v.status !== 'none' || (v.sites ?? []).length === 0, {
    message: "sites cannot be listed when status is 'none'",
    path: ['sites'],
  });
export type Metastasis = z.infer<typeof metastasis>;

/** Nottingham (Elston-Ellis) grade 1–3 and its score 3–9 (3–5 → 1, 6–7 → 2, 8–9 → 3). */
export const grade = z
  .strictObject({
    value: z.number().int().min(1).max(3).optional(),
    score: z.number().int().min(3).max(9).optional(),
  })
  .refine((v) => v.value !== undefined || v.score !== undefined, 'give the grade, the score or both')
  .refine((v) => v.value === undefined || v.score === undefined || gradeFromScore(v.score) === v.value, {
    message: 'the score does not match the grade (3–5 is grade 1, 6–7 grade 2, 8–9 grade 3)',
    path: ['score'],
  });
export type Grade = z.infer<typeof grade>;

export function gradeFromScore(score: number): 1 | 2 | 3 {
  return score <= 5 ? 1 : score <= 7 ? 2 : 3;
}

/**
 * ER or PR. Status follows the ASCO/CAP wording: negative (<1% of cells), low positive (1–10%), positive.
 * 'negative' is a value. A percent that contradicts the status is refused.
 */
export const receptor = z
  .strictObject({
    status: z.enum(RECEPTOR_STATUSES),
    percent: percent.optional(),
    intensity: z.enum(STAINING_INTENSITIES).optional(),
  })
  .refine((v) => v.percent === undefined || v.status !== 'negative' || v.percent < 1, {
    message: "a 'negative' result is below 1%",
    path: ['percent'],
  })
  .refine((v) => v.percent === undefined || v.status === 'negative' || v.percent >= 1, {
    message: 'a positive result is at least 1%',
    path: ['percent'],
  });
export type Receptor = z.infer<typeof receptor>;

export const her2 = z
  .strictObject({
    /** Immunohistochemistry score. */
    ihc: z.enum(HER2_IHC_SCORES).optional(),
    /** In situ hybridisation (FISH, SISH, CISH, dual ISH). */
    ish: z.enum(HER2_ISH_RESULTS).optional(),
    /** Overall call. 'negative' includes what is called HER2-low (IHC 1+, or 2+ without amplification). */
    status: z.enum(HER2_STATUSES).optional(),
  })
  .refine((v) => v.ihc !== undefined || v.ish !== undefined || v.status !== undefined, 'give at least one HER2 result');
export type Her2 = z.infer<typeof her2>;

/** A named test and its result, e.g. { test: 'Oncotype DX', result: 'Recurrence score 18' }. */
export const testResult = z.strictObject({
  test: text(120).min(1),
  result: text(300).min(1),
});
export type TestResult = z.infer<typeof testResult>;

export const diagnosis = z.strictObject({
  /** e.g. 'breast cancer'. */
  cancerType: text(200).min(1).optional(),
  /** As written, e.g. 'invasive ductal carcinoma'. Compared through normalizeHistology. */
  histology: text(200).min(1).optional(),
  /** e.g. 'breast, upper outer quadrant'. */
  site: text(200).min(1).optional(),
  laterality: z.enum(LATERALITIES).optional(),
  /** Largest dimension of the tumour, in millimetres. */
  tumorSizeMm: z.number().positive().max(1000).optional(),
  lymphNodes: lymphNodes.optional(),
  metastasis: metastasis.optional(),
  clinicalTnm: clinicalTnm.optional(),
  pathologicTnm: pathologicTnm.optional(),
  stageGroup: z.enum(STAGE_GROUPS).optional(),
  grade: grade.optional(),
  er: receptor.optional(),
  pr: receptor.optional(),
  her2: her2.optional(),
  ki67Percent: percent.optional(),
  /** From surgical pathology. 'negative' is a value. */
  margins: z.enum(MARGIN_STATUSES).optional(),
  /** 'absent' is a value ("no lymphovascular invasion"). */
  lymphovascularInvasion: z.enum(PRESENCE).optional(),
  genomicResults: z.array(testResult).max(20).optional(),
  germlineResults: z.array(testResult).max(20).optional(),
  otherBiomarkers: z.array(testResult).max(30).optional(),
});
export type Diagnosis = z.infer<typeof diagnosis>;

// ---------------------------------------------------------------------------------------------------------
// Recommendation
// ---------------------------------------------------------------------------------------------------------

export const treatmentStep = z.strictObject({
  kind: z.enum(STEP_KINDS),
  /** What exactly, as written: 'lumpectomy', 'AC-T', 'whole breast', 'letrozole'. Compared through normalizeTreatment. */
  detail: text(200).min(1).optional(),
  /**
   * Absent = not stated. null = no before/after-surgery timing applies (e.g. the surgery itself).
   * neoadjuvant = before surgery, adjuvant = after surgery.
   */
  timing: z.enum(STEP_TIMINGS).nullable().optional(),
  /** e.g. '5 years', '4 cycles', '3 weeks'. Compared through normalizeDuration. */
  duration: text(100).min(1).optional(),
});
export type TreatmentStep = z.infer<typeof treatmentStep>;

export const recommendation = z.strictObject({
  intent: z.enum(INTENTS).optional(),
  /** In the order the doctor proposes them. */
  steps: z.array(treatmentStep).max(30).optional(),
  /** Kinds of treatment the doctor explicitly said are NOT needed — a stated "no". */
  notRecommended: z.array(z.enum(STEP_KINDS)).max(STEP_KINDS.length).optional(),
  /** Tests the doctor wants before deciding. */
  furtherTests: z.array(text(200).min(1)).max(30).optional(),
  /** Trials suggested, by name or NCT number. */
  clinicalTrials: z.array(text(200).min(1)).max(20).optional(),
  followUp: multilineText(2000).optional(),
});
export type Recommendation = z.infer<typeof recommendation>;

// ---------------------------------------------------------------------------------------------------------
// Provenance: where a value came from. Keys are field paths such as 'diagnosis.er' or 'recommendation.steps.0'.
// ---------------------------------------------------------------------------------------------------------

export const FIELD_PATH = /^[a-zA-Z][a-zA-Z0-9]*(\.([a-zA-Z][a-zA-Z0-9]*|\d{1,3}))*$/;
export const MAX_PROVENANCE_ENTRIES = 200;

export const provenanceEntry = z.strictObject({
  documentId: opaqueId,
  /** The sentence or phrase the value was read from. */
  snippet: text(1000).min(1),
  /** Offsets of the phrase in the document's extracted text, when known. */
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
});
export type ProvenanceEntry = z.infer<typeof provenanceEntry>;

export const provenance = z
  .record(z.string().max(120).regex(FIELD_PATH, 'is not a field path'), provenanceEntry)
  .refine((v) => Object.keys(v).length <= MAX_PROVENANCE_ENTRIES, `at most ${MAX_PROVENANCE_ENTRIES} entries`);
export type Provenance = z.infer<typeof provenance>;

// ---------------------------------------------------------------------------------------------------------
// The opinion
// ---------------------------------------------------------------------------------------------------------

const opinionFields = {
  /** Who gave the opinion. Optional: a tumor board may have no single name. */
  clinician: text(200).min(1).optional(),
  /** e.g. 'medical oncologist', 'breast surgeon'. */
  role: text(120).min(1).optional(),
  institution: text(200).min(1).optional(),
  /** Date of the visit or of the written opinion (not a birth date). */
  date: isoDate.optional(),
  kind: z.enum(OPINION_KINDS),
  /** Stored documents this opinion rests on (consult notes, pathology reports). */
  documentIds: z.array(opaqueId).max(50).optional(),
  diagnosis: diagnosis.optional(),
  recommendation: recommendation.optional(),
  notes: multilineText(10_000).optional(),
  provenance: provenance.optional(),
};

/** What a person (or the CLI) gives to create an opinion. */
export const opinionInput = z.strictObject(opinionFields);
export type OpinionInput = z.infer<typeof opinionInput>;

/** A stored opinion. */
export const opinion = z.strictObject({
  id: opaqueId,
  createdAt: isoInstant,
  updatedAt: isoInstant,
  ...opinionFields,
});
export type Opinion = z.infer<typeof opinion>;

/**
 * JSON Schema (draft 2020-12) of an opinion, for `opinion schema` in the CLI and for people writing
 * opinions by hand. `which: 'input'` describes what `opinionInput` accepts (no id, no timestamps).
 */
export function opinionJsonSchema(which: 'opinion' | 'input' = 'opinion'): Record<string, unknown> {
  const schema = which === 'input' ? opinionInput : opinion;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
