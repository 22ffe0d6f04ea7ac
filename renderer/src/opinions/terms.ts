/**
 * Short, plain explanations of the medical words used on the opinion screens. Our own wording, written for a
 * patient or a family member at home. Keyed by field path so the editor, the proposals and the comparison agree.
 */
export const TERMS: Record<string, string> = {
  clinician: 'The doctor who gave this opinion. A tumor board may have no single name.',
  role: 'For example medical oncologist, breast surgeon or radiation oncologist.',
  date: 'The day of the visit or of the written opinion — not a date of birth.',
  kind: 'Which opinion this is for you. A tumor board is a meeting where several specialists discuss a case together.',
  documentIds: 'The letters and reports this opinion is based on, from your library. This helps you find them again.',
  'diagnosis.cancerType': 'The kind of cancer in everyday words, for example breast cancer.',
  'diagnosis.histology':
    'What the cancer cells look like under the microscope, for example invasive ductal carcinoma. Copy it as written.',
  'diagnosis.site': 'Where in the body the tumor is, for example “left breast, upper outer part”.',
  'diagnosis.laterality': 'Which side of the body: left, right or both.',
  'diagnosis.tumorSizeMm': 'The largest width of the tumor, in millimetres (10 mm = 1 cm).',
  'diagnosis.lymphNodes':
    'Small glands, often in the armpit, where cancer can spread first. “No cancer found” is an answer, not a blank.',
  'diagnosis.metastasis':
    'Whether the cancer has spread to organs further away, such as bones, liver or lungs. “No spread found” is an answer.',
  'diagnosis.clinicalTnm':
    'Stage from the exam and scans, before any surgery. T is the main tumor, N the lymph nodes, M spread to distant organs. Write it like T2, N1, M0.',
  'diagnosis.pathologicTnm':
    'Stage from the tissue removed in surgery. It can differ from the clinical stage. “yp” means after treatment given before surgery.',
  'diagnosis.stageGroup': 'One overall stage, from 0 (very early) to IV (spread to distant organs).',
  'diagnosis.grade':
    'How different the cells look from normal cells: grade 1 looks closest to normal and tends to grow slowly, grade 3 tends to grow faster. The score (3 to 9) is how the grade is worked out.',
  'diagnosis.er':
    'ER: estrogen receptor. If the cancer cells have it, the hormone estrogen can feed their growth, and hormone (endocrine) treatments can help.',
  'diagnosis.pr': 'PR: progesterone receptor. Another hormone receptor; read together with ER.',
  'diagnosis.her2':
    'HER2: a protein some cancers make too much of. It decides whether anti-HER2 drugs are likely to help. IHC is a staining test scored 0 to 3+; ISH (FISH) counts the gene copies when IHC is unclear.',
  'diagnosis.ki67Percent': 'Ki-67: the share of cancer cells that were dividing when the sample was taken. Higher means faster growth.',
  'diagnosis.margins':
    'After surgery: whether cancer cells reach the edge of the removed tissue. “Clear” (negative) means no cancer at the edge.',
  'diagnosis.lymphovascularInvasion': 'Whether cancer cells were seen inside small blood or lymph vessels near the tumor.',
  'diagnosis.genomicResults':
    'Tests on the tumor’s genes, for example Oncotype DX or MammaPrint, that help judge whether chemotherapy would add benefit.',
  'diagnosis.germlineResults': 'Inherited gene tests from blood or saliva, for example BRCA1 and BRCA2.',
  'diagnosis.otherBiomarkers': 'Any other test on the tumor, for example PD-L1 or PIK3CA.',
  'recommendation.intent':
    'What the treatment aims for: to cure, to keep the cancer under control for as long as possible, or to relieve symptoms and keep comfort (palliative).',
  'recommendation.steps':
    'The treatments in the order the doctor suggests. Before surgery is called neoadjuvant; after surgery is called adjuvant.',
  'recommendation.notRecommended':
    'Tick a treatment only if the doctor said it is not needed. A treatment that was simply not mentioned stays unticked.',
  'recommendation.furtherTests': 'Scans or tests the doctor wants before deciding, one per line.',
  'recommendation.clinicalTrials': 'Research studies the doctor suggested, by name or by their NCT number, one per line.',
  'recommendation.followUp': 'Check-ups and tests planned after treatment.',
  notes: 'Anything else you want to remember about this opinion, in your own words.',
};
