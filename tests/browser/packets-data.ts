import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../../electron/core/core';
import type { DocumentType, InputOf, OperationName, OutputOf } from '../../shared/contract';
import { textPdf } from '../helpers/pdf';
import { OWNER, REPORTS, writeJpegDisc, writeLargeDisc, writeOwnerDisc } from '../unit/export/fixtures';
import { PASSPHRASE } from './flows';
import { expect, type AppHarness, type Page } from './fixtures';

/**
 * Test data for the packet builder: a vault for the export fixtures' patient (made up), with text PDFs of five kinds of
 * record whose titles, types and dates are set as a person would confirm them, and imaging discs written at test time
 * (explicit VR CT + MR, JPEG ultrasound by dcmtk, a larger CT for a build that takes a moment).
 */

export { OWNER };

/** Calls an operation on the real core and returns its value, failing the test with the core's message otherwise. */
export async function must<N extends OperationName>(core: Core, operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await core.call(operation, input);
  if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<N>;
}

export const DOCS = {
  pathology: { title: 'Core biopsy pathology report', type: 'pathology', date: '2025-03-14', text: REPORTS.pathology },
  radiology: { title: 'Diagnostic mammogram report', type: 'radiology', date: '2025-02-20', text: REPORTS.radiology },
  lab: { title: 'Blood counts', type: 'lab', date: '2025-03-01', text: REPORTS.lab },
  consultation: { title: 'Oncology consultation', type: 'consultation', date: '2025-03-20', text: REPORTS.consultation },
  insurance: { title: 'Explanation of benefits', type: 'insurance', date: '2025-03-02', text: REPORTS.insurance },
} as const satisfies Record<string, { title: string; type: DocumentType; date: string; text: string }>;
export type DocName = keyof typeof DOCS;

/** The owner's disc carries a structured report, which the import files as an imaging report (in the suggestion). */
export const DISC_REPORT = 'Diagnostic Imaging Report';

/** Study descriptions on the discs (tests/unit/export/fixtures.ts). */
export const STUDIES = { ct: 'CT CHEST', mr: 'MR BREAST', jpeg: 'US BREAST', large: 'CT ABDOMEN' } as const;

export interface PacketVault {
  documents: Partial<Record<DocName | 'discReport', string>>;
  studies: Partial<Record<keyof typeof STUDIES, string>>;
}

interface Options {
  documents?: DocName[];
  /** The owner's explicit VR disc: CT CHEST (3 images + a report) and MR BREAST (2 images). */
  ownerDisc?: boolean;
  /** A JPEG-compressed ultrasound study (fits DVD and USB, not CD). */
  jpegDisc?: boolean;
  /** A CT study of this many 512 × 512 images (about 0.5 MB each). */
  largeDisc?: number;
}

async function importDisc(core: Core, dir: string, write: (root: string) => string[]): Promise<string> {
  write(dir);
  const before = new Set((await must(core, 'imaging.studies', {})).patients.flatMap((p) => p.studies.map((s) => s.uid)));
  const outcome = await must(core, 'imaging.import', { path: dir });
  expect(outcome.heldBack).toBeNull();
  const after = (await must(core, 'imaging.studies', {})).patients.flatMap((p) => p.studies.map((s) => s.uid));
  const added = after.find((uid) => !before.has(uid));
  if (!added) throw new Error('the disc added no study');
  return added;
}

/** A vault with the chosen records (made through the core: the import screens have their own tests), app opened. */
export async function packetVault(page: Page, app: AppHarness, options: Options = {}): Promise<PacketVault> {
  const core = app.core;
  await must(core, 'vault.create', { profile: OWNER, passphrase: PASSPHRASE });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-packet-sources-'));
  const vault: PacketVault = { documents: {}, studies: {} };
  try {
    const names = options.documents ?? (Object.keys(DOCS) as DocName[]);
    const paths = await Promise.all(
      names.map(async (name) => {
        const file = path.join(dir, `${name}.pdf`);
        await writeFile(file, await textPdf([DOCS[name].text]));
        return file;
      }),
    );
    if (paths.length > 0) {
      const imported = await must(core, 'documents.import', { paths });
      expect(imported.failed).toEqual([]);
      for (const item of imported.imported) {
        const name = path.basename(item.path, '.pdf') as DocName;
        const doc = DOCS[name];
        await must(core, 'documents.update', { id: item.documentId, corrections: { title: doc.title, type: doc.type, serviceDate: doc.date } });
        vault.documents[name] = item.documentId;
      }
    }
    if (options.ownerDisc ?? true) {
      const disc = path.join(dir, 'owner');
      writeOwnerDisc(disc);
      const outcome = await must(core, 'imaging.import', { path: disc });
      expect(outcome.instances.added).toBe(6);
      const preview = await must(core, 'packets.preview', {});
      vault.documents.discReport = preview.documents.find((document) => document.title === DISC_REPORT)?.id;
      expect(vault.documents.discReport).toBeDefined();
    }
    if (options.jpegDisc) vault.studies.jpeg = await importDisc(core, path.join(dir, 'jpeg'), (root) => writeJpegDisc(root));
    if (options.largeDisc) vault.studies.large = await importDisc(core, path.join(dir, 'large'), (root) => writeLargeDisc(root, options.largeDisc ?? 1));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await app.open();
  return vault;
}

/** Opens "Send records" from the navigation. */
export async function openPackets(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Send records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Send your records' })).toBeVisible();
}

/** From the log, into the wizard: its title has focus. */
export async function startWizard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Make a new packet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Make a packet of your records' })).toBeFocused();
}

/** Next at the bottom, then the new step's heading has focus. */
export async function nextStep(page: Page, heading: RegExp): Promise<void> {
  await page.getByRole('button', { name: /^Next: / }).click();
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeFocused();
}

/** What is in the output folder (absent = empty): packets and anything left behind. */
export function exportEntries(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** Every file below a folder, '/'-separated and relative, sorted. */
export function treeOf(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Runs an independent tool (unzip, isoinfo, pdftotext) and returns its output; fails the test when it fails. */
export function tool(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** The names inside a zip, as Info-ZIP lists them. */
export function zipEntries(zip: string): string[] {
  return tool('unzip', ['-Z1', zip])
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .sort();
}

/** One file from a zip, as text. */
export function zipText(zip: string, entry: string): string {
  return tool('unzip', ['-p', zip, entry]);
}

/** The text of a PDF inside a zip (poppler's pdftotext on an extracted copy). */
export async function zipPdfText(zip: string, entry: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-packet-pdf-'));
  try {
    tool('unzip', ['-q', zip, entry, '-d', dir]);
    return tool('pdftotext', ['-layout', path.join(dir, entry), '-']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The manifest's documents and files as the packet wrote them. */
export interface Manifest {
  recipient: Record<string, string>;
  documents: { id: string; title: string; file: string }[];
  files: { path: string; size: number; sha256: string }[];
}
