import { describe, expect, it } from 'vitest';
import {
  applyProposals,
  diagnosis as diagnosisSchema,
  opinionInput,
  proposeFromText,
  recommendation as recommendationSchema,
  type Proposal,
} from '../../../shared/opinions';
import { CORPUS, HELDOUT } from './corpus';
import { scoreCase } from './helpers';

/** Every proposal value must already be in the schema's shape for its field. */
function expectSchemaShape(p: Proposal) {
  const [section, key] = p.field.split('.') as [string, string];
  if (section === 'diagnosis') {
    const shape = diagnosisSchema.shape[key as keyof typeof diagnosisSchema.shape];
    expect(shape.safeParse(p.value).success, `${p.field} ${JSON.stringify(p.value)}`).toBe(true);
  } else {
    const list = recommendationSchema.shape[key as keyof typeof recommendationSchema.shape];
    expect(list.safeParse([p.value]).success, `${p.field} ${JSON.stringify(p.value)}`).toBe(true);
  }
}

const find = (ps: Proposal[], field: Proposal['field']) => ps.filter((p) => p.field === field);

describe('proposeFromText on the synthetic corpus', () => {
  it('has at least 15 varied texts', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(CORPUS.map((c) => c.style)).size).toBe(CORPUS.length);
  });

  it.each([...CORPUS, ...HELDOUT].map((c) => [c.id, c] as const))('%s: proposals are well-formed', (_id, c) => {
    for (const p of proposeFromText(c.text)) {
      expectSchemaShape(p);
      expect(p.start).toBeGreaterThanOrEqual(0);
      expect(p.end).toBeGreaterThan(p.start);
      expect(p.end).toBeLessThanOrEqual(c.text.length);
      expect(p.display.length).toBeGreaterThan(3);
      for (const piece of p.snippet.split(' … ')) expect(c.text).toContain(piece.replace(/^…|…$/g, ''));
    }
  });

  it.each(CORPUS.map((c) => [c.id, c] as const))('%s: finds what a person would accept', (_id, c) => {
    const proposals = proposeFromText(c.text);
    const score = scoreCase(c, proposals);
    // Per text, most of what a person would accept is found; the corpus-wide floors are in extraction-metrics.
    expect(score.truePositives / score.expected, JSON.stringify(score.missed)).toBeGreaterThanOrEqual(0.75);
    expect(score.truePositives / Math.max(1, score.proposals), JSON.stringify(score.extra)).toBeGreaterThanOrEqual(0.6);
  });

  it('accepted proposals make a valid opinion', () => {
    for (const id of ['synoptic-lumpectomy', 'consult-her2-neoadjuvant', 'tumor-board-bullets', 'metastatic-first-line']) {
      const c = CORPUS.find((x) => x.id === id)!;
      const draft = applyProposals({ kind: 'second' as const }, proposeFromText(c.text));
      const parsed = opinionInput.safeParse(draft);
      expect(parsed.success, `${id}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`).toBe(true);
    }
  });
});

describe('proposeFromText — reading rules', () => {
  it('reads negations as stated "no"s', () => {
    const ps = proposeFromText(
      'Invasive ductal carcinoma. No evidence of lymphovascular invasion. Sentinel lymph nodes, negative for metastatic carcinoma (0/3). No evidence of distant metastatic disease.',
    );
    expect(find(ps, 'diagnosis.lymphovascularInvasion').map((p) => p.value)).toEqual(['absent']);
    expect(find(ps, 'diagnosis.lymphNodes').map((p) => p.value)).toEqual([{ status: 'negative', positive: 0, examined: 3 }]);
    expect(find(ps, 'diagnosis.metastasis').map((p) => p.value)).toEqual([{ status: 'none' }]);
  });

  it('does not propose a negated diagnosis or a negated specific treatment', () => {
    const ps = proposeFromText('Ductal carcinoma in situ, high nuclear grade. No invasive carcinoma identified. A sentinel node biopsy is not needed.');
    expect(find(ps, 'diagnosis.histology').map((p) => p.value)).toEqual(['ductal carcinoma in situ (DCIS)']);
    expect(find(ps, 'diagnosis.grade')).toEqual([]); // nuclear grade is not the Nottingham grade
    expect(find(ps, 'recommendation.steps')).toEqual([]);
  });

  it('turns "not recommended" of a kind of treatment into notRecommended', () => {
    const ps = proposeFromText('Chemotherapy is not recommended. She does not need radiation. I recommend tamoxifen for 5 years.');
    expect(find(ps, 'recommendation.notRecommended').map((p) => p.value).sort()).toEqual(['chemotherapy', 'radiation']);
    expect(find(ps, 'recommendation.steps').map((p) => p.value)).toEqual([{ kind: 'endocrine', detail: 'tamoxifen', duration: '5 years' }]);
  });

  it('takes the upper end of ranges', () => {
    const ps = proposeFromText('The mass measures 1.5 to 1.8 cm. ER 80-90%. Ki-67 of 15-20%.');
    expect(find(ps, 'diagnosis.tumorSizeMm').map((p) => p.value)).toEqual([18]);
    expect(find(ps, 'diagnosis.er').map((p) => p.value)).toEqual([{ status: 'positive', percent: 90 }]);
    expect(find(ps, 'diagnosis.ki67Percent').map((p) => p.value)).toEqual([20]);
  });

  it('reads report line formats, including CAP lines split over several lines', () => {
    const ps = proposeFromText(
      [
        'Estrogen Receptor (ER) Status: Positive (greater than 10% of cells demonstrate nuclear positivity)',
        'Percentage of Cells with Nuclear Positivity: 95%',
        'Average Intensity of Staining: Strong',
        'Progesterone Receptor (PgR) Status: Negative',
        'PR: Negative (<1%)',
        'HER2: Positive (95%, strong)'.replace('Positive (95%, strong)', 'Negative (score 1+)'),
      ].join('\n'),
    );
    expect(find(ps, 'diagnosis.er').map((p) => p.value)).toEqual([{ status: 'positive', percent: 95, intensity: 'strong' }]);
    expect(find(ps, 'diagnosis.pr').map((p) => p.value)).toEqual([{ status: 'negative', percent: 0 }]);
    expect(find(ps, 'diagnosis.her2').map((p) => p.value)).toEqual([{ ihc: '1+', status: 'negative' }]);
  });

  it('combines HER2 IHC and FISH from separate lines into one proposal spanning both', () => {
    const text = 'HER2 (IHC): 2+ (equivocal)\nOther findings in between.\nHER2 FISH: not amplified, ratio 1.4.';
    const [her2] = find(proposeFromText(text), 'diagnosis.her2');
    expect(her2?.value).toEqual({ ihc: '2+', ish: 'not-amplified', status: 'negative' });
    expect(text.slice(her2!.start, her2!.end)).toMatch(/^HER2 \(IHC\): 2\+[\s\S]*not amplified/);
    expect(her2!.snippet).toContain(' … ');
  });

  it('gives offsets of the phrase and the sentence as snippet', () => {
    const text = 'History reviewed. Core biopsy showed invasive lobular carcinoma, grade 2. Plan to follow.';
    const [h] = find(proposeFromText(text), 'diagnosis.histology');
    expect(text.slice(h!.start, h!.end)).toBe('invasive lobular carcinoma');
    expect(h!.snippet).toBe('Core biopsy showed invasive lobular carcinoma, grade 2.');
  });

  it('keeps clinical and pathologic TNM apart by prefix, then by wording', () => {
    const ps = proposeFromText('Clinical stage T2 N1 M0. After surgery, pathologic stage ypT1a ypN0.');
    expect(find(ps, 'diagnosis.clinicalTnm').map((p) => p.value)).toEqual([{ t: 'T2', n: 'N1', m: 'M0' }]);
    expect(find(ps, 'diagnosis.pathologicTnm').map((p) => p.value)).toEqual([{ prefix: 'yp', t: 'T1a', n: 'N0' }]);
    expect(find(proposeFromText('MRI: T2-weighted images show a mass.'), 'diagnosis.clinicalTnm')).toEqual([]);
  });

  it('reads timing from nearby words and from the order in the sentence', () => {
    const steps = find(proposeFromText('We recommend chemotherapy before surgery with dose-dense AC-T, then lumpectomy, followed by radiation.'), 'recommendation.steps').map(
      (p) => p.value,
    );
    expect(steps).toEqual([
      { kind: 'chemotherapy', detail: 'AC-T (doxorubicin and cyclophosphamide, then a taxane)', timing: 'neoadjuvant' },
      { kind: 'surgery', detail: 'lumpectomy (breast-conserving surgery)' },
      { kind: 'radiation', detail: 'radiation', timing: 'adjuvant' },
    ]);
  });

  it('does not propose past treatments or treatments from pathology reports', () => {
    expect(find(proposeFromText('She underwent a lumpectomy in 2019 and completed radiation.'), 'recommendation.steps')).toEqual([]);
    expect(find(proposeFromText('SURGICAL PATHOLOGY REPORT\nA. Left breast, lumpectomy: invasive ductal carcinoma.'), 'recommendation.steps')).toEqual([]);
  });

  it('handles empty and odd input without throwing', () => {
    expect(proposeFromText('')).toEqual([]);
    expect(proposeFromText('   \n\n ')).toEqual([]);
    expect(() => proposeFromText('ER ER ER % % 9/9 T N M (((( stage')).not.toThrow();
    expect(() => proposeFromText('x'.repeat(200_000))).not.toThrow();
  });
});
