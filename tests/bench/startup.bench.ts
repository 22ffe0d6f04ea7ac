/**
 * App start to the first interactive screen, in the browser build (the real renderer in Debian's Chromium through
 * the dev/test bridge, against the real core), with a vault of 10,000 documents and 50 imaging studies.
 *
 * Each run opens a fresh browser context on a locked vault and measures:
 * - start → unlock screen: navigation until the passphrase field can be typed in (the first screen a person uses);
 * - unlock → Overview: from pressing Unlock (production Argon2id) until the Overview shows the record counts;
 * - Records: from clicking Records until the list shows its first document (10,000 in the vault);
 * - Imaging: from clicking Imaging until the 50 studies are listed.
 *
 * The documents are added like the search benchmark adds them (the store's own insertDocument on a directly opened
 * vault, all pointing at one stored PDF); the studies are imported for real from a synthetic disc.
 * Needs the built renderer (`npm run build:renderer`; built here when missing) and /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startBridge } from '../../electron/bridge/server';
import { insertDocument } from '../../electron/core/documents/store';
import { Vault } from '../../electron/core/vault/vault';
import { DOCUMENT_TYPES } from '../../shared/contract';
import { textPdf } from '../helpers/pdf';
import { makeSyntheticDisc } from './disc-fixture';
import { reportText } from './documents.bench';
import { benchCore, benchDir, median, must, PASSPHRASE, PROFILE, round } from './helpers';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const rendererDir = path.join(repoRoot, 'dist/renderer');
const RUNS = 5;

function ensureRenderer(): void {
  if (fs.existsSync(path.join(rendererDir, 'index.html'))) return;
  const built = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: repoRoot, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('could not build the renderer (npm run build:renderer)');
}

export async function addDocuments(vaultDir: string, count: number): Promise<void> {
  const vault = await Vault.unlockWithPassphrase(vaultDir, PASSPHRASE);
  try {
    const db = vault.db;
    const stored = db.prepare('SELECT blob_id, size FROM documents LIMIT 1').get() as { blob_id: string; size: number };
    const start = Date.UTC(2025, 10, 30);
    const insertMany = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index += 1) {
        const text = reportText(index + 11, 300);
        insertDocument(db, {
          blobId: stored.blob_id,
          sha256: createHash('sha256').update(`startup-${index}`).digest('hex'),
          originalName: `report-${index}.pdf`,
          kind: 'pdf',
          mimeType: 'application/pdf',
          size: stored.size,
          pages: [{ page: 1, text, source: 'text-layer', confidence: null }],
          guesses: {
            type: { value: DOCUMENT_TYPES[index % DOCUMENT_TYPES.length]!, reason: null },
            serviceDate: { value: new Date(start - (index % 1500) * 86_400_000).toISOString().slice(0, 10), reason: null },
            facility: { value: `Clinic ${index % 9}`, reason: null },
            clinician: { value: null, reason: null },
            title: { value: `Report ${index}`, reason: null },
          },
          patientMismatches: [],
          thumbnailBlobId: null,
          importedAt: new Date(start),
        });
      }
    });
    for (let from = 0; from < count; from += 1000) insertMany(from, Math.min(count, from + 1000));
  } finally {
    vault.lock();
  }
}

export async function runStartupBenchmark(documents = 10_000, studies = 50): Promise<Record<string, number>> {
  ensureRenderer();
  const root = benchDir('startup');
  try {
    // Production KDF: unlocking is part of what a person waits for.
    const core = benchCore(root);
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    const seedFile = path.join(root, 'seed.pdf');
    fs.writeFileSync(seedFile, await textPdf(['Pathology report seed document']));
    await must(core, 'documents.import', { paths: [seedFile] });
    const discDir = path.join(root, 'disc');
    await makeSyntheticDisc({ dir: discDir, files: studies * 4, bytesPerFile: 64 * 1024, filesPerSeries: 2, seriesPerStudy: 2, seed: 5 });
    const disc = await must(core, 'imaging.import', { path: discDir, acceptOtherPatient: true });
    if (disc.studies !== studies) throw new Error(`imported ${disc.studies} of ${studies} studies`);
    await must(core, 'vault.lock', {});
    await addDocuments(path.join(root, 'vault'), documents - 1);

    const bridge = await startBridge({ core, rendererDir });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    const times = { start: [] as number[], unlock: [] as number[], records: [] as number[], imaging: [] as number[] };
    try {
      for (let run = 0; run < RUNS; run += 1) {
        const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
        const page = await context.newPage();
        let started = performance.now();
        await page.goto(bridge.url);
        const passphrase = page.getByLabel('Passphrase', { exact: true });
        await passphrase.waitFor({ state: 'visible' });
        await passphrase.fill(PASSPHRASE);
        times.start.push(performance.now() - started);

        started = performance.now();
        await page.getByRole('button', { name: 'Unlock', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
        await page.locator('.count-number', { hasText: documents.toLocaleString('en-US') }).first().waitFor();
        times.unlock.push(performance.now() - started);

        started = performance.now();
        await page.getByRole('link', { name: 'Records', exact: true }).click();
        await page.getByTestId('document-list').locator('[data-row-focus]').first().waitFor();
        times.records.push(performance.now() - started);

        started = performance.now();
        await page.getByRole('link', { name: 'Imaging', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Scans and images' }).waitFor();
        await page.locator('.imaging-timeline-item').nth(studies - 1).waitFor();
        times.imaging.push(performance.now() - started);

        await context.close();
        await must(core, 'vault.lock', {});
      }
    } finally {
      await browser.close();
      await bridge.close();
      await core.close();
    }
    return {
      'startup documents': documents,
      'startup studies': studies,
      'start to unlock screen median ms': round(median(times.start), 0),
      'unlock to Overview median ms': round(median(times.unlock), 0),
      'Records list (10k) median ms': round(median(times.records), 0),
      'Imaging list (50 studies) median ms': round(median(times.imaging), 0),
      'start to Overview, median total ms': round(median(times.start) + median(times.unlock), 0),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
