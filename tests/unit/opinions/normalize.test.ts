import { describe, expect, it } from 'vitest';
import {
  equivalent,
  knownHistologies,
  knownTreatments,
  normalizeDuration,
  normalizeGrade,
  normalizeHer2,
  normalizeHistology,
  normalizeLaterality,
  normalizeLymphNodes,
  normalizeReceptor,
  normalizeSizeMm,
  normalizeStageGroup,
  normalizeTnm,
  normalizeTreatment,
  receptorName,
  stageGroupRefines,
  tnmRefines,
  treatmentKey,
  type EquivalenceKind,
} from '../../../shared/opinions';

/** [kind, a, b, same?] — equivalent phrasings must be equal; different facts must not be. */
const TABLE: [EquivalenceKind, string, string, boolean][] = [
  // Histology
  ['histology', 'IDC', 'invasive ductal carcinoma', true],
  ['histology', 'infiltrating ductal carcinoma', 'invasive carcinoma of no special type', true],
  ['histology', 'Invasive carcinoma (NST)', 'IDC', true],
  ['histology', 'NST', 'invasive ductal carcinoma', true],
  ['histology', 'Invasive breast carcinoma of no special type (ductal)', 'IDC', true],
  ['histology', 'ILC', 'invasive lobular carcinoma', true],
  ['histology', 'infiltrating lobular carcinoma, classic type', 'ILC', true],
  ['histology', 'DCIS', 'ductal carcinoma in situ', true],
  ['histology', 'invasive carcinoma with mixed ductal and lobular features', 'mixed IDC/ILC', true],
  ['histology', 'IDC with associated DCIS', 'invasive ductal carcinoma', true],
  ['histology', 'IDC', 'ILC', false],
  ['histology', 'DCIS', 'IDC', false],
  ['histology', 'LCIS', 'DCIS', false],
  ['histology', 'invasive mammary carcinoma', 'invasive ductal carcinoma', false],
  // ER / PR
  ['receptor', 'ER+ 95%', 'estrogen receptor positive, 95%', true],
  ['receptor', 'ER positive (95%)', 'ER: 95% strong', true],
  ['receptor', 'ER: Positive (95%, strong)', 'ER+ 95%', true],
  ['receptor', 'ER+ 95%', 'ER+ 90%', true],
  ['receptor', 'PR negative (<1%)', 'PR: 0%', true],
  ['receptor', 'ER low positive (5%)', 'ER 5%', true],
  ['receptor', 'progesterone receptor: negative', 'PgR -', true],
  ['receptor', 'ER+ 95%', 'ER+ 5%', false],
  ['receptor', 'ER negative', 'ER positive', false],
  ['receptor', 'ER positive', 'ER+ 95%', false],
  // HER2
  ['her2', 'HER2 2+, FISH not amplified', 'HER2 IHC 2+ / ISH non-amplified', true],
  ['her2', 'HER2 3+', 'HER2 positive (IHC 3+)', true],
  ['her2', 'HER2/neu: Negative (score 1+)', 'HER2 IHC 1+', true],
  ['her2', 'HER2 2+, FISH not amplified', 'HER2 2+, FISH amplified', false],
  ['her2', 'HER2 1+', 'HER2 0', false],
  ['her2', 'HER2 2+', 'HER2 2+, FISH not amplified', false],
  // TNM
  ['tnm', 'T2 N1 M0', 'T2N1M0', true],
  ['tnm', 'pT2N1M0', 'T2, N1, M0', true],
  ['tnm', 'cT2 cN1 cM0', 'T2 N1 M0', true],
  ['tnm', 'pT1c(m) pN0(sn)', 'pT1c pN0', true],
  ['tnm', 'N1', 'N1mi', false],
  ['tnm', 'N1', 'N1a', false],
  ['tnm', 'cT2 cN1', 'pT2 pN1', false],
  ['tnm', 'ypT1c ypN0', 'pT1c pN0', false],
  ['tnm', 'T1c N0', 'T1b N0', false],
  ['tnm', 'pN0', 'pN0(i+)', false],
  // Stage group
  ['stageGroup', 'IIB', 'stage 2B', true],
  ['stageGroup', 'Stage IIB', 'IIb', true],
  ['stageGroup', 'stage IV', 'Stage 4', true],
  ['stageGroup', 'Anatomic stage group: IIIA', '3a', true],
  ['stageGroup', 'IIA', 'IIB', false],
  ['stageGroup', 'II', 'IIB', false],
  // Grade
  ['grade', 'grade 2', 'G2', true],
  ['grade', 'Nottingham grade 2 (score 6/9)', 'grade II', true],
  ['grade', 'moderately differentiated', 'grade 2', true],
  ['grade', 'score 8/9', 'grade 3', true],
  ['grade', 'grade 2', 'grade 3', false],
  ['grade', 'score 7/9', 'score 6/9', false],
  // Laterality
  ['laterality', 'left breast', 'Lt', true],
  ['laterality', 'L', 'left', true],
  ['laterality', 'both breasts', 'bilateral', true],
  ['laterality', 'left', 'right', false],
  // Treatments
  ['treatment', 'lumpectomy', 'breast-conserving surgery', true],
  ['treatment', 'partial mastectomy', 'lumpectomy', true],
  ['treatment', 'wide local excision', 'BCS', true],
  ['treatment', 'AC-T', 'dose-dense AC followed by paclitaxel', true],
  ['treatment', 'AC-T', 'doxorubicin and cyclophosphamide followed by weekly paclitaxel', true],
  ['treatment', 'ddAC→T', 'AC x4 followed by T x4', true],
  ['treatment', 'letrozole', 'anastrozole', true],
  ['treatment', 'Herceptin', 'trastuzumab', true],
  ['treatment', 'trastuzumab and pertuzumab', 'Phesgo', true],
  ['treatment', 'whole breast radiation', 'radiation to the whole breast', true],
  ['treatment', 'lumpectomy with SLNB', 'breast-conserving surgery and sentinel lymph node biopsy', true],
  ['treatment', 'lumpectomy', 'mastectomy', false],
  ['treatment', 'AC-T', 'TC', false],
  ['treatment', 'tamoxifen', 'letrozole', false],
  ['treatment', 'trastuzumab', 'trastuzumab deruxtecan', false],
  ['treatment', 'whole breast radiation', 'partial breast irradiation', false],
  ['treatment', 'nipple-sparing mastectomy', 'mastectomy', false],
  // Durations
  ['duration', '5 years', '60 months', true],
  ['duration', 'five years', '5 yrs', true],
  ['duration', 'x4 cycles', '4 cycles', true],
  ['duration', '12 weeks', '3 months', true],
  ['duration', '5 years', '10 years', false],
  // Lymph nodes
  ['lymphNodes', '2/15 lymph nodes positive', '2 of 15 nodes involved', true],
  ['lymphNodes', 'sentinel nodes negative (0/3)', '0 of 3 sentinel lymph nodes with cancer', true],
  ['lymphNodes', '2/15 positive', '3/15 positive', false],
  // Tumor size
  ['tumorSize', '2.3 cm', '23 mm', true],
  ['tumorSize', '2.3 x 1.8 x 1.5 cm', '2.3 cm', true],
  ['tumorSize', '1.2 cm', '3.5 cm', false],
];

describe('equivalence table', () => {
  it('has at least 40 pairs, both equivalent and not', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(TABLE.filter((r) => r[3]).length).toBeGreaterThanOrEqual(20);
    expect(TABLE.filter((r) => !r[3]).length).toBeGreaterThanOrEqual(20);
  });

  it.each(TABLE)('%s: "%s" vs "%s" → %s', (kind, a, b, same) => {
    expect(equivalent(kind, a, b)).toBe(same);
    expect(equivalent(kind, b, a)).toBe(same); // symmetric
  });
});

describe('normalizers return canonical values', () => {
  it('reads receptor phrases into status, percent and intensity', () => {
    expect(normalizeReceptor('ER+ 95%')).toEqual({ status: 'positive', percent: 95 });
    expect(normalizeReceptor('ER: Positive (95%, strong)')).toEqual({ status: 'positive', percent: 95, intensity: 'strong' });
    expect(normalizeReceptor('ER: 95% strong')).toEqual({ status: 'positive', percent: 95, intensity: 'strong' });
    expect(normalizeReceptor('PR: 80-90%')).toEqual({ status: 'positive', percent: 90 });
    expect(normalizeReceptor('ER negative (5%)')).toEqual({ status: 'low-positive', percent: 5 });
    expect(normalizeReceptor('ER negative (50%)')).toBeNull();
    expect(normalizeReceptor('ER Positive (greater than 10% of cells demonstrate nuclear positivity)')).toEqual({ status: 'positive' });
    expect(normalizeReceptor('ER')).toBeNull();
    expect(receptorName('Progesterone receptor: negative')).toBe('pr');
    expect(receptorName('ER+')).toBe('er');
  });

  it('reads HER2 phrases and settles the overall status', () => {
    expect(normalizeHer2('HER2 2+, FISH not amplified')).toEqual({ ihc: '2+', ish: 'not-amplified', status: 'negative' });
    expect(normalizeHer2('HER2 2+')).toEqual({ ihc: '2+', status: 'equivocal' });
    expect(normalizeHer2('HER2 IHC 0')).toEqual({ ihc: '0', status: 'negative' });
    expect(normalizeHer2('HER2-low')).toEqual({ status: 'negative' });
    expect(normalizeHer2('HER2 positive (IHC 2+, FISH amplified)')).toEqual({ ihc: '2+', ish: 'amplified', status: 'positive' });
    expect(normalizeHer2('HER2 status pending')).toBeNull();
  });

  it('reads TNM written different ways and documents refinements', () => {
    expect(normalizeTnm('pT2N1M0')).toEqual({ prefix: 'p', t: 'T2', n: 'N1', m: 'M0' });
    expect(normalizeTnm('cT2 cN1 cM0')).toEqual({ prefix: 'c', t: 'T2', n: 'N1', m: 'M0' });
    expect(normalizeTnm('ypT1c ypN0')).toEqual({ prefix: 'yp', t: 'T1c', n: 'N0' });
    expect(normalizeTnm('pT1c(m) pN0(i+)(sn)')).toEqual({ prefix: 'p', t: 'T1c', n: 'N0(i+)' });
    expect(normalizeTnm('T1 cN0')).toEqual({ prefix: 'c', t: 'T1', n: 'N0' });
    expect(normalizeTnm('T2-weighted images')).toBeNull();
    expect(normalizeTnm('hello')).toBeNull();
    expect(tnmRefines('N1', 'N1a')).toBe(true);
    expect(tnmRefines('N1', 'N1mi')).toBe(true);
    expect(tnmRefines('N1a', 'N1')).toBe(false);
    expect(tnmRefines('N1', 'N1')).toBe(false);
    expect(stageGroupRefines('II', 'IIB')).toBe(true);
    expect(stageGroupRefines('I', 'IIB')).toBe(false);
  });

  it('reads stage groups, grades, sides, sizes, nodes and durations', () => {
    expect(normalizeStageGroup('Stage IIB')).toBe('IIB');
    expect(normalizeStageGroup('2B')).toBe('IIB');
    expect(normalizeStageGroup('stage 0')).toBe('0');
    expect(normalizeStageGroup('stage 5')).toBeNull();
    expect(normalizeGrade('Nottingham grade 2 (score 6/9)')).toEqual({ value: 2, score: 6 });
    expect(normalizeGrade('grade 1 (score 8/9)')).toBeNull();
    expect(normalizeGrade('nuclear')).toBeNull();
    expect(normalizeLaterality('Rt breast')).toBe('right');
    expect(normalizeLaterality('somewhere')).toBeNull();
    expect(normalizeSizeMm('2.3 x 1.8 x 1.5 cm')).toBe(23);
    expect(normalizeSizeMm('1.5-2.0 cm')).toBe(20);
    expect(normalizeSizeMm('18 mm')).toBe(18);
    expect(normalizeLymphNodes('two of three sentinel nodes involved')).toEqual({ status: 'positive', positive: 2, examined: 3 });
    expect(normalizeLymphNodes('isolated tumor cells in one sentinel node (0/1)')).toEqual({ status: 'isolated-tumor-cells', positive: 0, examined: 1 });
    expect(normalizeDuration('one year')).toEqual({ text: '1 year', key: 'm12' });
    expect(normalizeDuration('5-10 years')?.text).toBe('5–10 years');
    expect(normalizeDuration('soon')).toBeNull();
  });

  it('names treatments with their kind and class', () => {
    expect(normalizeTreatment('breast-conserving surgery')).toMatchObject({ kind: 'surgery', key: 'lumpectomy' });
    expect(normalizeTreatment('letrozole')).toMatchObject({ kind: 'endocrine', key: 'aromatase-inhibitor' });
    expect(normalizeTreatment('tamoxifen')).toMatchObject({ kind: 'endocrine', key: 'tamoxifen' });
    expect(normalizeTreatment('trastuzumab')).toMatchObject({ kind: 'targeted' });
    expect(normalizeTreatment('pertuzumab')).toMatchObject({ kind: 'targeted' });
    expect(normalizeTreatment('TCHP')).toMatchObject({ kind: 'chemotherapy', implies: ['targeted'] });
    expect(normalizeTreatment('pembrolizumab')).toMatchObject({ kind: 'immunotherapy' });
    expect(normalizeTreatment('radiation oncology referral')).toBeNull();
    expect(normalizeTreatment('chemotherapy')).toMatchObject({ kind: 'chemotherapy', generic: true });
    expect(treatmentKey('adjuvant chemotherapy with AC-T')).toBe('ac-t');
    expect(normalizeHistology('benign fibroadenoma')).toBeNull();
  });

  it('reads its own display labels back to the same key (accepted proposals compare correctly)', () => {
    for (const t of knownTreatments()) {
      expect(normalizeTreatment(t.label)?.key, t.label).toBe(t.key);
      expect(treatmentKey(t.label), t.label).toBe(t.key);
    }
    for (const h of knownHistologies()) expect(normalizeHistology(h.label), h.label).toBe(h.key);
  });
});
