import { expect, test } from './fixtures';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { textPdf } from '../helpers/pdf';
import { inkedPixels, libraryWith, writeSamples, type SampleFiles } from './library-data';

let samples: SampleFiles;
test.beforeAll(async () => {
  samples = await writeSamples();
});
test.afterAll(async () => {
  await samples.cleanup();
});

test('adding files through the button: progress, then a summary of added, duplicate, skipped and unreadable files', async ({ page, app }) => {
  test.slow();
  await libraryWith(page, app, []);
  await expect(page.getByText('No documents yet.')).toBeVisible();

  const input = page.locator('input[type=file]');
  await expect(input).toHaveAttribute('accept', '.pdf,.jpg,.jpeg,.png,.tif,.tiff');
  await expect(input).toHaveAttribute('multiple', '');
  await input.setInputFiles([samples.pathology, samples.radiology, samples.otherPatient, samples.medicationList]);
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary.getByRole('heading', { name: 'Adding finished' })).toBeFocused();
  await expect(page.getByTestId('summary-imported')).toContainText('Added to your records: 4');
  await expect(page.getByTestId('summary-imported')).toContainText('from pathology report.pdf');

  // Listed newest first under month headings, with type, date, place, pages and the patient check badge.
  const list = page.getByTestId('document-list');
  await expect(page.getByTestId('list-count')).toHaveText('4 documents.');
  await expect(list.getByRole('heading', { name: /March 2025/ })).toBeVisible();
  await expect(list.getByRole('heading', { name: /February 2025/ })).toBeVisible();
  const pathology = list.getByRole('listitem').filter({ hasText: 'Pathology report' });
  await expect(pathology).toContainText('March 14, 2025');
  await expect(pathology).toContainText('Riverside Cancer Center');
  await expect(pathology).toContainText('2 pages');
  await expect(list.getByRole('listitem').filter({ hasText: 'Imaging report' })).toContainText('February 20, 2025');
  await expect(list.getByRole('listitem').filter({ hasText: 'Medication list' })).toBeVisible();
  const other = list.getByRole('listitem').filter({ hasText: 'Lab results' });
  await expect(other.getByText('Check whose record this is')).toBeVisible();
  await expect(pathology.locator('img.doc-thumb')).toHaveJSProperty('complete', true);
  expect(await pathology.locator('img.doc-thumb').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(10);

  // Again, with a duplicate, a file of another kind and a damaged PDF.
  await page.getByRole('button', { name: 'Close this summary' }).click();
  await input.setInputFiles([samples.pathology, samples.notes, samples.broken]);
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('summary-imported')).toHaveCount(0);
  await expect(page.getByTestId('summary-duplicates')).toContainText('Already in your records: 1');
  await expect(page.getByTestId('summary-duplicates')).toContainText('pathology report.pdf');
  await expect(page.getByTestId('summary-skipped')).toContainText('notes.txt');
  await expect(page.getByTestId('summary-failed')).toContainText('Could not be read: 1');
  await expect(page.getByTestId('summary-failed')).toContainText('broken.pdf');
  expect((await page.getByTestId('summary-failed').locator('.summary-reason').innerText()).length).toBeGreaterThan(15);
  await expect(page.getByTestId('list-count')).toHaveText('4 documents.');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('filter by type and dates, and search as you type with highlighted snippets', async ({ page, app }) => {
  await libraryWith(page, app, [samples.pathology, samples.radiology, samples.otherPatient]);
  const count = page.getByTestId('list-count');
  await expect(count).toHaveText('3 documents.');

  await page.getByRole('button', { name: /^All types/ }).click();
  await page.getByRole('option', { name: /Imaging report/ }).click();
  await expect(count).toHaveText('Showing 1 of 3 documents.');
  await expect(page.getByTestId('document-list').getByRole('link')).toHaveText(['Diagnostic mammogram and ultrasound report'].map((title) => new RegExp(title, 'i')));
  await page.getByRole('button', { name: 'Show all documents' }).click();
  await expect(count).toHaveText('3 documents.');

  await page.getByLabel('From').fill('2025-03-01');
  await expect(count).toHaveText('Showing 1 of 3 documents.');
  await expect(page.getByTestId('document-list')).toContainText('Pathology report');
  await page.getByLabel('From').fill('');
  await expect(count).toHaveText('3 documents.');

  const search = page.getByRole('searchbox', { name: 'Search your records' });
  await search.pressSequentially('ductal carc', { delay: 20 });
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('mark')).toContainText(['ductal', 'carcinoma']);
  await expect(results).toContainText('Pathology report');
  // The snippet is text: no markup from the document becomes HTML.
  expect(await results.locator('.snippet').evaluate((element) => element.querySelectorAll('*:not(mark)').length)).toBe(0);

  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(count).toHaveText('3 documents.');
  await search.fill('xylophone');
  await expect(page.getByText('Nothing in your records matches “xylophone”.')).toBeVisible();
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('the viewer draws the PDF pages, turns pages, shows the text with search hits, and keeps a corrected type', async ({ page, app }) => {
  await libraryWith(page, app, [samples.pathology, samples.radiology]);
  await page.getByRole('searchbox', { name: 'Search your records' }).fill('HER2');
  await page.getByTestId('search-results').getByRole('link').first().click();

  const viewer = page.getByTestId('document-viewer');
  await expect(viewer.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByTestId('page-status')).toHaveText('Page 1 of 2');
  await expect(page.locator('.page-frame[data-rendered-page="1"] canvas')).toBeVisible();
  expect(await inkedPixels(page, 'canvas.page-canvas')).toBeGreaterThan(500);
  await expect(page.getByTestId('page-text')).toContainText('Invasive ductal carcinoma');
  await expect(page.getByTestId('hit-summary')).toContainText('No matches for “HER2” on this page. Also on page 2.');

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByTestId('page-status')).toHaveText('Page 2 of 2');
  await expect(page.locator('.page-frame[data-rendered-page="2"] canvas')).toBeVisible();
  await expect(page.getByTestId('page-text')).toContainText('Ki-67: 15%');
  await expect(page.getByTestId('page-text').locator('mark')).toHaveText(['HER2']);

  // Zoom makes the page wider.
  const before = await page.locator('canvas.page-canvas').evaluate((canvas) => canvas.getBoundingClientRect().width);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => page.locator('canvas.page-canvas').evaluate((canvas) => canvas.getBoundingClientRect().width)).toBeGreaterThan(before * 1.2);

  // "Why this type?" shows the reason; correct the type, and it survives a reload.
  await page.getByRole('button', { name: 'Why this type?' }).click();
  await expect(page.getByTestId('guess-type')).toContainText('Mentions');
  await page.getByRole('button', { name: /^Pathology report/ }).click();
  await page.getByRole('option', { name: 'Consultation or clinic note' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved. Your changes are kept')).toBeVisible();
  await expect(viewer.locator('.viewer-head .doc-type')).toHaveText('Consultation or clinic note');
  await page.reload();
  await expect(viewer.locator('.viewer-head .doc-type')).toHaveText('Consultation or clinic note');
  await expect(page.getByTestId('guess-type')).toContainText('The app’s guess was: Pathology report');
  await page.getByRole('button', { name: 'Use the app’s guess again' }).click();
  await expect(viewer.locator('.viewer-head .doc-type')).toHaveText('Pathology report');

  // Notes and tags are saved and the tag becomes a filter.
  await page.getByLabel('Notes', { exact: true }).fill('Ask about the Ki-67 value');
  await page.getByRole('button', { name: 'Save notes' }).click();
  await expect(page.getByText('Notes saved.')).toBeVisible();
  await page.getByLabel('Add a tag').fill('surgery');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByTestId('tag-list')).toContainText('surgery');

  await page.getByRole('button', { name: 'Back to all records' }).click();
  await page.getByRole('button', { name: /^All tags/ }).click();
  await page.getByRole('option', { name: 'surgery' }).click();
  await expect(page.getByTestId('list-count')).toHaveText('Showing 1 of 2 documents.');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('move to trash with undo, and restore from the trash', async ({ page, app }) => {
  await libraryWith(page, app, [samples.pathology, samples.radiology, samples.otherPatient]);
  await page.getByRole('link', { name: /Laboratory results/i }).click();
  await expect(page.getByTestId('patient-check')).toContainText('Someone Else');

  await page.getByRole('button', { name: 'Move to trash', exact: true }).click();
  await expect(page.getByTestId('library-notice')).toContainText('was moved to the trash');
  await expect(page.getByTestId('list-count')).toHaveText('2 documents.');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('library-notice')).toContainText('is back in your records');
  await expect(page.getByTestId('list-count')).toHaveText('3 documents.');

  await page.getByRole('link', { name: /mammogram/i }).click();
  await page.getByRole('button', { name: 'Move to trash', exact: true }).click();
  await expect(page.getByTestId('list-count')).toHaveText('2 documents.');
  await page.getByRole('radio', { name: /Trash/ }).click();
  await expect(page.getByTestId('list-count')).toHaveText('1 document in the trash.');
  await page.getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('list-count')).toHaveText('The trash is empty.');
  await page.getByRole('radio', { name: /Your documents/ }).click();
  await expect(page.getByTestId('list-count')).toHaveText('3 documents.');

  // Confirming a flagged document removes the badge.
  await page.getByRole('link', { name: /Laboratory results/i }).click();
  await page.getByRole('button', { name: 'Yes, this is my record' }).click();
  await expect(page.getByTestId('patient-check')).toHaveCount(0);
  await page.getByRole('button', { name: 'Back to all records' }).click();
  await expect(page.getByText('Check whose record this is')).toHaveCount(0);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('Stop ends an import early and says what was kept', async ({ page, app }) => {
  const files: string[] = [];
  for (let index = 1; index <= 40; index += 1) {
    const file = path.join(samples.dir, `visit note ${index}.pdf`);
    await writeFile(file, await textPdf([`CLINIC VISIT NOTE\nVisit number ${index}\nDate of visit: 01/${String((index % 28) + 1).padStart(2, '0')}/2024`]));
    files.push(file);
  }
  await libraryWith(page, app, []);
  await page.locator('input[type=file]').setInputFiles(files);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Stop' }).click();
  const summary = page.getByTestId('import-summary');
  await expect(summary.getByRole('heading', { name: 'Adding stopped' })).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText('Documents added before you stopped are kept.');
  const count = await page.getByTestId('list-count').innerText();
  const kept = count.startsWith('No') ? 0 : Number.parseInt(count, 10) || 0;
  expect(kept).toBeLessThan(40);
  expect(app.pageErrors).toEqual([]);
});
