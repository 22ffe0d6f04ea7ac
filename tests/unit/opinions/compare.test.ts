import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import {
  BASE_QUESTIONS,
  compareOpinions,
  QUESTION_TOPICS,
  suggestQuestions,
  type Comparison,
  type Diagnosis,
  type Opinion,
  type Recommendation,
} from '../../../shared/opinions';
import { makeOpinion } from './helpers';

// A synthetic early-stage, HR-positive case, written twice in different words.
const baseDiagnosis: Diagnosis = {
  cancerType: 'breast cancer',
  histology: 'invasive ductal carcinoma',
  laterality: 'left',
  tumorSizeMm: 18,
  lymphNodes: { status: 'negative', positive: 0, examined: 2 },
  metastasis: { status: 'none' },
  clinicalTnm: { prefix: 'c', t: 'T1c', n: 'N0', m: 'M0' },
  stageGroup: 'IA',
  grade: { value: 2, score: 6 },
  er: { status: 'positive', percent: 95 },
  pr: { status: 'positive', percent: 70 },
  her2: { ihc: '1+', status: 'negative' },
  ki67Percent: 15,
};
const samePlanOtherWords: Recommendation = {
  intent: 'curative',
  steps: [
    { kind: 'surgery', detail: 'breast-conserving surgery with SLNB' },
    { kind: 'radiation', detail: 'whole breast radiation', timing: 'adjuvant' },
    { kind: 'endocrine', detail: 'anastrozole', timing: 'adjuvant', duration: '60 months' },
  ],
  notRecommended: ['chemotherapy'],
};
const basePlan: Recommendation = {
  intent: 'curative',
  steps: [
    { kind: 'surgery', detail: 'lumpectomy and sentinel lymph node biopsy' },
    { kind: 'radiation', detail: 'whole-breast irradiation', timing: 'adjuvant' },
    { kind: 'endocrine', detail: 'letrozole', timing: 'adjuvant', duration: '5 years' },
  ],
  notRecommended: ['chemotherapy'],
};

function first(diagnosis: Diagnosis = baseDiagnosis, recommendation: Recommendation = basePlan): Opinion {
  return makeOpinion({ kind: 'first', clinician: 'Dr. Synthetic Adams', institution: 'Community Hospital', date: '2025-02-01', diagnosis, recommendation });
}
function second(diagnosis: Diagnosis, recommendation: Recommendation): Opinion {
  return makeOpinion({ kind: 'second', clinician: 'Dr. Synthetic Baker', institution: 'University Cancer Center', date: '2025-02-20', diagnosis, recommendation });
}

const row = (c: Comparison, field: string) => {
  const r = c.rows.find((x) => x.field === field);
  if (!r) throw new Error(`no row ${field}: ${c.rows.map((x) => x.field).join(', ')}`);
  return r;
};

function expectQuestionsForEveryDifference(c: Comparison) {
  const questions = suggestQuestions(c);
  for (const r of c.rows.filter((x) => x.status === 'different')) {
    const covering = questions.filter((q) => q.field === r.field || q.relatedFields?.includes(r.field));
    expect(covering.length, `questions for ${r.field}`).toBeGreaterThanOrEqual(1);
  }
  const ids = questions.map((q) => q.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const q of questions) {
    expect(QUESTION_TOPICS).toContain(q.topic);
    expect(q.text.length).toBeGreaterThan(20);
    expect(q.text).not.toMatch(/undefined|null|\[object/);
  }
  return questions;
}

describe('compareOpinions — pairs', () => {
  it('fully agreeing opinions written in different words', () => {
    const c = compareOpinions([
      first(),
      second(
        {
          ...baseDiagnosis,
          histology: 'IDC (invasive carcinoma of no special type)',
          tumorSizeMm: 19,
          er: { status: 'positive', percent: 90, intensity: 'strong' },
          clinicalTnm: { t: 'T1c', n: 'N0', m: 'M0' },
        },
        samePlanOtherWords,
      ),
    ]);
    expect(c.differences).toBe(0);
    expect(c.rows.filter((r) => r.status === 'different')).toEqual([]);
    expect(row(c, 'diagnosis.histology').status).toBe('same');
    expect(row(c, 'diagnosis.tumorSizeMm').status).toBe('same');
    expect(row(c, 'diagnosis.tumorSizeMm').note).toMatch(/slightly/);
    expect(row(c, 'diagnosis.er.percent').status).toBe('same');
    expect(row(c, 'diagnosis.clinicalTnm.t').status).toBe('same');
    expect(row(c, 'recommendation.steps.surgery.detail').status).toBe('same');
    expect(row(c, 'recommendation.steps.endocrine.detail').status).toBe('same');
    expect(row(c, 'recommendation.steps.endocrine.duration').status).toBe('same');
    expect(row(c, 'recommendation.steps.chemotherapy').values.map((v) => v?.text)).toEqual(['Not recommended', 'Not recommended']);
    expect(row(c, 'diagnosis.margins').status).toBe('not-stated');
    expect(c.summary).toContain('The two opinions agree on the diagnosis, the stage, the receptor results (ER, PR, HER2) and the treatment plan.');
    expect(c.summary).not.toMatch(/differ on/);
    expect(suggestQuestions(c).filter((q) => q.field !== 'base')).toEqual([]);
    expect(c.opinions.map((o) => o.label)).toEqual([
      'Dr. Synthetic Adams, Community Hospital (2025-02-01)',
      'Dr. Synthetic Baker, University Cancer Center (2025-02-20)',
    ]);
  });

  it('differing in stage', () => {
    const c = compareOpinions([
      first({ ...baseDiagnosis, clinicalTnm: { prefix: 'c', t: 'T2', n: 'N0', m: 'M0' }, stageGroup: 'IIA' }),
      second({ ...baseDiagnosis, clinicalTnm: { prefix: 'c', t: 'T2', n: 'N1', m: 'M0' }, stageGroup: 'IIB' }, basePlan),
    ]);
    expect(row(c, 'diagnosis.clinicalTnm.t').status).toBe('same');
    expect(row(c, 'diagnosis.clinicalTnm.n').status).toBe('different');
    expect(row(c, 'diagnosis.clinicalTnm.n').values.map((v) => v?.text)).toEqual(['cN0', 'cN1']);
    expect(row(c, 'diagnosis.stageGroup').status).toBe('different');
    expect(row(c, 'diagnosis.pathologicTnm.n').status).toBe('not-stated');
    expect(c.differences).toBe(2);
    expect(c.summary).toMatch(/agree on the diagnosis/);
    expect(c.summary).toMatch(/differ on the stage\./);
    const q = expectQuestionsForEveryDifference(c);
    expect(q.some((x) => x.topic === 'tests' && x.field === 'diagnosis.clinicalTnm.n')).toBe(true);
    expect(q.some((x) => x.id === 'tumor-board:overall')).toBe(true);
  });

  it('N1 versus N1a is a difference, explained as a refinement', () => {
    const c = compareOpinions([
      first({ ...baseDiagnosis, pathologicTnm: { prefix: 'p', t: 'T2', n: 'N1' } }),
      second({ ...baseDiagnosis, pathologicTnm: { prefix: 'p', t: 'T2', n: 'N1a' } }, basePlan),
    ]);
    const r = row(c, 'diagnosis.pathologicTnm.n');
    expect(r.status).toBe('different');
    expect(r.note).toMatch(/pN1a is a more detailed form of pN1/);
  });

  it('differing in receptors', () => {
    const c = compareOpinions([
      first(),
      second(
        { ...baseDiagnosis, er: { status: 'low-positive', percent: 5 }, her2: { ihc: '3+' }, ki67Percent: 18 },
        basePlan,
      ),
    ]);
    expect(row(c, 'diagnosis.er.status').status).toBe('different');
    expect(row(c, 'diagnosis.er.percent').status).toBe('different');
    expect(row(c, 'diagnosis.her2.status').values.map((v) => v?.text)).toEqual(['Negative', 'Positive']);
    expect(row(c, 'diagnosis.her2.status').status).toBe('different');
    expect(row(c, 'diagnosis.her2.ihc').status).toBe('different');
    expect(row(c, 'diagnosis.ki67Percent').status).toBe('same'); // 15 vs 18: within lab variation
    expect(row(c, 'diagnosis.pr.status').status).toBe('same');
    expect(c.summary).toMatch(/differ on the ER result and on the HER2 result\./);
    expect(c.summary).not.toMatch(/agree on[^.]*receptor/);
    const q = expectQuestionsForEveryDifference(c);
    expect(q.some((x) => x.topic === 'pathology' && x.field === 'diagnosis.er.status')).toBe(true);
    expect(q.some((x) => x.id === 'pathology-second-review:overall')).toBe(true);
    const er = q.find((x) => x.id === 'pathology-review:diagnosis.er.status')!;
    expect(er.text).toContain('“Positive”');
    expect(er.text).toContain('“Low positive”');
    expect(er.relatedFields).toBeUndefined();
  });

  it('differing in surgery and on radiation (the summary names both, plainly)', () => {
    const c = compareOpinions([
      first(),
      second(baseDiagnosis, {
        intent: 'curative',
        steps: [
          { kind: 'surgery', detail: 'mastectomy with sentinel lymph node biopsy' },
          { kind: 'endocrine', detail: 'letrozole', timing: 'adjuvant', duration: '5 years' },
        ],
        notRecommended: ['chemotherapy', 'radiation'],
      }),
    ]);
    expect(row(c, 'recommendation.steps.surgery').status).toBe('same');
    expect(row(c, 'recommendation.steps.surgery.detail').status).toBe('different');
    expect(row(c, 'recommendation.steps.radiation').status).toBe('different');
    expect(row(c, 'recommendation.steps.radiation').values.map((v) => v?.text)).toEqual(['Recommended', 'Not recommended']);
    expect(row(c, 'recommendation.sequence').status).toBe('same');
    expect(c.summary).toBe(
      'The two opinions agree on the diagnosis, the stage and the receptor results (ER, PR, HER2). They differ on the type of surgery and on radiation.',
    );
    // The type and timing of radiation are only given by the doctor who recommends it: not a separate gap.
    expect(row(c, 'recommendation.steps.radiation.detail')).toMatchObject({ status: 'partial', dependsOn: 'recommendation.steps.radiation' });
    expect(suggestQuestions(c).some((x) => x.id.startsWith('ask-unstated:recommendation.steps.radiation'))).toBe(false);
    const q = expectQuestionsForEveryDifference(c);
    const topics = new Set(q.filter((x) => x.field.startsWith('recommendation.steps.')).map((x) => x.topic));
    for (const t of ['guidelines', 'evidence', 'outcomes', 'side-effects', 'comfort'] as const) expect(topics).toContain(t);
    expect(q.some((x) => x.topic === 'coordination' && /talk with the other doctor/.test(x.text))).toBe(true);
  });

  it('differing in sequence: neoadjuvant chemotherapy then surgery vs surgery then adjuvant chemotherapy', () => {
    const her2Positive: Diagnosis = { ...baseDiagnosis, tumorSizeMm: 32, her2: { ihc: '3+', status: 'positive' }, er: { status: 'negative', percent: 0 }, pr: { status: 'negative', percent: 0 } };
    const c = compareOpinions([
      first(her2Positive, {
        intent: 'curative',
        steps: [
          { kind: 'chemotherapy', detail: 'TCHP', timing: 'neoadjuvant', duration: '6 cycles' },
          { kind: 'surgery', detail: 'lumpectomy' },
          { kind: 'targeted', detail: 'trastuzumab and pertuzumab', timing: 'adjuvant', duration: '1 year' },
          { kind: 'radiation', detail: 'whole breast', timing: 'adjuvant' },
        ],
      }),
      second(her2Positive, {
        intent: 'curative',
        steps: [
          { kind: 'surgery', detail: 'lumpectomy' },
          { kind: 'chemotherapy', detail: 'docetaxel, carboplatin, trastuzumab and pertuzumab', timing: 'adjuvant', duration: 'x6 cycles' },
          { kind: 'targeted', detail: 'Phesgo', timing: 'adjuvant', duration: '12 months' },
          { kind: 'radiation', detail: 'whole breast', timing: 'adjuvant' },
        ],
      }),
    ]);
    expect(row(c, 'recommendation.steps.chemotherapy.detail').status).toBe('same');
    expect(row(c, 'recommendation.steps.chemotherapy.duration').status).toBe('same');
    expect(row(c, 'recommendation.steps.chemotherapy.timing').status).toBe('different');
    expect(row(c, 'recommendation.steps.chemotherapy.timing').values.map((v) => v?.text)).toEqual([
      'Before surgery (neoadjuvant)',
      'After surgery (adjuvant)',
    ]);
    expect(row(c, 'recommendation.sequence').status).toBe('different');
    expect(row(c, 'recommendation.sequence').values[0]?.text).toBe('Chemotherapy → Surgery → Targeted therapy → Radiation');
    expect(row(c, 'recommendation.steps.targeted.detail').status).toBe('same');
    expect(row(c, 'recommendation.steps.targeted.duration').status).toBe('same');
    expect(c.differences).toBe(2);
    expect(c.summary).toMatch(/differ on when chemotherapy is given and on the order of treatments\./);
    const q = expectQuestionsForEveryDifference(c);
    expect(q.some((x) => x.id === 'order-why:recommendation.steps.chemotherapy.timing')).toBe(true);
    expect(q.some((x) => /before surgery/.test(x.text))).toBe(true);
  });

  it('one opinion silent on radiation: partial, not a difference', () => {
    const c = compareOpinions([
      first(),
      second(baseDiagnosis, { ...basePlan, steps: basePlan.steps!.filter((s) => s.kind !== 'radiation') }),
    ]);
    const r = row(c, 'recommendation.steps.radiation');
    expect(r.status).toBe('partial');
    expect(r.values[1]).toBeNull();
    expect(c.differences).toBe(0);
    expect(row(c, 'recommendation.sequence').status).toBe('same');
    expect(row(c, 'recommendation.sequence').note).toMatch(/same order/);
    expect(c.summary).toMatch(/mentioned in only one of the opinions \(for example radiation/);
    expect(c.summary).toMatch(/does not mean the doctors disagree/);
    const q = suggestQuestions(c);
    expect(q.map((x) => x.id)).toContain('ask-unstated:recommendation.steps.radiation');
    expect(q.some((x) => x.field === 'overall')).toBe(false);
  });

  it('counts a regimen that contains anti-HER2 drugs as targeted therapy', () => {
    const c = compareOpinions([
      first(baseDiagnosis, { steps: [{ kind: 'chemotherapy', detail: 'TCHP', timing: 'neoadjuvant' }, { kind: 'surgery', detail: 'lumpectomy' }] }),
      second(baseDiagnosis, {
        steps: [
          { kind: 'chemotherapy', detail: 'docetaxel and carboplatin', timing: 'neoadjuvant' },
          { kind: 'targeted', detail: 'trastuzumab and pertuzumab', timing: 'neoadjuvant' },
          { kind: 'surgery', detail: 'lumpectomy' },
        ],
      }),
    ]);
    const targeted = row(c, 'recommendation.steps.targeted');
    expect(targeted.status).toBe('same');
    expect(targeted.values[0]?.text).toBe('Recommended (part of TCHP)');
  });

  it('shows provenance next to the value when the opinion recorded it', () => {
    const withSource = makeOpinion({
      diagnosis: { er: { status: 'positive', percent: 95 } },
      provenance: { 'diagnosis.er': { documentId: 'doc_abcdefgh1', snippet: 'ER: Positive (95%, strong)' } },
    });
    const c = compareOpinions([withSource, makeOpinion({ diagnosis: { er: { status: 'positive', percent: 92 } } })]);
    expect(row(c, 'diagnosis.er.percent').values[0]?.source?.snippet).toBe('ER: Positive (95%, strong)');
    expect(row(c, 'diagnosis.er.percent').values[1]?.source).toBeUndefined();
  });

  it('says so when nothing can be compared yet', () => {
    const c = compareOpinions([makeOpinion(), makeOpinion()]);
    expect(c.differences).toBe(0);
    expect(c.rows.every((r) => r.status === 'not-stated')).toBe(true);
    expect(c.summary).toMatch(/not yet enough written down/);
  });
});

describe('compareOpinions — three and four opinions', () => {
  it('three opinions: two agree, one differs; silence does not hide a disagreement', () => {
    const c = compareOpinions([
      first(),
      second(baseDiagnosis, samePlanOtherWords),
      makeOpinion({
        kind: 'tumor-board',
        institution: 'Regional Tumor Board',
        diagnosis: { ...baseDiagnosis, grade: { value: 3 }, ki67Percent: undefined },
        recommendation: { ...basePlan, steps: [...basePlan.steps!, { kind: 'chemotherapy', detail: 'TC', timing: 'adjuvant' }], notRecommended: [] },
      }),
    ]);
    expect(c.opinions).toHaveLength(3);
    expect(c.opinions[2]!.label).toBe('Regional Tumor Board');
    for (const r of c.rows) expect(r.values).toHaveLength(3);
    expect(row(c, 'diagnosis.grade.value').status).toBe('different');
    expect(row(c, 'diagnosis.grade.score').status).toBe('partial');
    expect(row(c, 'diagnosis.ki67Percent').status).toBe('partial');
    expect(row(c, 'recommendation.steps.chemotherapy').status).toBe('different');
    expect(row(c, 'recommendation.steps.chemotherapy').values.map((v) => v?.text)).toEqual(['Not recommended', 'Not recommended', 'Recommended']);
    expect(c.summary).toMatch(/^The 3 opinions agree on the stage and the receptor results \(ER, PR, HER2\)\. They differ on the grade and on chemotherapy\./);
    expect(c.summary).toMatch(/only some of the opinions/);
    expectQuestionsForEveryDifference(c);
  });

  it('four opinions: a difference among the stated values wins over silence', () => {
    const c = compareOpinions([
      first(),
      second(baseDiagnosis, basePlan),
      makeOpinion({ kind: 'third', diagnosis: { histology: 'invasive lobular carcinoma' } }),
      makeOpinion({ kind: 'tumor-board', diagnosis: { histology: 'IDC' }, recommendation: { steps: [{ kind: 'surgery', detail: 'nipple-sparing mastectomy' }] } }),
    ]);
    expect(c.opinions).toHaveLength(4);
    for (const r of c.rows) expect(r.values).toHaveLength(4);
    const histology = row(c, 'diagnosis.histology');
    expect(histology.status).toBe('different');
    expect(histology.values.map((v) => v?.key)).toEqual(['invasive-ductal', 'invasive-ductal', 'invasive-lobular', 'invasive-ductal']);
    expect(row(c, 'diagnosis.er.status').status).toBe('partial');
    expect(row(c, 'recommendation.steps.surgery.detail').status).toBe('different');
    expect(row(c, 'recommendation.steps.radiation').values.filter((v) => v === null)).toHaveLength(2);
    const q = expectQuestionsForEveryDifference(c);
    const histQ = q.find((x) => x.id === 'pathology-review:diagnosis.histology')!;
    expect(histQ.text).toMatch(/another pathologist/);
  });

  it('refuses fewer than two or more than four opinions', () => {
    const one = [first()];
    const five = [first(), first(), first(), first(), first()];
    for (const list of [one, five, []]) {
      let error: unknown;
      try {
        compareOpinions(list);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('INVALID_INPUT');
    }
  });
});

describe('suggested questions', () => {
  it('are deterministic', () => {
    const make = () =>
      compareOpinions([
        first(),
        second({ ...baseDiagnosis, stageGroup: 'IIA' }, { ...basePlan, steps: [{ kind: 'surgery', detail: 'mastectomy' }] }),
      ]);
    expect(suggestQuestions(make())).toEqual(suggestQuestions(make()));
  });

  it('BASE_QUESTIONS cover the usual appointment topics, in our own words', () => {
    const ids = BASE_QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    const topics = new Set(BASE_QUESTIONS.map((q) => q.topic));
    for (const t of ['experience', 'pathology', 'agreement', 'alternatives', 'side-effects', 'trials', 'timing'] as const) expect(topics).toContain(t);
    expect(BASE_QUESTIONS.some((q) => /how long can treatment safely wait/i.test(q.text))).toBe(true);
    expect(Object.isFrozen(BASE_QUESTIONS)).toBe(true);
  });
});
