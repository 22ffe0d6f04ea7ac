import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './fixtures';
import { auditScreen } from './flows';
import {
  DISC_REPORT,
  exportEntries,
  must,
  nextStep,
  openPackets,
  packetVault,
  startWizard,
  tool,
  treeOf,
  zipEntries,
  zipPdfText,
  zipText,
  type Manifest,
} from './packets-data';

/**
 * "Send records": the packet builder wizard and the log of packets sent, in Chromium against the real core. Every
 * packet is checked on disk (zip listing, manifest, FHIR bundle, cover letter text, ISO volume) with independent tools.
 */

test.describe.configure({ timeout: 90_000 });

const GENERATED = ['COVER.PDF', 'DICOMDIR', 'FHIR.JSN', 'INDEX.HTM', 'MANIFEST.JSN', 'README.TXT', 'RECORDS.PDF', 'SHA256.TXT'];

/** "about 118 KB" → bytes (roughly, as shown), to compare two estimates. */
function shownBytes(text: string | null): number {
  const match = /about ([\d.,]+) (bytes|KB|MB|GB)/.exec(text ?? '');
  if (!match) throw new Error(`no size in "${text}"`);
  const unit = { bytes: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[match[2] as 'bytes' | 'KB' | 'MB' | 'GB'];
  return Number(match[1]!.replace(/,/g, '')) * unit;
}

/** Presses Tab until `target` has focus (fails after `limit` presses): how a keyboard user gets there. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('focus never reached the target');
}

async function reportPath(page: Page): Promise<string> {
  const report = page.getByTestId('packet-report');
  await expect(report.getByRole('heading', { level: 3, name: 'Your packet is ready' })).toBeFocused({ timeout: 30_000 });
  const shown = (await report.getByTestId('report-path').textContent()) ?? '';
  expect(fs.existsSync(shown), `${shown} exists`).toBe(true);
  return shown;
}

test('a whole packet: recipient, one record left out, medicines, care team and a question, saved as a .zip with the images', async ({ page, app }) => {
  const vault = await packetVault(page, app);
  await openPackets(page);
  await expect(page.getByTestId('packets-none')).toBeVisible();
  await startWizard(page);

  // 1. Who it is for.
  await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 5: Who the packet is for' })).toBeVisible();
  await page.getByLabel('Hospital or cancer center').fill('Memorial Cancer Institute');
  await page.getByLabel('Doctor', { exact: true }).fill('Dr. Ada Lovelace');
  await page.getByLabel('Phone, fax or email of the office').fill('secondopinion@example.org');
  await page.getByLabel('Date of the appointment').fill('2025-04-02');
  await page.getByLabel('Why you are asking for a second opinion').fill('Another view of the stage before surgery.');
  await nextStep(page, /^Step 2 of 5: What to send$/);

  // 2. The suggestion: what offices ask for (not the insurance letter; the disc's own report is an imaging report).
  // Leaving the blood counts out shrinks it.
  const line = page.getByTestId('preview-line');
  await expect(line).toHaveText(/^5 documents · 2 scans · about /);
  await expect(page.getByRole('checkbox', { name: DISC_REPORT })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Explanation of benefits' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Blood counts' })).toBeChecked();
  await expect(page.getByTestId('group-studies')).toContainText('CT CHEST');
  await expect(page.getByTestId('group-studies')).toContainText('Fits on: CD, DVD, USB stick.');
  const before = shownBytes(await line.textContent());
  await page.getByText('Blood counts', { exact: true }).click();
  await expect(page.getByRole('checkbox', { name: 'Blood counts' })).not.toBeChecked();
  await expect(line).toHaveText(/^4 documents · 2 scans · about /);
  await expect(page.getByTestId('packet-summary')).toHaveText(/^In the packet: 4 documents · 2 scans/);
  expect(shownBytes(await line.textContent())).toBeLessThan(before);
  await expect(page.getByTestId('group-lab')).toContainText('(0 of 1 chosen)');
  await nextStep(page, /^Step 3 of 5: Medicines, care team and questions$/);

  // 3. Medicines: add two, change one, move, remove.
  const meds = page.getByTestId('medications');
  await meds.getByRole('button', { name: 'Add a medicine' }).click();
  let form = page.getByRole('form', { name: 'New medicine' });
  await expect(form.getByLabel('Name of the medicine')).toBeFocused();
  await form.getByRole('button', { name: 'Add this medicine' }).click();
  await expect(form.getByText('Write the name of the medicine.')).toBeVisible();
  await form.getByLabel('Name of the medicine').fill('Letrozole');
  await form.getByLabel('Dose').fill('2 mg');
  await form.getByLabel('How often').fill('once a day');
  await form.getByRole('button', { name: 'Add this medicine' }).click();
  await expect(meds.getByRole('button', { name: 'Change medicine 1: Letrozole' })).toBeFocused();
  await meds.getByRole('button', { name: 'Change medicine 1: Letrozole' }).click();
  form = page.getByRole('form', { name: 'Change Letrozole' });
  await form.getByLabel('Dose').fill('2.5 mg');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(meds.getByTestId('medications-row')).toHaveText([/Letrozole\s+2\.5 mg · once a day/]);
  await meds.getByRole('button', { name: 'Add a medicine' }).click();
  await page.getByRole('form', { name: 'New medicine' }).getByLabel('Name of the medicine').fill('Ibuprofen');
  await page.getByRole('form', { name: 'New medicine' }).getByRole('button', { name: 'Add this medicine' }).click();
  await expect(meds.getByRole('button', { name: 'Change medicine 2: Ibuprofen' })).toBeFocused();
  await meds.getByRole('button', { name: 'Move up medicine 2: Ibuprofen' }).click();
  await expect(meds.getByTestId('medications-row')).toHaveText([/^Ibuprofen/, /^Letrozole/]);
  await expect(meds.getByRole('button', { name: 'Move down medicine 1: Ibuprofen' })).toBeFocused();
  // Stopped: the app lists it after the medicines still taken, and leaves it out of the packet.
  await meds.getByRole('button', { name: 'Change medicine 1: Ibuprofen' }).click();
  await page.getByRole('form', { name: 'Change Ibuprofen' }).getByText('I still take it').click();
  await page.getByRole('form', { name: 'Change Ibuprofen' }).getByRole('button', { name: 'Save changes' }).click();
  await expect(meds.getByTestId('medications-row')).toHaveText([/^Letrozole/, /^Ibuprofen.*Stopped: not sent/]);
  await expect(meds.getByRole('button', { name: 'Change medicine 2: Ibuprofen' })).toBeFocused();
  await expect(meds.getByRole('button', { name: 'Move up medicine 2: Ibuprofen' })).toBeDisabled();
  expect((await must(app.core, 'medications.list', {})).items.map((m) => [m.name, m.current])).toEqual([
    ['Letrozole', true],
    ['Ibuprofen', false],
  ]);
  await meds.getByRole('button', { name: 'Remove medicine 2: Ibuprofen' }).click();
  await expect(meds.getByTestId('medications-row')).toHaveCount(1);
  await expect(meds.getByRole('button', { name: 'Remove medicine 1: Letrozole' })).toBeFocused();

  // The care team: both name and role are needed.
  const team = page.getByTestId('care-team');
  await team.getByRole('button', { name: 'Add someone' }).click();
  form = page.getByRole('form', { name: 'New member of your care team' });
  await form.getByLabel('Name').fill('Dr. Maria Gonzalez');
  await form.getByRole('button', { name: 'Add this person' }).click();
  await expect(form.getByText('Write what they do for you.')).toBeVisible();
  await form.getByLabel('Role').fill('medical oncologist');
  await form.getByLabel('Hospital or practice').fill('Riverside Cancer Center');
  await form.getByLabel('Phone').fill('555-0100');
  await form.getByRole('button', { name: 'Add this person' }).click();
  await expect(team.getByTestId('care-team-row')).toHaveText([/Dr\. Maria Gonzalez\s+medical oncologist · Riverside Cancer Center · 555-0100/]);

  // A question for this packet.
  await page.getByRole('button', { name: 'Add a question' }).click();
  await page.getByRole('form', { name: 'New question' }).getByLabel('Question').fill('Do you agree with the stage?');
  await page.getByRole('button', { name: 'Add this question' }).click();
  await expect(page.getByTestId('questions-row')).toHaveText([/^Do you agree with the stage\?/]);
  await nextStep(page, /^Step 4 of 5: How to save it$/);

  // 4. A .zip; the uncompressed images fit a CD, which the app chose.
  await page.getByText('One .zip file', { exact: true }).click();
  await expect(page.getByRole('radio', { name: /One \.zip file/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /^CD/ })).toBeChecked();
  await nextStep(page, /^Step 5 of 5: Make the packet$/);

  // 5. One look at everything, then the packet.
  const review = page.getByTestId('packet-review');
  await expect(review).toContainText('Dr. Ada Lovelace, Memorial Cancer Institute');
  await expect(review).toContainText('4 documents · 2 scans');
  await expect(review).toContainText('1 medicine, 1 care team member, 1 question');
  await expect(review).toContainText('One .zip file, images for a CD');
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const zip = await reportPath(page);
  expect(path.dirname(zip)).toBe(app.exportDir);
  expect(zip).toMatch(/\.zip$/);
  const report = page.getByTestId('packet-report');
  await expect(report.getByTestId('report-check')).toHaveText(/^Passed: the app read every file back/);

  // The zip holds the records (without the blood counts), the images, and every file in the manifest.
  const entries = zipEntries(zip);
  expect(entries).toEqual(expect.arrayContaining(GENERATED));
  expect(entries.filter((entry) => entry.startsWith('ORIGINAL/'))).toHaveLength(4);
  expect(entries.filter((entry) => entry.startsWith('DICOM/'))).toHaveLength(6);
  await expect(report.getByTestId('report-size')).toHaveText(new RegExp(`^${entries.length} files, `));
  const manifestText = zipText(zip, 'MANIFEST.JSN');
  await expect(report.getByTestId('report-fingerprint')).toHaveText(createHash('sha256').update(manifestText, 'utf8').digest('hex'));
  const manifest = JSON.parse(manifestText) as Manifest;
  const { pathology, radiology, consultation, discReport } = vault.documents;
  expect(manifest.documents.map((d) => d.id).sort()).toEqual([pathology, radiology, consultation, discReport].sort());
  expect(manifest.files.map((f) => f.path).sort()).toEqual(entries.filter((entry) => entry !== 'MANIFEST.JSN' && entry !== 'SHA256.TXT').sort());
  expect(manifest.recipient).toMatchObject({ organization: 'Memorial Cancer Institute', doctor: 'Dr. Ada Lovelace', appointmentDate: '2025-04-02' });
  expect(zipText(zip, 'SHA256.TXT')).toContain('MANIFEST.JSN');

  // The medicine (only the current one) and the care team reach the FHIR bundle and the cover letter.
  const fhir = JSON.parse(zipText(zip, 'FHIR.JSN')) as { entry: { resource: { resourceType: string } }[] };
  const resources = (type: string) => fhir.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
  expect(JSON.stringify(resources('MedicationStatement'))).toContain('Letrozole');
  expect(JSON.stringify(fhir)).not.toContain('Ibuprofen');
  expect(JSON.stringify(resources('CareTeam'))).toContain('Dr. Maria Gonzalez');
  const cover = await zipPdfText(zip, 'COVER.PDF');
  for (const text of ['Memorial Cancer Institute', 'Letrozole', 'Dr. Maria Gonzalez', 'Do you agree with the stage?']) expect(cover).toContain(text);

  const logged = await must(app.core, 'packets.list', {});
  expect(logged.items).toHaveLength(1);
  expect(logged.items[0]).toMatchObject({ format: 'zip', path: zip, recipient: { doctor: 'Dr. Ada Lovelace' } });
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('the packet goes where the person chooses (a USB stick, say), the Exports folder is one press away, and nothing is overwritten', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology'], ownerDisc: false });
  await openPackets(page);
  await startWizard(page);
  await page.getByRole('button', { name: 'Format', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 4 of 5: How to save it' })).toBeFocused();
  const where = page.getByRole('group', { name: 'Where to save it' });
  const place = where.getByTestId('save-location-place');
  await expect(place).toHaveText(/^In the app’s Exports folder: /);
  await expect(where.getByRole('button', { name: 'Use the Exports folder instead' })).toHaveCount(0);

  // A .zip, then a place: the bridge answers like a person picking its own folder in the Save dialog.
  await page.getByText('One .zip file', { exact: true }).click();
  await where.getByRole('button', { name: 'Choose a place…' }).click();
  const chosenDir = app.bridge.chosenDir;
  await expect(place).toHaveText(/^In the place you chose: a new file named “Second opinion packet \d{4}-\d{2}-\d{2}\.zip” in the folder /);
  await expect(place.locator('.path')).toHaveText(chosenDir);
  // The same button, now "Choose another place…", keeps focus.
  await expect(where.getByRole('button', { name: 'Choose another place…' })).toBeFocused();
  await auditScreen(page, 'packets-4-format-chosen-place');

  // Back to the default in one press; focus moves to the button that is still there.
  await where.getByRole('button', { name: 'Use the Exports folder instead' }).click();
  await expect(place).toHaveText(/^In the app’s Exports folder: /);
  await expect(where.getByRole('button', { name: 'Choose a place…' })).toBeFocused();
  await expect(where.getByRole('button', { name: 'Use the Exports folder instead' })).toHaveCount(0);

  // A place chosen for a folder does not fit a .zip: changing the format sets it aside and says why.
  await page.getByText('A folder', { exact: true }).click();
  await where.getByRole('button', { name: 'Choose a place…' }).click();
  await expect(place).toContainText(/a new folder named “Second opinion packet \d{4}-\d{2}-\d{2}” in the folder/);
  await page.getByText('One .zip file', { exact: true }).click();
  const cleared = where.getByTestId('save-location-cleared');
  await expect(cleared).toHaveText(
    'You changed how the packet is saved, so the place you chose earlier no longer fits (it was for a folder) and was set aside. The packet will go to the Exports folder, or you can choose a place again.',
  );
  await expect(place).toHaveText(/^In the app’s Exports folder: /);
  await where.getByRole('button', { name: 'Choose a place…' }).click();
  await expect(place).toContainText('.zip” in the folder');
  await expect(cleared).toHaveCount(0);
  // The bridge made the folder (as a person picks an existing one), never the packet's own name.
  expect(fs.readdirSync(chosenDir)).toEqual([]);

  await nextStep(page, /^Step 5 of 5: Make the packet$/);
  const review = page.getByTestId('packet-review');
  await expect(review).toContainText('In the place you chose: a new file named “Second opinion packet ');
  await expect(review).toContainText(chosenDir);
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const zip = await reportPath(page);
  expect(path.dirname(zip)).toBe(chosenDir);
  expect(path.basename(zip)).toMatch(/^Second opinion packet \d{4}-\d{2}-\d{2}\.zip$/);
  expect(fs.statSync(zip).isFile()).toBe(true);
  expect(zipEntries(zip)).toEqual(expect.arrayContaining(GENERATED.filter((name) => name !== 'DICOMDIR')));
  expect(exportEntries(app.exportDir)).toEqual([]);
  expect((await must(app.core, 'packets.list', {})).items.map((item) => item.path)).toEqual([zip]);

  // The same place again: the core never overwrites, the error says so, and another place is one press away.
  await page.getByRole('button', { name: 'Format', exact: true }).click();
  await page.getByRole('button', { name: 'Make it', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 5 of 5: Make the packet' })).toBeFocused();
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const failed = page.getByTestId('packet-failed');
  await expect(failed.getByRole('heading', { name: 'The packet could not be made' })).toBeFocused({ timeout: 30_000 });
  await expect(failed.getByRole('alert')).toHaveText('Something with that name already exists there. Choose a new name for the packet so nothing gets overwritten.');
  await failed.getByRole('button', { name: 'Choose another place' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 4 of 5: How to save it' })).toBeFocused();
  await where.getByRole('button', { name: 'Use the Exports folder instead' }).click();
  await page.getByRole('button', { name: 'Make it', exact: true }).click();
  await expect(page.getByTestId('packet-review')).toContainText('In the app’s Exports folder');
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const second = await reportPath(page);
  expect(path.dirname(second)).toBe(app.exportDir);
  expect(fs.readdirSync(chosenDir)).toEqual([path.basename(zip)]);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('images that do not fit a CD: the reason in plain words, and one click to the profile that fits', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology'], jpegDisc: true });
  await openPackets(page);
  await startWizard(page);
  await page.getByRole('button', { name: 'Format', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 4 of 5: How to save it' })).toBeFocused();
  await page.getByText('A disc image (.iso)', { exact: true }).click();
  // The app picks the most widely readable kind the images fit as they are: DVD for a disc image.
  await expect(page.getByRole('radio', { name: /^DVD/ })).toBeChecked();
  await expect(page.getByTestId('profile-mismatch')).toHaveCount(0);

  await page.getByText('CD', { exact: true }).click();
  const mismatch = page.getByTestId('profile-mismatch');
  await expect(mismatch).toContainText('These images do not fit on a CD.');
  await expect(mismatch).toContainText('stored compressed, and a CD packet can only hold uncompressed images');
  await expect(mismatch).toContainText('US BREAST');
  await expect(page.getByTestId('packet-summary')).toHaveText(/1 problem to sort out$/);
  await mismatch.getByRole('button', { name: 'Use DVD instead' }).click();
  await expect(page.getByTestId('profile-mismatch')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: /^DVD/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /^DVD/ })).toBeFocused();
  await expect(page.getByTestId('profile-notice')).toHaveText('Changed to DVD: the images go in exactly as they are stored.');
  await expect(page.getByTestId('packet-summary')).not.toContainText('problem');

  await nextStep(page, /^Step 5 of 5/);
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const iso = await reportPath(page);
  expect(iso).toMatch(/\.iso$/);
  await expect(page.getByTestId('packet-report')).toContainText('A disc image (.iso), images as DICOM STD-GEN-DVD-JPEG');
  expect(tool('isoinfo', ['-d', '-i', iso])).toMatch(/Volume id: SO_\d{8}_\d{4}/);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('cancelling while the packet is made leaves nothing behind, and it can be made afterwards', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology'], ownerDisc: false, largeDisc: 24 });
  await openPackets(page);
  await startWizard(page);
  await page.getByRole('button', { name: 'Make it', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 5 of 5: Make the packet' })).toBeFocused();

  // Hold the build request until Cancel was pressed, so the cancel never races the end of a quick build: the screen
  // must then ask again as soon as the core reports the task (as the import screens do).
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = true;
  await page.route('**/__bridge/rpc', async (route) => {
    const body = route.request().postDataJSON() as { operation?: string } | null;
    if (holding && body?.operation === 'packets.build') await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Make the packet' }).click();
  const progress = page.getByTestId('packet-progress');
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress.getByRole('button', { name: 'Cancelling…' })).toBeVisible();
  holding = false;
  release();

  const stopped = page.getByTestId('packet-stopped');
  await expect(stopped.getByRole('heading', { name: 'The packet was not made' })).toBeFocused({ timeout: 30_000 });
  expect(exportEntries(app.exportDir)).toEqual([]);
  expect((await must(app.core, 'packets.list', {})).items).toEqual([]);

  await page.unrouteAll({ behavior: 'wait' });
  await stopped.getByRole('button', { name: 'Make the packet' }).click();
  const folder = await reportPath(page);
  expect(exportEntries(app.exportDir)).toEqual([path.basename(folder)]);
  expect(treeOf(folder).filter((file) => file.startsWith('DICOM/'))).toHaveLength(24);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('with nothing chosen the app says so, and offers no packet until something is', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology', 'lab'] });
  await openPackets(page);
  await startWizard(page);
  await nextStep(page, /^Step 2 of 5/);
  for (const name of ['Core biopsy pathology report', 'Blood counts', DISC_REPORT, 'CT CHEST, February 20, 2025', 'MR BREAST, March 1, 2025']) {
    await page.getByText(name, { exact: true }).click();
    await expect(page.getByRole('checkbox', { name })).not.toBeChecked();
  }
  await expect(page.getByTestId('preview-line')).toHaveText(/^0 documents · 0 scans/);
  await expect(page.getByTestId('packet-problems')).toContainText('Nothing is selected for this packet. Choose at least one document or imaging study to send.');
  await expect(page.getByTestId('packet-summary')).toHaveText(/1 problem to sort out$/);

  await page.getByRole('button', { name: 'Make it', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 5 of 5: Make the packet' })).toBeFocused();
  await expect(page.getByTestId('packet-problems')).toContainText('Nothing is selected for this packet.');
  await expect(page.getByRole('button', { name: 'Make the packet' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Change what to send' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 5: What to send' })).toBeFocused();
  await page.getByRole('button', { name: 'Go back to the app’s suggestion' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'What goes in' })).toBeFocused();
  await expect(page.getByTestId('preview-line')).toHaveText(/^3 documents · 2 scans/);
  await expect(page.getByTestId('packet-problems')).toHaveCount(0);
  expect(exportEntries(app.exportDir)).toEqual([]);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('everything, nothing, or a whole group at once; the group’s button keeps the focus as its words change', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology', 'radiology', 'insurance'] });
  await openPackets(page);
  await startWizard(page);
  await nextStep(page, /^Step 2 of 5/);
  const line = page.getByTestId('preview-line');
  await expect(line).toHaveText(/^3 documents · 2 scans/);

  await page.getByRole('button', { name: 'Choose nothing', exact: true }).click();
  await expect(line).toHaveText(/^0 documents · 0 scans/);
  await expect(page.getByTestId('group-radiology')).toContainText('(0 of 2 chosen)');

  // One group: its button names the group, and stays focused as its words change.
  const reports = page.getByRole('button', { name: 'Choose all in Imaging report' });
  await reports.click();
  await expect(page.getByRole('checkbox', { name: 'Diagnostic mammogram report' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: DISC_REPORT })).toBeChecked();
  await expect(page.getByTestId('group-radiology')).toContainText('(2 of 2 chosen)');
  const leaveOut = page.getByRole('button', { name: 'Leave out all in Imaging report' });
  await expect(leaveOut).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-radiology')).toContainText('(0 of 2 chosen)');
  await expect(page.getByRole('button', { name: 'Choose all in Imaging report' })).toBeFocused();
  await page.getByRole('button', { name: 'Choose all in Scans' }).click();
  await expect(line).toHaveText(/^0 documents · 2 scans/);

  // Everything: also what the app would not suggest (the insurance letter).
  await page.getByRole('button', { name: 'Choose everything', exact: true }).click();
  await expect(line).toHaveText(/^4 documents · 2 scans/);
  await expect(page.getByRole('checkbox', { name: 'Explanation of benefits' })).toBeChecked();
  await page.getByRole('button', { name: 'Go back to the app’s suggestion' }).click();
  await expect(line).toHaveText(/^3 documents · 2 scans/);
  await auditScreen(page, 'packets-2-group-buttons');
  expect(app.pageErrors).toEqual([]);
});

test('the log answers “what did I send to Dr. X?”, and Build again makes the same packet', async ({ page, app }) => {
  const vault = await packetVault(page, app, { documents: ['pathology', 'radiology'] });
  const lovelace = { organization: 'Memorial Cancer Institute', doctor: 'Dr. Ada Lovelace', appointmentDate: '2025-04-02' };
  await must(app.core, 'packets.build', { recipient: lovelace, documentIds: [vault.documents.pathology!], studyUids: [], format: 'zip' });
  await must(app.core, 'packets.build', { recipient: { organization: 'City Hospital', doctor: 'Dr. Grace Hopper' }, documentIds: [vault.documents.radiology!], format: 'folder' });

  await openPackets(page);
  const entries = page.getByTestId('packet-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.first().getByRole('heading', { level: 3 })).toHaveText('For Dr. Grace Hopper, City Hospital');
  await page.getByLabel('Find a packet by doctor, office or date').fill('lovelace');
  await expect(entries).toHaveCount(1);
  const entry = entries.first();
  await expect(entry.getByRole('heading', { level: 3 })).toHaveText('For Dr. Ada Lovelace, Memorial Cancer Institute');
  await expect(entry).toContainText('One .zip file');
  await expect(entry).toContainText('for the appointment on April 2, 2025');
  await expect(entry).toContainText('1 document and 0 scans');
  await expect(entry).toContainText('Core biopsy pathology report (Pathology report, March 14, 2025)');
  await expect(entry).not.toContainText('Diagnostic mammogram report');

  await entry.getByRole('button', { name: 'Build again for Dr. Ada Lovelace, Memorial Cancer Institute' }).click();
  const again = page.getByTestId('packet-rebuild');
  await expect(again.getByRole('heading', { level: 2 })).toHaveText('The same packet again for Dr. Ada Lovelace, Memorial Cancer Institute');
  const zip = await reportPath(page);
  expect(zip).toMatch(/\.zip$/);
  const manifest = JSON.parse(zipText(zip, 'MANIFEST.JSN')) as Manifest;
  expect(manifest.documents.map((d) => d.id)).toEqual([vault.documents.pathology]);
  expect(manifest.recipient).toMatchObject(lovelace);
  expect(zipEntries(zip).filter((entryName) => entryName.startsWith('DICOM'))).toEqual([]);
  // The new packet joins the log (still filtered to Dr. Lovelace): two now.
  await expect(entries).toHaveCount(2);
  expect(exportEntries(app.exportDir)).toHaveLength(3);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('the wizard works with the keyboard alone (Tab, Enter, Space, arrows and typing)', async ({ page, app }) => {
  await packetVault(page, app);
  await openPackets(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Send your records' })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Make a new packet' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Make a packet of your records' })).toBeFocused();

  await tabTo(page, page.getByLabel('Hospital or cancer center'));
  await page.keyboard.type('Memorial Cancer Institute');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Doctor', { exact: true })).toBeFocused();
  await page.keyboard.type('Dr. Ada Lovelace');
  await tabTo(page, page.getByRole('button', { name: 'Next: Records' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 5: What to send' })).toBeFocused();

  // Add the insurance letter with Space.
  await tabTo(page, page.getByRole('checkbox', { name: 'Explanation of benefits' }));
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: 'Explanation of benefits' })).toBeChecked();
  await expect(page.getByTestId('packet-summary')).toHaveText(/^In the packet: 6 documents · 2 scans/);
  await tabTo(page, page.getByRole('button', { name: 'Next: Medicines, questions' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: /^Step 3 of 5/ })).toBeFocused();

  // A medicine: Enter in the form saves it.
  await tabTo(page, page.getByRole('button', { name: 'Add a medicine' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Name of the medicine')).toBeFocused();
  await page.keyboard.type('Letrozole');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Change medicine 1: Letrozole' })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Next: Format' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: /^Step 4 of 5/ })).toBeFocused();

  // Arrows move within the radio group.
  await tabTo(page, page.getByRole('radio', { name: /^A folder/ }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /One \.zip file/ })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Next: Make it' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: /^Step 5 of 5/ })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Make the packet' }));
  await page.keyboard.press('Enter');
  const zip = await reportPath(page);
  expect(zipEntries(zip).filter((entry) => entry.startsWith('ORIGINAL/'))).toHaveLength(6);

  // From the report to the log, still by keyboard.
  await tabTo(page, page.getByRole('button', { name: 'See the packets you sent' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Send your records' })).toBeFocused();
  await expect(page.getByTestId('packet-entry')).toHaveCount(1);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('an appointment fills in the wizard, and the packet is linked back to it', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology'], ownerDisc: false });
  const appointment = await must(app.core, 'appointments.create', {
    appointment: {
      kind: 'second',
      clinician: 'Dr. Sam Okafor',
      institution: 'University Hospital',
      date: '2025-05-02',
      contacts: [{ name: 'Lee Navigator', phone: '(555) 010-3000' }],
    },
  });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Appointments' }).click();
  await page.getByRole('link', { name: /Second opinion with Dr\. Sam Okafor/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Second opinion with Dr. Sam Okafor, University Hospital' })).toBeFocused();
  await page.getByRole('button', { name: 'Make a packet of records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Make a packet of your records' })).toBeFocused();
  await expect(page.getByText('For your appointment: Second opinion with Dr. Sam Okafor, University Hospital')).toBeVisible();
  await expect(page.getByLabel('Hospital or cancer center')).toHaveValue('University Hospital');
  await expect(page.getByLabel('Doctor', { exact: true })).toHaveValue('Dr. Sam Okafor');
  await expect(page.getByLabel('Phone, fax or email of the office')).toHaveValue('(555) 010-3000');
  await expect(page.getByLabel('Date of the appointment')).toHaveValue('2025-05-02');
  await page.getByRole('button', { name: 'Medicines, questions', exact: true }).click();
  await expect(page.getByTestId('questions-row')).toHaveCount(appointment.questions.length);

  await page.getByRole('button', { name: 'Make it', exact: true }).click();
  await page.getByRole('button', { name: 'Make the packet' }).click();
  await reportPath(page);
  await expect(page.getByTestId('packet-report')).toContainText('This packet is now linked to your appointment: Second opinion with Dr. Sam Okafor, University Hospital.');
  const [logged] = (await must(app.core, 'packets.list', {})).items;
  expect((await must(app.core, 'appointments.get', { id: appointment.id })).packetId).toBe(logged?.id);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('axe finds no serious problems on the first three steps, in light and dark', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology', 'insurance'] });
  await openPackets(page);
  await startWizard(page);
  await page.getByLabel('Doctor', { exact: true }).fill('Dr. Ada Lovelace');
  await auditScreen(page, 'packets-1-recipient');

  await nextStep(page, /^Step 2 of 5/);
  await page.getByText('The files in the packet').click();
  await expect(page.getByRole('columnheader', { name: 'What it is' })).toBeVisible();
  await auditScreen(page, 'packets-2-contents');

  // Step 3 with a saved medicine and an open form showing a missing field.
  await nextStep(page, /^Step 3 of 5/);
  await page.getByRole('button', { name: 'Add a medicine' }).click();
  await page.getByRole('textbox', { name: 'Name of the medicine' }).fill('Letrozole');
  await page.getByRole('button', { name: 'Add this medicine' }).click();
  await expect(page.getByTestId('medications-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Add a question' }).click();
  await page.getByRole('button', { name: 'Add this question' }).click();
  await expect(page.getByText('Write the question, or press Cancel.')).toBeVisible();
  await auditScreen(page, 'packets-3-lists');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('axe finds no serious problems on the format step, the review, the report and the log, in light and dark', async ({ page, app }) => {
  await packetVault(page, app, { documents: ['pathology'], jpegDisc: true });
  await openPackets(page);
  await startWizard(page);
  await page.getByRole('button', { name: 'Format', exact: true }).click();
  await page.getByText('CD', { exact: true }).click();
  await expect(page.getByTestId('profile-mismatch')).toBeVisible();
  await auditScreen(page, 'packets-4-format-mismatch');
  await page.getByRole('button', { name: 'Use USB stick instead' }).click();
  await expect(page.getByTestId('profile-notice')).toBeVisible();

  await nextStep(page, /^Step 5 of 5/);
  await auditScreen(page, 'packets-5-review');
  await page.getByRole('button', { name: 'Make the packet' }).click();
  await reportPath(page);
  await auditScreen(page, 'packets-5-report');

  await page.getByRole('button', { name: 'See the packets you sent' }).click();
  await expect(page.getByTestId('packet-entry')).toHaveCount(1);
  await page.getByText('Where it was saved, and its fingerprint').click();
  await auditScreen(page, 'packets-log');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});
