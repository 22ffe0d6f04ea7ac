import { meaningfulPartials, type Comparison, type ComparisonRow } from './compare';

/**
 * Suggested questions for the next appointment, written in plain and kind words.
 *
 * suggestQuestions(comparison) gives, for every row whose status is 'different', one or more questions drawn from
 * the usual follow-up topics (guidelines, trial evidence, outcomes, side effects, whether each doctor would be
 * comfortable with the other plan, re-review of the pathology, the doctors talking to each other or a tumor board).
 * Rows mentioned by only some opinions ('partial') get one gentle clarifying question. Ids are deterministic:
 * `${templateId}:${field}`, so a question keeps its id across runs (the UI can remember which ones were asked).
 * Questions that would repeat word for word for several rows (ER status and ER percent) are given once, with the
 * other rows listed in `relatedFields`.
 */

export const QUESTION_TOPICS = [
  'experience',
  'pathology',
  'agreement',
  'alternatives',
  'guidelines',
  'evidence',
  'outcomes',
  'side-effects',
  'comfort',
  'coordination',
  'trials',
  'tests',
  'timing',
  'clarify',
] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

export interface SuggestedQuestion {
  /** Stable: `${templateId}:${field}`. */
  id: string;
  /** The comparison row the question is about; 'overall' for questions about the whole picture; 'base' for BASE_QUESTIONS. */
  field: string;
  text: string;
  topic: QuestionTopic;
  /** Other rows the same question covers. */
  relatedFields?: string[];
}

/** Questions worth asking at any second-opinion appointment, before anything is compared. */
export const BASE_QUESTIONS: readonly SuggestedQuestion[] = Object.freeze([
  { id: 'base-experience', field: 'base', topic: 'experience', text: 'How often do you treat this type of cancer, and is it a main part of your work?' },
  { id: 'base-pathology', field: 'base', topic: 'pathology', text: 'Has a pathologist on your team looked at my slides, and do they agree with the original pathology report?' },
  { id: 'base-stage', field: 'base', topic: 'agreement', text: 'Do you agree with the stage I was given? Are any other scans or tests needed first?' },
  { id: 'base-plan', field: 'base', topic: 'agreement', text: 'Do you agree with the treatment plan I was offered? If not, what would you suggest instead, and why?' },
  { id: 'base-alternatives', field: 'base', topic: 'alternatives', text: 'What other reasonable options do I have, including doing less or waiting?' },
  { id: 'base-goal', field: 'base', topic: 'clarify', text: 'What is the aim of the treatment you recommend, and how will we know it is working?' },
  { id: 'base-side-effects', field: 'base', topic: 'side-effects', text: 'What side effects could each option cause, soon and in the years after, and how are they handled?' },
  { id: 'base-trials', field: 'base', topic: 'trials', text: 'Is there a clinical trial that could suit me? Does that have to be checked before I start any treatment?' },
  { id: 'base-wait', field: 'base', topic: 'timing', text: 'How long can treatment safely wait while I make my decision?' },
  { id: 'base-fertility', field: 'base', topic: 'side-effects', text: 'If having children later matters to me, what should be done before treatment begins?' },
  { id: 'base-coordination', field: 'base', topic: 'coordination', text: 'Who will coordinate my care from here, and will your notes be sent to my current doctor?' },
]);

// ---------------------------------------------------------------------------------------------------------

type Category =
  | 'record'
  | 'pathology'
  | 'receptor'
  | 'stage'
  | 'treatment-kind'
  | 'treatment-detail'
  | 'order'
  | 'duration'
  | 'intent'
  | 'tests'
  | 'trials'
  | 'follow-up'
  | 'result';

function categoryOf(field: string): Category {
  if (/^diagnosis\.(cancerType|site|laterality)$/.test(field)) return 'record';
  if (/^diagnosis\.(er|pr|her2)\.|^diagnosis\.ki67Percent$/.test(field)) return 'receptor';
  if (/^diagnosis\.(clinicalTnm|stageGroup|metastasis)/.test(field)) return 'stage';
  if (/^diagnosis\.(genomicResults|germlineResults|otherBiomarkers)\./.test(field)) return 'result';
  if (field.startsWith('diagnosis.')) return 'pathology';
  if (field === 'recommendation.intent') return 'intent';
  if (field === 'recommendation.sequence' || /^recommendation\.steps\.[a-z-]+\.timing$/.test(field)) return 'order';
  if (/^recommendation\.steps\.[a-z-]+\.duration$/.test(field)) return 'duration';
  if (/^recommendation\.steps\.[a-z-]+\.detail$/.test(field)) return 'treatment-detail';
  if (/^recommendation\.steps\.[a-z-]+$/.test(field)) return 'treatment-kind';
  if (field === 'recommendation.furtherTests') return 'tests';
  if (field === 'recommendation.clinicalTrials') return 'trials';
  if (field === 'recommendation.followUp') return 'follow-up';
  return 'record';
}

function quote(s: string): string {
  return `“${s}”`;
}

function distinctTexts(row: ComparisonRow): string[] {
  return [...new Map(row.values.filter((v) => v !== null).map((v) => [v!.key, v!.text])).values()];
}

/** '“lumpectomy” or “mastectomy”'. */
function options(row: ComparisonRow): string {
  const d = distinctTexts(row).map(quote);
  return d.length <= 1 ? (d[0] ?? 'the options') : `${d.slice(0, -1).join(', ')} or ${d[d.length - 1]}`;
}

/** 'one opinion says “grade 2” and another says “grade 3”', or a list for three or four distinct values. */
export function describeValues(row: ComparisonRow): string {
  const distinct = distinctTexts(row);
  if (distinct.length === 0) return 'nothing was written down';
  if (distinct.length === 1) return `one opinion says ${quote(distinct[0]!)}`;
  if (distinct.length === 2) return `one opinion says ${quote(distinct[0]!)} and another says ${quote(distinct[1]!)}`;
  return `the opinions say ${distinct.slice(0, -1).map(quote).join(', ')} or ${quote(distinct[distinct.length - 1]!)}`;
}

interface Template {
  id: string;
  topic: QuestionTopic;
  text: (row: ComparisonRow) => string;
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const TEMPLATES: Record<Category, Template[]> = {
  record: [
    {
      id: 'record-check',
      topic: 'clarify',
      text: (r) =>
        `The records differ on ${lower(r.label)}: ${describeValues(r)}. Could you check which is right? A difference like this sometimes comes from a typing slip or from another person’s record.`,
    },
  ],
  pathology: [
    {
      id: 'pathology-review',
      topic: 'pathology',
      text: (r) =>
        `The reports differ on ${r.phrase}: ${describeValues(r)}. Could a pathologist look at the original slides again, or send them for another pathologist’s review, so everyone works from the same result?`,
    },
    {
      id: 'pathology-impact',
      topic: 'agreement',
      text: (r) => `Would your treatment recommendation change depending on which reading of ${r.phrase} is correct?`,
    },
  ],
  receptor: [
    {
      id: 'pathology-review',
      topic: 'pathology',
      text: (r) =>
        `The reports give different answers for ${r.phrase}: ${describeValues(r)}. Could the pathologists compare their readings, or review the slides again, so everyone works from the same result?`,
    },
    {
      id: 'receptor-retest',
      topic: 'tests',
      text: (r) => `Should ${r.phrase} be tested again, on the same tissue or on a new sample, to settle the difference?`,
    },
    {
      id: 'pathology-impact',
      topic: 'agreement',
      text: (r) => `Which treatments depend on ${r.phrase}, and would your recommendation change if the other reading were correct?`,
    },
  ],
  stage: [
    {
      id: 'stage-basis',
      topic: 'tests',
      text: (r) =>
        `The opinions differ on ${r.phrase}: ${describeValues(r)}. What is your reading based on — the physical exam, the scans or the tissue — and would another scan or test help settle it?`,
    },
    {
      id: 'stage-impact',
      topic: 'agreement',
      text: (r) => `Does this difference in ${r.phrase} change which treatments you would recommend, or what I can expect from them?`,
    },
  ],
  'treatment-kind': [
    {
      id: 'treatment-need',
      topic: 'outcomes',
      text: (r) =>
        `The opinions differ on ${r.phrase}: ${describeValues(r)}. What would ${r.phrase} add in my case, and what would I risk by leaving it out?`,
    },
    { id: 'treatment-guidelines', topic: 'guidelines', text: (r) => `Which professional guidelines support your advice on ${r.phrase} for someone in my situation?` },
    { id: 'treatment-evidence', topic: 'evidence', text: (r) => `What have clinical trials shown about ${r.phrase} for cancers like mine?` },
    { id: 'treatment-side-effects', topic: 'side-effects', text: (r) => `What side effects would ${r.phrase} bring, during treatment and in the long run?` },
    {
      id: 'treatment-comfort',
      topic: 'comfort',
      text: (r) => `Would you be comfortable following the other doctor’s advice on ${r.phrase}? Why or why not?`,
    },
  ],
  'treatment-detail': [
    {
      id: 'treatment-options',
      topic: 'alternatives',
      text: (r) => `The opinions differ on ${r.phrase}: ${describeValues(r)}. Why do you prefer your choice for me?`,
    },
    { id: 'treatment-guidelines', topic: 'guidelines', text: (r) => `Which professional guidelines support each option (${options(r)})?` },
    { id: 'treatment-evidence', topic: 'evidence', text: (r) => `What have clinical trials shown for ${options(r)} in cancers like mine?` },
    {
      id: 'treatment-outcomes',
      topic: 'outcomes',
      text: (r) => `Would my chances be different with ${options(r)}, or do they work about equally well?`,
    },
    {
      id: 'treatment-side-effects',
      topic: 'side-effects',
      text: (r) => `How do the side effects of ${options(r)} compare, both during treatment and in the years after?`,
    },
    {
      id: 'treatment-comfort',
      topic: 'comfort',
      text: (r) => `Would you be comfortable giving me the other option (${options(r)}) instead? Why or why not?`,
    },
  ],
  order: [
    {
      id: 'order-why',
      topic: 'agreement',
      text: (r) =>
        `The opinions differ on ${r.phrase}: ${describeValues(r)}. What is the reason for the order you suggest, and what would change if it were the other way round?`,
    },
    {
      id: 'order-surgery',
      topic: 'outcomes',
      text: () =>
        'Would treatment before surgery change which operation I could have, or show how well the cancer responds to the drugs?',
    },
    {
      id: 'order-evidence',
      topic: 'evidence',
      text: () => 'Do studies show a difference in results between giving this treatment before surgery and after it, for cancers like mine?',
    },
  ],
  duration: [
    {
      id: 'duration-why',
      topic: 'evidence',
      text: (r) =>
        `The opinions differ on ${r.phrase}: ${describeValues(r)}. What is the evidence for the length you suggest, and what would a shorter or longer course mean for me?`,
    },
    { id: 'duration-side-effects', topic: 'side-effects', text: () => 'How would side effects build up over a longer course, and could the length be reviewed along the way?' },
  ],
  intent: [
    {
      id: 'intent-clarify',
      topic: 'clarify',
      text: (r) => `The opinions describe the goal differently: ${describeValues(r)}. What can treatment realistically achieve for me, and why do you see it that way?`,
    },
  ],
  tests: [
    {
      id: 'tests-before',
      topic: 'tests',
      text: (r) => `The opinions ask for different tests: ${describeValues(r)}. Should these be done before any treatment starts, and could the results change the plan?`,
    },
  ],
  trials: [
    {
      id: 'trial-eligibility',
      topic: 'trials',
      text: (r) => `Different clinical trials were suggested: ${describeValues(r)}. Which could suit me, and does my eligibility need to be checked before I start treatment?`,
    },
  ],
  'follow-up': [
    {
      id: 'follow-up-clarify',
      topic: 'clarify',
      text: (r) => `The follow-up plans differ: ${describeValues(r)}. Which check-ups and scans do you recommend after treatment, and who will arrange them?`,
    },
  ],
  result: [
    {
      id: 'result-check',
      topic: 'tests',
      text: (r) => `The records differ on ${r.phrase}: ${describeValues(r)}. Which result is correct, and does it change the recommendation?`,
    },
  ],
};

const OVERALL: Template[] = [
  { id: 'talk-to-each-other', topic: 'coordination', text: () => 'Would you be willing to talk with the other doctor about where your recommendations differ?' },
  { id: 'tumor-board', topic: 'coordination', text: () => 'Could my case be discussed at a tumor board, or would a third opinion help us decide?' },
  { id: 'decision-time', topic: 'timing', text: () => 'How long can I safely take to decide between these options before treatment starts?' },
  { id: 'share-records', topic: 'coordination', text: () => 'Can the notes from this visit be sent to my main doctor, so everyone has the same information?' },
];

const PATHOLOGY_OVERALL: Template = {
  id: 'pathology-second-review',
  topic: 'pathology',
  text: () => 'Since the pathology results differ, could my slides be reviewed by a pathologist who specialises in this cancer before a treatment is chosen?',
};

const PARTIAL: Template = {
  id: 'ask-unstated',
  topic: 'clarify',
  text: (r) => `Only some of the opinions mention ${r.phrase}. Could each doctor say what they think about it for me?`,
};

/** Suggested questions for a comparison, most important first (differences in their row order, then the overall ones). */
export function suggestQuestions(comparison: Comparison): SuggestedQuestion[] {
  const out: SuggestedQuestion[] = [];
  const byText = new Map<string, SuggestedQuestion>();
  const add = (template: Template, row: ComparisonRow | null, field: string) => {
    const text = row ? template.text(row) : template.text({} as ComparisonRow);
    const existing = byText.get(text);
    if (existing) {
      if (existing.field !== field) {
        existing.relatedFields = [...new Set([...(existing.relatedFields ?? []), field])];
      }
      return;
    }
    const q: SuggestedQuestion = { id: `${template.id}:${field}`, field, text, topic: template.topic };
    byText.set(text, q);
    out.push(q);
  };

  const different = comparison.rows.filter((r) => r.status === 'different');
  for (const row of different) {
    for (const t of TEMPLATES[categoryOf(row.field)]) add(t, row, row.field);
  }
  if (different.length > 0) {
    const pathologyDiffers = different.some((r) => {
      const c = categoryOf(r.field);
      return c === 'pathology' || c === 'receptor';
    });
    if (pathologyDiffers) add(PATHOLOGY_OVERALL, null, 'overall');
    for (const t of OVERALL) add(t, null, 'overall');
  }
  const partial = meaningfulPartials(comparison.rows).filter((r) => r.group !== 'other');
  const seenPhrases = new Set<string>();
  for (const row of partial) {
    if (seenPhrases.has(row.phrase)) continue;
    seenPhrases.add(row.phrase);
    add(PARTIAL, row, row.field);
  }
  return out;
}
