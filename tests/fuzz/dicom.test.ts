/**
 * Parser-level fuzzing of everything that reads DICOM bytes during a disc import and in the viewer: the header parser
 * (in one go and with growing reads), DICOMDIR hints, reports inside DICOM (encapsulated PDF, structured reports),
 * thumbnails and viewer frames. Seeds are valid instances of every kind the app reads; cases are bit flips,
 * truncations, splices, tampered length/value fields, absurd declared sizes and counts, and deep nesting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceFrame, frameToPng } from '../../electron/core/imaging/frame';
import { extractEncapsulatedPdf, structuredReportToText } from '../../electron/core/imaging/dicom/documents';
import { matchDicomdirHint, readDicomdirHint, readDicomdirHintBytes } from '../../electron/core/imaging/dicom/dicomdir';
import { dicomInstanceHeaderSchema, parseDicomHeader, parseDicomHeaderBytes } from '../../electron/core/imaging/dicom/header';
import { renderThumbnail } from '../../electron/core/imaging/thumbnail';
import { baseElements, encodeElements, SOP_CLASS, TSX, wrapPart10, type RawElement } from '../fixtures/imaging/dicom';
import { expectCleanError, expectHumanMessage, valueOrCleanError } from './checks';
import { fc, fuzz, memoryBudget, timeoutFor } from './harness';
import { caseArbitrary, describeCase, mutate, type Seed } from './mutate';
import { dicomdirSeeds, dicomSeeds, makeDicomdir } from './seeds';

const FILE_ERROR_KINDS = ['not-dicom', 'directory', 'truncated', 'corrupt', 'missing-identifiers', 'header-too-large', 'unreadable'];

/** A source entry over bytes in memory, as the disc readers provide. */
function entryOf(bytes: Buffer) {
  return { size: bytes.length, readHead: async (n: number) => bytes.subarray(0, Math.max(0, Math.min(n, bytes.length))) };
}

function byteSource(bytes: Buffer) {
  return {
    size: bytes.length,
    read: async (start: number, end: number) => bytes.subarray(Math.max(0, start), Math.max(0, Math.min(bytes.length, end + 1))),
  };
}

function checkHeaderResult(result: ReturnType<typeof parseDicomHeaderBytes>, context: string): boolean {
  if (result.ok) {
    expect(dicomInstanceHeaderSchema.safeParse(result.header).success, context).toBe(true);
  } else {
    expect(FILE_ERROR_KINDS, context).toContain(result.error.kind);
    expectCleanError(result.error, context);
  }
  return result.ok;
}

let seeds: Seed[] = [];
let dicomdirs: Seed[] = [];

beforeAll(async () => {
  seeds = await dicomSeeds();
  dicomdirs = dicomdirSeeds();
});

describe('DICOM headers', () => {
  it('parses mutated instances into a valid header or a clear per-file error', { timeout: timeoutFor(3000, 5) }, async () => {
    const memory = memoryBudget(128);
    let parsed = 0;
    await fuzz(
      'dicom-header',
      caseArbitrary(seeds.length),
      async (value) => {
        const context = describeCase(seeds, value);
        const bytes = mutate(seeds[value.seed]!, value.ops);
        if (checkHeaderResult(parseDicomHeaderBytes(bytes), context)) parsed += 1;
        // The reader used during imports: small first read, so growth and "needed" lengths are exercised too.
        checkHeaderResult(await parseDicomHeader(entryOf(bytes), { firstReadBytes: 200 }), `${context} (growing reads)`);
        // A file cut anywhere is never taken for a complete header of another file.
        checkHeaderResult(parseDicomHeaderBytes(bytes.subarray(0, bytes.length >> 1), bytes.length), `${context} (first half)`);
        memory.sample();
      },
      { runs: 3000, caseMs: 5_000 },
    );
    memory.check('dicom-header');
    // The valid-header branch was checked too, not only the errors.
    expect(parsed, 'no mutated instance parsed into a header').toBeGreaterThan(0);
  });

  it('survives deep nesting, absurd lengths and absurd counts', { timeout: timeoutFor(150, 60) }, async () => {
    const nested = fc.record({
      depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 200_000 })),
      undefinedLengths: fc.boolean(),
      closed: fc.boolean(),
      where: fc.constantFrom('sr-content', 'private', 'pixel-items'),
    });
    await fuzz(
      'dicom-deep-nesting',
      nested,
      async ({ depth, undefinedLengths, closed, where }) => {
        const bytes = deeplyNested(depth, { undefinedLengths, closed, where });
        const context = `depth ${depth} (${where}, ${undefinedLengths ? 'undefined' : 'defined'} lengths, ${closed ? 'closed' : 'open'})`;
        const header = parseDicomHeaderBytes(bytes);
        checkHeaderResult(header, context);
        // A complete file is never called incomplete ("ends in the middle"), however deep it nests.
        if (closed && where !== 'pixel-items' && !header.ok) expect(header.error.kind, context).not.toBe('truncated');
        const hint = readDicomdirHintBytes(bytes);
        expect(Array.isArray(hint.fileIds), context).toBe(true);
        await valueOrCleanError(() => structuredReportToText(bytes), `${context} SR text`);
        const thumb = await renderThumbnail(bytes);
        expect(['ok', 'unsupported', 'no-pixel-data', 'error'], context).toContain(thumb.status);
      },
      { runs: 150, caseMs: 15_000 },
    );
  });

  it('refuses or bounds absurd image sizes, frame counts and window values', { timeout: timeoutFor(300, 40) }, async () => {
    const absurd = fc.record({
      rows: fc.constantFrom(0, 1, 255, 65535),
      columns: fc.constantFrom(0, 1, 256, 65535),
      bits: fc.constantFrom(0, 1, 7, 8, 12, 16, 17, 32, 64, 65535),
      samples: fc.constantFrom(0, 1, 3, 4, 65535),
      frames: fc.constantFrom('1', '0', '-1', '3', '2147483647', '99999999999999999999', '1e9', 'NaN', ''),
      window: fc.constantFrom('40\\400', '1e308\\1e308', '-1e308\\0', 'NaN\\NaN', '0\\0', ''),
      pixelBytes: fc.constantFrom(0, 1, 2, 64, 4096),
      photometric: fc.constantFrom('MONOCHROME2', 'MONOCHROME1', 'RGB', 'PALETTE COLOR', 'YBR_FULL', 'YBR_FULL_422', 'NONSENSE'),
    });
    await fuzz(
      'dicom-absurd-image',
      absurd,
      async (spec) => {
        const bytes = absurdImage(spec);
        const context = JSON.stringify(spec);
        checkHeaderResult(parseDicomHeaderBytes(bytes), context);
        const thumb = await renderThumbnail(bytes);
        expect(['ok', 'unsupported', 'no-pixel-data', 'error'], context).toContain(thumb.status);
        if (thumb.status === 'ok') expect(Math.max(thumb.width, thumb.height), context).toBeLessThanOrEqual(256);
        if (thumb.status === 'error') expectHumanMessage(thumb.message, context);
        for (const frame of [1, 2, 1_000_000]) {
          const decoded = await valueOrCleanError(() => decodeInstanceFrame(byteSource(bytes), frame, { firstReadBytes: 128 }), `${context} frame ${frame}`);
          if (decoded) {
            const png = await frameToPng(decoded, { maxEdge: 64 });
            expect(png.png.length, context).toBeGreaterThan(0);
          }
        }
      },
      { runs: 300, caseMs: 10_000 },
    );
  });
});

describe('pictures and reports inside DICOM', () => {
  it('makes a thumbnail and viewer frames of mutated instances, or says the picture is damaged', { timeout: timeoutFor(1500, 15) }, async () => {
    const memory = memoryBudget(128);
    await fuzz(
      'dicom-pixels',
      caseArbitrary(seeds.length),
      async (value) => {
        const context = describeCase(seeds, value);
        const bytes = mutate(seeds[value.seed]!, value.ops);
        const thumb = await renderThumbnail(bytes, { format: value.ops.length % 2 ? 'webp' : 'png' });
        expect(['ok', 'unsupported', 'no-pixel-data', 'error'], context).toContain(thumb.status);
        if (thumb.status === 'ok') {
          expect(thumb.data.length, context).toBeGreaterThan(0);
          expect(Math.max(thumb.width, thumb.height), context).toBeLessThanOrEqual(256);
        }
        if (thumb.status === 'error') expectHumanMessage(thumb.message, context);
        const frame = 1 + (value.ops.length % 3);
        const decoded = await valueOrCleanError(() => decodeInstanceFrame(byteSource(bytes), frame, { firstReadBytes: 256 }), `${context} frame ${frame}`);
        if (decoded) {
          const png = await frameToPng(decoded, { maxEdge: 32, windowCenter: 10, windowWidth: 1 });
          expect(png.width, context).toBeLessThanOrEqual(32);
        }
        memory.sample();
      },
      { runs: 1500, caseMs: 8_000 },
    );
    memory.check('dicom-pixels');
  });

  it('takes PDFs and report text out of mutated instances, or throws a readable AppError', { timeout: timeoutFor(1000, 5) }, async () => {
    const found = { pdfs: 0, texts: 0 };
    await fuzz(
      'dicom-documents',
      caseArbitrary(seeds.length),
      async (value) => {
        const context = describeCase(seeds, value);
        const bytes = mutate(seeds[value.seed]!, value.ops);
        const pdf = await valueOrCleanError(() => extractEncapsulatedPdf(bytes), `${context} PDF`);
        if (pdf) {
          found.pdfs += 1;
          expect(pdf.pdf.subarray(0, 1024).includes('%PDF-'), context).toBe(true);
          expect(pdf.pdf.length, context).toBeLessThanOrEqual(bytes.length);
        }
        const text = await valueOrCleanError(() => structuredReportToText(bytes), `${context} SR`);
        if (text !== null) {
          found.texts += 1;
          expect(text.length, context).toBeLessThanOrEqual(2_100_000);
        }
      },
      { runs: 1000, caseMs: 5_000 },
    );
    // The checks on an extracted PDF and on report text ran, not only the error checks.
    expect(found.pdfs, 'no PDF was taken out of any case').toBeGreaterThan(0);
    expect(found.texts, 'no report text was read from any case').toBeGreaterThan(0);
  });
});

describe('DICOMDIR', () => {
  it('reads mutated DICOMDIRs as a (possibly damaged) hint and never escapes the disc', { timeout: timeoutFor(1500, 5) }, async () => {
    const paths = ['DICOM/P1/S1/IM1', 'DICOM/P1/S1/IM2', 'DICOM/P1/S2/IM1', 'DICOMDIR', 'README.TXT'];
    await fuzz(
      'dicomdir',
      caseArbitrary(dicomdirs.length),
      async (value) => {
        const context = describeCase(dicomdirs, value);
        const bytes = mutate(dicomdirs[value.seed]!, value.ops);
        const hint = readDicomdirHintBytes(bytes);
        const viaEntry = await readDicomdirHint(entryOf(bytes));
        expect(viaEntry, context).toEqual(hint);
        expect(typeof hint.damaged, context).toBe('boolean');
        expect(hint.fileIds.length, context).toBeLessThanOrEqual(hint.records.length);
        for (const id of hint.fileIds) {
          expect(id.split('/').some((part) => part === '..' || part === '.' || part === ''), `${context}: ${id}`).toBe(false);
          expect(id.startsWith('/'), context).toBe(false);
        }
        const match = matchDicomdirHint(hint, 'SUB/DICOMDIR', paths);
        expect(match.present.size + match.missing.length, context).toBe(hint.fileIds.length);
        for (const found of match.present.values()) expect(paths, context).toContain(found);
      },
      { runs: 1500, caseMs: 5_000 },
    );
  });

  it('copes with a DICOMDIR of absurd record counts and file IDs', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `${'..\\'.repeat(50)}X${i}` : `DICOM\\${'A'.repeat(i % 300)}\\IM${i}`));
    const started = Date.now();
    const hint = readDicomdirHintBytes(makeDicomdir(ids));
    const match = matchDicomdirHint(hint, 'DICOMDIR', ['DICOM/IM1']);
    expect(hint.records.length).toBe(20_001);
    expect(match.missing.length).toBe(hint.fileIds.length);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------

function deeplyNested(depth: number, options: { undefinedLengths: boolean; closed: boolean; where: 'sr-content' | 'private' | 'pixel-items' }): Buffer {
  const sopInstanceUid = '2.25.777';
  const tag = options.where === 'sr-content' ? [0x40, 0x00, 0x30, 0xa7] : [0x09, 0x00, 0x10, 0x10];
  let body: Buffer;
  if (options.where === 'pixel-items') {
    // Pixel Data of undefined length whose "fragments" claim to be sequences of sequences.
    const items = Array.from({ length: Math.min(depth, 50_000) }, () => Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]));
    body = Buffer.concat([Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]), ...items]);
  } else if (options.undefinedLengths) {
    const open = Buffer.from([...tag, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
    const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    body = Buffer.concat([Buffer.alloc(open.length * depth).fill(open), options.closed ? Buffer.alloc(close.length * depth).fill(close) : Buffer.alloc(0)]);
  } else {
    // Defined lengths: level k (outermost 0) is a 12-byte SQ header and an 8-byte item header whose lengths cover
    // every level inside it.
    body = Buffer.alloc(20 * depth);
    for (let k = 0; k < depth; k += 1) {
      const at = 20 * k;
      const inner = 20 * (depth - k - 1);
      body.set(tag, at);
      body.write('SQ', at + 4, 'latin1');
      body.writeUInt32LE(inner + 8, at + 8);
      body.writeUInt16LE(0xfffe, at + 12);
      body.writeUInt16LE(0xe000, at + 14);
      body.writeUInt32LE(inner, at + 16);
    }
    if (!options.closed) body = body.subarray(0, body.length >> 1);
  }
  const dataSet = Buffer.concat([encodeElements(baseElements({ sopInstanceUid, sopClassUid: SOP_CLASS.comprehensiveSr })), body]);
  return wrapPart10(dataSet, { sopClassUid: SOP_CLASS.comprehensiveSr, sopInstanceUid, transferSyntaxUid: TSX.explicit });
}

function absurdImage(spec: {
  rows: number;
  columns: number;
  bits: number;
  samples: number;
  frames: string;
  window: string;
  pixelBytes: number;
  photometric: string;
}): Buffer {
  const sopInstanceUid = '2.25.778';
  const elements: RawElement[] = [
    ...baseElements({ sopInstanceUid }),
    { tag: [0x0028, 0x0002], vr: 'US', value: [spec.samples] },
    { tag: [0x0028, 0x0004], vr: 'CS', value: spec.photometric },
    { tag: [0x0028, 0x0010], vr: 'US', value: [spec.rows] },
    { tag: [0x0028, 0x0011], vr: 'US', value: [spec.columns] },
    { tag: [0x0028, 0x0100], vr: 'US', value: [spec.bits] },
    { tag: [0x0028, 0x0101], vr: 'US', value: [Math.min(spec.bits, 16)] },
    { tag: [0x0028, 0x0102], vr: 'US', value: [Math.max(0, Math.min(spec.bits, 16) - 1)] },
    { tag: [0x0028, 0x0103], vr: 'US', value: [0] },
    { tag: [0x0028, 0x0008], vr: 'IS', value: spec.frames },
    { tag: [0x0028, 0x1050], vr: 'DS', value: spec.window.split('\\')[0] ?? '' },
    { tag: [0x0028, 0x1051], vr: 'DS', value: spec.window.split('\\')[1] ?? '' },
    { tag: [0x7fe0, 0x0010], vr: 'OW', value: Buffer.alloc(spec.pixelBytes, 0x5a) },
  ];
  return wrapPart10(encodeElements(elements), { sopClassUid: SOP_CLASS.ct, sopInstanceUid, transferSyntaxUid: TSX.explicit });
}
