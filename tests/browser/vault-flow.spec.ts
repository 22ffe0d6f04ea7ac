import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import {
  NEW_PASSPHRASE,
  PASSPHRASE,
  PATIENT,
  createUpToRecoveryKey,
  createVault,
  expectNoVaultDataInPage,
  fillNewPassphrase,
  lock,
  unlock,
} from './flows';

test('create a vault: profile, passphrase, recovery key shown once, then the overview shows the name', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Second Opinion' })).toBeVisible();
  const key = await createUpToRecoveryKey(page);
  expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);

  // Cannot continue before confirming the key was stored.
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('alert')).toContainText('Please store your recovery key first');

  // Save as text: a download of a text file containing the key.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as a text file' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('second-opinion-recovery-key.txt');
  const saved = await readFile((await download.path()) ?? '', 'utf8');
  expect(saved).toContain(key);
  expect(saved).toContain(PATIENT.name);

  await page.getByText('I have printed or saved my recovery key').click();
  await expect(page.getByRole('checkbox', { name: /I have printed or saved my recovery key/ })).toBeChecked();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('patient-name')).toHaveText(PATIENT.name);
  await expect(page.getByTestId('profile-name')).toHaveText(PATIENT.name);
  await expect(page.getByText('March 15, 1962')).toBeVisible();
  // Every section the app has, and only those (no placeholders): the list in renderer/src/frame/sections.tsx.
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link')).toHaveText([
    'Overview',
    'Records',
    'Imaging',
    'Opinions',
    'Appointments',
    'Send records',
    'Timeline',
  ]);
  // The recovery key is not shown anywhere once the app is open.
  expect(await page.content()).not.toContain(key);
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('the profile step explains itself and refuses missing fields', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Set up my vault' }).click();
  await expect(page.getByText('Why we ask')).toBeVisible();
  await expect(page.getByText(/belong to someone else/)).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Please enter the full name.')).toBeVisible();
  await expect(page.getByText('Please enter the date of birth.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Whose records are these?' })).toBeVisible();
});

test('passphrase feedback is in words and weak or short passphrases are refused', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Set up my vault' }).click();
  await page.getByLabel('Full name of the patient').fill(PATIENT.name);
  await page.getByRole('spinbutton', { name: /month/i }).first().click();
  await page.keyboard.type('03151962');
  await page.getByRole('button', { name: 'Continue' }).click();

  const passphrase = page.getByLabel('Passphrase', { exact: true });
  await passphrase.fill('short');
  await expect(page.locator('.strength-summary')).toHaveText('Too short: 5 more characters needed.');
  await passphrase.fill('password123');
  await expect(page.locator('.strength-summary')).toHaveText(/^(Very weak|Weak)\./);
  await page.getByLabel('Type the passphrase again').fill('password123');
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByText(/too easy to guess/)).toBeVisible();

  await fillNewPassphrase(page, PASSPHRASE);
  await page.getByLabel('Type the passphrase again').fill(`${PASSPHRASE}x`);
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByText(/The two passphrases are not the same/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a passphrase' })).toBeVisible();
});

test('lock returns to the unlock screen and forgets everything; a wrong passphrase keeps it locked', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await lock(page);
  await expectNoVaultDataInPage(page);

  await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
  await expectNoVaultDataInPage(page);
  const status = await app.core.call('vault.status', {});
  expect(status).toMatchObject({ ok: true, value: { state: 'locked' } });

  await unlock(page, PASSPHRASE);
  await expect(page.getByTestId('patient-name')).toHaveText(PATIENT.name);
});

test('a lock by the core (inactivity) clears the page and explains why', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await expect(page.locator('.app-root')).not.toHaveAttribute('data-cache-entries', '0');
  await app.core.lock('inactivity');
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('not used for a while');
  await expectNoVaultDataInPage(page);
});

test('a reload while locked shows the unlock screen, and while unlocked the app', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await lock(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
});

test('unlock with the recovery key, set a new passphrase, then unlock with it', async ({ page, app }) => {
  await app.open();
  const key = await createVault(page);
  await lock(page);

  await page.getByRole('button', { name: /Use recovery key instead/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock with your recovery key' })).toBeVisible();
  await page.getByLabel('Recovery key').fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('recovery key is not right');

  // Typed in lower case with spaces: still accepted.
  await page.getByLabel('Recovery key').fill(key.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new passphrase' })).toBeVisible();
  await fillNewPassphrase(page, NEW_PASSPHRASE, 'New passphrase');
  await page.getByRole('button', { name: 'Save new passphrase' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  await lock(page);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await unlock(page, NEW_PASSPHRASE);
  await expect(page.getByTestId('patient-name')).toHaveText(PATIENT.name);
});
