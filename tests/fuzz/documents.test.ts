/**
 * Parser-level fuzzing of the document importer: PDFs (pdf.js: open, page text, rendering), pictures (sharp: header
 * check, pages, decode, thumbnail), content sniffing, the text of reports found on discs (HTML, RTF, plain text) and
 * the guesses made from any text (type, dates, facility, clinician, title, whose document it is). Mutated valid seeds,
 * hand-made hostile PDFs (deep nesting, absurd counts and lengths, page-tree loops), and pathological text.
 * OCR is left out here (it is slow and has its own tests): pages that would need it come back with source 'none'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkPatient,
  classifyDocument,
  guessClinician,
  guessFacility,
  guessServiceDate,
  guessTitle,
} from '../../electron/core/documents/analysis/classify';
import { findDates } from '../../electron/core/documents/analysis/dates';
import { extractDocumentText } from '../../electron/core/documents/analysis/extract-text';
import { imagePageToPng, imageThumbnail, inspectImage, readImagePages } from '../../electron/core/documents/analysis/images';
import { openPdf } from '../../electron/core/documents/analysis/pdf';
import { sniffBytes } from '../../electron/core/documents/analysis/sniff';
import { htmlToText, pdfBytesToDocument, rtfToText, textReportToPages } from '../../electron/core/documents/from-bytes';
import { tempDir } from '../helpers/temp';
import { expectCleanError, valueOrCleanError } from './checks';
import { fc, fuzz, memoryBudget, timed, timeoutFor } from './harness';
import { caseArbitrary, describeCase, mutate, type Seed } from './mutate';
import { hostilePdf } from './pdf-hostile';
import { imageSeeds, pdfSeeds } from './seeds';

/** A hung pdf.js call is ended after this long (the app's default is 30 s; shorter keeps the run short). */
const PDF_TIMEOUT_MS = 4_000;

let pdfs: Seed[] = [];
let images: Seed[] = [];

beforeAll(async () => {
  pdfs = await pdfSeeds();
  images = await imageSeeds();
});

/** Opens a PDF as the importer does and reads up to three pages and a small rendering; returns the page count. */
async function exercisePdf(bytes: Uint8Array, context: string): Promise<number | null> {
  const reader = await valueOrCleanError(() => openPdf(new Uint8Array(bytes), { timeoutMs: PDF_TIMEOUT_MS }), `${context} open`);
  if (!reader) return null;
  try {
    expect(Number.isSafeInteger(reader.pageCount) && reader.pageCount >= 1, context).toBe(true);
    for (let page = 1; page <= Math.min(3, reader.pageCount); page += 1) {
      const text = await valueOrCleanError(() => reader.readText(page), `${context} page ${page}`);
      if (text) expect(typeof text.text, context).toBe('string');
    }
    const rendered = await valueOrCleanError(() => reader.render(1, { width: 48, maxPixels: 200_000 }), `${context} render`);
    if (rendered) expect(rendered.width * rendered.height, context).toBeLessThanOrEqual(200_000);
    return reader.pageCount;
  } finally {
    await reader.close();
  }
}

describe('PDF', () => {
  it('opens mutated PDFs, reads their text and renders a page, or says they are damaged', { timeout: timeoutFor(350, 60) }, async () => {
    const memory = memoryBudget(192);
    let opened = 0;
    await fuzz(
      'pdf',
      caseArbitrary(pdfs.length, 6, { text: true }),
      async (value) => {
        const context = describeCase(pdfs, value);
        if ((await exercisePdf(mutate(pdfs[value.seed]!, value.ops), context)) !== null) opened += 1;
        memory.sample();
      },
      { runs: 350, caseMs: 10_000, shrink: false },
    );
    memory.check('pdf');
    // Pages were read and rendered in some cases, not only "damaged" answers checked.
    expect(opened, 'no mutated PDF opened').toBeGreaterThan(0);
  });

  it('reads PDFs built to be hostile: deep nesting, absurd counts and lengths, page-tree loops', { timeout: timeoutFor(120, 200) }, async () => {
    const hostile = fc.record({
      kind: fc.constantFrom('nested-arrays', 'nested-dicts', 'count', 'kids-loop', 'length', 'xref', 'many-pages', 'stream-filters', 'big-mediabox', 'bits-per-component', 'inline-image'),
      n: fc.oneof(fc.constantFrom(0, 1, -1, 2147483647, 4294967296), fc.integer({ min: 2, max: 200_000 })),
    });
    await fuzz(
      'pdf-hostile',
      hostile,
      async ({ kind, n }) => {
        const bytes = hostilePdf(kind, n);
        const context = `${kind} n=${n}`;
        const pages = await exercisePdf(bytes, context);
        if (pages !== null) expect(pages, context).toBeLessThanOrEqual(Math.max(2, kind === 'many-pages' ? Math.min(Math.abs(n), 5000) : 2));
        // Reports on discs go through the same reader with the app's default time limit: only PDFs that do not hang.
        if (!kind.includes('image') && kind !== 'bits-per-component') {
          const asDisc = await valueOrCleanError(() => pdfBytesToDocument(bytes), `${context} disc report`);
          if (asDisc) expect(asDisc.pages.length, context).toBeGreaterThan(0);
        }
      },
      { runs: 120, caseMs: 20_000 },
    );
  });

  it('extracts text of mutated PDFs and pictures through the import entry point (without OCR)', { timeout: timeoutFor(300, 60) }, async () => {
    const dir = tempDir('so-fuzz-extract-');
    const seeds = [...pdfs, ...images];
    let extractedCount = 0;
    await fuzz(
      'extract-document-text',
      caseArbitrary(seeds.length, 4, { text: true }),
      async (value) => {
        const context = describeCase(seeds, value);
        const file = path.join(dir, `case${value.seed < pdfs.length ? '.pdf' : '.png'}`);
        fs.writeFileSync(file, mutate(seeds[value.seed]!, value.ops));
        const extracted = await valueOrCleanError(() => extractDocumentText(file, { ocr: null, pdfTimeoutMs: PDF_TIMEOUT_MS }), context);
        if (extracted) {
          extractedCount += 1;
          expect(extracted.pages.length, context).toBe(extracted.pageCount);
          for (const page of extracted.pages) expect(['text-layer', 'ocr', 'none'], context).toContain(page.source);
        }
      },
      { runs: 300, caseMs: 10_000 },
    );
    expect(extractedCount, 'no mutated file gave any text').toBeGreaterThan(0);
  });
});

describe('pictures', () => {
  it('checks, decodes and thumbnails mutated PNG, JPEG and TIFF files, or says they are damaged or too large', { timeout: timeoutFor(800, 20) }, async () => {
    const memory = memoryBudget(192);
    let inspected = 0;
    await fuzz(
      'images',
      caseArbitrary(images.length),
      async (value) => {
        const context = describeCase(images, value);
        const bytes = mutate(images[value.seed]!, value.ops);
        const sniffed = sniffBytes(bytes.subarray(0, 1024), 'scan.png');
        if (sniffed.kind === 'unsupported') expectCleanError({ code: 'INVALID_INPUT', message: sniffed.reason }, `${context} sniff`);
        const info = await valueOrCleanError(() => inspectImage(bytes), `${context} inspect`);
        if (!info) return;
        inspected += 1;
        expect(info.pageCount, context).toBeGreaterThanOrEqual(1);
        expect(info.width * info.height, context).toBeLessThanOrEqual(80_000_000);
        let pages = 0;
        await valueOrCleanError(async () => {
          for await (const page of readImagePages(bytes)) {
            pages += 1;
            if (pages <= 2) await valueOrCleanError(() => imagePageToPng(page.image), `${context} page ${page.page}`);
            if (pages > 1000) break;
          }
        }, `${context} pages`);
        await valueOrCleanError(() => imageThumbnail({ input: bytes, page: 0 }, { width: 32 }), `${context} thumbnail`);
        memory.sample();
      },
      { runs: 800, caseMs: 8_000 },
    );
    memory.check('images');
    expect(inspected, 'no mutated picture passed the header check').toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Text: reports on discs (HTML/RTF/TXT) and every guess made from a document's text.

const TOKENS = [
  '<', '>', '<script', '</script>', '<style', '<head', '<!--', '&', '&amp;', '&#', '&#x', '&#9999999999;', '{\\fonttbl', '{\\*', '\\par ', "\\'e9", '{', '}', '\\',
  ' ', '  ', '\t', '\n', '\r\n', '\n\n\n', '.', ',', ':', '/', '-', '|', ' | ', ' - ', '•', '—',
  'Dr.', 'Dr ', 'MD', 'M.D.', 'PhD', 'Signed by:', 'signed by ', 'Pathologist:', 'Physician: ', 'Patient:', 'Name:', 'DOB:', 'Date of birth',
  'Hospital', 'Medical Center', 'Clinic', 'Laboratory', 'Department of', 'Report', 'REPORT', 'Pathology', 'carcinoma', 'biopsy', 'CT', 'MRI',
  '01/02/2024', '2024-13-45', '12.31.1999', 'March 3, 2024', '3 March 2024', '1999', '0', '99999999', '12/', '/12/', '2024-',
  'A', 'Zz', 'Ünïcödé', 'مرحبا', '漢字', '\u202e', '\u200b', '\u0000', '\uffff', '\ud83d\ude00', 'x'.repeat(50),
];

/**
 * Text made of repeated tokens: runs of one token (the usual trigger of slow regular expressions) and mixtures. The
 * case is the recipe (token, count), so a failure prints a short counterexample rather than 100 KB of text.
 */
const textRecipe = fc.array(
  fc.record({ token: fc.nat({ max: TOKENS.length - 1 }), repeat: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 100, max: 40_000 })) }),
  { minLength: 1, maxLength: 6 },
);

function textOf(recipe: Array<{ token: number; repeat: number }>): string {
  return recipe
    .map(({ token, repeat }) => {
      const piece = TOKENS[token]!;
      return piece.repeat(Math.max(1, Math.min(repeat, Math.floor(120_000 / piece.length))));
    })
    .join('');
}

function describeRecipe(recipe: Array<{ token: number; repeat: number }>): string {
  return recipe.map(({ token, repeat }) => `${JSON.stringify(TOKENS[token])}×${repeat}`).join(' + ');
}

describe('text of reports and guesses from text', () => {
  it('turns hostile HTML, RTF and plain-text reports into text in bounded time', { timeout: timeoutFor(400, 50) }, async () => {
    await fuzz(
      'report-text',
      textRecipe,
      async (recipe) => {
        const text = textOf(recipe);
        const what = describeRecipe(recipe);
        const bytes = Buffer.from(text, 'utf8');
        for (const format of ['html', 'rtf', 'txt'] as const) {
          const { value: pages, ms } = await timed(() => textReportToPages(bytes, format));
          expect(ms, `${format} report of ${text.length} chars (${what}) took ${ms} ms`).toBeLessThan(2_000);
          expect(pages).toHaveLength(1);
        }
        expect(typeof htmlToText(text)).toBe('string');
        expect(typeof rtfToText(text)).toBe('string');
      },
      { runs: 400, caseMs: 10_000 },
    );
  });

  it('guesses type, dates, facility, clinician, title and patient from hostile text in bounded time', { timeout: timeoutFor(300, 60) }, async () => {
    await fuzz(
      'classify',
      textRecipe,
      async (recipe) => {
        const text = textOf(recipe);
        const { ms } = await timed(() => {
          const classification = classifyDocument(text);
          guessServiceDate(text, { birthDate: '1971-04-09' });
          guessFacility(text);
          guessClinician(text);
          guessTitle(text, classification.type);
          checkPatient(text, { fullName: 'Zyxwvut Testpatient', birthDate: '1971-04-09' });
          findDates(text);
        });
        expect(ms, `guesses from ${text.length} chars (${describeRecipe(recipe)}) took ${ms} ms`).toBeLessThan(3_000);
      },
      { runs: 300, caseMs: 15_000 },
    );
  });
});
