import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { textPdf } from '../helpers/pdf';
import { PASSPHRASE, PATIENT } from './flows';
import { expect, type AppHarness, type Page } from './fixtures';

/**
 * Synthetic documents for the library tests. Every person and place here is made up; the patient matches the
 * vault created by `createVault` (Maria Example, born 15 March 1962), except where a test needs someone else.
 */
const BIRTH = `${PATIENT.birth.month}/${PATIENT.birth.day}/${PATIENT.birth.year}`;

export const PATHOLOGY_PAGES = [
  [
    'SURGICAL PATHOLOGY REPORT',
    'Riverside Cancer Center, Department of Pathology',
    `Patient: Example, Maria    DOB: ${BIRTH}`,
    'Date of procedure: 03/14/2025',
    'Specimen: Left breast, core needle biopsy',
    'Diagnosis: Invasive ductal carcinoma, Nottingham grade 2 (score 6/9).',
    'Electronically signed by Alma Quillfeather, MD, Pathologist',
  ].join('\n'),
  [
    'SURGICAL PATHOLOGY REPORT (continued)',
    'Estrogen receptor: positive (95%). Progesterone receptor: positive (40%).',
    'HER2 by IHC: 1+ (negative). Ki-67: 15%.',
    'Comment: margins will be assessed at excision.',
  ].join('\n'),
];

export const RADIOLOGY = [
  'DIAGNOSTIC MAMMOGRAM AND ULTRASOUND REPORT',
  'Lakeside Imaging Associates',
  `Patient: Maria Example   Date of birth: ${PATIENT.birth.year}-${PATIENT.birth.month}-${PATIENT.birth.day}`,
  'Exam date: February 20, 2025',
  "Findings: irregular mass in the left breast at 2 o'clock, 2.1 cm. BI-RADS 5.",
  'Impression: highly suggestive of malignancy. Ultrasound-guided biopsy recommended.',
  'Radiologist: Tobias Fernweather, MD',
].join('\n');

export const OTHER_PATIENT_LAB = [
  'LABORATORY RESULTS',
  'Patient: Someone Else    DOB: 01/02/1950',
  'Collection date: 01/05/2025',
  'Hemoglobin 13.1 g/dL   WBC 6.2   Platelets 250',
].join('\n');

/** A picture of a printed medication list (for OCR), drawn by sharp from SVG text. */
export async function medicationListPng(): Promise<Buffer> {
  const lines = ['MEDICATION LIST', `Patient: Maria Example   DOB: ${BIRTH}`, 'Date: 04/02/2025', 'Letrozole 2.5 mg tablet once daily', 'Calcium with vitamin D daily'];
  const text = lines
    .map((line, index) => `<text x="40" y="${80 + index * 56}" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" fill="#111">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface SampleFiles {
  dir: string;
  pathology: string;
  radiology: string;
  otherPatient: string;
  medicationList: string;
  broken: string;
  notes: string;
  cleanup(): Promise<void>;
}

/** Writes the sample files into a new temporary folder. */
export async function writeSamples(): Promise<SampleFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-library-samples-'));
  const file = (name: string) => path.join(dir, name);
  const samples: SampleFiles = {
    dir,
    pathology: file('pathology report.pdf'),
    radiology: file('mammogram.pdf'),
    otherPatient: file('lab results.pdf'),
    medicationList: file('medications.png'),
    broken: file('broken.pdf'),
    notes: file('notes.txt'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await writeFile(samples.pathology, await textPdf(PATHOLOGY_PAGES));
  await writeFile(samples.radiology, await textPdf([RADIOLOGY]));
  await writeFile(samples.otherPatient, await textPdf([OTHER_PATIENT_LAB]));
  await writeFile(samples.medicationList, await medicationListPng());
  await writeFile(samples.broken, '%PDF-1.7\n1 0 obj <<>> garbage without end');
  await writeFile(samples.notes, 'Questions for the next appointment.\n');
  return samples;
}

/**
 * A new vault for the test patient, made through the contract (the onboarding screens have their own tests), with
 * the given files imported by the same call the UI makes; the app opened on Records.
 */
export async function libraryWith(page: Page, app: AppHarness, paths: string[]): Promise<void> {
  const profile = { fullName: PATIENT.name, birthDate: `${PATIENT.birth.year}-${PATIENT.birth.month}-${PATIENT.birth.day}` };
  const created = await app.core.call('vault.create', { profile, passphrase: PASSPHRASE });
  expect(created.ok, JSON.stringify(created)).toBe(true);
  if (paths.length > 0) {
    const result = await app.core.call('documents.import', { paths });
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
  await app.open();
  await openRecords(page);
}

export async function openRecords(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Records', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your records' })).toBeVisible();
}

/** How many pixels of a canvas are not (near) white: a drawn page has many. */
export async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let index = 0; index < data.length; index += 4) {
      if ((data[index] ?? 255) < 200 || (data[index + 1] ?? 255) < 200 || (data[index + 2] ?? 255) < 200) inked += 1;
    }
    return inked;
  });
}
