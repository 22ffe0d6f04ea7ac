import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { textPdf } from '../helpers/pdf';
import { expect, screenshotDir, test, type AppHarness, type Page } from './fixtures';
import { PASSPHRASE, PATIENT, auditScreen } from './flows';

/**
 * Opinions: recording through the form, "not stated" vs a stated "no", filling in from a report, the comparison
 * with its questions, decisions and PDF, keyboard-only treatment steps, and axe in light and dark.
 */

// axe on these long pages takes a while on a busy machine.
test.describe.configure({ timeout: 120_000 });

/** A screenshot without an axe run (the same page state is audited elsewhere). */
async function snap(page: Page, name: string, part?: Locator): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  if (!part) return void (await page.screenshot({ path: file }));
  // The main area scrolls inside the window: make the window tall enough to show the whole part.
  const size = page.viewportSize() ?? { width: 1024, height: 700 };
  const height = Math.min(6000, Math.ceil((await part.boundingBox())?.height ?? 0) + 300);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await part.screenshot({ path: file });
  await page.setViewportSize(size);
}

async function coreCall<T>(app: AppHarness, operation: string, input: unknown): Promise<T> {
  const result = (await app.core.call(operation, input)) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${operation} failed: ${result.error?.message}`);
  return result.value as T;
}

/** A fresh vault made through the core (the set-up screens have their own tests), then the app opened on it. */
async function openWithVault(page: Page, app: AppHarness): Promise<void> {
  await coreCall(app, 'vault.create', { profile: { fullName: PATIENT.name, birthDate: '1962-03-15' }, passphrase: PASSPHRASE });
  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

async function openOpinions(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Opinions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Opinions' })).toBeVisible();
}

async function startOpinion(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Record an opinion' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record an opinion' })).toBeVisible();
}

function group(page: Page, name: string): Locator {
  return page.getByRole('group', { name, exact: true });
}

async function pick(scope: Locator, label: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).check();
}

interface StepSpec {
  kind: string;
  detail?: string;
  timing?: string;
}

async function addSteps(page: Page, steps: StepSpec[]): Promise<void> {
  for (const spec of steps) {
    await page.getByRole('button', { name: 'Add a treatment step' }).click();
    const step = page.getByTestId('step').last();
    await step.getByLabel('Kind of treatment').selectOption(spec.kind);
    if (spec.detail) await step.getByLabel('What exactly').fill(spec.detail);
    if (spec.timing) await step.getByLabel('When').selectOption(spec.timing);
  }
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Save (opinion|changes)$/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Opinions' })).toBeVisible();
}

async function enterFirstOpinion(page: Page): Promise<void> {
  await startOpinion(page);
  await page.getByLabel('Which opinion is this?').selectOption('first');
  await page.getByLabel('Doctor', { exact: true }).fill('Dr. Ana Rivera');
  await page.getByLabel('Hospital or clinic', { exact: true }).fill('City Cancer Center');
  await page.getByLabel('Date of the opinion').fill('2025-03-04');
  await page.getByLabel('Tumor type (histology)').fill('IDC');
  const clinical = group(page, 'Clinical stage (TNM)');
  await clinical.getByLabel('T (tumor)').fill('T2');
  await clinical.getByLabel('N (lymph nodes)').fill('N1');
  await clinical.getByLabel('M (distant spread)').fill('M0');
  await pick(group(page, 'ER result'), 'Positive');
  await page.getByLabel('ER: share of cells stained').fill('95');
  await addSteps(page, [
    { kind: 'chemotherapy', timing: 'neoadjuvant' },
    { kind: 'surgery', detail: 'lumpectomy', timing: 'none' },
    { kind: 'radiation', timing: 'adjuvant' },
  ]);
  await save(page);
}

async function enterSecondOpinion(page: Page): Promise<void> {
  await startOpinion(page);
  await expect(page.getByLabel('Which opinion is this?')).toHaveValue('second');
  await page.getByLabel('Doctor', { exact: true }).fill('Dr. Ben Chen');
  await page.getByLabel('Hospital or clinic', { exact: true }).fill('University Hospital');
  await page.getByLabel('Date of the opinion').fill('2025-03-20');
  await page.getByLabel('Tumor type (histology)').fill('invasive ductal carcinoma');
  const clinical = group(page, 'Clinical stage (TNM)');
  await clinical.getByLabel('When it was staged').selectOption('c');
  await clinical.getByLabel('T (tumor)').fill('cT2');
  await clinical.getByLabel('N (lymph nodes)').fill('cN0');
  await pick(group(page, 'ER result'), 'Positive');
  await page.getByLabel('ER: share of cells stained').fill('90');
  await addSteps(page, [
    { kind: 'surgery', detail: 'mastectomy', timing: 'none' },
    { kind: 'chemotherapy', timing: 'adjuvant' },
  ]);
  await page.getByLabel('Radiation: not needed').check();
  await save(page);
}

function row(page: Page, field: string): Locator {
  return page.locator(`[data-testid="comparison-row"][data-field="${field}"]`);
}

test('two opinions entered in the form are compared: summary, row statuses, filter', async ({ page, app }) => {
  await openWithVault(page, app);
  await openOpinions(page);
  await expect(page.getByText('No opinions recorded yet.')).toBeVisible();

  await enterFirstOpinion(page);
  await expect(page.getByRole('status').filter({ hasText: 'Opinion saved' })).toBeVisible();
  await enterSecondOpinion(page);
  await expect(page.getByTestId('opinion-row')).toHaveCount(2);
  await auditScreen(page, '40-opinions-list');

  // Choose both and compare.
  const compare = page.getByRole('button', { name: 'Compare', exact: true });
  await expect(compare).toBeDisabled();
  await page.getByLabel(/Choose for comparison: Dr\. Ana Rivera/).check();
  await page.getByLabel(/Choose for comparison: Dr\. Ben Chen/).check();
  await compare.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comparing 2 opinions' })).toBeVisible();
  await expect(page.getByTestId('comparison-column')).toHaveText([/Dr\. Ana Rivera/, /Dr\. Ben Chen/]);

  const summary = page.getByTestId('comparison-summary');
  await expect(summary).toContainText('agree on the diagnosis');
  await expect(summary).toContainText('the stage');
  await expect(summary).toContainText('the type of surgery');
  await expect(summary).toContainText('the order of treatments');

  // Row statuses, in words (not colour alone).
  const expectStatus = async (field: string, status: string, words: string) => {
    await expect(row(page, field)).toHaveAttribute('data-status', status);
    await expect(row(page, field).getByTestId('row-status')).toHaveText(new RegExp(words));
  };
  await expectStatus('diagnosis.histology', 'same', 'Same');
  await expectStatus('diagnosis.clinicalTnm.t', 'same', 'Same');
  await expectStatus('diagnosis.clinicalTnm.n', 'different', 'Different');
  await expectStatus('diagnosis.clinicalTnm.m', 'partial', 'Only some say');
  await expectStatus('diagnosis.er.status', 'same', 'Same');
  await expectStatus('diagnosis.er.percent', 'same', 'Same');
  await expectStatus('diagnosis.pr.status', 'not-stated', 'Not stated by any');
  await expectStatus('recommendation.steps.surgery.detail', 'different', 'Different');
  await expectStatus('recommendation.steps.radiation', 'different', 'Different');
  await expectStatus('recommendation.sequence', 'different', 'Different');
  await expect(row(page, 'recommendation.steps.radiation')).toContainText('Not recommended');
  await expect(row(page, 'diagnosis.clinicalTnm.m').locator('td').nth(1)).toHaveText(/Not stated/);
  await snap(page, '41-comparison-light');
  await snap(page, '48-comparison-table', page.getByTestId('comparison-table'));

  // Filter: only the differences.
  await page.getByLabel('Show only differences').check();
  const statuses = await page.getByTestId('comparison-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
  expect(statuses.length).toBeGreaterThanOrEqual(4);
  expect(new Set(statuses)).toEqual(new Set(['different']));
  await page.getByLabel('Show only differences').uncheck();

  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('fill in from a report: proposals with their snippet; accepted values carry their source', async ({ page, app }) => {
  await openWithVault(page, app);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-report-'));
  try {
    const file = path.join(dir, 'pathology-report.pdf');
    await writeFile(
      file,
      await textPdf([
        [
          'SURGICAL PATHOLOGY REPORT',
          `Patient: ${PATIENT.name}     Date of service: 2025-02-20`,
          'Specimen: Left breast, core needle biopsy.',
          'Diagnosis: Invasive ductal carcinoma, Nottingham grade 2 (score 7).',
          'Estrogen receptor (ER): Positive, 95%, strong staining.',
          'Progesterone receptor (PR): Positive, 40%.',
          'HER2 by IHC: 1+ (negative).',
          'Ki-67: 20%.',
        ].join('\n'),
      ]),
    );
    const outcome = await coreCall<{ imported: { documentId: string }[] }>(app, 'documents.import', { paths: [file] });
    expect(outcome.imported).toHaveLength(1);
    const documentId = outcome.imported[0]!.documentId;

    await openOpinions(page);
    await startOpinion(page);
    await snap(page, '43-opinion-editor-light');
    const proposals = page.getByTestId('proposals');
    await proposals.getByLabel('Report to read').selectOption(documentId);
    await proposals.getByRole('button', { name: 'Find values in this report' }).click();
    const items = proposals.getByTestId('proposal');
    await expect(items.first()).toBeVisible();

    // Nothing is filled in before a decision.
    await expect(page.getByLabel('Tumor type (histology)')).toHaveValue('');
    await expect(group(page, 'ER result').getByLabel('Not stated')).toBeChecked();

    const er = items.filter({ hasText: 'ER positive, 95%' });
    await expect(er.getByTestId('proposal-snippet')).toHaveText('Estrogen receptor (ER): Positive, 95%, strong staining.');
    await expect(er.locator('mark')).toHaveCount(1);
    await expect(er.locator('mark')).not.toHaveText('');
    await auditScreen(page, '44-proposals');

    await er.getByRole('button', { name: 'Accept' }).click();
    await expect(er.getByTestId('proposal-decision')).toHaveText(/Accepted/);
    const histology = items.filter({ hasText: 'Tumor type:' });
    await histology.getByRole('button', { name: 'Accept' }).click();
    const ki67 = items.filter({ hasText: 'Ki-67 20%' });
    await ki67.getByRole('button', { name: 'Reject' }).click();
    await expect(ki67.getByTestId('proposal-decision')).toHaveText(/Not used/);
    // "Edit" fills the value in and takes the person straight to the field to change it.
    const pr = items.filter({ hasText: 'PR positive, 40%' });
    await pr.getByRole('button', { name: 'Edit' }).click();
    await expect(group(page, 'PR result').getByLabel('Positive', { exact: true })).toBeFocused();
    await page.getByLabel('PR: share of cells stained').fill('45');
    await snap(page, '47-proposals-decided', proposals);

    await expect(group(page, 'ER result').getByLabel('Positive', { exact: true })).toBeChecked();
    await expect(page.getByLabel('ER: share of cells stained')).toHaveValue('95');
    await expect(page.getByLabel('Tumor type (histology)')).toHaveValue(/invasive ductal carcinoma/i);
    await expect(page.getByLabel('Ki-67', { exact: true })).toHaveValue('');
    await expect(group(page, 'ER (estrogen receptor)').locator('.source-note')).toContainText('Estrogen receptor (ER): Positive, 95%');
    await save(page);

    const list = await coreCall<{ items: { id: string }[] }>(app, 'opinions.list', { trash: 'exclude' });
    const saved = await coreCall<Record<string, unknown> & { diagnosis?: Record<string, unknown>; provenance?: Record<string, { documentId: string; snippet: string }>; documentIds?: string[] }>(
      app,
      'opinions.get',
      { id: list.items[0]!.id },
    );
    expect(saved.diagnosis?.er).toEqual({ status: 'positive', percent: 95, intensity: 'strong' });
    expect(saved.diagnosis?.pr).toEqual({ status: 'positive', percent: 45 });
    expect(saved.diagnosis?.ki67Percent).toBeUndefined();
    expect(saved.provenance?.['diagnosis.er']?.documentId).toBe(documentId);
    expect(saved.provenance?.['diagnosis.er']?.snippet).toContain('Estrogen receptor');
    expect(saved.provenance?.['diagnosis.histology']?.documentId).toBe(documentId);
    expect(saved.provenance?.['diagnosis.ki67Percent']).toBeUndefined();
    expect(saved.documentIds).toEqual([documentId]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(app.cspViolations).toEqual([]);
});

test('"not stated" and a stated "no" round-trip; problems show next to the fields; trash and restore', async ({ page, app }) => {
  await openWithVault(page, app);
  await openOpinions(page);
  await startOpinion(page);

  await pick(group(page, 'Lymph node result'), 'No cancer found (negative)');
  await page.getByLabel('Nodes with cancer').fill('0');
  await pick(group(page, 'Distant spread'), 'No spread found');
  await pick(group(page, 'ER result'), 'Negative');
  await page.getByLabel('Radiation: not needed').check();
  // A mistake: a positive PR result below 1%, and an unreadable number.
  await pick(group(page, 'PR result'), 'Positive');
  await page.getByLabel('PR: share of cells stained').fill('0.5');
  await page.getByLabel('Ki-67', { exact: true }).fill('about twenty');
  await page.getByRole('button', { name: 'Save opinion' }).click();
  const problems = page.getByTestId('problem-summary');
  await expect(problems).toBeVisible();
  await expect(problems).toContainText('PR: share of cells stained');
  await expect(problems).toContainText('Ki-67');
  await expect(group(page, 'PR (progesterone receptor)').locator('.field-error')).toContainText('at least 1%');
  await expect(page.getByLabel('Ki-67', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await auditScreen(page, '45-opinion-editor-problems');

  // Fix: PR back to "not stated" (clear both boxes), Ki-67 cleared.
  await pick(group(page, 'PR result'), 'Not stated');
  await page.getByLabel('PR: share of cells stained').fill('');
  await page.getByLabel('Ki-67', { exact: true }).fill('');
  await expect(page.getByText('Everything looks fine now. You can save.')).toBeVisible();
  await save(page);

  const list = await coreCall<{ items: { id: string }[] }>(app, 'opinions.list', { trash: 'exclude' });
  const id = list.items[0]!.id;
  const saved = await coreCall<{ diagnosis?: Record<string, unknown>; recommendation?: Record<string, unknown> }>(app, 'opinions.get', { id });
  expect(saved.diagnosis).toEqual({
    lymphNodes: { status: 'negative', positive: 0 },
    metastasis: { status: 'none' },
    er: { status: 'negative' },
  });
  expect(saved.recommendation).toEqual({ notRecommended: ['radiation'] });

  // Reopened, the stated "no"s and the blanks look the way they were saved.
  await page.getByRole('button', { name: /^Open/ }).click();
  await expect(group(page, 'Distant spread').getByLabel('No spread found')).toBeChecked();
  await expect(group(page, 'Lymph node result').getByLabel('No cancer found (negative)')).toBeChecked();
  await expect(page.getByLabel('Nodes with cancer')).toHaveValue('0');
  await expect(group(page, 'ER result').getByLabel('Negative', { exact: true })).toBeChecked();
  await expect(group(page, 'PR result').getByLabel('Not stated')).toBeChecked();
  await expect(group(page, 'HER2 overall').getByLabel('Not stated')).toBeChecked();
  await expect(page.getByLabel('Radiation: not needed')).toBeChecked();
  await expect(page.getByLabel('Chemotherapy: not needed')).not.toBeChecked();

  // Back to "not stated": the key goes away (it does not become a "no").
  await pick(group(page, 'Distant spread'), 'Not stated');
  await save(page);
  const changed = await coreCall<{ diagnosis?: Record<string, unknown> }>(app, 'opinions.get', { id });
  expect(changed.diagnosis).toEqual({ lymphNodes: { status: 'negative', positive: 0 }, er: { status: 'negative' } });

  // Trash, then Undo; trash again, then Restore from the trash list.
  await page.getByRole('button', { name: /^Move to trash/ }).click();
  await expect(page.getByTestId('opinion-row')).toHaveCount(0);
  await expect(page.getByTestId('opinion-trash').getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('opinion-row')).toHaveCount(1);
  await page.getByRole('button', { name: /^Move to trash/ }).click();
  await page.getByTestId('opinion-trash').getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('opinion-row')).toHaveCount(1);
  await expect(page.getByTestId('opinion-trash')).toHaveCount(0);
});


const OPINION_A = {
  kind: 'first',
  clinician: 'Dr. Ana Rivera',
  institution: 'City Cancer Center',
  date: '2025-03-04',
  diagnosis: { histology: 'IDC', clinicalTnm: { t: 'T2', n: 'N1', m: 'M0' }, er: { status: 'positive', percent: 95 } },
  recommendation: {
    steps: [
      { kind: 'chemotherapy', timing: 'neoadjuvant' },
      { kind: 'surgery', detail: 'lumpectomy', timing: null },
      { kind: 'radiation', timing: 'adjuvant' },
    ],
  },
};
const OPINION_B = {
  kind: 'second',
  clinician: 'Dr. Ben Chen',
  institution: 'University Hospital',
  date: '2025-03-20',
  diagnosis: { histology: 'invasive ductal carcinoma', clinicalTnm: { prefix: 'c', t: 'T2', n: 'N0' }, er: { status: 'positive', percent: 90 } },
  recommendation: {
    steps: [
      { kind: 'surgery', detail: 'mastectomy', timing: null },
      { kind: 'chemotherapy', timing: 'adjuvant' },
    ],
    notRecommended: ['radiation'],
  },
};

test('questions are reworded, answered, planned and dismissed; a decision is logged; all kept after a reload; PDF saved', async ({ page, app }) => {
  await openWithVault(page, app);
  const a = await coreCall<{ id: string }>(app, 'opinions.create', { opinion: OPINION_A });
  const b = await coreCall<{ id: string }>(app, 'opinions.create', { opinion: OPINION_B });
  await page.goto(`${app.bridge.url}#/opinions/compare/${a.id}+${b.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Comparing 2 opinions' })).toBeVisible();

  // Answer a question about the stage, carry it into the next appointment; it is still there after a reload.
  const stageQuestions = page.locator('[data-testid="question-group"][data-field="diagnosis.clinicalTnm.n"]');
  const question = stageQuestions.getByTestId('question').first();
  await question.getByLabel('Answer or notes').fill('The second doctor read the ultrasound as showing no node involvement.');
  await question.getByRole('button', { name: 'Save answer' }).click();
  await expect(question.getByText('Answer saved.')).toBeVisible();
  await question.getByLabel('Bring to my next appointment').check();
  await expect(question.getByText('Added to your next appointment.')).toBeVisible();
  await question.getByRole('button', { name: 'Change wording' }).click();
  await question.getByLabel('Your wording of the question').fill('Why do you read my lymph nodes differently?');
  await question.getByRole('button', { name: 'Save wording' }).click();
  await expect(question.getByTestId('question-text')).toHaveText('Why do you read my lymph nodes differently?');
  const dismissedText = await stageQuestions.getByTestId('question').nth(1).getByTestId('question-text').innerText();
  await stageQuestions.getByTestId('question').nth(1).getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText(/Dismissed questions \(1\)/)).toBeVisible();

  // A decision, in the patient's own words.
  const decisions = page.getByTestId('decisions');
  await decisions.getByLabel(/The plan of Dr\. Ben Chen/).check();
  await decisions.getByLabel('When did you decide?').fill('2025-04-02');
  await decisions.getByLabel('Why — in your own words').fill('I would rather have surgery first and avoid radiation.');
  await decisions.getByRole('button', { name: 'Write down this decision' }).click();
  await expect(decisions.getByTestId('decision')).toHaveCount(1);
  await expect(decisions.getByTestId('decision').first()).toContainText('I would rather have surgery first');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Comparing 2 opinions' })).toBeVisible();
  const again = page.locator('[data-testid="question-group"][data-field="diagnosis.clinicalTnm.n"]').getByTestId('question').first();
  await expect(again.getByTestId('question-text')).toHaveText('Why do you read my lymph nodes differently?');
  await expect(again.getByLabel('Answer or notes')).toHaveValue('The second doctor read the ultrasound as showing no node involvement.');
  await expect(again.getByLabel('Bring to my next appointment')).toBeChecked();
  await expect(page.getByText(/Dismissed questions \(1\)/)).toBeVisible();
  await expect(page.getByTestId('questions').getByText(dismissedText, { exact: true })).toBeHidden();
  await expect(page.getByTestId('decision')).toHaveCount(1);
  await expect(page.getByTestId('decision').first()).toContainText(/decided on April 2, 2025/);

  // Save as PDF into the default exports folder.
  await page.getByRole('button', { name: 'Save as PDF' }).click();
  const shownPath = (await page.getByTestId('pdf-path').innerText()).trim();
  expect(path.dirname(shownPath)).toBe(app.exportDir);
  expect(existsSync(shownPath)).toBe(true);
  expect((await readFile(shownPath)).subarray(0, 4).toString('latin1')).toBe('%PDF');

  // Kept with the records, the comparison can go into a packet for a third opinion.
  await page.getByRole('button', { name: 'Add to my records' }).click();
  await expect(page.getByTestId('kept-in-records')).toContainText('now in your records');
  await expect(page.getByTestId('kept-in-records').getByRole('link', { name: 'Open it in Records' })).toBeVisible();
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
  await auditScreen(page, '42-comparison-questions');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

type Target = { label: string };

/** Presses Tab until the focused element's accessible label or text matches. */
async function tabTo(page: Page, target: Target, limit = 250): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    const hit = await page.evaluate((t) => {
      const el = document.activeElement;
      if (!el) return false;
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim();
      return name === t.label;
    }, target);
    if (hit) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${JSON.stringify(target)}`);
}

test('treatment steps can be added, filled in, reordered and removed with the keyboard only', async ({ page, app }) => {
  await openWithVault(page, app);
  await openOpinions(page);
  await page.keyboard.press('Tab');
  await tabTo(page, { label: 'Record an opinion' }, 20);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Record an opinion' })).toBeFocused();

  const steps = page.getByTestId('step');
  const summaries = page.getByTestId('step-summary');
  const addStep = async (letter: string, expected: string, detail?: string) => {
    await tabTo(page, { label: 'Add a treatment step' });
    await page.keyboard.press('Enter');
    const kind = steps.last().getByLabel('Kind of treatment');
    await expect(kind).toBeFocused();
    await page.keyboard.type(letter);
    await expect(kind).toHaveValue(expected);
    if (detail) {
      await page.keyboard.press('Tab');
      await expect(steps.last().getByLabel('What exactly')).toBeFocused();
      await page.keyboard.type(detail);
    }
  };
  await addStep('c', 'chemotherapy', 'AC-T');
  await addStep('s', 'surgery', 'lumpectomy');
  await addStep('r', 'radiation');
  await expect(summaries).toHaveText(['Chemotherapy (AC-T)', 'Surgery (lumpectomy)', 'Radiation']);

  // Move radiation up twice: focus stays with the step that moved.
  await tabTo(page, { label: 'Move up, step 3' });
  await page.keyboard.press('Enter');
  await expect(summaries).toHaveText(['Chemotherapy (AC-T)', 'Radiation', 'Surgery (lumpectomy)']);
  await expect(page.getByRole('button', { name: 'Move up, step 2' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(summaries).toHaveText(['Radiation', 'Chemotherapy (AC-T)', 'Surgery (lumpectomy)']);
  // At the top "Move up" is off, so focus moves to "Move down" on the same step; Space presses it.
  await expect(page.getByRole('button', { name: 'Move down, step 1' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(summaries).toHaveText(['Chemotherapy (AC-T)', 'Radiation', 'Surgery (lumpectomy)']);
  await expect(page.getByText('Radiation is now step 2 of 3.')).toBeAttached();

  // Remove the middle step.
  await tabTo(page, { label: 'Remove step 2' }, 20);
  await page.keyboard.press('Enter');
  await expect(summaries).toHaveText(['Chemotherapy (AC-T)', 'Surgery (lumpectomy)']);
  await snap(page, '46-opinion-steps', page.getByRole('group', { name: 'Treatment steps, in order' }));

  await tabTo(page, { label: 'Save opinion' });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Opinions' })).toBeVisible();
  const list = await coreCall<{ items: { recommendation?: { steps?: unknown[] } }[] }>(app, 'opinions.list', { trash: 'exclude' });
  expect(list.items[0]!.recommendation?.steps).toEqual([
    { kind: 'chemotherapy', detail: 'AC-T' },
    { kind: 'surgery', detail: 'lumpectomy' },
  ]);
});
