import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceFrame, frameToPng, type ByteSource } from '../../../electron/core/imaging/frame';
import { TS } from '../../../electron/core/imaging';
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
  type RawElement,
} from '../../fixtures/imaging/dicom';
import { missingTools, run } from '../../fixtures/imaging/tools';
import { must, TEST_PASSPHRASE, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const ROWS = 240;
const COLUMNS = 320;
const ct: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, signed: true, windowCenter: 0, windowWidth: 2000 };
const rgb: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 8, photometric: 'RGB' };
const mono8: ImageSpec = { rows: ROWS, columns: COLUMNS, bitsAllocated: 8 };

/** A ByteSource over a buffer that records every range read. */
function memorySource(bytes: Uint8Array): ByteSource & { reads: Array<[number, number]>; bytesRead(): number } {
  const reads: Array<[number, number]> = [];
  return {
    size: bytes.length,
    reads,
    bytesRead: () => reads.reduce((n, [start, end]) => n + (end - start + 1), 0),
    read: async (start, end) => {
      reads.push([start, end]);
      return bytes.subarray(start, Math.min(end, bytes.length - 1) + 1);
    },
  };
}

/** The PNG's pixels (grey: one byte per pixel). */
async function pngPixels(png: Buffer): Promise<{ data: Buffer; channels: number; width: number; height: number }> {
  const grey = (await sharp(png).metadata()).channels === 1;
  const image = grey ? sharp(png).toColourspace('b-w') : sharp(png);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels, width: info.width, height: info.height };
}

async function draw(file: Uint8Array, frame = 1, window: { windowCenter?: number; windowWidth?: number } = {}) {
  const decoded = await decodeInstanceFrame(memorySource(file), frame);
  const out = await frameToPng(decoded, { ...window, maxEdge: 768 });
  return { decoded, out, pixels: await pngPixels(out.png) };
}

/** Encapsulated JPEG 2000 instance, encoded with OpenJPEG's encoder (dcmtk has no JPEG 2000 codec). */
async function j2kInstance(spec: ImageSpec, transferSyntaxUid: string): Promise<Buffer> {
  const factory = (await import('@cornerstonejs/codec-openjpeg/wasmjs')).default;
  const openjpeg = await factory({ print: () => undefined, printErr: () => undefined });
  const encoder = new openjpeg.J2KEncoder();
  const samples = spec.photometric === 'RGB' ? 3 : 1;
  encoder
    .getDecodedBuffer({ width: spec.columns, height: spec.rows, bitsPerSample: spec.bitsAllocated, componentCount: samples, isSigned: spec.signed ?? false, isUsingColorTransform: samples === 3 })
    .set(testPixels(spec));
  encoder.encode();
  const stream = encoder.getEncodedBuffer().slice();
  encoder.delete();
  const sop = uid();
  const ds = encodeElements([
    ...baseElements({ sopInstanceUid: sop }),
    ...imageElements({ rows: spec.rows, columns: spec.columns, bitsAllocated: spec.bitsAllocated, signed: spec.signed, samples, photometric: samples === 3 ? 'YBR_RCT' : 'MONOCHROME2' }),
    { tag: [0x0028, 0x1050], vr: 'DS', value: String(spec.windowCenter ?? 0) },
    { tag: [0x0028, 0x1051], vr: 'DS', value: String(spec.windowWidth ?? 2000) },
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([stream]) },
  ]);
  return wrapPart10(ds, { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid });
}

/** Frames that differ clearly from each other: frame f is the test picture shifted by f × 100. */
function distinctFrames(spec: ImageSpec & { frames: number }): Uint8Array {
  const one = testPixels({ ...spec, frames: 1 });
  const out = new Uint8Array(one.length * spec.frames);
  const view = new DataView(out.buffer);
  const src = new DataView(one.buffer);
  for (let f = 0; f < spec.frames; f += 1) {
    for (let i = 0; i < one.length / 2; i += 1) view.setInt16(f * one.length + i * 2, src.getInt16(i * 2, true) + f * 100, true);
  }
  return out;
}

describe.skipIf(missingTools.length > 0)('imaging.frame: decoding one frame for the viewer', () => {
  const files: Record<string, Buffer> = {};
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'so-frame-'));
    const put = (name: string, bytes: Buffer): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, bytes);
      files[name] = bytes;
      return p;
    };
    const ctPath = put('ct', makeInstance({ image: ct }));
    put('ct-implicit', makeInstance({ image: ct, transferSyntax: TSX.implicit }));
    const rgbPath = put('rgb', makeInstance({ image: rgb, sopClassUid: SOP_CLASS.sc }));
    const mono8Path = put('mono8', makeInstance({ image: mono8, sopClassUid: SOP_CLASS.sc }));
    const ct12Path = put('ct12', makeInstance({ image: { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, bitsStored: 12 } }));
    const multiSpec = { rows: 96, columns: 128, bitsAllocated: 16 as const, signed: true, frames: 8, windowCenter: 0, windowWidth: 2000 };
    const multiPath = put('multi', makeInstance({ image: { ...multiSpec, pixels: distinctFrames(multiSpec) } }));
    const conversions: Array<[string, string, string[]]> = [
      ['be', 'dcmconv', ['+tb', ctPath]],
      ['deflated', 'dcmconv', ['+td', ctPath]],
      ['rle', 'dcmcrle', [ctPath]],
      ['rle-rgb', 'dcmcrle', [rgbPath]],
      ['jpeg-lossless', 'dcmcjpeg', ['+el', ctPath]],
      ['jpeg-lossless-sv1', 'dcmcjpeg', ['+e1', ctPath]],
      ['jpegls', 'dcmcjpls', ['+el', ctPath]],
      ['jpeg-baseline', 'dcmcjpeg', ['+eb', mono8Path]],
      ['jpeg-extended-12', 'dcmcjpeg', ['+ee', ct12Path]],
      ['multi-rle', 'dcmcrle', [multiPath]],
      ['multi-jpegls-bot', 'dcmcjpls', ['+ot', multiPath]],
      ['multi-jpeg-fragments-no-bot', 'dcmcjpeg', ['+e1', '+fs', '1', '-ot', multiPath]],
      ['multi-jpeg-one-per-frame-no-bot', 'dcmcjpeg', ['+e1', '-ot', multiPath]],
    ];
    await Promise.all(
      conversions.map(async ([name, tool, args]) => {
        const out = path.join(dir, name);
        await run(tool, ['-q', ...args, out]);
        files[name] = fs.readFileSync(out);
      }),
    );
    files.j2k = await j2kInstance(ct, TS.jpeg2000Lossless);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['ct-implicit', TS.implicitLittle],
    ['be', TS.explicitBig],
    ['deflated', TS.deflatedExplicitLittle],
    ['rle', TS.rleLossless],
    ['jpeg-lossless', TS.jpegLossless],
    ['jpeg-lossless-sv1', TS.jpegLosslessSv1],
    ['jpegls', TS.jpegLsLossless],
    ['j2k', TS.jpeg2000Lossless],
  ])('draws lossless %s exactly like the uncompressed original, with the header window', async (name, ts) => {
    const original = await draw(files.ct!);
    const r = await draw(files[name]!);
    expect(r.decoded.transferSyntax).toBe(ts);
    expect([r.out.width, r.out.height, r.decoded.width, r.decoded.height]).toEqual([COLUMNS, ROWS, COLUMNS, ROWS]);
    expect(r.out.window).toEqual({ center: 0, width: 2000 });
    expect(r.pixels.channels).toBe(1);
    expect(new Set(r.pixels.data).size).toBeGreaterThan(10);
    expect(r.pixels.data.equals(original.pixels.data)).toBe(true);
  });

  it('draws colour (RGB, RLE RGB) as RGB without a window, and lossy JPEG close to the original', async () => {
    const original = await draw(files.rgb!);
    expect(original.out.window).toBeNull();
    expect(original.decoded.defaultWindow).toBeNull();
    expect(original.pixels.channels).toBe(3);
    const rle = await draw(files['rle-rgb']!);
    expect(rle.pixels.data.equals(original.pixels.data)).toBe(true);
    const mono = await draw(files.mono8!);
    const jpeg = await draw(files['jpeg-baseline']!);
    let sum = 0;
    for (let i = 0; i < jpeg.pixels.data.length; i += 1) sum += Math.abs(jpeg.pixels.data[i]! - mono.pixels.data[i]!);
    expect(sum / jpeg.pixels.data.length).toBeLessThan(4);
  });

  it('changes the pixels when the window (level) changes, and reports the window applied', async () => {
    const standard = await draw(files.ct!);
    const narrow = await draw(files.ct!, 1, { windowCenter: -500, windowWidth: 200 });
    const wide = await draw(files.ct!, 1, { windowWidth: 4000 });
    expect(narrow.out.window).toEqual({ center: -500, width: 200 });
    expect(wide.out.window).toEqual({ center: 0, width: 4000 }); // the missing half comes from the file
    expect(narrow.pixels.data.equals(standard.pixels.data)).toBe(false);
    expect(wide.pixels.data.equals(standard.pixels.data)).toBe(false);
    // A narrow window saturates: many pixels are pure black or pure white.
    const extremes = [...narrow.pixels.data].filter((v) => v === 0 || v === 255).length;
    expect(extremes / narrow.pixels.data.length).toBeGreaterThan(0.5);
    expect(standard.decoded.grey!.min).toBeLessThan(standard.decoded.grey!.max);
  });

  it('uses the full range when the file has no window, and shrinks large frames to maxEdge', async () => {
    const noWindow = makeInstance({ image: { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, signed: true } });
    const decoded = await decodeInstanceFrame(memorySource(noWindow), 1);
    const { min, max } = decoded.grey!;
    expect(decoded.defaultWindow).toEqual({ center: (min + max) / 2 + 0.5, width: max - min + 1 });
    const small = await frameToPng(decoded, { maxEdge: 160 });
    expect([small.width, small.height]).toEqual([160, 120]);
    const { data } = await pngPixels(small.png);
    expect(Math.min(...data)).toBeLessThanOrEqual(2);
    expect(Math.max(...data)).toBeGreaterThanOrEqual(253);
  });

  it.each(['multi', 'multi-rle', 'multi-jpegls-bot', 'multi-jpeg-fragments-no-bot', 'multi-jpeg-one-per-frame-no-bot'])(
    'draws every frame of multi-frame %s, each one different, identical across encodings',
    async (name) => {
      const reference = await Promise.all([1, 2, 8].map((n) => draw(files.multi!, n, { windowCenter: 0, windowWidth: 400 })));
      const drawn = await Promise.all([1, 2, 8].map((n) => draw(files[name]!, n, { windowCenter: 0, windowWidth: 400 })));
      expect(drawn[0]!.decoded.frames).toBe(8);
      expect(drawn[0]!.pixels.data.equals(drawn[1]!.pixels.data)).toBe(false);
      expect(drawn[1]!.pixels.data.equals(drawn[2]!.pixels.data)).toBe(false);
      drawn.forEach((d, i) => expect(d.pixels.data.equals(reference[i]!.pixels.data), `${name} frame ${[1, 2, 8][i]}`).toBe(true));
      await expect(decodeInstanceFrame(memorySource(files[name]!), 9)).rejects.toThrow(/only 8 pictures/);
    },
  );

  it('reads only what it needs: the header and one frame, never the whole of a large multi-frame file', async () => {
    const spec = { rows: 256, columns: 256, bitsAllocated: 16 as const, signed: true, frames: 48 };
    const bigPath = path.join(dir, 'big');
    fs.writeFileSync(bigPath, makeInstance({ image: { ...spec, pixels: distinctFrames(spec) } }));
    await run('dcmcrle', ['-q', bigPath, `${bigPath}-rle`]);
    await run('dcmcjpls', ['-q', '+el', '-ot', bigPath, `${bigPath}-jls`]);
    const frameBytes = 256 * 256 * 2;
    for (const file of [bigPath, `${bigPath}-rle`, `${bigPath}-jls`]) {
      const bytes = fs.readFileSync(file);
      const first = memorySource(bytes);
      await decodeInstanceFrame(first, 1);
      expect(first.bytesRead(), path.basename(file)).toBeLessThan(Math.max(bytes.length * 0.2, 64 * 1024 + frameBytes * 1.5));
      const middle = memorySource(bytes);
      await decodeInstanceFrame(middle, 24);
      expect(middle.bytesRead(), path.basename(file)).toBeLessThan(bytes.length * 1.9);
    }
    const native = memorySource(fs.readFileSync(bigPath));
    await decodeInstanceFrame(native, 40);
    // Uncompressed: the header, then exactly the 40th frame's bytes.
    expect(native.reads.at(-1)![1] - native.reads.at(-1)![0] + 1).toBe(frameBytes);
    expect(native.bytesRead()).toBeLessThan(64 * 1024 + frameBytes + 1);
  });

  it('refuses encodings it cannot draw with a clear message naming them, and damaged data plainly', async () => {
    await expect(decodeInstanceFrame(memorySource(files['jpeg-extended-12']!), 1)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/JPEG extended \(12-bit\).*cannot draw yet.*kept unchanged/),
    });
    const sop = uid();
    const mpeg = wrapPart10(
      encodeElements([
        ...baseElements({ sopInstanceUid: sop }),
        ...imageElements({ rows: 240, columns: 320, bitsAllocated: 8, samples: 3, photometric: 'YBR_PARTIAL_420' }),
        { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([Buffer.from([0, 0, 1, 0xb3, 1, 2, 3, 4])]) },
      ]),
      { sopClassUid: SOP_CLASS.sc, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.4.100' },
    );
    const reads = memorySource(mpeg);
    await expect(decodeInstanceFrame(reads, 1)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/“MPEG-2 video”, which the app cannot draw yet/) });
    await expect(decodeInstanceFrame(memorySource(files.ct!.subarray(0, files.ct!.length - 5000)), 1)).rejects.toMatchObject({
      message: expect.stringMatching(/damaged or incomplete/),
    });
    await expect(decodeInstanceFrame(memorySource(Buffer.from('not an image at all')), 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(decodeInstanceFrame(memorySource(makeInstance({ image: null, sopClassUid: SOP_CLASS.basicTextSr })), 1)).rejects.toMatchObject({
      message: expect.stringMatching(/no picture/),
    });
  });
});

describe('imaging.frame through the core', () => {
  async function importedCore() {
    const made = testCore();
    await must(made.core, 'vault.create', { profile: { fullName: 'Jane Doe', birthDate: '1970-01-15' }, passphrase: TEST_PASSPHRASE });
    const root = tempDir();
    const study = { uid: uid(), description: 'CT CHEST' };
    const seriesUid = uid();
    for (let i = 1; i <= 3; i += 1) {
      fs.writeFileSync(
        path.join(root, `IM${i}`),
        makeInstance({ study, series: { uid: seriesUid, description: 'AXIAL' }, instanceNumber: i, image: { rows: 64, columns: 48, bitsAllocated: 16, signed: true, windowCenter: 40, windowWidth: 400 } }),
      );
    }
    const sop = uid();
    fs.writeFileSync(
      path.join(root, 'VIDEO'),
      wrapPart10(
        encodeElements(([
          { tag: [0x0010, 0x0010], vr: 'PN', value: 'DOE^JANE' },
          { tag: [0x0010, 0x0030], vr: 'DA', value: '19700115' },
          ...baseElements({ sopInstanceUid: sop, studyUid: study.uid, seriesUid: uid() }),
          ...imageElements({ rows: 240, columns: 320, bitsAllocated: 8, samples: 3, photometric: 'YBR_PARTIAL_420' }),
          { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([Buffer.from([0, 0, 1, 0xb3, 1, 2, 3, 4])]) },
        ] as RawElement[]).filter((el, i, all) => all.findIndex((other) => other.tag[0] === el.tag[0] && other.tag[1] === el.tag[1]) === i)),
        { sopClassUid: SOP_CLASS.sc, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.4.100' },
      ),
    );
    await must(made.core, 'imaging.import', { path: root, acceptOtherPatient: true });
    const { patients } = await must(made.core, 'imaging.studies', {});
    const series = patients.flatMap((patient) => patient.studies).flatMap((s) => s.series);
    const axial = await must(made.core, 'imaging.series', { uid: series.find((s) => s.description === 'AXIAL')!.uid });
    const video = await must(made.core, 'imaging.series', { uid: series.find((s) => s.description !== 'AXIAL')!.uid });
    return { ...made, axial, video };
  }

  it('draws stored instances as PNG, windowed, with the facts the viewer shows', async () => {
    const { core, axial } = await importedCore();
    const id = axial.instances[0]!.id;
    const first = await must(core, 'imaging.frame', { instanceId: id });
    expect(first).toMatchObject({ width: 48, height: 64, sourceWidth: 48, sourceHeight: 64, windowCenter: 40, windowWidth: 400, frame: 1, frames: 1, colour: false });
    expect(first.defaultWindow).toEqual({ center: 40, width: 400 });
    expect(first.encoding).toMatch(/Uncompressed/);
    const png = Buffer.from(first.png, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const again = await must(core, 'imaging.frame', { instanceId: id, windowCenter: -200, windowWidth: 800 });
    expect(again).toMatchObject({ windowCenter: -200, windowWidth: 800 });
    expect(again.png).not.toBe(first.png);
    const other = await must(core, 'imaging.frame', { instanceId: axial.instances[2]!.id });
    expect(other.png).toBeTruthy();
  });

  it('answers with clear errors: unknown id, missing frame, unsupported encoding, bad window; LOCKED when locked', async () => {
    const { core, axial, video } = await importedCore();
    const id = axial.instances[0]!.id;
    const unknown = await core.call('imaging.frame', { instanceId: 'AAAAAAAAAAAAAAAA' });
    expect(unknown.ok || unknown.error.code).toBe('NOT_FOUND');
    const missing = await core.call('imaging.frame', { instanceId: id, frame: 2 });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/only one picture/) });
    const bad = await core.call('imaging.frame', { instanceId: id, windowWidth: 0 });
    expect(bad.ok || bad.error.code).toBe('INVALID_INPUT');
    const tooBig = await core.call('imaging.frame', { instanceId: id, maxEdge: 4096 });
    expect(tooBig.ok || tooBig.error.code).toBe('INVALID_INPUT');
    const mpeg = await core.call('imaging.frame', { instanceId: video.instances[0]!.id });
    expect(!mpeg.ok && mpeg.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/MPEG-2 video.*cannot draw yet/) });

    await must(core, 'vault.lock', {});
    const locked = await core.call('imaging.frame', { instanceId: id });
    expect(locked.ok || locked.error.code).toBe('LOCKED');
  });
});
