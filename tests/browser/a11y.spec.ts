import { expect, test } from './fixtures';
import { PASSPHRASE, auditScreen, createVault, fillNewPassphrase, fillProfile, lock } from './flows';

/** Every screen, light and dark: no serious or critical axe violations, and a screenshot of each. */
test('onboarding screens are accessible in light and dark', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Second Opinion' })).toBeVisible();
  await auditScreen(page, '01-welcome');

  await page.getByRole('button', { name: 'Set up my vault' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Please enter the full name.')).toBeVisible();
  await auditScreen(page, '02-profile-errors');
  await fillProfile(page);
  await page.getByText('Female', { exact: true }).click();
  await expect(page.getByRole('radio', { name: 'Female' })).toBeChecked();
  await auditScreen(page, '03-profile');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByLabel('Passphrase', { exact: true }).fill('password1');
  await expect(page.locator('.strength-summary')).toHaveText(/Too short/);
  await auditScreen(page, '04-passphrase-short');
  await fillNewPassphrase(page, PASSPHRASE);
  await auditScreen(page, '05-passphrase');
  await page.getByRole('button', { name: 'Create my vault' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key' })).toBeVisible();
  await auditScreen(page, '06-recovery-key');
  expect(app.cspViolations).toEqual([]);
});

test('app screens are accessible in light and dark', async ({ page, app }) => {
  await app.open();
  const key = await createVault(page);
  await page.getByRole('button', { name: 'Check vault' }).click();
  await expect(page.getByTestId('check-result')).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-path')).toBeVisible();
  await auditScreen(page, '10-overview');
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
  await auditScreen(page, '11-overview-bottom');
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, 0));

  await page.getByRole('button', { name: /Lock the vault when the app is not used for/ }).click();
  await expect(page.getByRole('listbox')).toBeVisible();
  await auditScreen(page, '12-auto-lock-open');
  await page.keyboard.press('Escape');

  await lock(page);
  await auditScreen(page, '20-unlock');
  await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase here');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await auditScreen(page, '21-unlock-wrong');

  await page.getByRole('button', { name: /Use recovery key instead/ }).click();
  await auditScreen(page, '22-unlock-recovery');
  await page.getByLabel('Recovery key').fill(key);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new passphrase' })).toBeVisible();
  await auditScreen(page, '23-new-passphrase-after-recovery');

  await page.getByRole('button', { name: 'Not now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await app.core.lock('inactivity');
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
  await auditScreen(page, '24-locked-inactivity');
  expect(app.cspViolations).toEqual([]);
});
