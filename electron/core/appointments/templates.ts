import type { AppointmentKind, ChecklistGroup, ItemType, RecordKind } from '../../../shared/contract/appointments';
import { RECORD_KIND_LABELS } from '../../../shared/contract/appointments';

/**
 * The preparation checklist an appointment starts with, by kind. Every item can be ticked, edited or removed
 * afterwards; the person can add their own. Wording is ours: short, plain, and about what to do.
 */
export interface ItemTemplate {
  key: string;
  group: ChecklistGroup;
  type: ItemType;
  recordKind: RecordKind | null;
  label: string;
  hint: string;
  kinds: readonly AppointmentKind[];
}

const OPINIONS: readonly AppointmentKind[] = ['first', 'second', 'third'];
const OTHER_OPINIONS: readonly AppointmentKind[] = ['second', 'third'];
const REVIEWS: readonly AppointmentKind[] = ['first', 'second', 'third', 'tumor-board'];
const SECOND_LOOK: readonly AppointmentKind[] = ['second', 'third', 'tumor-board'];
const ALL: readonly AppointmentKind[] = ['first', 'second', 'third', 'tumor-board', 'follow-up'];
const TALKS: readonly AppointmentKind[] = ['first', 'second', 'third', 'follow-up'];

function task(key: string, group: ChecklistGroup, kinds: readonly AppointmentKind[], label: string, hint: string): ItemTemplate {
  return { key, group, type: 'task', recordKind: null, label, hint, kinds };
}

function record(kind: RecordKind, kinds: readonly AppointmentKind[], hint: string, label = RECORD_KIND_LABELS[kind]): ItemTemplate {
  return { key: `record:${kind}`, group: 'records', type: 'record', recordKind: kind, label, hint, kinds };
}

export const ITEM_TEMPLATES: readonly ItemTemplate[] = [
  // Your doctors
  task(
    'tell-doctor',
    'doctor',
    OTHER_OPINIONS,
    'Let your current doctor know, and ask for a referral if you need one',
    'Doctors expect their patients to seek other opinions. Telling them makes it easier to get your records sent.',
  ),
  task('referral', 'doctor', ['first'], 'Ask for a referral if your insurance plan needs one', 'Some plans only pay for a specialist visit after a referral.'),
  task(
    'choose-specialist',
    'doctor',
    OTHER_OPINIONS,
    'Check that this doctor specialises in your type of cancer',
    'Ideally someone at a large or university cancer center who sees many people with the same diagnosis and takes part in clinical trials.',
  ),
  task(
    'present-case',
    'doctor',
    ['tumor-board'],
    'Ask your doctor to bring your case to the tumor board',
    'A tumor board is a meeting where cancer specialists — surgeons, oncologists, radiologists, pathologists and others — look at a case together.',
  ),
  task(
    'report-reached-doctor',
    'doctor',
    ['follow-up'],
    'Check that the report of the other opinion has reached your main doctor',
    'Your main doctor can only discuss it if they have read it. Ask their office a few days before.',
  ),

  // Insurance and cost
  task('insurance-covered', 'insurance', REVIEWS, 'Ask your insurance whether this is covered', 'Write down the name of the person you spoke to and the date, in the note.'),
  task('insurance-network', 'insurance', OPINIONS, 'Check whether the doctor is in your insurance network', 'Visits outside the network often cost more.'),
  task(
    'insurance-required',
    'insurance',
    OTHER_OPINIONS,
    'Ask whether your plan asks for a second opinion before treatment',
    'Some plans require one before surgery or a costly treatment.',
  ),
  task('insurance-cost', 'insurance', REVIEWS, 'Find out what you may have to pay', 'Write the expected cost in the note, including anything that is not covered.'),

  // Records to gather
  record('pathology-report', REVIEWS, 'The report from the lab that examined your biopsy or surgery tissue.'),
  record(
    'slides',
    SECOND_LOOK,
    'Glass slides and tissue blocks are physical: the lab that holds them ships them. The app keeps track of the request, not the slides.',
  ),
  record('imaging-reports', REVIEWS, 'The written reports of mammograms, ultrasounds, MRI, CT, PET or bone scans.'),
  record('imaging-discs', REVIEWS, 'The pictures themselves, usually on a disc from the imaging center. Take them along even if they were sent.'),
  record('treatment-recommendations', SECOND_LOOK, 'What your current doctor recommends, and their consultation notes.'),
  record('lab-results', REVIEWS, 'Recent blood work and other test results.'),
  record('genetic-results', SECOND_LOOK, 'Results of genetic or genomic tests, if you have had any.'),
  record('medication-list', ALL, 'Every medicine you take, with the dose, including vitamins and supplements.'),
  record('opinion-report', ['follow-up'], 'The written report or letter from the doctor who gave the other opinion.'),

  // Forms and deadlines
  task(
    'release-forms',
    'forms',
    REVIEWS,
    'Sign the release forms so your records can be sent',
    'Each office that holds your records usually needs your signed permission before it sends anything.',
  ),
  task(
    'before-visit',
    'forms',
    REVIEWS,
    'Ask the new office what must arrive before the visit, and by when',
    'Offices often want records ahead of time so tests need not be repeated. Put the date in “Due by”.',
  ),
  task('own-copies', 'forms', OTHER_OPINIONS, 'Keep your own copy of everything you send', 'Copies go missing; your own set saves time.'),

  // The visit itself
  task('companion', 'visit', TALKS, 'Ask someone to come with you to listen and take notes', 'Write their name in the note.'),
  task('recording', 'visit', TALKS, 'Ask whether you may record the conversation', 'Many doctors agree when asked first.'),
  task('bring-along', 'visit', OPINIONS, 'Pack the imaging discs, your medicine list and this prep sheet', ''),
  task(
    'bring-comparison',
    'visit',
    ['third', 'follow-up'],
    'Bring the comparison of the earlier opinions',
    'The app can print one from the Opinions section.',
  ),
  task('board-answer', 'visit', ['tumor-board'], 'Ask when and how you will hear what the board recommends', ''),
  task('agree-plan', 'visit', ['follow-up'], 'Agree on a plan and on who coordinates your care from now on', ''),
  task(
    'safe-wait',
    'visit',
    ALL,
    'Ask how long treatment can safely wait',
    'Some cancers need a decision soon; others leave a few weeks. Write the answer in the note.',
  ),
];

export function templatesFor(kind: AppointmentKind): ItemTemplate[] {
  return ITEM_TEMPLATES.filter((template) => template.kinds.includes(kind));
}

const TEMPLATE_BY_KEY = new Map(ITEM_TEMPLATES.map((template) => [template.key, template]));

export function templateHint(key: string | null): string {
  return key ? (TEMPLATE_BY_KEY.get(key)?.hint ?? '') : '';
}

/** BASE_QUESTIONS that fit a follow-up with the main doctor (about the plan, not the new doctor's experience). */
export const FOLLOW_UP_BASE_IDS: ReadonlySet<string> = new Set([
  'base-plan',
  'base-alternatives',
  'base-goal',
  'base-side-effects',
  'base-trials',
  'base-wait',
  'base-coordination',
]);
