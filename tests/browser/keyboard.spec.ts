import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSPHRASE, PATIENT, readRecoveryKey } from './flows';

type Target = { type: string } | { button: string };

/** Presses Tab until the focused element matches, failing after `limit` presses. */
async function tabTo(page: Page, target: Target, limit = 15): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    const hit = await page.evaluate((t) => {
      const el = document.activeElement;
      if (!el) return false;
      if ('type' in t) return el.getAttribute('type') === t.type;
      return el.tagName === 'BUTTON' && el.textContent?.trim() === t.button;
    }, target);
    if (hit) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${JSON.stringify(target)}`);
}

test('a vault can be created with the keyboard only (Tab, Enter, Space and typing)', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('button', { name: 'Set up my vault' })).toBeFocused();
  await page.keyboard.press('Enter');

  // Profile: the name box has focus; Tab moves to the date, typed digits fill month, day, year.
  await expect(page.getByLabel('Full name of the patient')).toBeFocused();
  await page.keyboard.type(PATIENT.name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${PATIENT.birth.month}${PATIENT.birth.day}${PATIENT.birth.year}`);
  // The optional sex question is left as it is ("Prefer not to say"): Tab passes it.
  await tabTo(page, { button: 'Continue' });
  await page.keyboard.press('Enter');

  // Passphrase: typed twice; Enter submits the form.
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused();
  await page.keyboard.type(PASSPHRASE);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSPHRASE);
  await expect(page.locator('.strength-summary')).toHaveText(/^(Fair|Good|Strong)\./);
  await page.keyboard.press('Enter');

  // Recovery key: tick the box with Space, press the button with Enter.
  await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key' })).toBeVisible();
  expect(await readRecoveryKey(page)).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  await tabTo(page, { type: 'checkbox' }, 25);
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: /I have printed or saved/ })).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('patient-name')).toHaveText(PATIENT.name);

  // Lock with the keyboard too.
  await tabTo(page, { button: 'Lock' }, 10);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused();
  await page.keyboard.type(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});
