import { DOCUMENT_TYPES } from '../../shared/contract';
import { insertDocument, type Guesses } from '../../electron/core/documents/store';
import { Vault } from '../../electron/core/vault/vault';
import path from 'node:path';
import { expect, screenshotDir, test } from './fixtures';
import { PASSPHRASE } from './flows';
import { libraryWith, writeSamples } from './library-data';

const COUNT = 10_000;

/**
 * Ten thousand documents, made fast: one real PDF goes in through `documents.import`; then, with the app's core
 * locked (one process lock holder at a time), the test opens the vault itself and adds 9,999 more rows with the
 * store's own `insertDocument` (all pointing at that one stored file), and unlocks the core again. The app only
 * ever reads them through the contract (`documents.list`), exactly as it would read ten thousand imported files.
 */
async function addManyDocuments(vaultDir: string, count: number): Promise<void> {
  const vault = await Vault.unlockWithPassphrase(vaultDir, PASSPHRASE);
  try {
    const db = vault.db;
    const stored = db.prepare('SELECT blob_id, size FROM documents LIMIT 1').get() as { blob_id: string; size: number };
    const start = Date.UTC(2025, 11, 31);
    db.transaction(() => {
      for (let index = 1; index <= count; index += 1) {
        const day = new Date(start - index * 86_400_000).toISOString().slice(0, 10);
        const type = DOCUMENT_TYPES[index % DOCUMENT_TYPES.length]!;
        const guesses: Guesses = {
          type: { value: type, reason: 'Made for the test' },
          serviceDate: { value: day, reason: 'Made for the test' },
          facility: { value: `Test Clinic ${index % 7}`, reason: null },
          clinician: { value: null, reason: null },
          title: { value: `Generated document ${String(index).padStart(5, '0')}`, reason: null },
        };
        insertDocument(db, {
          blobId: stored.blob_id,
          sha256: `generated-${index}`,
          originalName: `generated-${index}.pdf`,
          kind: 'pdf',
          mimeType: 'application/pdf',
          size: stored.size,
          pages: [{ page: 1, text: `Generated document number ${index}.`, source: 'text-layer', confidence: null }],
          guesses,
          patientMismatches: [],
          thumbnailBlobId: null,
          importedAt: new Date(start),
        });
      }
    })();
  } finally {
    vault.lock();
  }
}

test('ten thousand documents: the list stays virtualised and scrolls to the very last one', async ({ page, app }) => {
  test.slow();
  const samples = await writeSamples();
  try {
    await libraryWith(page, app, []);
    const imported = await app.core.call('documents.import', { paths: [samples.radiology] });
    expect(imported.ok).toBe(true);
    await app.core.lock('user');
    await addManyDocuments(app.vaultDir, COUNT - 1);
    expect((await app.core.call('vault.unlock', { passphrase: PASSPHRASE })).ok).toBe(true);
    await page.reload();

    const list = page.getByTestId('document-list');
    await expect(page.getByTestId('list-count')).toHaveText('10,000 documents.', { timeout: 20_000 });
    await expect(list).toHaveAttribute('data-count', String(COUNT));
    const rendered = await list.getByRole('listitem').count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(60);

    // Jump to the end: the oldest document is there, and still only a few rows are in the page.
    const scroller = page.getByTestId('document-list-scroll');
    const started = Date.now();
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(list.getByRole('link', { name: 'Generated document 09999' })).toBeVisible();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await list.getByRole('listitem').count()).toBeLessThan(60);
    await page.screenshot({ path: path.join(screenshotDir, '39-library-10k-end.png') });

    // Scrolling in steps through the middle keeps up, too.
    for (let step = 0; step < 20; step += 1) {
      await scroller.evaluate((element, fraction) => element.scrollTo(0, element.scrollHeight * fraction), step / 20);
      await expect(list.getByRole('listitem').first()).toBeVisible();
    }

    // Keyboard: End jumps to the last document and focuses it; Home goes back to the first.
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await list.getByRole('link').first().focus();
    await page.keyboard.press('End');
    await expect(list.getByRole('link', { name: 'Generated document 09999' })).toBeFocused();
    await page.keyboard.press('Home');
    await expect(list.getByRole('link', { name: 'Generated document 00001' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(list.getByRole('link', { name: 'Generated document 00002' })).toBeFocused();
    await page.keyboard.press('PageDown');
    await expect(list.getByRole('link', { name: 'Generated document 00010' })).toBeFocused();
    expect(app.pageErrors).toEqual([]);
  } finally {
    await samples.cleanup();
  }
});
