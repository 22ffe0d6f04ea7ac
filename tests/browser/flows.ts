import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { screenshotDir } from './fixtures';

export const PATIENT = { name: 'Maria Example', birth: { month: '03', day: '15', year: '1962' } };
export const PASSPHRASE = 'teapot river violet autumn';
export const NEW_PASSPHRASE = 'lantern meadow copper whistle';

/** The recovery key exactly as shown, groups joined by dashes. */
export async function readRecoveryKey(page: Page): Promise<string> {
  const groups = await page.getByTestId('recovery-key').locator('.recovery-key-text').allInnerTexts();
  return groups.join('-');
}

export async function fillProfile(page: Page, name = PATIENT.name): Promise<void> {
  await page.getByLabel('Full name of the patient').fill(name);
  const month = page.getByRole('spinbutton', { name: /month/i }).first();
  await month.click();
  await page.keyboard.type(`${PATIENT.birth.month}${PATIENT.birth.day}${PATIENT.birth.year}`);
}

export async function fillNewPassphrase(page: Page, passphrase: string, label = 'Passphrase'): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(passphrase);
  await page.getByLabel('Type the passphrase again').fill(passphrase);
  await expect(page.locator('.strength-summary')).toHaveText(/^(Fair|Good|Strong)\./);
}

/** Creates a vault through the UI up to the recovery-key step; returns the key shown. */
export async function createUpToRecoveryKey(page: Page, name = PATIENT.name, passphrase = PASSPHRASE): Promise<string> {
  await page.getByRole('button', { name: 'Set up my vault' }).click();
  await fillProfile(page, name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a passphrase' })).toBeVisible();
  await fillNewPassphrase(page, passphrase);
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key' })).toBeVisible();
  return readRecoveryKey(page);
}

/** Creates a vault through the UI and enters the app; returns the recovery key. */
export async function createVault(page: Page, name = PATIENT.name, passphrase = PASSPHRASE): Promise<string> {
  const key = await createUpToRecoveryKey(page, name, passphrase);
  await page.getByText('I have printed or saved my recovery key').click();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  return key;
}

export async function lock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock your vault' })).toBeVisible();
}

export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

/** Nothing read from the vault is left in the page: no cached data and no patient details in the DOM. */
export async function expectNoVaultDataInPage(page: Page, name = PATIENT.name): Promise<void> {
  await expect(page.locator('.app-root')).toHaveAttribute('data-cache-entries', '0');
  const text = await page.evaluate(() => document.documentElement.outerHTML);
  expect(text).not.toContain(name);
  expect(text).not.toContain(PATIENT.birth.year);
}

const SCHEMES = ['light', 'dark'] as const;

/**
 * Runs axe on the current screen in light and dark, failing on serious or critical violations, and saves a
 * 1024×700 screenshot of each into test-results/screenshots/<name>-<scheme>.png.
 */
export async function auditScreen(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  for (const colorScheme of SCHEMES) {
    // Reduced motion: the app then switches colours at once (base.css), so axe never measures contrast halfway
    // through a button's 0.15 s colour transition after the switch to dark.
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(
      serious.map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
      `axe on "${name}" (${colorScheme})`,
    ).toEqual([]);
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: null });
}
