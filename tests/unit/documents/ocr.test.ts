import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDocument, guessServiceDate } from '../../../electron/core/documents/analysis/classify';
import { extractDocumentText, type ExtractProgress } from '../../../electron/core/documents/analysis/extract-text';
import { readImagePages } from '../../../electron/core/documents/analysis/images';
import { createOcrService, type OcrPageProgress, type OcrService } from '../../../electron/core/documents/analysis/ocr';
import {
  hasSystemFont,
  makeMultiPageTiff,
  makePhotoJpeg,
  makeScannedPdf,
  rejection,
  renderTextImage,
  writeFixture,
} from '../../fixtures/documents/generate';
import { PROFILE, SAMPLES } from '../../fixtures/documents/texts';
import { tempDir } from '../../helpers/temp';

// Text images are rendered from SVG with a system font; without one (apt-get install fonts-dejavu-core) the
// scans would be blank and these tests could not say anything.
const fonts = hasSystemFont();
if (!fonts) console.warn('No system font found (apt-get install fonts-dejavu-core): OCR tests are skipped.');

const sample = (id: string) => SAMPLES.find((item) => item.id === id)!;
/** The first lines of a sample, cut to fit a page image. */
const excerpt = (id: string, lines: number, width = 70) =>
  sample(id).text.split('\n').slice(0, lines).map((line) => line.slice(0, width)).join('\n');

/** Words (not exact strings) that must appear in OCR output, case-insensitively. */
function expectWords(text: string, words: string[]): void {
  const found = text.toLowerCase();
  const missing = words.filter((word) => !found.includes(word.toLowerCase()));
  expect(missing, `missing from OCR text:\n${text}`).toEqual([]);
}

describe.skipIf(!fonts)('OCR', () => {
  let ocr: OcrService;
  beforeAll(() => {
    ocr = createOcrService();
  });
  afterAll(async () => {
    await ocr.close();
    expect(ocr.workerCount).toBe(0);
  });

  it('reads an image-only PDF (noisy, slightly skewed scan) and leaves a blank page empty', async () => {
    const scan = await renderTextImage(sample('pathology-core-biopsy').text.split('\n').map((l) => l.slice(0, 80)).join('\n'), {
      width: 1800,
      fontSize: 30,
      skewDegrees: 1.5,
      noise: 0.01,
    });
    const blank = await renderTextImage('', { width: 1800, height: 1000 });
    const file = writeFixture(tempDir(), 'scanned.pdf', await makeScannedPdf([scan, blank]));
    const progress: ExtractProgress[] = [];
    const started = performance.now();
    const result = await extractDocumentText(file, { ocr, onProgress: (p) => progress.push(p) });
    console.log(`scanned PDF, 2 pages at 300 dpi: ${((performance.now() - started) / 1000).toFixed(1)} s`);

    expect(result.kind).toBe('pdf');
    expect(progress).toEqual([
      { page: 1, pageCount: 2, source: 'ocr' },
      { page: 2, pageCount: 2, source: 'none' },
    ]);
    const [first, second] = result.pages;
    expect(first).toMatchObject({ page: 1, source: 'ocr', rotation: 0 });
    expect(first!.confidence).toBeGreaterThanOrEqual(70);
    expectWords(first!.text, ['surgical', 'pathology', 'report', 'specimen', 'diagnosis', 'carcinoma', 'Nottingham', 'breast']);
    expect(second).toMatchObject({ page: 2, text: '', source: 'none', confidence: 0 });
    // What the rest of the app does with the text works on OCR output too.
    expect(classifyDocument(first!.text).type).toBe('pathology');
    expect(guessServiceDate(first!.text, { birthDate: PROFILE.birthDate })?.date).toBe('2025-03-14');
    expect(result.thumbnail).not.toBeNull();
  });

  it('reads a phone photo taken sideways (90°) and turns its thumbnail upright', async () => {
    const photo = await makePhotoJpeg(excerpt('radiology-mri', 8, 60), { rotation: 90 });
    const file = writeFixture(tempDir(), 'IMG_2041.jpg', photo);
    const result = await extractDocumentText(file, { ocr });
    expect(result).toMatchObject({ kind: 'jpeg', pageCount: 1 });
    const [page] = result.pages;
    expect(page).toMatchObject({ source: 'ocr', rotation: 270 });
    expect(page!.confidence).toBeGreaterThanOrEqual(70);
    expectWords(page!.text, ['Lakeside', 'Imaging', 'radiology', 'report', 'MRI', 'bilateral', 'breast', 'contrast']);
    const thumb = await sharp(result.thumbnail!).metadata();
    expect(thumb.width).toBe(256);
    expect(thumb.height!).toBeLessThan(thumb.width!); // the page is wider than tall once upright
  });

  it('reads each page of a multi-page TIFF, reporting page by page', async () => {
    const pages = await Promise.all([
      renderTextImage(excerpt('lab-cbc', 6, 60), { width: 1400, height: 500, fontSize: 32 }),
      renderTextImage(excerpt('medication-list-current', 6, 60), { width: 1400, height: 500, fontSize: 32 }),
    ]);
    const file = writeFixture(tempDir(), 'fax.tif', await makeMultiPageTiff(pages));
    const progress: OcrPageProgress[] = [];
    const images = (async function* () {
      for await (const item of readImagePages(file)) yield item.image;
    })();
    const results = await ocr.recognizePages(images, { pageCount: 2, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.page, p.pageCount])).toEqual([[1, 2], [2, 2]]);
    expectWords(results[0]!.text, ['Meridian', 'Laboratories', 'laboratory', 'report', 'blood', 'count']);
    expectWords(results[1]!.text, ['current', 'medication', 'list', 'letrozole', 'tablet']);
    for (const result of results) expect(result.confidence).toBeGreaterThanOrEqual(70);
  });

  it('cancels a page being read (ending its worker), then keeps working with a fresh worker', async () => {
    const page = await renderTextImage(excerpt('discharge-neutropenic', 10), { width: 2400, fontSize: 30, noise: 0.02 });
    const controller = new AbortController();
    const reading = ocr.recognize(page, { signal: controller.signal });
    reading.catch(() => {});
    // Abort once Tesseract is really working on it, so cancelling has to stop a worker thread mid-page.
    while (ocr.busyWorkers === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    controller.abort();
    const error = await rejection(reading);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(ocr.workerCount).toBe(0); // the worker that was reading was terminated
    // An already-cancelled signal stops before any work.
    await expect(ocr.recognize(page, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
    const small = await renderTextImage('Discharge summary', { width: 900, height: 300, fontSize: 40 });
    expectWords((await ocr.recognize(small)).text, ['discharge', 'summary']);
    expect(ocr.workerCount).toBe(1);
  });
});

describe.skipIf(!fonts)('OCR service lifecycle', () => {
  it('starts workers lazily, reuses one, and ends them on close()', async () => {
    const service = createOcrService();
    expect(service.workerCount).toBe(0);
    const image = await renderTextImage('Treatment plan', { width: 900, height: 300, fontSize: 40 });
    const [a, b] = await Promise.all([service.recognize(image), service.recognize(image)]);
    expect(service.workerCount).toBe(1); // two calls queued on the single worker
    expectWords(a.text + b.text, ['treatment', 'plan']);
    await service.close();
    expect(service.workerCount).toBe(0);
    await expect(service.recognize(image)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('close() ends a page being read instead of leaving it waiting forever', async () => {
    const service = createOcrService();
    const page = await renderTextImage(excerpt('operative-lumpectomy', 10), { width: 2400, fontSize: 30, noise: 0.02 });
    const reading = service.recognize(page);
    reading.catch(() => {});
    while (service.busyWorkers === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await service.close();
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(service.workerCount).toBe(0);
  });
});
