import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { expect, screenshotDir, test, type Page } from './fixtures';
import { auditScreen } from './flows';
import { expectThumbnailsDrawn, makeImagingDisc, openImaging, STEP_PICTURES, STEP_SERIES, type ImagingDisc } from './imaging-data';

let media: ImagingDisc;
test.beforeAll(async () => {
  media = await makeImagingDisc();
});
test.afterAll(async () => {
  await media.cleanup();
});

const imageSrc = (page: Page) => page.getByTestId('frame-image').getAttribute('src');

async function openStepSeries(page: Page): Promise<void> {
  await page.getByRole('link', { name: new RegExp(STEP_SERIES) }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(STEP_SERIES) })).toBeVisible();
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '1');
  await expect(page.getByTestId('frame-loading')).toHaveCount(0);
}

test('imports a disc image through the page: held back, confirmed, summarised, shown as studies and in the viewer', async ({ page, app }) => {
  await openImaging(page, app);
  await expect(page.getByTestId('imaging-empty')).toBeVisible();
  await auditScreen(page, '60-imaging-empty');

  // The .iso goes in through the file input, like a person choosing it.
  await page.locator('input[type=file][accept*=".iso"]').setInputFiles(media.iso);
  const dialog = page.getByRole('alertdialog', { name: 'Is this disc yours?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Jane Doe');
  await expect(dialog).toContainText('Richard Roe');
  await expect(dialog).toContainText('John Doe');
  await expect(dialog.getByRole('button', { name: 'Don’t import' })).toBeFocused();
  // Nothing is stored until the person says so.
  const before = await app.core.call('imaging.studies', {});
  expect(before.ok && (before.value as { patients: unknown[] }).patients).toEqual([]);
  await auditScreen(page, '61-imaging-held-back');

  await dialog.getByRole('button', { name: 'These are mine / someone I care for — import' }).click();
  const summary = page.getByTestId('disc-summary');
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('heading', { name: 'Import finished' })).toBeFocused();
  await expect(page.getByTestId('summary-images-added')).toContainText(`${media.disc.expected.instances + 5} imaging files added`);
  await expect(page.getByTestId('summary-reports')).toContainText(/[3-9] reports added/);
  await expect(page.getByTestId('summary-software')).toContainText('never started');
  await auditScreen(page, '62-imaging-summary');

  // Studies as a timeline, every series with a picture.
  await page.getByRole('button', { name: 'Close this summary' }).click();
  await expect(page.getByTestId('imaging-patient')).toHaveCount(3);
  await expect(page.getByTestId('imaging-study')).toHaveCount(4);
  const ctChest = page.getByTestId('imaging-study').filter({ hasText: 'CT CHEST' });
  await expect(ctChest).toContainText('CT scan');
  await expect(ctChest).toContainText('computed tomography');
  await expect(ctChest).toContainText('General Hospital');
  await expect(ctChest).toContainText('ACC1');
  await expect(ctChest).toContainText('Anna Smith');
  await expect(ctChest.getByRole('heading', { name: 'Reports with this study' })).toBeVisible();
  await expect(ctChest.locator('.imaging-reports a').first()).toHaveAttribute('href', /^#\/records\//);
  await expectThumbnailsDrawn(page, 6);
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, 0));
  await auditScreen(page, '63-imaging-studies');

  // The viewer: stepping changes the picture, the window changes the pixels, zoom scales the picture.
  await openStepSeries(page);
  await expect(page.getByTestId('picture-position')).toHaveText(`1 of ${STEP_PICTURES}`);
  await expect(page.getByTestId('fact-window')).toHaveText('Level 0, width 1200');
  const first = await imageSrc(page);
  expect(first).toMatch(/^data:image\/png;base64,/);
  expect(await page.getByTestId('frame-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(128);

  await page.getByTestId('viewport').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '2');
  await expect(page.getByTestId('fact-picture')).toContainText('image number 2');
  const second = await imageSrc(page);
  expect(second).not.toBe(first);

  await page.getByTestId('viewport').hover();
  await page.mouse.wheel(0, 120);
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '3');
  await page.keyboard.press('End');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', String(STEP_PICTURES));
  await expect(page.getByTestId('fact-picture')).toContainText('frame 3 of 3');

  const beforeWindow = await imageSrc(page);
  await page.getByRole('radio', { name: 'Everything' }).click();
  await expect(page.getByTestId('fact-window')).not.toHaveText('Level 0, width 1200');
  await expect.poll(() => imageSrc(page)).not.toBe(beforeWindow);
  const levelSlider = page.getByRole('slider', { name: 'Level' });
  await levelSlider.focus();
  const beforeLevel = await imageSrc(page);
  await page.keyboard.press('PageUp');
  await expect.poll(() => imageSrc(page)).not.toBe(beforeLevel);

  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.getByTestId('zoom-level')).toHaveText('125%');
  await expect(page.getByTestId('frame-image')).toHaveCSS('transform', /matrix\(1\.25, 0, 0, 1\.25/);
  await auditScreen(page, '64-imaging-viewer');
  // Same page scrolled (axe already checked all of it): a picture of the controls for people reviewing the look.
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
  await page.screenshot({ path: path.join(screenshotDir, '65-imaging-viewer-controls.png') });

  await page.getByRole('button', { name: '← Back to all scans' }).click();
  await expect(page.getByRole('link', { name: new RegExp(STEP_SERIES) })).toBeFocused();
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('keyboard only: reach a series, step through it, zoom and move, and come back', async ({ page, app }) => {
  await openImaging(page, app);
  const imported = await app.core.call('imaging.import', { path: media.disc.root, acceptOtherPatient: true });
  expect(imported.ok, JSON.stringify(imported)).toBe(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Scans and images' })).toBeVisible();

  // Tab from the top until the series link has focus, then open it with Enter.
  const target = page.getByRole('link', { name: new RegExp(STEP_SERIES) });
  await expect(target).toBeVisible();
  for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(STEP_SERIES) })).toBeFocused();
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '1');

  // Tab to the picture, then keys only.
  const viewport = page.getByTestId('viewport');
  for (let i = 0; i < 20 && !(await viewport.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(viewport).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '2');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', String(STEP_PICTURES));
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', String(STEP_PICTURES - 1));
  await page.keyboard.press('Home');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '1');
  await expect(viewport).toHaveAttribute('aria-label', new RegExp(`Picture 1 of ${STEP_PICTURES}`));

  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(page.getByTestId('zoom-level')).toHaveText('150%');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('frame-image')).toHaveCSS('transform', /matrix\(1\.5, 0, 0, 1\.5, -40, 0\)/);
  await page.keyboard.press('0');
  await expect(page.getByTestId('zoom-level')).toHaveText('100%');

  // The picture slider works with keys too.
  const slider = page.getByRole('slider', { name: 'Picture number' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-image')).toHaveAttribute('data-picture', '2');

  // Back, with the keyboard: Shift+Tab to the back button from the heading.
  await page.getByRole('heading', { level: 1 }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: '← Back to all scans' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(target).toBeFocused();
  expect(app.pageErrors).toEqual([]);
});

test('“Don’t import” stores nothing; a picked folder that cannot be opened here says what to do instead', async ({ page, app }) => {
  await openImaging(page, app);
  await page.locator('input[type=file][accept*=".zip"]').setInputFiles(media.zip);
  const dialog = page.getByRole('alertdialog', { name: 'Is this disc yours?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Don’t import' }).click();
  await expect(page.getByTestId('disc-nothing')).toContainText('You chose not to import this disc');
  const studies = await app.core.call('imaging.studies', {});
  expect(studies.ok && (studies.value as { patients: unknown[] }).patients).toEqual([]);
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // The folder picker: in the test bridge a picked file is a staged copy, so the folder cannot be found from it.
  await page.locator('input[type=file][webkitdirectory]').setInputFiles(path.join(media.disc.root, 'DICOM', 'P3'));
  await expect(page.getByTestId('disc-failed')).toContainText(/cannot be opened from this window|could not be opened/);
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, '66-imaging-folder-message.png') });
  expect(app.cspViolations).toEqual([]);
});
