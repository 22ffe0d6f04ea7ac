import { stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures';
import { NEW_PASSPHRASE, PASSPHRASE, createVault, fillNewPassphrase, lock, unlock } from './flows';

test('check vault reports in plain words and is remembered as the last check', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await expect(page.getByText('The vault has not been checked yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Check vault' }).click();
  await expect(page.getByTestId('check-result')).toContainText('Everything is fine.');
  await expect(page.getByText(/^Last checked .*: everything was fine\.$/)).toBeVisible();
});

test('back up now writes a file to the default folder and shows where', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await expect(page.getByText('No backup has been made yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).click();
  const shownPath = (await page.getByTestId('backup-path').innerText()).trim();
  expect(path.dirname(shownPath)).toBe(app.backupDir);
  expect((await stat(shownPath)).size).toBeGreaterThan(0);
  await expect(page.getByText('Last backup')).toBeVisible();
  await expect(page.locator('.facts .path', { hasText: shownPath })).toBeVisible();
});

test('auto-lock minutes are saved in the vault', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  const select = page.getByRole('button', { name: /Lock the vault when the app is not used for/ });
  await select.click();
  await page.getByRole('option', { name: '30 minutes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('30 minutes');
  expect(await app.core.call('settings.get', {})).toEqual({ ok: true, value: { autoLockMinutes: 30 } });
  await page.reload();
  await expect(page.getByRole('button', { name: /Lock the vault when the app is not used for/ })).toContainText('30 minutes');
});

test('change passphrase from the overview, then unlock with the new one', async ({ page, app }) => {
  await app.open();
  await createVault(page);
  await page.getByLabel('Current passphrase').fill('wrong current passphrase');
  await fillNewPassphrase(page, NEW_PASSPHRASE, 'New passphrase');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');

  await page.getByLabel('Current passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your passphrase was changed' })).toBeVisible();
  await lock(page);
  await unlock(page, NEW_PASSPHRASE);
});
