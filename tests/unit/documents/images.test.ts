import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_MESSAGES } from '../../../electron/core/documents/analysis/errors';
import { extractDocumentText } from '../../../electron/core/documents/analysis/extract-text';
import { imagePageToPng, imageThumbnail, inspectImage, readImagePages } from '../../../electron/core/documents/analysis/images';
import { MAX_IMAGE_PIXELS } from '../../../electron/core/documents/analysis/limits';
import { prepareForOcr } from '../../../electron/core/documents/analysis/ocr';
import { makeBombPng, makeMultiPageTiff, rejection, writeFixture } from '../../fixtures/documents/generate';
import { tempDir } from '../../helpers/temp';

const page = (width: number, height: number, shade: string) =>
  sharp({ create: { width, height, channels: 3, background: shade } }).png().toBuffer();

describe('pictures as pages', () => {
  it('reads a multi-page TIFF as pages, one decode at a time', async () => {
    const tiff = await makeMultiPageTiff([await page(300, 400, '#ffffff'), await page(300, 400, '#808080'), await page(300, 400, '#000000')]);
    const file = writeFixture(tempDir(), 'fax.tif', tiff);
    expect(await inspectImage(file)).toEqual({ format: 'tiff', pageCount: 3, width: 300, height: 400 });
    const pages = [];
    for await (const item of readImagePages(file)) pages.push(item);
    expect(pages.map(({ page: number, pageCount }) => [number, pageCount])).toEqual([[1, 3], [2, 3], [3, 3]]);
    // Each page decodes to its own pixels.
    const means = [];
    for (const item of pages) {
      const stats = await sharp(await imagePageToPng(item.image)).stats();
      means.push(Math.round(stats.channels[0]!.mean));
    }
    expect(means).toEqual([255, 128, 0]);
  });

  it('extracts a TIFF without OCR: every page listed, a thumbnail of the first', async () => {
    const tiff = await makeMultiPageTiff([await page(600, 800, '#ffffff'), await page(600, 800, '#eeeeee')]);
    const file = writeFixture(tempDir(), 'scan.tiff', tiff);
    const progress: number[] = [];
    const result = await extractDocumentText(file, { onProgress: (p) => progress.push(p.page) });
    expect(result).toMatchObject({ kind: 'tiff', pageCount: 2 });
    expect(result.pages).toEqual([
      { page: 1, text: '', source: 'none', confidence: null },
      { page: 2, text: '', source: 'none', confidence: null },
    ]);
    expect(progress).toEqual([1, 2]);
    const meta = await sharp(result.thumbnail!).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 256, height: Math.round((256 * 800) / 600) });
  });

  it('honours EXIF orientation (a phone photo stored sideways with a "rotate" tag)', async () => {
    const stored = await sharp(await page(400, 200, '#ffffff')).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const thumbnail = await imageThumbnail({ input: stored }, { width: 100 });
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 100, height: 200 });
    const prepared = await prepareForOcr(stored);
    expect(prepared.height).toBeGreaterThan(prepared.width);
    // And an extra turn found by OCR composes with it.
    const turned = await imageThumbnail({ input: stored }, { width: 100, rotation: 90 });
    expect(await sharp(turned).metadata()).toMatchObject({ width: 100, height: 50 });
  });

  it('reads transparent PNGs as paper, not ink', async () => {
    const transparent = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const prepared = await prepareForOcr(transparent);
    expect(prepared.ink).toBe(0);
  });
});

describe('pictures that cannot be read', () => {
  it('refuses a decompression bomb from its header, before decoding', async () => {
    const dir = tempDir();
    // 50000 × 50000 = 2.5 gigapixels in a file of a few hundred bytes.
    const bomb = writeFixture(dir, 'bomb.png', makeBombPng(50_000, 50_000));
    // 9500 × 9500 = 90 MP: under libvips' own default limit, so our check is what stops it.
    const large = writeFixture(dir, 'large.png', makeBombPng(9_500, 9_500));
    expect(9_500 * 9_500).toBeGreaterThan(MAX_IMAGE_PIXELS);
    const rssBefore = process.memoryUsage().rss;
    for (const file of [bomb, large]) {
      for (const attempt of [() => extractDocumentText(file), () => inspectImage(file), () => prepareForOcr({ input: file })]) {
        const error = await rejection(attempt());
        expect(error).toMatchObject({ code: 'INVALID_INPUT', problem: 'too-large', message: DOCUMENT_MESSAGES.tooManyPixels });
      }
    }
    // Nothing was decoded: a decoded 90 MP greyscale page alone would be 90 MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a damaged JPEG with a clear message', async () => {
    const jpeg = await sharp(await page(200, 200, '#ffffff')).jpeg().toBuffer();
    const file = writeFixture(tempDir(), 'cut.jpg', jpeg.subarray(0, 40));
    const error = await rejection(extractDocumentText(file));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', problem: 'damaged', message: DOCUMENT_MESSAGES.damagedImage });
  });
});
