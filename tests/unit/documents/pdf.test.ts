import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import sharp from 'sharp';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { classifyDocument, guessServiceDate } from '../../../electron/core/documents/analysis/classify';
import { DOCUMENT_MESSAGES } from '../../../electron/core/documents/analysis/errors';
import { extractDocumentText, type ExtractProgress } from '../../../electron/core/documents/analysis/extract-text';
import { isUsableText, openPdf } from '../../../electron/core/documents/analysis/pdf';
import {
  encryptPdf,
  hasTool,
  makeManyPagePdf,
  makeTextPdf,
  makeZeroPagePdf,
  rejection,
  renderTextImage,
  writeFixture,
} from '../../fixtures/documents/generate';
import { PROFILE, SAMPLES } from '../../fixtures/documents/texts';
import { tempDir } from '../../helpers/temp';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];

describe('text PDFs of each document type', () => {
  it.each(SAMPLES.filter((sample) => sample.type !== 'other').map((sample) => [sample.id, sample] as const))(
    '%s: text layer read, type and date recognised',
    async (_id, sample) => {
      const file = writeFixture(tempDir(), `${sample.id}.pdf`, await makeTextPdf([sample.text]));
      const result = await extractDocumentText(file, { thumbnail: false });
      expect(result).toMatchObject({ kind: 'pdf', pageCount: 1, thumbnail: null });
      expect(result.pages).toEqual([{ page: 1, text: expect.any(String), source: 'text-layer', confidence: null }]);
      const text = result.pages[0]!.text;
      // Line structure survives, so labels stay next to their values.
      expect(text.split('\n').length).toBeGreaterThanOrEqual(sample.text.split('\n').length);
      expect(classifyDocument(text).type).toBe(sample.type);
      expect(guessServiceDate(text, { birthDate: PROFILE.birthDate })?.date).toBe(sample.date);
    },
  );

  it('reads a multi-page PDF page by page, in order, with a first-page thumbnail', async () => {
    const pages = SAMPLES.slice(0, 4).map((sample) => sample.text);
    const file = writeFixture(tempDir(), 'multi.pdf', await makeTextPdf(pages));
    const progress: ExtractProgress[] = [];
    const result = await extractDocumentText(file, { onProgress: (p) => progress.push(p) });
    expect(result.pageCount).toBe(4);
    expect(progress).toEqual([1, 2, 3, 4].map((page) => ({ page, pageCount: 4, source: 'text-layer' })));
    expect(result.pages.map((page) => page.page)).toEqual([1, 2, 3, 4]);
    expect(result.pages[2]!.text).toContain('MRI BILATERAL BREAST');
    expect([...result.thumbnail!.subarray(0, 3)]).toEqual(JPEG_MAGIC);
    const meta = await sharp(result.thumbnail!).metadata();
    expect(meta.width).toBe(256);
    expect(meta.height).toBe(Math.round((256 * 792) / 612));
  });

  it('marks pages without usable text for OCR: blank, a few characters, or a scan under a printed header', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([612, 792]).drawText('Final diagnosis: invasive ductal carcinoma of the left breast.', { x: 48, y: 700, size: 11, font });
    doc.addPage([612, 792]); // blank
    doc.addPage([612, 792]).drawText('Page 3 of 4', { x: 48, y: 40, size: 9, font });
    // A scanned page with a portal's printed header (text layer, but the content is in the picture).
    const scan = await doc.embedPng(await renderTextImage('Specimen: left breast core biopsy', { width: 1200, height: 800 }));
    const last = doc.addPage([612, 792]);
    last.drawImage(scan, { x: 0, y: 200, width: 612, height: 408 });
    last.drawText('Printed from MyChart by patient on 05/01/2025 10:15', { x: 48, y: 760, size: 8, font });
    const reader = await openPdf(await doc.save());
    try {
      const pages = [];
      for await (const page of reader.pages()) pages.push(page);
      expect(pages.map((page) => page.needsOcr)).toEqual([false, true, true, true]);
      expect(pages[0]!.text).toContain('invasive ductal carcinoma');
      expect(pages[3]!.text).toContain('Printed from MyChart');
      // Rendering for OCR: ~300 dpi, greyscale PNG, bounded pixel count.
      const rendered = await reader.render(4);
      expect(rendered).toMatchObject({ width: 2550, height: 3300, dpi: 300 });
      expect((await sharp(rendered.png).metadata()).channels).toBe(1);
      const bounded = await reader.render(4, { dpi: 600, maxPixels: 4_000_000 });
      expect(bounded.width * bounded.height).toBeLessThanOrEqual(4_000_000);
      expect(bounded.dpi).toBeLessThan(300);
    } finally {
      await reader.close();
    }
    expect(isUsableText('™™™ ©©© ®®® ¶¶¶ §§§ ••• ‡‡‡ abc')).toBe(false); // a broken font encoding
  });

  it('opens a PDF that only has an owner password (no password needed to read)', async (context) => {
    if (!hasTool('qpdf')) context.skip('qpdf is not installed (apt-get install qpdf)');
    const dir = tempDir();
    const plain = writeFixture(dir, 'plain.pdf', await makeTextPdf([SAMPLES[0]!.text]));
    const restricted = path.join(dir, 'restricted.pdf');
    encryptPdf(plain, restricted, ''); // empty user password, owner password "owner-"
    const result = await extractDocumentText(restricted, { thumbnail: false });
    expect(result.pages[0]!.text).toContain('SURGICAL PATHOLOGY REPORT');
  });
});

describe('PDFs that cannot be read', () => {
  it('password-protected PDF: says so and what to do', async (context) => {
    if (!hasTool('qpdf')) context.skip('qpdf is not installed (apt-get install qpdf)');
    const dir = tempDir();
    const plain = writeFixture(dir, 'plain.pdf', await makeTextPdf(['Pathology report']));
    const locked = path.join(dir, 'locked.pdf');
    encryptPdf(plain, locked, 'secret-pass');
    const error = await rejection(extractDocumentText(locked));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', problem: 'password' });
    expect(error.message).toBe(
      'This PDF is protected by a password. Remove the password (for example by printing it to a new PDF) and import it again.',
    );
  });

  it('truncated PDF (a download cut short) and garbage after a PDF header are "damaged"', async () => {
    const dir = tempDir();
    const bytes = await makeTextPdf([SAMPLES[0]!.text, SAMPLES[2]!.text]);
    for (const [name, content] of [
      ['half.pdf', bytes.subarray(0, Math.floor(bytes.length / 2))],
      ['head.pdf', bytes.subarray(0, 300)],
      ['garbage.pdf', Buffer.from('%PDF-1.7\n% nothing else here but a header and some words\n')],
    ] as const) {
      const error = await rejection(extractDocumentText(writeFixture(dir, name, content)));
      expect(error, name).toMatchObject({ code: 'INVALID_INPUT', problem: 'damaged', message: DOCUMENT_MESSAGES.damagedPdf });
    }
  });

  it('PDF with zero pages', async () => {
    const file = writeFixture(tempDir(), 'empty-tree.pdf', await makeZeroPagePdf());
    const error = await rejection(extractDocumentText(file));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', problem: 'no-pages', message: DOCUMENT_MESSAGES.noPages });
  });

  it('a PDF larger than the configured cap is refused before it is read', async () => {
    const file = writeFixture(tempDir(), 'big.pdf', await makeTextPdf([SAMPLES[0]!.text]));
    const error = await rejection(extractDocumentText(file, { maxPdfBytes: 1000 }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', problem: 'too-large', message: DOCUMENT_MESSAGES.tooManyBytes });
  });
});

describe('a PDF with thousands of pages', () => {
  it('streams 2000 pages one at a time with bounded heap growth', async () => {
    const pageCount = 2000;
    const file = writeFixture(tempDir(), 'chart-export.pdf', await makeManyPagePdf(pageCount));
    gc();
    const heapAtStart = process.memoryUsage().heapUsed;
    const heapAt: Record<number, number> = {};
    let expected = 1;
    let outOfOrder = 0;
    const started = performance.now();
    const result = await extractDocumentText(file, {
      thumbnail: false,
      onProgress: ({ page, pageCount: total }) => {
        if (page !== expected || total !== pageCount) outOfOrder += 1;
        expected += 1;
        if (page === 200 || page === pageCount) {
          gc();
          heapAt[page] = process.memoryUsage().heapUsed;
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    expect(outOfOrder).toBe(0);
    expect(result.pages).toHaveLength(pageCount);
    expect(result.pages[1999]!.text).toContain('Progress note page 2000 of 2000');
    // The only thing that should grow with the page count is the extracted text itself (~150 bytes a page).
    const growth = heapAt[pageCount]! - heapAt[200]!;
    const total = heapAt[pageCount]! - heapAtStart;
    console.log(
      `2000-page PDF: ${seconds.toFixed(1)} s (${((seconds * 1000) / pageCount).toFixed(1)} ms/page), heap growth ` +
        `pages 200→2000 ${(growth / 1e6).toFixed(1)} MB, whole run ${(total / 1e6).toFixed(1)} MB`,
    );
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  it('stops promptly when cancelled mid-way', async () => {
    const file = writeFixture(tempDir(), 'long.pdf', await makeManyPagePdf(300));
    const controller = new AbortController();
    let seen = 0;
    const error = await rejection(
      extractDocumentText(file, {
        signal: controller.signal,
        onProgress: ({ page }) => {
          seen = page;
          if (page === 10) controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBe(10);
  });
});
