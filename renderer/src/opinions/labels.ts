import { fieldId } from './draft';

/** Names of the opinion's fields in plain words, for the list of problems and for proposals ("Goes into: …"). */
const LABELS: Record<string, string> = {
  kind: 'Which opinion',
  clinician: 'Doctor',
  role: 'Doctor’s role',
  institution: 'Hospital or clinic',
  date: 'Date of the opinion',
  documentIds: 'Documents it rests on',
  notes: 'Notes',
  'diagnosis.cancerType': 'Type of cancer',
  'diagnosis.histology': 'Tumor type (histology)',
  'diagnosis.site': 'Where the tumor is',
  'diagnosis.laterality': 'Side',
  'diagnosis.tumorSizeMm': 'Tumor size',
  'diagnosis.lymphNodes': 'Lymph nodes',
  'diagnosis.lymphNodes.status': 'Lymph nodes',
  'diagnosis.lymphNodes.positive': 'Lymph nodes with cancer',
  'diagnosis.lymphNodes.examined': 'Lymph nodes checked',
  'diagnosis.metastasis': 'Spread to distant organs (metastasis)',
  'diagnosis.metastasis.status': 'Spread to distant organs (metastasis)',
  'diagnosis.metastasis.sites': 'Where it has spread',
  'diagnosis.clinicalTnm': 'Clinical stage (TNM)',
  'diagnosis.clinicalTnm.t': 'Clinical T',
  'diagnosis.clinicalTnm.n': 'Clinical N',
  'diagnosis.clinicalTnm.m': 'Clinical M',
  'diagnosis.pathologicTnm': 'Pathologic stage (TNM)',
  'diagnosis.pathologicTnm.t': 'Pathologic T',
  'diagnosis.pathologicTnm.n': 'Pathologic N',
  'diagnosis.pathologicTnm.m': 'Pathologic M',
  'diagnosis.stageGroup': 'Stage',
  'diagnosis.grade': 'Grade',
  'diagnosis.grade.value': 'Grade',
  'diagnosis.grade.score': 'Grade score',
  'diagnosis.er': 'ER (estrogen receptor)',
  'diagnosis.er.status': 'ER result',
  'diagnosis.er.percent': 'ER: share of cells stained',
  'diagnosis.pr': 'PR (progesterone receptor)',
  'diagnosis.pr.status': 'PR result',
  'diagnosis.pr.percent': 'PR: share of cells stained',
  'diagnosis.her2': 'HER2',
  'diagnosis.her2.ihc': 'HER2 staining score (IHC)',
  'diagnosis.her2.ish': 'HER2 gene test (ISH / FISH)',
  'diagnosis.her2.status': 'HER2 overall',
  'diagnosis.ki67Percent': 'Ki-67',
  'diagnosis.margins': 'Margins',
  'diagnosis.lymphovascularInvasion': 'Lymphovascular invasion',
  'diagnosis.genomicResults': 'Tumor gene tests',
  'diagnosis.germlineResults': 'Inherited gene tests',
  'diagnosis.otherBiomarkers': 'Other markers',
  'recommendation.intent': 'Goal of treatment',
  'recommendation.steps': 'Treatment steps',
  'recommendation.notRecommended': 'Treatments said not to be needed',
  'recommendation.furtherTests': 'Tests wanted before deciding',
  'recommendation.clinicalTrials': 'Clinical trials suggested',
  'recommendation.followUp': 'Follow-up plan',
};

export function fieldLabel(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const step = /^recommendation\.steps\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (step) {
    const part = step[2] ? { kind: 'kind of treatment', detail: 'what exactly', timing: 'when', duration: 'how long' }[step[2]] : null;
    return `Treatment step ${Number(step[1]) + 1}${part ? `: ${part}` : ''}`;
  }
  const test = /^diagnosis\.(genomicResults|germlineResults|otherBiomarkers)\.(\d+)\.(test|result)$/.exec(path);
  if (test) return `${LABELS[`diagnosis.${test[1]}`]}, test ${Number(test[2]) + 1}: ${test[3] === 'test' ? 'name' : 'result'}`;
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = LABELS[parts.slice(0, i).join('.')];
    if (parent) return parent;
  }
  return path === '' ? 'The opinion' : path;
}

const FOCUS_SUFFIXES = ['', '.status', '.value', '.t', '.kind', '.ihc', '.0.kind', '.0.test'];

/** Moves focus to a field's control (or the closest one that exists), scrolling it into view. */
export function focusField(path: string): boolean {
  const parts = path.split('.');
  for (let i = parts.length; i >= 1; i--) {
    const base = parts.slice(0, i).join('.');
    for (const suffix of FOCUS_SUFFIXES) {
      const element = document.getElementById(fieldId(base + suffix));
      if (!element) continue;
      const target = element.matches('input, select, textarea, button')
        ? element
        : (element.querySelector<HTMLElement>('input:checked') ?? element.querySelector<HTMLElement>('input, select, textarea, button'));
      if (target) {
        target.focus();
        target.scrollIntoView?.({ block: 'center' });
        return true;
      }
    }
  }
  return false;
}
