import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseDicomHeader,
  renderThumbnail,
  THUMBNAIL_TRANSFER_SYNTAXES,
  TS,
  type SourceEntry,
  type ThumbnailResult,
} from '../../../electron/core/imaging';
import {
  baseElements,
  encapsulatedPixelData,
  encodeElements,
  imageElements,
  makeInstance,
  SOP_CLASS,
  testPixels,
  TSX,
  uid,
  wrapPart10,
  type ImageSpec,
} from '../../fixtures/imaging/dicom';
import { missingTools, run } from '../../fixtures/imaging/tools';

const ROWS = 240;
const COLUMNS = 320;

interface Rendered {
  result: ThumbnailResult;
  /** Decoded PNG pixels. */
  pixels?: Buffer;
  channels?: number;
}

async function render(file: Buffer): Promise<Rendered> {
  const result = await renderThumbnail(file);
  if (result.status !== 'ok') return { result };
  const grey = (await sharp(result.data).metadata()).channels === 1;
  const image = grey ? sharp(result.data).toColourspace('b-w') : sharp(result.data);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { result, pixels: data, channels: info.channels };
}

function expectPlausible(r: Rendered, transferSyntax: string): void {
  expect(r.result.status, JSON.stringify({ ...r.result, data: undefined })).toBe('ok');
  if (r.result.status !== 'ok') return;
  expect(r.result.mime).toBe('image/png');
  expect(r.result.data.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect([r.result.width, r.result.height]).toEqual([256, 192]);
  expect([r.result.sourceWidth, r.result.sourceHeight]).toEqual([COLUMNS, ROWS]);
  expect(r.result.transferSyntax).toBe(transferSyntax);
  const values = new Set(r.pixels);
  expect(values.size).toBeGreaterThan(10); // not constant
}

/** Encapsulated JPEG 2000 instance, encoded with OpenJPEG's encoder (dcmtk has no JPEG 2000 codec). */
async function j2kInstance(spec: ImageSpec, transferSyntaxUid: string): Promise<Buffer> {
  const factory = (await import('@cornerstonejs/codec-openjpeg/wasmjs')).default;
  const openjpeg = await factory({ print: () => undefined, printErr: () => undefined });
  const encoder = new openjpeg.J2KEncoder();
  const samples = spec.photometric === 'RGB' ? 3 : 1;
  const raw = testPixels(spec);
  encoder.getDecodedBuffer({
    width: spec.columns,
    height: spec.rows,
    bitsPerSample: spec.bitsAllocated,
    componentCount: samples,
    isSigned: spec.signed ?? false,
    isUsingColorTransform: samples === 3,
  }).set(raw);
  encoder.encode();
  const stream = encoder.getEncodedBuffer().slice();
  encoder.delete();
  const sop = uid();
  const ds = encodeElements([
    ...baseElements({ sopInstanceUid: sop }),
    ...imageElements({
      rows: spec.rows,
      columns: spec.columns,
      bitsAllocated: spec.bitsAllocated,
      signed: spec.signed,
      samples,
      photometric: samples === 3 ? 'YBR_RCT' : 'MONOCHROME2',
    }),
    ...(spec.windowWidth !== undefined
      ? [
          { tag: [0x0028, 0x1050] as [number, number], vr: 'DS', value: String(spec.windowCenter) },
          { tag: [0x0028, 0x1051] as [number, number], vr: 'DS', value: String(spec.windowWidth) },
        ]
      : []),
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([stream]) },
  ]);
  return wrapPart10(ds, { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid });
}

const ct: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, signed: true, windowCenter: 0, windowWidth: 2000, slope: 1, intercept: 0 };
const ct12: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, bitsStored: 12, signed: false };
const mono8: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 8 };
const rgb: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 8, photometric: 'RGB' };

describe.skipIf(missingTools.length > 0)('renderThumbnail', () => {
  const files: Record<string, Buffer> = {};
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'so-imaging-thumb-'));
    const put = (name: string, bytes: Buffer): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, bytes);
      files[name] = bytes;
      return p;
    };
    const ctPath = put('ct', makeInstance({ image: ct }));
    const ct12Path = put('ct12', makeInstance({ image: ct12 }));
    const mono8Path = put('mono8', makeInstance({ image: mono8, sopClassUid: SOP_CLASS.sc }));
    const rgbPath = put('rgb', makeInstance({ image: rgb, sopClassUid: SOP_CLASS.sc }));
    put('rgb-planar', makeInstance({ image: { ...rgb, planar: 1 }, sopClassUid: SOP_CLASS.sc }));
    put('mono1-implicit', makeInstance({ image: { ...mono8, photometric: 'MONOCHROME1' }, transferSyntax: TSX.implicit }));
    put('mono8-implicit', makeInstance({ image: mono8, transferSyntax: TSX.implicit }));
    // A colour JPEG from sharp, wrapped by dcmtk's img2dcm (JPEG baseline, YBR_FULL_422).
    const rgbRaw = testPixels(rgb);
    fs.writeFileSync(
      path.join(dir, 'photo.jpg'),
      await sharp(Buffer.from(rgbRaw), { raw: { width: COLUMNS, height: ROWS, channels: 3 } }).jpeg({ quality: 90 }).toBuffer(),
    );
    const conversions: Array<[string, string, string[]]> = [
      ['be', 'dcmconv', ['+tb', ctPath]],
      ['deflated', 'dcmconv', ['+td', ctPath]],
      ['rle', 'dcmcrle', [ctPath]],
      ['rle-rgb', 'dcmcrle', [rgbPath]],
      ['jpeg-baseline', 'dcmcjpeg', ['+eb', mono8Path]],
      ['jpeg-extended-8', 'dcmcjpeg', ['+ee', mono8Path]],
      ['jpeg-extended-12', 'dcmcjpeg', ['+ee', ct12Path]],
      ['jpeg-lossless', 'dcmcjpeg', ['+el', ctPath]],
      ['jpeg-lossless-sv1', 'dcmcjpeg', ['+e1', ctPath]],
      ['jpeg-lossless-rgb', 'dcmcjpeg', ['+e1', rgbPath]],
      ['jpegls', 'dcmcjpls', ['+el', ctPath]],
      ['jpegls-near', 'dcmcjpls', ['+en', ct12Path]], // dcmtk: near-lossless only for unsigned data
      ['jpegls-rgb', 'dcmcjpls', ['+el', rgbPath]],
      ['img2dcm', 'img2dcm', [path.join(dir, 'photo.jpg')]],
    ];
    await Promise.all(
      conversions.map(async ([name, tool, args]) => {
        const out = path.join(dir, name);
        await run(tool, ['-q', ...args, out]);
        files[name] = fs.readFileSync(out);
      }),
    );
    files['j2k'] = await j2kInstance(ct, TS.jpeg2000Lossless);
    files['j2k-rgb'] = await j2kInstance(rgb, TS.jpeg2000);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  });

  const lossless: Array<[string, string]> = [
    ['be', TS.explicitBig],
    ['deflated', TS.deflatedExplicitLittle],
    ['rle', TS.rleLossless],
    ['jpeg-lossless', TS.jpegLossless],
    ['jpeg-lossless-sv1', TS.jpegLosslessSv1],
    ['jpegls', TS.jpegLsLossless],
    ['j2k', TS.jpeg2000Lossless],
  ];

  it('renders uncompressed 16-bit signed CT with the header window', async () => {
    const r = await render(files.ct!);
    expectPlausible(r, TS.explicitLittle);
    expect(r.channels).toBe(1);
  });

  it.each(lossless)('renders %s exactly like the uncompressed original', async (name, ts) => {
    const original = await render(files.ct!);
    const r = await render(files[name]!);
    expectPlausible(r, ts);
    expect(r.pixels!.equals(original.pixels!)).toBe(true);
  });

  it('renders near-lossless JPEG-LS close to the original', async () => {
    const original = await render(files.ct12!);
    const r = await render(files['jpegls-near']!);
    expectPlausible(r, TS.jpegLsNearLossless);
    let worst = 0;
    for (let i = 0; i < r.pixels!.length; i += 1) worst = Math.max(worst, Math.abs(r.pixels![i]! - original.pixels![i]!));
    expect(worst).toBeLessThanOrEqual(2);
  });

  it.each([
    ['jpeg-baseline', TS.jpegBaseline],
    ['jpeg-extended-8', TS.jpegExtended],
  ])('renders lossy %s close to the original', async (name, ts) => {
    const original = await render(files.mono8!);
    const r = await render(files[name]!);
    expectPlausible(r, ts);
    let sum = 0;
    for (let i = 0; i < r.pixels!.length; i += 1) sum += Math.abs(r.pixels![i]! - original.pixels![i]!);
    expect(sum / r.pixels!.length).toBeLessThan(4);
  });

  it.each([
    ['rgb', TS.explicitLittle],
    ['rgb-planar', TS.explicitLittle],
    ['rle-rgb', TS.rleLossless],
    ['jpeg-lossless-rgb', TS.jpegLosslessSv1],
    ['jpegls-rgb', TS.jpegLsLossless],
    ['j2k-rgb', TS.jpeg2000],
  ])('renders colour %s as the same RGB picture', async (name, ts) => {
    const original = await render(files.rgb!);
    const r = await render(files[name]!);
    expectPlausible(r, ts);
    expect(r.channels).toBe(3);
    expect(r.pixels!.equals(original.pixels!)).toBe(true);
  });

  it('renders a colour JPEG wrapped by img2dcm (YBR_FULL_422)', async () => {
    const original = await render(files.rgb!);
    const r = await render(files.img2dcm!);
    expectPlausible(r, TS.jpegBaseline);
    let sum = 0;
    for (let i = 0; i < r.pixels!.length; i += 1) sum += Math.abs(r.pixels![i]! - original.pixels![i]!);
    expect(sum / r.pixels!.length).toBeLessThan(6);
  });

  it('inverts MONOCHROME1 and reads implicit VR', async () => {
    const mono2 = await render(files['mono8-implicit']!);
    const mono1 = await render(files['mono1-implicit']!);
    expectPlausible(mono2, TSX.implicit);
    expectPlausible(mono1, TSX.implicit);
    let worst = 0;
    for (let i = 0; i < mono1.pixels!.length; i += 1) worst = Math.max(worst, Math.abs(mono1.pixels![i]! - (255 - mono2.pixels![i]!)));
    expect(worst).toBeLessThanOrEqual(2); // inverted (± rounding of the Lanczos downscale)
  });

  it('renders palette colour through its lookup tables', async () => {
    const red = new Uint16Array(256).map((_, i) => i << 8);
    const green = new Uint16Array(256).map((_, i) => (255 - i) << 8);
    const blue = new Uint16Array(256).fill(128 << 8);
    const file = makeInstance({
      sopClassUid: SOP_CLASS.us,
      image: { ...mono8, photometric: 'PALETTE COLOR' },
      extra: {
        RedPaletteColorLookupTableDescriptor: [0, 0, 16],
        GreenPaletteColorLookupTableDescriptor: [0, 0, 16],
        BluePaletteColorLookupTableDescriptor: [0, 0, 16],
        RedPaletteColorLookupTableData: red.buffer,
        GreenPaletteColorLookupTableData: green.buffer,
        BluePaletteColorLookupTableData: blue.buffer,
        _vrMap: {
          PixelData: 'OB',
          RedPaletteColorLookupTableDescriptor: 'US',
          GreenPaletteColorLookupTableDescriptor: 'US',
          BluePaletteColorLookupTableDescriptor: 'US',
        },
      },
    });
    const r = await render(file);
    expectPlausible(r, TS.explicitLittle);
    expect(r.channels).toBe(3);
    for (let i = 0; i < r.pixels!.length; i += 3) {
      expect(r.pixels![i]! + r.pixels![i + 1]!).toBeGreaterThanOrEqual(253);
      expect(r.pixels![i]! + r.pixels![i + 1]!).toBeLessThanOrEqual(257);
      expect(r.pixels![i + 2]).toBe(128);
    }
  });

  it('says unsupported, naming the encoding, for 12-bit JPEG and for video', async () => {
    const jpeg12 = await renderThumbnail(files['jpeg-extended-12']!);
    expect(jpeg12).toEqual({ status: 'unsupported', transferSyntax: TS.jpegExtended, transferSyntaxName: 'JPEG extended (12-bit)', reason: 'bits' });
    const sop = uid();
    const mpeg = wrapPart10(
      encodeElements([
        ...baseElements({ sopInstanceUid: sop }),
        ...imageElements({ rows: 240, columns: 320, bitsAllocated: 8, samples: 3, photometric: 'YBR_PARTIAL_420' }),
        { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([Buffer.from([0, 0, 1, 0xb3, 1, 2, 3, 4])]) },
      ]),
      { sopClassUid: SOP_CLASS.sc, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.4.100' },
    );
    expect(await renderThumbnail(mpeg)).toEqual({
      status: 'unsupported',
      transferSyntax: '1.2.840.10008.1.2.4.100',
      transferSyntaxName: 'MPEG-2 video',
      reason: 'transfer-syntax',
    });
  });

  it('reports missing, damaged and truncated pixel data without throwing', async () => {
    expect(await renderThumbnail(makeInstance({ image: null, sopClassUid: SOP_CLASS.basicTextSr }))).toEqual({ status: 'no-pixel-data' });
    const cut = files.ct!.subarray(0, files.ct!.length - 5000);
    expect((await renderThumbnail(cut)).status).toBe('error');
    const rle = Buffer.from(files.rle!);
    const header = rle.indexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0]), rle.length - 200_000);
    rle.fill(0xff, header + 300, header + 400);
    const damaged = await renderThumbnail(rle.subarray(0, rle.length - 10));
    expect(['error', 'ok']).toContain(damaged.status);
    expect((await renderThumbnail(Buffer.from('garbage'))).status).toBe('error');
  });

  it('renders frame 1 of multi-frame files, from the whole file or from a prefix', async () => {
    const spec: ImageSpec = { rows: 96, columns: 128, bitsAllocated: 16, signed: true, frames: 12, windowCenter: 0, windowWidth: 2000 };
    const multi = path.join(dir, 'multi');
    fs.writeFileSync(multi, makeInstance({ image: spec }));
    const single = await render(makeInstance({ image: { ...spec, frames: 1 } }));
    const variants: Array<[string, string, string[]]> = [
      ['native', 'dcmconv', []],
      ['rle', 'dcmcrle', []],
      ['jpegls-bot', 'dcmcjpls', ['+ot']],
      ['jpeg-fragments-no-bot', 'dcmcjpeg', ['+e1', '+fs', '1', '-ot']],
      ['jpeg-one-fragment-per-frame-no-bot', 'dcmcjpeg', ['+e1', '-ot']],
    ];
    for (const [name, tool, args] of variants) {
      const out = path.join(dir, `multi-${name}`);
      await run(tool, ['-q', ...args, multi, out]);
      const bytes = fs.readFileSync(out);
      for (const part of [bytes, bytes.subarray(0, Math.floor(bytes.length * 0.4))]) {
        const r = await render(part);
        expect(r.result.status, name).toBe('ok');
        expect(r.pixels!.equals(single.pixels!), name).toBe(true); // frame 1 exactly
      }
    }
  });

  it('runs in a worker thread (bundled as the app will bundle it)', async () => {
    const { build } = await import('esbuild');
    const { Worker } = await import('node:worker_threads');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'so-imaging-worker-'));
    try {
      fs.symlinkSync(path.resolve('node_modules'), path.join(out, 'node_modules'));
      await build({
        entryPoints: [path.resolve('electron/core/imaging/thumbnail.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: path.join(out, 'thumbnail.mjs'),
        logLevel: 'silent',
      });
      fs.writeFileSync(
        path.join(out, 'worker.mjs'),
        "import { parentPort, workerData } from 'node:worker_threads';\n" +
          "import { renderThumbnail } from './thumbnail.mjs';\n" +
          'const r = await renderThumbnail(workerData);\n' +
          'parentPort.postMessage({ status: r.status, width: r.width, transferSyntax: r.transferSyntax });\n',
      );
      const inWorker = (data: Buffer) =>
        new Promise<unknown>((resolve, reject) => {
          const worker = new Worker(path.join(out, 'worker.mjs'), { workerData: data });
          worker.once('message', (m) => {
            resolve(m);
            void worker.terminate();
          });
          worker.once('error', reject);
        });
      const results = await Promise.all([inWorker(files.jpegls!), inWorker(files.j2k!), inWorker(files['jpeg-baseline']!)]);
      expect(results).toEqual([
        { status: 'ok', width: 256, transferSyntax: TS.jpegLsLossless },
        { status: 'ok', width: 256, transferSyntax: TS.jpeg2000Lossless },
        { status: 'ok', width: 256, transferSyntax: TS.jpegBaseline },
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('makes WebP on request and keeps small images small', async () => {
    const webp = await renderThumbnail(files.ct!, { format: 'webp' });
    expect(webp.status === 'ok' && webp.mime).toBe('image/webp');
    const small = await renderThumbnail(makeInstance({ image: { rows: 20, columns: 30, bitsAllocated: 16, signed: true } }));
    expect(small.status === 'ok' && [small.width, small.height]).toEqual([30, 20]);
  });

  it('lists exactly the tested transfer syntaxes as supported', () => {
    expect([...THUMBNAIL_TRANSFER_SYNTAXES].sort()).toEqual(
      [TS.implicitLittle, TS.explicitLittle, TS.deflatedExplicitLittle, TS.explicitBig, TS.rleLossless, TS.jpegBaseline, TS.jpegExtended, TS.jpegLossless, TS.jpegLosslessSv1, TS.jpegLsLossless, TS.jpegLsNearLossless, TS.jpeg2000Lossless, TS.jpeg2000].sort(),
    );
  });

  it('parses headers of every encoding, deflated included, without reading pixel data', async () => {
    for (const [name, bytes] of Object.entries(files)) {
      const reads: number[] = [];
      const entry: Pick<SourceEntry, 'size' | 'readHead'> = {
        size: bytes.length,
        readHead: async (n) => {
          reads.push(n);
          return bytes.subarray(0, n);
        },
      };
      const result = await parseDicomHeader(entry);
      expect(result.ok, name).toBe(true);
      if (result.ok) expect(result.header.image.rows, name).toBe(ROWS);
    }
  });
});
