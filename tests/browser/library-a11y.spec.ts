import path from 'node:path';
import { expect, screenshotDir, test } from './fixtures';
import { auditScreen } from './flows';
import { libraryWith, writeSamples, type SampleFiles } from './library-data';

let samples: SampleFiles;
test.beforeAll(async () => {
  samples = await writeSamples();
});
test.afterAll(async () => {
  await samples.cleanup();
});

test('the library, an import summary and search results are accessible in light and dark', async ({ page, app }) => {
  test.slow();
  await libraryWith(page, app, [samples.pathology, samples.radiology]);
  await page.locator('input[type=file]').setInputFiles([samples.otherPatient, samples.pathology, samples.notes, samples.broken]);
  await expect(page.getByTestId('summary-failed')).toBeVisible();
  await expect(page.getByTestId('summary-duplicates')).toBeVisible();
  await auditScreen(page, '30-library-import-summary');
  await page.getByRole('button', { name: 'Close this summary' }).click();
  await expect(page.locator('img.doc-thumb').first()).toHaveJSProperty('complete', true);
  await expect(page.getByText('Check whose record this is')).toBeVisible();
  await auditScreen(page, '31-library-list');

  await page.getByRole('searchbox', { name: 'Search your records' }).fill('hemoglobin');
  await expect(page.getByTestId('search-results').locator('mark').first()).toBeVisible();
  await auditScreen(page, '32-library-search');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('the viewer (with a patient check) and the trash are accessible in light and dark', async ({ page, app }) => {
  test.slow();
  await libraryWith(page, app, [samples.pathology, samples.otherPatient]);
  await page.getByRole('searchbox', { name: 'Search your records' }).fill('hemoglobin');
  await page.getByTestId('search-results').getByRole('link').first().click();
  await expect(page.getByTestId('patient-check')).toBeVisible();
  await expect(page.locator('.page-frame[data-rendered-page="1"] canvas')).toBeVisible();
  await expect(page.getByTestId('page-text').locator('mark')).toHaveText(['Hemoglobin']);
  await page.getByRole('button', { name: 'Why this type?' }).click();
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, 0));
  // axe looks at the whole page, details below the fold included; the second picture shows them.
  await auditScreen(page, '33-library-viewer');
  await page.getByRole('button', { name: 'Why this date?' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, '34-library-viewer-details.png') });

  await page.getByRole('button', { name: 'Not mine: move to trash' }).click();
  await expect(page.getByTestId('library-notice')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search your records' }).press('Escape');
  await page.getByRole('radio', { name: /Trash/ }).click();
  await expect(page.getByTestId('list-count')).toHaveText('1 document in the trash.');
  await auditScreen(page, '35-library-trash');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('keyboard only: reach a document, open it, turn its pages, zoom, and come back to the same row', async ({ page, app }) => {
  await libraryWith(page, app, [samples.pathology, samples.radiology]);

  // Tab from the top of the page until a document in the list has focus.
  const focusedIsDocument = () => page.evaluate(() => document.activeElement?.matches('[data-row-focus]') ?? false);
  for (let presses = 0; presses < 40 && !(await focusedIsDocument()); presses += 1) await page.keyboard.press('Tab');
  expect(await focusedIsDocument()).toBe(true);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  const title = await page.evaluate(() => document.activeElement?.textContent ?? '');
  expect(title).toMatch(/pathology/i);
  await page.keyboard.press('Enter');

  const viewer = page.getByTestId('document-viewer');
  await expect(viewer.getByRole('heading', { level: 1 })).toBeFocused();
  const pageView = page.getByTestId('page-view');
  for (let presses = 0; presses < 15 && !(await pageView.evaluate((element) => element === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(pageView).toBeFocused();
  await expect(page.locator('.page-frame[data-rendered-page="1"]')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('page-status')).toHaveText('Page 2 of 2');
  await expect(page.locator('.page-frame[data-rendered-page="2"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Text on page 2' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('page-status')).toHaveText('Page 1 of 2');
  await page.keyboard.press('+');
  await expect(page.locator('.zoom-status')).toHaveText('Zoom 125%');
  await page.keyboard.press('End');
  await expect(page.getByTestId('page-status')).toHaveText('Page 2 of 2');

  // Back (Shift+Tab to the link at the top), and focus returns to the row that was opened.
  await viewer.getByRole('heading', { level: 1 }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Back to all records' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('document-list').getByRole('link', { name: title })).toBeFocused();
  expect(app.pageErrors).toEqual([]);
});
