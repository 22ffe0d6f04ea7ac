/**
 * Synthetic report texts (no real patients) with the proposals a careful person would accept from each.
 * Expectations were written from the text alone, as a human annotator would, before tuning the extractor:
 * some are deliberately hard (hypothetical statements, comments, past treatments) so the metrics stay honest.
 *
 * Matching rules used by the tests: histology by normalizeHistology; treatment steps by kind, treatmentKey(detail),
 * timing (absent = not stated) and normalizeDuration key; everything else by deep equality.
 */

export interface ExpectedProposal {
  field: string;
  value: unknown;
}

export interface CorpusCase {
  id: string;
  style: string;
  text: string;
  expected: ExpectedProposal[];
}

const step = (kind: string, detail: string, timing?: string, duration?: string) => ({
  field: 'recommendation.steps',
  value: { kind, detail, ...(timing ? { timing } : {}), ...(duration ? { duration } : {}) },
});
const e = (field: string, value: unknown): ExpectedProposal => ({ field: `diagnosis.${field}`, value });

export const CORPUS: CorpusCase[] = [
  {
    id: 'synoptic-lumpectomy',
    style: 'CAP-style synoptic surgical pathology report',
    text: `SURGICAL PATHOLOGY REPORT
Patient: Test Patient A (synthetic)    Accession: SP-25-00101
Specimen: Left breast, lumpectomy; left axillary sentinel lymph nodes
FINAL DIAGNOSIS:
A. Left breast, lumpectomy: Invasive ductal carcinoma, Nottingham grade 2 (score 6/9).
B. Sentinel lymph nodes, left axilla, excision: Three lymph nodes, negative for metastatic carcinoma (0/3).

SYNOPTIC REPORT
Procedure: Excision (less than total mastectomy)
Specimen Laterality: Left
Histologic Type: Invasive carcinoma of no special type (ductal)
Tumor Size: Greatest dimension of invasive carcinoma: 2.1 cm
Histologic Grade (Nottingham): Glandular differentiation: score 3; Nuclear pleomorphism: score 2; Mitotic rate: score 1; Overall grade: 2
Margins: Uninvolved by invasive carcinoma; closest margin 4 mm (posterior)
Lymphovascular Invasion: Not identified
Regional Lymph Nodes: Number of lymph nodes examined: 3; Number with macrometastases: 0
Pathologic Stage Classification (pTNM, AJCC 8th Edition): pT2 pN0 (sn)

BIOMARKERS (performed on core biopsy SP-25-00042)
Estrogen Receptor (ER): Positive, 95% of tumor cells, strong intensity
Progesterone Receptor (PgR): Positive, 80%, moderate intensity
HER2 (IHC): Negative (score 1+)
Ki-67: 15%`,
    expected: [
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 2, score: 6 }),
      e('lymphNodes', { status: 'negative', positive: 0, examined: 3 }),
      e('laterality', 'left'),
      e('tumorSizeMm', 21),
      e('margins', 'negative'),
      e('lymphovascularInvasion', 'absent'),
      e('pathologicTnm', { prefix: 'p', t: 'T2', n: 'N0' }),
      e('er', { status: 'positive', percent: 95, intensity: 'strong' }),
      e('pr', { status: 'positive', percent: 80, intensity: 'moderate' }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('ki67Percent', 15),
    ],
  },
  {
    id: 'core-biopsy-lobular',
    style: 'narrative core biopsy report with bullet points',
    text: `PATHOLOGY REPORT - CORE NEEDLE BIOPSY (synthetic)
Clinical history: 58-year-old woman with a right breast mass at 10 o'clock, BI-RADS 5.
DIAGNOSIS:
Right breast, 10 o'clock, ultrasound-guided core biopsy:
- Invasive lobular carcinoma, classic type, grade 2.
- Lobular carcinoma in situ, classic type, is also present.
- No lymphovascular invasion is seen in the cores.
- Largest contiguous tumor length in the cores: 1.1 cm.
IMMUNOHISTOCHEMISTRY:
ER: positive (90%, strong). PR: positive (20%, moderate). HER2: 0 (negative). E-cadherin: negative, supporting lobular phenotype.
Ki-67: approximately 10%.`,
    expected: [
      e('histology', 'invasive lobular carcinoma'),
      e('grade', { value: 2 }),
      e('lymphovascularInvasion', 'absent'),
      e('laterality', 'right'),
      e('er', { status: 'positive', percent: 90, intensity: 'strong' }),
      e('pr', { status: 'positive', percent: 20, intensity: 'moderate' }),
      e('her2', { ihc: '0', status: 'negative' }),
      e('ki67Percent', 10),
    ],
  },
  {
    id: 'consult-early-hr-positive',
    style: 'medical oncology consultation with numbered plan',
    text: `MEDICAL ONCOLOGY CONSULTATION (synthetic record)
Reason for visit: newly diagnosed left breast cancer, second opinion.
History: 62-year-old postmenopausal woman found on screening mammogram to have a 1.8 cm irregular mass in the left breast. Core biopsy showed invasive ductal carcinoma, grade 1, ER positive (98%), PR positive (70%), HER2 negative by IHC (1+). Axillary ultrasound was normal.
Assessment: Clinical stage IA (cT1c cN0 cM0) hormone receptor-positive, HER2-negative breast cancer.
Recommendations:
1. Lumpectomy with sentinel lymph node biopsy.
2. Adjuvant whole breast radiation after surgery.
3. Adjuvant endocrine therapy with an aromatase inhibitor (letrozole or anastrozole) for 5 years.
4. Chemotherapy is not recommended unless the final pathology shows unexpected high-risk features.`,
    expected: [
      e('tumorSizeMm', 18),
      e('laterality', 'left'),
      e('histology', 'IDC'),
      e('grade', { value: 1 }),
      e('er', { status: 'positive', percent: 98 }),
      e('pr', { status: 'positive', percent: 70 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('stageGroup', 'IA'),
      e('clinicalTnm', { prefix: 'c', t: 'T1c', n: 'N0', m: 'M0' }),
      step('surgery', 'lumpectomy'),
      step('surgery', 'sentinel lymph node biopsy'),
      step('radiation', 'whole breast radiation', 'adjuvant'),
      step('endocrine', 'aromatase inhibitor', 'adjuvant', '5 years'),
      { field: 'recommendation.notRecommended', value: 'chemotherapy' },
    ],
  },
  {
    id: 'consult-her2-neoadjuvant',
    style: 'second-opinion note, narrative plan',
    text: `Breast Oncology Clinic - Second Opinion Note (synthetic)
Ms. Example is a 45-year-old premenopausal woman with a right breast invasive ductal carcinoma, 3.2 cm on MRI, with a biopsy-proven right axillary lymph node metastasis. Pathology: grade 3; ER negative (0%); PR negative (<1%); HER2 3+ by IHC. Ki-67 60%.
Staging: PET/CT shows no evidence of distant metastatic disease. Clinical stage: cT2 cN1 cM0, stage IIB.
Plan: I recommend neoadjuvant TCHP for 6 cycles, followed by surgery. After surgery, she should continue trastuzumab and pertuzumab to complete one year of treatment, and receive adjuvant radiation.`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'invasive ductal carcinoma'),
      e('tumorSizeMm', 32),
      e('lymphNodes', { status: 'positive' }),
      e('grade', { value: 3 }),
      e('er', { status: 'negative', percent: 0 }),
      e('pr', { status: 'negative', percent: 0 }),
      e('her2', { ihc: '3+', status: 'positive' }),
      e('ki67Percent', 60),
      e('metastasis', { status: 'none' }),
      e('clinicalTnm', { prefix: 'c', t: 'T2', n: 'N1', m: 'M0' }),
      e('stageGroup', 'IIB'),
      step('chemotherapy', 'TCHP', 'neoadjuvant', '6 cycles'),
      step('surgery', 'surgery'),
      step('targeted', 'trastuzumab and pertuzumab', 'adjuvant', '1 year'),
      step('radiation', 'radiation', 'adjuvant'),
    ],
  },
  {
    id: 'consult-tnbc-keynote',
    style: 'consult note, compact',
    text: `Consult note (synthetic). Diagnosis: left breast triple-negative breast cancer, invasive ductal carcinoma, grade 3, Ki-67 70%. Tumor size on ultrasound 2.6 cm. Axillary lymph node biopsy: negative. Clinical stage cT2 cN0 M0 - Stage IIA.
Germline genetic testing: no pathogenic variant in BRCA1 or BRCA2.
Recommendation: neoadjuvant chemotherapy with pembrolizumab per the KEYNOTE-522 regimen, then surgery, then adjuvant pembrolizumab to complete one year. Radiation therapy after surgery will depend on the final pathology.`,
    expected: [
      e('laterality', 'left'),
      e('er', { status: 'negative' }),
      e('pr', { status: 'negative' }),
      e('her2', { status: 'negative' }),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 3 }),
      e('ki67Percent', 70),
      e('tumorSizeMm', 26),
      e('lymphNodes', { status: 'negative' }),
      e('clinicalTnm', { prefix: 'c', t: 'T2', n: 'N0', m: 'M0' }),
      e('stageGroup', 'IIA'),
      step('chemotherapy', 'KEYNOTE-522 regimen', 'neoadjuvant'),
      step('immunotherapy', 'pembrolizumab', 'neoadjuvant'),
      step('surgery', 'surgery'),
      step('immunotherapy', 'pembrolizumab', 'adjuvant', '1 year'),
      step('radiation', 'radiation', 'adjuvant'),
    ],
  },
  {
    id: 'surgeon-surgery-first',
    style: 'surgical second opinion with one long plan sentence',
    text: `SECOND OPINION - BREAST SURGERY (synthetic)
Impression: 51-year-old with multifocal right breast invasive ductal carcinoma spanning 5.5 cm on MRI, grade 2, ER+ 85% / PR+ 40% / HER2 negative (IHC 2+, FISH not amplified). Clinically node negative. Clinical stage cT3 cN0 cM0, stage IIB.
Given multifocal disease, breast conservation is not feasible. I would recommend surgery first: right mastectomy with sentinel lymph node biopsy, followed by adjuvant chemotherapy (dose-dense AC followed by weekly paclitaxel) and then endocrine therapy with tamoxifen for 5 to 10 years. Post-mastectomy radiation is not required if the nodes are negative.`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'invasive ductal carcinoma'),
      e('tumorSizeMm', 55),
      e('grade', { value: 2 }),
      e('er', { status: 'positive', percent: 85 }),
      e('pr', { status: 'positive', percent: 40 }),
      e('her2', { ihc: '2+', ish: 'not-amplified', status: 'negative' }),
      e('lymphNodes', { status: 'negative' }),
      e('clinicalTnm', { prefix: 'c', t: 'T3', n: 'N0', m: 'M0' }),
      e('stageGroup', 'IIB'),
      step('surgery', 'mastectomy'),
      step('surgery', 'sentinel lymph node biopsy'),
      step('chemotherapy', 'ddAC-T', 'adjuvant'),
      step('endocrine', 'tamoxifen', 'adjuvant', '5-10 years'),
      { field: 'recommendation.notRecommended', value: 'radiation' },
    ],
  },
  {
    id: 'post-neoadjuvant-pathology',
    style: 'final diagnosis list after neoadjuvant therapy',
    text: `FINAL PATHOLOGIC DIAGNOSIS (synthetic)
Breast, right, mastectomy after neoadjuvant chemotherapy:
- Residual invasive ductal carcinoma, 0.4 cm, with treatment effect.
- No lymphovascular invasion identified.
- Margins negative for invasive carcinoma and DCIS.
- Lymph nodes: one of four lymph nodes positive for metastatic carcinoma (1/4), 3 mm deposit, with treatment effect.
- Pathologic stage: ypT1a ypN1a.
Receptors repeated on the residual tumor: ER negative (<1%), PR negative (0%), HER2 positive (IHC 3+).`,
    expected: [
      e('histology', 'invasive ductal carcinoma'),
      e('laterality', 'right'),
      e('tumorSizeMm', 4),
      e('lymphovascularInvasion', 'absent'),
      e('margins', 'negative'),
      e('lymphNodes', { status: 'positive', positive: 1, examined: 4 }),
      e('pathologicTnm', { prefix: 'yp', t: 'T1a', n: 'N1a' }),
      e('er', { status: 'negative', percent: 0 }),
      e('pr', { status: 'negative', percent: 0 }),
      e('her2', { ihc: '3+', status: 'positive' }),
    ],
  },
  {
    id: 'metastatic-first-line',
    style: 'oncology follow-up note, metastatic disease',
    text: `Oncology follow-up, synthetic patient. 67-year-old woman with de novo metastatic breast cancer: left breast invasive lobular carcinoma with metastases to bone and liver, confirmed on liver biopsy. ER positive (95%), PR positive (30%), HER2 1+ (HER2-low). Stage IV.
Plan: first-line letrozole plus palbociclib, with denosumab for bone protection. Palliative radiation to the painful right hip lesion if pain persists. We will refer her to palliative care for symptom management.`,
    expected: [
      e('laterality', 'left'),
      e('histology', 'invasive lobular carcinoma'),
      e('metastasis', { status: 'present', sites: ['bone', 'liver'] }),
      e('er', { status: 'positive', percent: 95 }),
      e('pr', { status: 'positive', percent: 30 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('stageGroup', 'IV'),
      step('endocrine', 'letrozole'),
      step('targeted', 'palbociclib'),
      step('other', 'denosumab'),
      step('radiation', 'radiation', 'palliative'),
      step('supportive-care', 'palliative care'),
    ],
  },
  {
    id: 'her2-addendum',
    style: 'pathology addendum, IHC and FISH on separate lines',
    text: `ADDENDUM REPORT (synthetic) - Specimen: left breast core biopsy
HER2 by immunohistochemistry: Equivocal (2+).
HER2 by FISH (dual probe): Not amplified. HER2/CEP17 ratio 1.3; average HER2 copy number 3.1 signals per cell.
Interpretation: HER2 negative (ISH group 5).`,
    expected: [e('her2', { ihc: '2+', ish: 'not-amplified', status: 'negative' }), e('laterality', 'left')],
  },
  {
    id: 'dcis-pathology-and-plan',
    style: 'pathology summary followed by a surgical plan',
    text: `Pathology (synthetic): Left breast, stereotactic core biopsy: Ductal carcinoma in situ, solid and cribriform types, high nuclear grade, with comedo necrosis. No invasive carcinoma identified. ER positive (80%).
Surgical consult: We recommend left lumpectomy followed by whole-breast radiation, and then tamoxifen for 5 years to lower the risk of a new breast cancer. Sentinel node biopsy is not needed for DCIS treated with lumpectomy.`,
    expected: [
      e('histology', 'DCIS'),
      e('laterality', 'left'),
      e('er', { status: 'positive', percent: 80 }),
      step('surgery', 'lumpectomy'),
      step('radiation', 'whole-breast radiation', 'adjuvant'),
      step('endocrine', 'tamoxifen', 'adjuvant', '5 years'),
    ],
  },
  {
    id: 'tumor-board-bullets',
    style: 'tumor board summary in abbreviations',
    text: `TUMOR BOARD SUMMARY (synthetic case 11)
Dx: R breast IDC, G3, 2.2 cm on US, ER-/PR-/HER2 3+ (HER2-positive), Ki67 40%.
cT2 cN0 cM0, Stage IIA.
Consensus plan: neoadjuvant THP (paclitaxel, trastuzumab, pertuzumab) x 12 weeks, then lumpectomy + SLNB, then adjuvant radiation; continue HP to complete 1 year.
Alternative discussed: upfront surgery vs neoadjuvant therapy - board favored neoadjuvant.`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'IDC'),
      e('grade', { value: 3 }),
      e('tumorSizeMm', 22),
      e('er', { status: 'negative' }),
      e('pr', { status: 'negative' }),
      e('her2', { ihc: '3+', status: 'positive' }),
      e('ki67Percent', 40),
      e('clinicalTnm', { prefix: 'c', t: 'T2', n: 'N0', m: 'M0' }),
      e('stageGroup', 'IIA'),
      step('chemotherapy', 'THP', 'neoadjuvant', '12 weeks'),
      step('surgery', 'lumpectomy'),
      step('surgery', 'SLNB'),
      step('radiation', 'radiation', 'adjuvant'),
      step('targeted', 'HP', 'adjuvant', '1 year'),
    ],
  },
  {
    id: 'synoptic-mastectomy-mixed',
    style: 'synoptic summary, mastectomy with positive nodes',
    text: `SURGICAL PATHOLOGY - SYNOPTIC SUMMARY (synthetic)
Specimen: Left modified radical mastectomy.
Tumor: Invasive carcinoma with mixed ductal and lobular features, multifocal, largest focus 5.4 cm.
Histologic grade (Nottingham): grade 2, total score 7.
Lymph nodes: 4 of 18 axillary lymph nodes positive for metastatic carcinoma; largest metastatic deposit 1.1 cm; extranodal extension present.
Lymphovascular invasion: present.
Margins: negative; closest margin 0.3 cm (deep).
pTNM: pT3 pN2a.
Prognostic stage group: IIIA.`,
    expected: [
      e('histology', 'invasive carcinoma with mixed ductal and lobular features'),
      e('laterality', 'left'),
      e('tumorSizeMm', 54),
      e('grade', { value: 2, score: 7 }),
      e('lymphNodes', { status: 'positive', positive: 4, examined: 18 }),
      e('lymphovascularInvasion', 'present'),
      e('margins', 'negative'),
      e('pathologicTnm', { prefix: 'p', t: 'T3', n: 'N2a' }),
      e('stageGroup', 'IIIA'),
    ],
  },
  {
    id: 'low-er-outside-review',
    style: 'outside pathology review with a general comment',
    text: `Outside pathology review (synthetic). Invasive ductal carcinoma of the right breast, Nottingham grade 3 (score 8/9).
ER: Low Positive (5%, weak). PR: Negative (0%). HER2: Negative (IHC 0).
Ki-67: 35-40%.
Comment: Tumors with low ER expression (1-10%) may behave more like ER-negative cancers; interpret with caution.`,
    expected: [
      e('histology', 'invasive ductal carcinoma'),
      e('laterality', 'right'),
      e('grade', { value: 3, score: 8 }),
      e('er', { status: 'low-positive', percent: 5, intensity: 'weak' }),
      e('pr', { status: 'negative', percent: 0 }),
      e('her2', { ihc: '0', status: 'negative' }),
      e('ki67Percent', 40),
    ],
  },
  {
    id: 'radiation-omission',
    style: 'radiation oncology consult, omission of radiation',
    text: `Radiation Oncology Consultation (synthetic)
74-year-old woman, status post left lumpectomy and sentinel lymph node biopsy on 2025-02-11. Final pathology: 1.2 cm invasive ductal carcinoma, grade 1, ER positive (100%), PR positive (90%), HER2 negative, margins negative, 0/2 sentinel lymph nodes involved. Pathologic stage pT1c pN0(sn), stage IA. Staging scans were not done given early stage; no symptoms suggesting distant metastases.
Recommendation: Given her age and favorable tumor biology, radiation can reasonably be omitted provided she takes endocrine therapy. I recommend anastrozole for at least 5 years. Radiation would reduce the chance of the cancer coming back in the breast but would not change survival.`,
    expected: [
      e('laterality', 'left'),
      e('tumorSizeMm', 12),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 1 }),
      e('er', { status: 'positive', percent: 100 }),
      e('pr', { status: 'positive', percent: 90 }),
      e('her2', { status: 'negative' }),
      e('margins', 'negative'),
      e('lymphNodes', { status: 'negative', positive: 0, examined: 2 }),
      e('pathologicTnm', { prefix: 'p', t: 'T1c', n: 'N0' }),
      e('stageGroup', 'IA'),
      step('endocrine', 'anastrozole', undefined, '5 years'),
      { field: 'recommendation.notRecommended', value: 'radiation' },
    ],
  },
  {
    id: 'radiation-plan-nodal',
    style: 'radiation oncology note with fractionation',
    text: `Radiation oncology note (synthetic). Patient is a 49-year-old after right lumpectomy and axillary dissection for a 2.8 cm invasive ductal carcinoma with 3/12 nodes positive (pT2 pN1a), ER positive (60%), PR negative, HER2 negative. She completed adjuvant AC-T last month.
Plan: whole breast radiation with a boost to the tumor bed, 40 Gy in 15 fractions, plus regional nodal irradiation, to begin in 3-4 weeks. She will then start adjuvant endocrine therapy.`,
    expected: [
      e('laterality', 'right'),
      e('tumorSizeMm', 28),
      e('histology', 'invasive ductal carcinoma'),
      e('lymphNodes', { status: 'positive', positive: 3, examined: 12 }),
      e('pathologicTnm', { prefix: 'p', t: 'T2', n: 'N1a' }),
      e('er', { status: 'positive', percent: 60 }),
      e('pr', { status: 'negative' }),
      e('her2', { status: 'negative' }),
      step('radiation', 'whole breast radiation', undefined, '15 fractions'),
      step('radiation', 'regional nodal irradiation'),
      step('endocrine', 'endocrine therapy', 'adjuvant'),
    ],
  },
  {
    id: 'patient-shorthand',
    style: 'patient-typed shorthand',
    text: `My notes (synthetic): IDC, 2.5cm, grade 2, ER+ 95% PR+ 60% HER2- (IHC 1+), Ki67 20%. Clinical stage T2N1M0, stage IIB. Dr. A says chemo first, then surgery.`,
    expected: [
      e('histology', 'IDC'),
      e('tumorSizeMm', 25),
      e('grade', { value: 2 }),
      e('er', { status: 'positive', percent: 95 }),
      e('pr', { status: 'positive', percent: 60 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('ki67Percent', 20),
      e('clinicalTnm', { t: 'T2', n: 'N1', m: 'M0' }),
      e('stageGroup', 'IIB'),
      step('chemotherapy', 'chemotherapy', 'neoadjuvant'),
      step('surgery', 'surgery'),
    ],
  },
  {
    id: 'negations-narrative',
    style: 'short narrative pathology report full of negations',
    text: `Right breast, sentinel lymph node biopsy and lumpectomy (synthetic pathology report).
Invasive ductal carcinoma measuring 1.6 x 1.2 x 1.0 cm. No lymphovascular invasion is identified. Sentinel lymph nodes: negative for metastatic carcinoma (0/2). Ductal carcinoma in situ is not identified. Negative margins. Staging: pT1c pN0(sn).`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'invasive ductal carcinoma'),
      e('tumorSizeMm', 16),
      e('lymphovascularInvasion', 'absent'),
      e('lymphNodes', { status: 'negative', positive: 0, examined: 2 }),
      e('margins', 'negative'),
      e('pathologicTnm', { prefix: 'p', t: 'T1c', n: 'N0' }),
    ],
  },
  {
    id: 'ranges-pending',
    style: 'consultation with ranges and a pending test',
    text: `Consultation (synthetic). The tumor measures 1.5 to 1.8 cm on ultrasound in the left breast. Biopsy: invasive ductal carcinoma, Nottingham grade 2. ER 80-90%, PR 5%, HER2 equivocal by IHC (2+) with FISH pending. Ki-67 of 15-20%.
Plan: pending FISH; if HER2-negative, lumpectomy and sentinel lymph node biopsy, followed by radiation and endocrine therapy. Chemotherapy decision will depend on the Oncotype DX recurrence score.`,
    expected: [
      e('tumorSizeMm', 18),
      e('laterality', 'left'),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 2 }),
      e('er', { status: 'positive', percent: 90 }),
      e('pr', { status: 'low-positive', percent: 5 }),
      e('her2', { ihc: '2+', status: 'equivocal' }),
      e('ki67Percent', 20),
      step('surgery', 'lumpectomy'),
      step('surgery', 'sentinel lymph node biopsy'),
      step('radiation', 'radiation', 'adjuvant'),
      step('endocrine', 'endocrine therapy', 'adjuvant'),
    ],
  },
  {
    id: 'brca-young',
    style: 'surgical oncology consultation, hereditary risk',
    text: `Surgical oncology consultation (synthetic). 38-year-old with a BRCA1 pathogenic variant and a 2.0 cm left breast cancer (invasive ductal carcinoma, grade 3, triple negative). Clinical stage T1c N0 M0, Stage IA.
Recommendation: neoadjuvant chemotherapy first. After chemotherapy, bilateral mastectomy with sentinel lymph node biopsy on the left, with immediate reconstruction. Risk-reducing bilateral salpingo-oophorectomy should be considered by age 40. Radiation is not needed if nodes remain negative.`,
    expected: [
      e('tumorSizeMm', 20),
      e('laterality', 'left'),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 3 }),
      e('er', { status: 'negative' }),
      e('pr', { status: 'negative' }),
      e('her2', { status: 'negative' }),
      e('clinicalTnm', { t: 'T1c', n: 'N0', m: 'M0' }),
      e('stageGroup', 'IA'),
      step('chemotherapy', 'chemotherapy', 'neoadjuvant'),
      step('surgery', 'bilateral mastectomy'),
      step('surgery', 'sentinel lymph node biopsy'),
      step('surgery', 'reconstruction'),
      step('surgery', 'bilateral salpingo-oophorectomy'),
      { field: 'recommendation.notRecommended', value: 'radiation' },
    ],
  },
  {
    id: 'tumor-board-micromets',
    style: 'tumor board note with micrometastasis',
    text: `Tumor board note (synthetic): 60F, s/p right partial mastectomy and SLNB. Path: IDC, grade 2, 2.4 cm, 1 of 3 sentinel nodes with micrometastasis; pT2 pN1mi. Anatomic stage 2B. ER 70%, PR 50%, HER2 IHC 1+. Oncotype DX recurrence score 14.
Board recommendation: no completion axillary dissection; adjuvant whole-breast radiation including the low axilla, and adjuvant endocrine therapy for 5 years. No chemotherapy given the low recurrence score.`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'IDC'),
      e('grade', { value: 2 }),
      e('tumorSizeMm', 24),
      e('lymphNodes', { status: 'positive', positive: 1, examined: 3 }),
      e('pathologicTnm', { prefix: 'p', t: 'T2', n: 'N1mi' }),
      e('stageGroup', 'IIB'),
      e('er', { status: 'positive', percent: 70 }),
      e('pr', { status: 'positive', percent: 50 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      step('radiation', 'whole-breast radiation', 'adjuvant'),
      step('endocrine', 'endocrine therapy', 'adjuvant', '5 years'),
      { field: 'recommendation.notRecommended', value: 'chemotherapy' },
    ],
  },
];

/**
 * HELD-OUT texts: written and annotated after the extractor had been developed against CORPUS, and never used
 * to tune it. Their numbers are the honest estimate of how the extractor does on text it has not seen.
 */
export const HELDOUT: CorpusCase[] = [
  {
    id: 'heldout-tnbc-consult',
    style: 'held-out: new-patient consultation with abbreviations',
    text: `NEW PATIENT CONSULTATION - BREAST MEDICAL ONCOLOGY (synthetic)
HPI: 55 y/o woman who palpated a lump in her right breast. Diagnostic mammogram and ultrasound demonstrated a 2.4 x 2.0 x 1.9 cm mass at 9 o'clock with an abnormal-appearing right axillary node. US-guided biopsy of the breast mass: infiltrating ductal carcinoma, Nottingham grade 3/3. FNA of the axillary node: positive for metastatic carcinoma. Receptors: ER 0%, PR 0%, HER2 1+ by IHC. Ki67 85%.
Staging CT C/A/P and bone scan: no distant disease.
Impression: cT2N1M0, stage IIB triple negative breast cancer.
Plan: Neoadjuvant pembrolizumab plus carboplatin/paclitaxel followed by pembrolizumab plus AC, then surgery. Adjuvant pembrolizumab to complete 1 year. Referral to genetics.`,
    expected: [
      e('laterality', 'right'),
      e('tumorSizeMm', 24),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 3 }),
      e('lymphNodes', { status: 'positive' }),
      e('er', { status: 'negative', percent: 0 }),
      e('pr', { status: 'negative', percent: 0 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('ki67Percent', 85),
      e('metastasis', { status: 'none' }),
      e('clinicalTnm', { prefix: 'c', t: 'T2', n: 'N1', m: 'M0' }),
      e('stageGroup', 'IIB'),
      step('immunotherapy', 'pembrolizumab', 'neoadjuvant'),
      step('chemotherapy', 'carboplatin and paclitaxel', 'neoadjuvant'),
      step('chemotherapy', 'AC', 'neoadjuvant'),
      step('surgery', 'surgery'),
      step('immunotherapy', 'pembrolizumab', 'adjuvant', '1 year'),
    ],
  },
  {
    id: 'heldout-lobular-excision',
    style: 'held-out: excision report with inline biomarkers',
    text: `CASE: S25-7781 (synthetic)   SPECIMEN(S): A. Right breast, needle localized excision
DIAGNOSIS: A. Breast, right, needle localized excision: Invasive mammary carcinoma, lobular type, measuring 1.3 cm in greatest dimension. Histologic grade: 1 (tubules 3, nuclei 1, mitoses 1; total 5/9). Lobular carcinoma in situ, classic. Margins: Invasive carcinoma is 1 mm from the inferior margin; all margins negative. Angiolymphatic invasion: absent.
Breast biomarkers (block A2): ER: positive, 100%, strong. PR: positive, 15%, weak. HER2/neu by IHC: 0. Ki-67 index: 5%.`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'invasive lobular carcinoma'),
      e('tumorSizeMm', 13),
      e('grade', { value: 1, score: 5 }),
      e('margins', 'negative'),
      e('lymphovascularInvasion', 'absent'),
      e('er', { status: 'positive', percent: 100, intensity: 'strong' }),
      e('pr', { status: 'positive', percent: 15, intensity: 'weak' }),
      e('her2', { ihc: '0', status: 'negative' }),
      e('ki67Percent', 5),
    ],
  },
  {
    id: 'heldout-tumor-board-pipes',
    style: 'held-out: tumor board list with pipes and no percent signs',
    text: `MULTIDISCIPLINARY BREAST TUMOR BOARD (synthetic)
Case 3 | 71F | L breast 12:00
Imaging: 0.9 cm irregular mass, no suspicious axillary nodes
Path: IDC, G1, ER 95 / PR 90 / HER2 neg (IHC 1+)
Stage: cT1b cN0 cM0, clinical stage IA
Recs: L lumpectomy, omit SLNB (age >70, HR+), adjuvant endocrine therapy x 5 yrs; discuss omission of RT vs hypofractionated WBI.`,
    expected: [
      e('laterality', 'left'),
      e('tumorSizeMm', 9),
      e('histology', 'IDC'),
      e('grade', { value: 1 }),
      e('er', { status: 'positive', percent: 95 }),
      e('pr', { status: 'positive', percent: 90 }),
      e('her2', { ihc: '1+', status: 'negative' }),
      e('clinicalTnm', { prefix: 'c', t: 'T1b', n: 'N0', m: 'M0' }),
      e('stageGroup', 'IA'),
      e('lymphNodes', { status: 'negative' }),
      step('surgery', 'lumpectomy'),
      step('endocrine', 'endocrine therapy', 'adjuvant', '5 years'),
    ],
  },
  {
    id: 'heldout-second-opinion-letter',
    style: 'held-out: letter to the referring doctor',
    text: `Dear Dr. Primary (synthetic letter),
I saw your patient today for a second opinion regarding her newly diagnosed right-sided breast cancer. I reviewed the outside slides with our breast pathologist, who agrees with the diagnosis of invasive ductal carcinoma, grade 2, but measured the Ki-67 at 30% rather than 10%. The tumor is ER-positive (70%) and PR-negative, HER2-negative. Her MRI shows a 3.5 cm mass with no other lesions, and her axilla is clinically negative.
My recommendation differs slightly from yours: because of the size of the tumor, I would suggest neoadjuvant endocrine therapy with letrozole for 4-6 months before surgery rather than proceeding directly to mastectomy, to try to make breast conservation possible. Alternatively, upfront surgery followed by adjuvant chemotherapy could be considered depending on genomic testing.
Sincerely, Dr. Second (synthetic)`,
    expected: [
      e('laterality', 'right'),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 2 }),
      e('ki67Percent', 30),
      e('er', { status: 'positive', percent: 70 }),
      e('pr', { status: 'negative' }),
      e('her2', { status: 'negative' }),
      e('tumorSizeMm', 35),
      e('lymphNodes', { status: 'negative' }),
      step('endocrine', 'letrozole', 'neoadjuvant', '4-6 months'),
      step('surgery', 'surgery'),
    ],
  },
  {
    id: 'heldout-pet-staging',
    style: 'held-out: PET/CT staging report',
    text: `PET/CT SKULL BASE TO MID-THIGH (synthetic)
Indication: newly diagnosed left breast cancer, staging.
Findings: Hypermetabolic 2.8 cm left breast mass (SUVmax 9.1). Hypermetabolic left axillary lymph nodes, largest 1.6 cm. Multiple lytic and sclerotic osseous lesions in the spine and pelvis, consistent with osseous metastases. No hepatic or pulmonary lesions.
Impression: Left breast primary with left axillary nodal metastases and widespread bone metastases.`,
    expected: [
      e('laterality', 'left'),
      e('tumorSizeMm', 28),
      e('lymphNodes', { status: 'positive' }),
      e('metastasis', { status: 'present', sites: ['bone'] }),
    ],
  },
  {
    id: 'heldout-discharge-summary',
    style: 'held-out: discharge summary after mastectomy',
    text: `DISCHARGE SUMMARY (synthetic)
Procedure performed: Right total mastectomy with sentinel lymph node biopsy and immediate tissue expander reconstruction.
Final pathology: 2.2 cm invasive ductal carcinoma, grade 2, margins clear, 2 of 3 sentinel lymph nodes positive with macrometastases (largest 7 mm), LVI present. Stage pT2 pN1a.
ER 90%, PR 40%, HER2 2+ by IHC, FISH ratio 2.6 - amplified.
Follow-up plan: Medical oncology to discuss adjuvant chemotherapy with trastuzumab and pertuzumab; radiation oncology referral for post-mastectomy radiation to the chest wall and regional nodes. She will need endocrine therapy after chemotherapy.`,
    expected: [
      e('laterality', 'right'),
      e('tumorSizeMm', 22),
      e('histology', 'invasive ductal carcinoma'),
      e('grade', { value: 2 }),
      e('margins', 'negative'),
      e('lymphNodes', { status: 'positive', positive: 2, examined: 3 }),
      e('lymphovascularInvasion', 'present'),
      e('pathologicTnm', { prefix: 'p', t: 'T2', n: 'N1a' }),
      e('er', { status: 'positive', percent: 90 }),
      e('pr', { status: 'positive', percent: 40 }),
      e('her2', { ihc: '2+', ish: 'amplified', status: 'positive' }),
      step('chemotherapy', 'chemotherapy', 'adjuvant'),
      step('targeted', 'trastuzumab and pertuzumab', 'adjuvant'),
      step('radiation', 'post-mastectomy radiation'),
      step('radiation', 'regional nodal irradiation'),
      step('endocrine', 'endocrine therapy', 'adjuvant'),
    ],
  },
  {
    id: 'heldout-patient-list',
    style: 'held-out: patient bullet list comparing two doctors',
    text: `Diagnosis notes (synthetic, typed by patient)
- type: invasive lobular, left side
- size 4.1cm (MRI said 5.2cm!)
- grade 2, ER+ (99%), PR+ (5%), HER2 neg
- nodes: 1/2 sentinel positive
- Dr C: mastectomy + radiation, then anastrozole 5-10 yrs
- Dr D: lumpectomy is possible after 3-6 months of letrozole first`,
    expected: [
      e('histology', 'invasive lobular carcinoma'),
      e('laterality', 'left'),
      e('tumorSizeMm', 41),
      e('tumorSizeMm', 52),
      e('grade', { value: 2 }),
      e('er', { status: 'positive', percent: 99 }),
      e('pr', { status: 'positive', percent: 5 }),
      e('her2', { status: 'negative' }),
      e('lymphNodes', { status: 'positive', positive: 1, examined: 2 }),
      step('surgery', 'mastectomy'),
      step('radiation', 'radiation'),
      step('endocrine', 'anastrozole', 'adjuvant', '5-10 years'),
      step('surgery', 'lumpectomy'),
      step('endocrine', 'letrozole', 'neoadjuvant', '3-6 months'),
    ],
  },
  {
    id: 'heldout-metastatic-her2',
    style: 'held-out: short follow-up visit, metastatic HER2-positive',
    text: `Follow-up visit (synthetic). Known HER2-positive metastatic breast cancer with brain and lung metastases, originally left-sided. Progression on first-line THP.
Plan: start trastuzumab deruxtecan (Enhertu) every 3 weeks. Stereotactic radiosurgery to the two brain lesions. We discussed tucatinib, trastuzumab and capecitabine as a later option.`,
    expected: [
      e('her2', { status: 'positive' }),
      e('metastasis', { status: 'present', sites: ['brain', 'lung'] }),
      e('laterality', 'left'),
      step('targeted', 'trastuzumab deruxtecan'),
      step('radiation', 'stereotactic radiosurgery'),
    ],
  },
];
