import { describe, expect, it } from 'vitest';
import {
  compareOpinions,
  opinion,
  opinionInput,
  opinionJsonSchema,
  type OpinionInput,
} from '../../../shared/opinions';
import { makeOpinion } from './helpers';

const full: OpinionInput = {
  kind: 'second',
  clinician: 'Dr. Synthetic Rivera',
  role: 'medical oncologist',
  institution: 'Example Cancer Center',
  date: '2025-03-04',
  documentIds: ['doc_abcdefgh1'],
  diagnosis: {
    cancerType: 'breast cancer',
    histology: 'invasive ductal carcinoma',
    site: 'breast, upper outer quadrant',
    laterality: 'left',
    tumorSizeMm: 21,
    lymphNodes: { status: 'negative', positive: 0, examined: 3 },
    metastasis: { status: 'none' },
    clinicalTnm: { prefix: 'c', t: 'T2', n: 'N0', m: 'M0' },
    pathologicTnm: { prefix: 'p', t: 'T2', n: 'N0(i+)' },
    stageGroup: 'IIA',
    grade: { value: 2, score: 6 },
    er: { status: 'positive', percent: 95, intensity: 'strong' },
    pr: { status: 'low-positive', percent: 5 },
    her2: { ihc: '2+', ish: 'not-amplified', status: 'negative' },
    ki67Percent: 15,
    margins: 'negative',
    lymphovascularInvasion: 'absent',
    genomicResults: [{ test: 'Oncotype DX', result: 'Recurrence score 18' }],
    germlineResults: [{ test: 'BRCA1/2', result: 'no pathogenic variant' }],
    otherBiomarkers: [{ test: 'PD-L1', result: 'CPS 5' }],
  },
  recommendation: {
    intent: 'curative',
    steps: [
      { kind: 'surgery', detail: 'lumpectomy', timing: null },
      { kind: 'radiation', detail: 'whole breast', timing: 'adjuvant', duration: '3 weeks' },
      { kind: 'endocrine', detail: 'letrozole', timing: 'adjuvant', duration: '5 years' },
    ],
    notRecommended: ['chemotherapy'],
    furtherTests: ['breast MRI'],
    clinicalTrials: ['NCT01234567'],
    followUp: 'Visits every 6 months for 5 years, yearly mammogram.',
  },
  notes: 'Synthetic record.\nSecond line.',
  provenance: {
    'diagnosis.er': { documentId: 'doc_abcdefgh1', snippet: 'ER: Positive (95%, strong)', start: 10, end: 36 },
    'recommendation.steps.0': { documentId: 'doc_abcdefgh1', snippet: 'Lumpectomy with SLNB.' },
  },
};

function issuesOf(value: unknown) {
  const r = opinionInput.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('opinion schema', () => {
  it('accepts a complete opinion, and a stored one with id and timestamps', () => {
    expect(issuesOf(full)).toEqual([]);
    const stored = opinion.safeParse({ ...full, id: 'opinion_0001', createdAt: '2025-03-04T10:00:00.000Z', updatedAt: '2025-03-04T10:00:00.000Z' });
    expect(stored.success).toBe(true);
  });

  it('accepts a bare opinion: everything except the kind may be unstated', () => {
    expect(issuesOf({ kind: 'tumor-board' })).toEqual([]);
    expect(issuesOf({ kind: 'first', diagnosis: {}, recommendation: {} })).toEqual([]);
    expect(opinion.safeParse({ kind: 'first' }).success).toBe(false); // stored opinions need id + timestamps
  });

  it.each([
    ['kind', { kind: 'fourth' }],
    ['laterality', { kind: 'first', diagnosis: { laterality: 'up' } }],
    ['HER2 IHC score', { kind: 'first', diagnosis: { her2: { ihc: '4+' } } }],
    ['ER status', { kind: 'first', diagnosis: { er: { status: 'maybe' } } }],
    ['step kind', { kind: 'first', recommendation: { steps: [{ kind: 'magic' }] } }],
    ['step timing', { kind: 'first', recommendation: { steps: [{ kind: 'surgery', timing: 'later' }] } }],
    ['intent', { kind: 'first', recommendation: { intent: 'hopeful' } }],
    ['stage group', { kind: 'first', diagnosis: { stageGroup: 'V' } }],
    ['notRecommended kind', { kind: 'first', recommendation: { notRecommended: ['homeopathy'] } }],
  ])('refuses a wrong enum value: %s', (_name, value) => {
    expect(issuesOf(value).length).toBeGreaterThan(0);
  });

  it.each([
    ['top level', { kind: 'first', doctor: 'x' }],
    ['diagnosis', { kind: 'first', diagnosis: { erStatus: 'positive' } }],
    ['receptor', { kind: 'first', diagnosis: { er: { status: 'positive', allred: 8 } } }],
    ['step', { kind: 'first', recommendation: { steps: [{ kind: 'surgery', surgeon: 'x' }] } }],
    ['provenance entry', { kind: 'first', provenance: { 'diagnosis.er': { documentId: 'doc_abcdefgh1', snippet: 'x', page: 2 } } }],
    ['id on input', { kind: 'first', id: 'opinion_0001' }],
  ])('refuses unknown keys (strict objects): %s', (_name, value) => {
    expect(issuesOf(value).length).toBeGreaterThan(0);
  });

  it('refuses absurd lengths and counts', () => {
    expect(issuesOf({ kind: 'first', diagnosis: { histology: 'x'.repeat(201) } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', notes: 'x'.repeat(10_001) }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', documentIds: Array.from({ length: 51 }, (_, i) => `document_${i}`) }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', recommendation: { steps: Array.from({ length: 31 }, () => ({ kind: 'other' })) } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { tumorSizeMm: 5000 } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { ki67Percent: 140 } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { histology: '' } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', clinician: '   ' }).length).toBeGreaterThan(0);
  });

  it('refuses control characters, bad ids and impossible dates, and trims text', () => {
    expect(issuesOf({ kind: 'first', clinician: 'Dr.\u0007Bell' }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', documentIds: ['../etc/passwd'] }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', date: '2025-02-30' }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', date: '04/03/2025' }).length).toBeGreaterThan(0);
    expect(opinionInput.parse({ kind: 'first', clinician: '  Dr. Bell  ' }).clinician).toBe('Dr. Bell');
  });

  it('checks TNM letters and keeps clinical and pathologic prefixes apart', () => {
    expect(issuesOf({ kind: 'first', diagnosis: { clinicalTnm: { t: 'T5' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { clinicalTnm: { n: 'N1d' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { clinicalTnm: { t: 'pT2' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { clinicalTnm: { prefix: 'p', t: 'T2' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { pathologicTnm: { prefix: 'c', t: 'T2' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { pathologicTnm: {} } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { pathologicTnm: { prefix: 'yp', t: 'T1mi', n: 'N1mi', m: 'M0' } } })).toEqual([]);
    expect(issuesOf({ kind: 'first', diagnosis: { clinicalTnm: { t: 'Tis', n: 'NX', m: 'M1c' } } })).toEqual([]);
  });

  it('refuses values that contradict themselves', () => {
    expect(issuesOf({ kind: 'first', diagnosis: { grade: { value: 1, score: 8 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { grade: { score: 10 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { grade: {} } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { er: { status: 'negative', percent: 50 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { er: { status: 'positive', percent: 0 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { lymphNodes: { status: 'positive', positive: 5, examined: 3 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { lymphNodes: { status: 'negative', positive: 2 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { lymphNodes: { status: 'positive', positive: 0 } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { metastasis: { status: 'none', sites: ['bone'] } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', diagnosis: { her2: {} } }).length).toBeGreaterThan(0);
  });

  it('checks provenance keys are field paths', () => {
    expect(issuesOf({ kind: 'first', provenance: { 'diagnosis.er': { documentId: 'doc_abcdefgh1', snippet: 'ER+' } } })).toEqual([]);
    expect(issuesOf({ kind: 'first', provenance: { 'diagnosis..er': { documentId: 'doc_abcdefgh1', snippet: 'ER+' } } }).length).toBeGreaterThan(0);
    expect(issuesOf({ kind: 'first', provenance: { 'x y': { documentId: 'doc_abcdefgh1', snippet: 'ER+' } } }).length).toBeGreaterThan(0);
  });

  it('keeps "not stated" and a stated "no" apart all the way to the comparison', () => {
    const silent = makeOpinion({ diagnosis: { histology: 'IDC' } });
    const saysNo = makeOpinion({
      diagnosis: {
        histology: 'IDC',
        er: { status: 'negative', percent: 0 },
        metastasis: { status: 'none' },
        lymphNodes: { status: 'negative', positive: 0, examined: 2 },
        lymphovascularInvasion: 'absent',
      },
      recommendation: { notRecommended: ['radiation'] },
    });
    expect(silent.diagnosis?.er).toBeUndefined();
    const { rows } = compareOpinions([silent, saysNo]);
    const row = (field: string) => rows.find((r) => r.field === field)!;
    for (const field of ['diagnosis.er.status', 'diagnosis.metastasis.status', 'diagnosis.lymphNodes.status', 'diagnosis.lymphovascularInvasion', 'recommendation.steps.radiation']) {
      expect(row(field).status, field).toBe('partial');
      expect(row(field).values[0], field).toBeNull();
      expect(row(field).values[1], field).not.toBeNull();
    }
    expect(row('recommendation.steps.radiation').values[1]?.text).toBe('Not recommended');
    expect(row('diagnosis.lymphNodes.count').values[1]?.text).toBe('0 of 2');
  });

  it('describes itself as JSON Schema for the CLI', () => {
    const stored = opinionJsonSchema();
    expect(stored.$schema).toMatch(/json-schema/);
    expect(stored.type).toBe('object');
    expect(stored.additionalProperties).toBe(false);
    const props = stored.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['id', 'kind', 'diagnosis', 'recommendation', 'provenance']));
    expect(stored.required).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt', 'kind']));
    const input = opinionJsonSchema('input');
    expect(Object.keys(input.properties as object)).not.toContain('id');
    expect(JSON.stringify(input)).toContain('neoadjuvant');
    expect(() => JSON.parse(JSON.stringify(stored))).not.toThrow();
  });
});
