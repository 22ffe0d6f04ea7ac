import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildDisc, makeIso, type DiscLayout } from '../fixtures/imaging/discs';
import { makeInstance, testPixels, uid, type ImageSpec } from '../fixtures/imaging/dicom';
import { run } from '../fixtures/imaging/tools';
import { PASSPHRASE } from './flows';
import { expect, type AppHarness, type Page } from './fixtures';

/** The vault's patient: patient A of buildDisc (DOE^JANE, born 1970-01-15). The disc also names two other people. */
export const JANE = { fullName: 'Jane Doe', birthDate: '1970-01-15' };

/** The series added to buildDisc's disc whose pictures all differ (so stepping visibly changes the picture). */
export const STEP_SERIES = 'T2 AXIAL';
/** 4 single-frame images + one image of 3 frames. */
export const STEP_PICTURES = 7;

export interface ImagingDisc {
  disc: DiscLayout;
  iso: string;
  zip: string;
  cleanup(): Promise<void>;
}

/** The test picture shifted by `offset` (16-bit signed). */
function shifted(spec: ImageSpec, offset: number, frames = 1): Uint8Array {
  const one = testPixels({ ...spec, frames: 1 });
  const out = new Uint8Array(one.length * frames);
  const source = new DataView(one.buffer);
  const target = new DataView(out.buffer);
  for (let f = 0; f < frames; f += 1) {
    for (let i = 0; i < one.length / 2; i += 1) target.setInt16(f * one.length + i * 2, source.getInt16(i * 2, true) + offset + f * 150, true);
  }
  return out;
}

/**
 * buildDisc's multi-patient disc plus one MR series of patient A whose pictures differ from each other, as a folder,
 * an .iso image (xorriso) and a .zip (Info-ZIP).
 */
export async function makeImagingDisc(): Promise<ImagingDisc> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-imaging-disc-'));
  const disc = await buildDisc(path.join(dir, 'CD'), { dicomdir: true });
  const study = { uid: disc.uids.studyA2, description: 'MR BRAIN', date: '20240315' };
  const series = { uid: uid(), number: 2, modality: 'MR', description: STEP_SERIES };
  const spec: ImageSpec = { rows: 96, columns: 128, bitsAllocated: 16, signed: true, windowCenter: 0, windowWidth: 1200 };
  const patient = { name: 'DOE^JANE', id: 'PID-1', birthDate: '19700115', sex: 'F' };
  const folder = path.join(disc.root, 'DICOM/P1/S2/SE2');
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 1; i <= 4; i += 1) {
    const file = makeInstance({ patient, study, series, sopClassUid: '1.2.840.10008.5.1.4.1.1.4', instanceNumber: i, image: { ...spec, pixels: shifted(spec, (i - 1) * 250) } });
    fs.writeFileSync(path.join(folder, `IM${i}`), file);
  }
  const multi = makeInstance({ patient, study, series, sopClassUid: '1.2.840.10008.5.1.4.1.1.4', instanceNumber: 5, image: { ...spec, frames: 3, pixels: shifted(spec, -400, 3) } });
  fs.writeFileSync(path.join(folder, 'IM5'), multi);
  const iso = path.join(dir, 'hospital-disc.iso');
  await makeIso(disc.root, iso);
  const zip = path.join(dir, 'hospital-disc.zip');
  await run('zip', ['-q', '-r', zip, '.'], { cwd: disc.root });
  return { disc, iso, zip, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A vault for Jane Doe (made through the core), opened on the Imaging screen. */
export async function openImaging(page: Page, app: AppHarness): Promise<void> {
  const created = await app.core.call('vault.create', { profile: JANE, passphrase: PASSPHRASE });
  expect(created.ok, JSON.stringify(created)).toBe(true);
  await app.open();
  await page.getByRole('link', { name: 'Imaging' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Scans and images' })).toBeVisible();
}

/** Every series thumbnail on the page has loaded and has pixels. */
export async function expectThumbnailsDrawn(page: Page, atLeast: number): Promise<void> {
  const thumbs = page.locator('img.imaging-thumb');
  await expect(thumbs).toHaveCount(atLeast);
  for (const thumb of await thumbs.all()) {
    await thumb.scrollIntoViewIfNeeded();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
}
