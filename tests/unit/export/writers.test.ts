import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceKeysFromHead, parseInstanceKeys, readInstanceKeys, serializeInstanceKeys } from '../../../electron/core/export/dicom-keys';
import { planFileSet, type FileSetStudy } from '../../../electron/core/export/dicom-fileset';
import { writeDicomdir } from '../../../electron/core/export/dicomdir-writer';
import { IsoWriter, layoutIso } from '../../../electron/core/export/iso-writer';
import { ZipWriter } from '../../../electron/core/export/zip-writer';
import { checkPacket, writePacket } from '../../../electron/core/export/output';
import { memoryFile } from '../../../electron/core/export/plan';
import { openSource } from '../../../electron/core/imaging/sources/open';
import { baseElements, encodeElements, imageElements, makeInstance, SOP_CLASS, uid, wrapPart10 } from '../../fixtures/imaging/dicom';
import { tempDir } from '../../helpers/temp';
import { sh, treeOf, validatePdi } from './checks';

/** The three writers on their own: zip (incl. ZIP64), ISO 9660 + Joliet, DICOMDIR — each read by independent tools. */

const FILES = (() => {
  const files: { path: string; data: Buffer }[] = [
    { path: 'DICOMDIR', data: Buffer.from('not really a dicomdir') },
    { path: 'README.TXT', data: Buffer.from('Hello\r\n') },
    { path: 'EMPTY.TXT', data: Buffer.alloc(0) },
    { path: 'ORIGINAL/001_PATH.PDF', data: Buffer.alloc(70_000, 0x25) },
    { path: 'A/B/C/D/E/F/G/DEEP.BIN', data: Buffer.from('seven directories down: level 8 counting the root') },
  ];
  for (let i = 1; i <= 120; i += 1) files.push({ path: `DICOM/P0000001/S0000001/E0000001/I${String(i).padStart(7, '0')}`, data: Buffer.alloc(2000 + i * 37, i) });
  return files;
})();

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

async function readBack(target: string): Promise<Map<string, Buffer>> {
  const source = await openSource(target);
  const out = new Map<string, Buffer>();
  try {
    for await (const entry of source.entries()) out.set(entry.path, await entry.readHead(entry.size));
    expect(source.problems).toEqual([]);
  } finally {
    await source.close();
  }
  return out;
}

describe('zip writer', () => {
  for (const forceZip64 of [false, true]) {
    it(`writes stored and deflated entries readable by unzip and yauzl${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const file = path.join(tempDir(), 'out.zip');
      const handle = await fsp.open(file, 'wx');
      const zip = new ZipWriter(handle, { date: new Date(2025, 2, 1, 12, 30, 10), forceZip64 });
      await zip.addDirectory('DICOM');
      for (const item of FILES) {
        if (item.path.endsWith('.TXT')) await zip.addBytes(item.path, item.data, { deflate: true });
        else await zip.addStream(item.path, item.data.length, once(item.data));
      }
      await zip.finish();
      await handle.close();
      const test = sh('unzip', ['-tq', file]);
      expect(test.code, test.out).toBe(0);
      const back = await readBack(file);
      expect([...back.keys()].sort()).toEqual(FILES.map((f) => f.path).sort());
      for (const item of FILES) expect(back.get(item.path)!.equals(item.data)).toBe(true);
      const listing = sh('zipinfo', ['-v', file]).out;
      if (forceZip64) {
        expect(listing).toMatch(/minimum software version required to extract:\s+4\.5/);
        expect(fs.readFileSync(file).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end record
      }
      expect(sh('bsdtar', ['-tf', file]).out.trim().split('\n')).toHaveLength(FILES.length + 1);
    });
  }

  it('refuses a stream that is not the announced size', async () => {
    const handle = await fsp.open(path.join(tempDir(), 'bad.zip'), 'wx');
    const zip = new ZipWriter(handle, { date: new Date() });
    await expect(zip.addStream('A.BIN', 10, once(Buffer.alloc(9)))).rejects.toThrow(/shorter/);
    await handle.close();
  });
});

describe('ISO 9660 + Joliet writer', () => {
  it('writes an image that isoinfo, bsdtar, xorriso and the app itself read back identically', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.iso');
    const layout = layoutIso(FILES.map((f) => ({ path: f.path, size: f.data.length })), { volumeId: 'SO_20250301_1230', date: new Date(Date.UTC(2025, 2, 1)), application: 'SECOND OPINION' });
    const handle = await fsp.open(file, 'wx');
    const iso = new IsoWriter(handle, layout);
    await iso.start();
    for (const spec of layout.files) await iso.addFile(spec.path, once(FILES.find((f) => f.path === spec.path)!.data));
    await iso.finish();
    await handle.close();
    expect(fs.statSync(file).size).toBe(layout.bytes);

    const info = sh('isoinfo', ['-d', '-i', file]).out;
    expect(info).toMatch(/Volume id: SO_20250301_1230/);
    expect(info).toMatch(/Joliet with UCS level 3 found/);
    const primary = sh('isoinfo', ['-f', '-i', file]).out;
    expect(primary).toContain('/DICOMDIR.;1');
    expect(primary).toContain('/A/B/C/D/E/F/G/DEEP.BIN;1');
    const xorriso = sh('xorriso', ['-indev', file, '-find', '/', '-type', 'f']);
    expect(xorriso.code, xorriso.out).toBe(0);
    const extracted = path.join(dir, 'x');
    fs.mkdirSync(extracted);
    expect(sh('bsdtar', ['-xf', file, '-C', extracted]).code).toBe(0);
    sh('chmod', ['-R', 'u+rwX', extracted]);
    expect(treeOf(extracted)).toEqual(FILES.map((f) => f.path).sort());
    for (const item of FILES) expect(fs.readFileSync(path.join(extracted, item.path)).equals(item.data)).toBe(true);
    const back = await readBack(file);
    for (const item of FILES) expect(back.get(item.path)?.equals(item.data)).toBe(true);
  });

  it('refuses names and depths ISO 9660 level 1 does not allow', () => {
    const date = new Date();
    expect(() => layoutIso([{ path: 'readme.txt', size: 1 }], { volumeId: 'X', date })).toThrow(/not allowed/);
    expect(() => layoutIso([{ path: 'LONGNAME12.TXT', size: 1 }], { volumeId: 'X', date })).toThrow(/not allowed/);
    expect(() => layoutIso([{ path: 'A/B/C/D/E/F/G/H/TOO.BIN', size: 1 }], { volumeId: 'X', date })).toThrow(/8 levels/);
    expect(() => layoutIso([{ path: 'A.TXT', size: 1 }], { volumeId: 'lower', date })).toThrow(/volume identifier/);
  });
});

async function keysOf(bytes: Buffer) {
  return readInstanceKeys(bytes.length, async (n) => bytes.subarray(0, n));
}

describe('DICOMDIR values kept at import', () => {
  it('takes them from the bytes kept, survives a round trip through the catalogue, and gives up (null) rather than fail', async () => {
    const instance = makeInstance({ patient: { name: 'DOE^JANE', id: 'P1', birthDate: '19700115' }, study: { uid: uid() }, series: { uid: uid(), number: 2 }, instanceNumber: 3, image: { rows: 64, columns: 64, bitsAllocated: 16 } });
    const whole = await keysOf(instance);
    const kept = await instanceKeysFromHead(instance.subarray(0, 64 * 1024), instance.length);
    expect(kept).toEqual(whole);
    expect(parseInstanceKeys(serializeInstanceKeys(kept!))).toEqual(whole);
    // The header does not end within the bytes kept; an implicit VR file cannot go on media as it is; garbage.
    expect(await instanceKeysFromHead(instance.subarray(0, 200), instance.length)).toBeNull();
    const implicit = makeInstance({ patient: { name: 'DOE^JANE', id: 'P1' }, study: { uid: uid() }, series: { uid: uid(), number: 1 }, instanceNumber: 1, transferSyntax: '1.2.840.10008.1.2', image: { rows: 8, columns: 8, bitsAllocated: 16 } });
    expect(await instanceKeysFromHead(implicit, implicit.length)).toBeNull();
    expect(await instanceKeysFromHead(Buffer.alloc(300, 0x41), 300)).toBeNull();
    for (const stored of [null, '', '{', '{"v":2}', JSON.stringify({ v: 1, ts: 'x', sopClass: 'y', sopInstance: 'z', values: [[1, 'TOO LONG VR', 'AA==']] })]) {
      expect(parseInstanceKeys(stored)).toBeNull();
    }
  });
});

describe('DICOMDIR writer', () => {
  it('matches the record tree dcmtk builds, passes the PDI validator, and declares the character set where needed', async () => {
    const root = tempDir();
    const studyUid = uid();
    const seriesUid = uid();
    const instances: Buffer[] = [];
    for (let i = 1; i <= 3; i += 1) {
      instances.push(makeInstance({ patient: { name: 'DOE^JANE', id: 'P1', birthDate: '19700115' }, study: { uid: studyUid }, series: { uid: seriesUid, number: 4 }, instanceNumber: i, image: { rows: 8, columns: 8, bitsAllocated: 16 } }));
    }
    // A Latin-1 name (ISO_IR 100) from the raw writer, in its own study, with no study date, time or ID.
    const sop = uid();
    const latin = wrapPart10(
      encodeElements([
        ...baseElements({ sopInstanceUid: sop, charset: 'ISO_IR 100', patientName: Buffer.from('MÜLLER^ANNA', 'latin1') }),
        { tag: [0x0008, 0x0021], vr: 'DA', value: '20240501' },
        { tag: [0x0010, 0x0040], vr: 'CS', value: 'F' },
        ...imageElements({ rows: 4, columns: 4, bitsAllocated: 8 }),
        { tag: [0x7fe0, 0x0010], vr: 'OB', value: Buffer.alloc(16, 9) },
      ]),
      { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.1' },
    );
    const studies: FileSetStudy[] = [
      { number: 1, series: [{ instances: await Promise.all(instances.map(async (bytes, i) => ({ blobId: `b${i}`, size: bytes.length, sha256: '', keys: await keysOf(bytes) }))) }] },
      { number: 2, series: [{ instances: [{ blobId: 'latin', size: latin.length, sha256: '', keys: await keysOf(latin) }] }] },
    ];
    const plan = planFileSet(studies);
    expect(plan.patients).toBe(2);
    expect(plan.notes.join(' ')).toMatch(/Study 2: no study date/);
    const byBlob = new Map<string, Buffer>([...instances.map((bytes, i) => [`b${i}`, bytes] as [string, Buffer]), ['latin', latin]]);
    for (const file of plan.files) {
      fs.mkdirSync(path.join(root, path.dirname(file.path)), { recursive: true });
      fs.writeFileSync(path.join(root, file.path), byBlob.get(file.blobId)!);
    }
    fs.writeFileSync(path.join(root, 'DICOMDIR'), writeDicomdir({ filesetId: 'SO_TEST', filesetUid: uid(), implementationClassUid: '2.25.1', implementationVersionName: 'TEST', roots: plan.roots }));

    const pdi = validatePdi(root, '-Pgp');
    // dcmmkdir itself rejects the Latin-1 instance for its missing study date/ID (source data it will not invent);
    // everything about our DICOMDIR must still be clean.
    expect(pdi.out).not.toMatch(/dciodvfy DICOMDIR|dcdirdmp|references missing|not referenced|ISO 9660|deeper/);
    const dump = sh('dcmdump', [path.join(root, 'DICOMDIR')]).out;
    expect(dump).toMatch(/\(0008,0005\) CS \[ISO_IR 100\]/);
    expect(dump).toMatch(/\(0008,0020\) DA \[20240501\]/); // stand-in from the series date
    expect(dump).toMatch(/\(0020,0010\) SH \[1\]/);

    // The first study alone against dcmtk's own DICOMDIR for the same files.
    const only = tempDir();
    for (const file of plan.files.filter((f) => f.blobId !== 'latin')) {
      fs.mkdirSync(path.join(only, path.dirname(file.path)), { recursive: true });
      fs.copyFileSync(path.join(root, file.path), path.join(only, file.path));
    }
    const first = planFileSet([studies[0]!]);
    fs.writeFileSync(path.join(only, 'DICOMDIR'), writeDicomdir({ filesetId: 'SO_TEST', filesetUid: uid(), implementationClassUid: '2.25.1', implementationVersionName: 'TEST', roots: first.roots }));
    expect(validatePdi(only, '-Pgp').code).toBe(0);
    const reference = path.join(tempDir(), 'REF');
    expect(sh('dcmmkdir', ['-q', '+r', '+F', 'SO_TEST', '+D', reference, 'DICOM'], { cwd: only }).code).toBe(0);
    const ours = sh('dcdirdmp', [path.join(only, 'DICOMDIR')]).out;
    const theirs = sh('dcdirdmp', [reference]).out;
    expect(ours.split('\n').sort()).toEqual(theirs.split('\n').sort());
  });

  it('never makes up a patient ID', async () => {
    const sop = uid();
    const noId = wrapPart10(
      encodeElements([...baseElements({ sopInstanceUid: sop }).filter((e) => !(e.tag[0] === 0x0010 && e.tag[1] === 0x0020)), ...imageElements({ rows: 2, columns: 2, bitsAllocated: 8 })]),
      { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.1' },
    );
    const keys = await keysOf(noId);
    expect(() => planFileSet([{ number: 3, series: [{ instances: [{ blobId: 'x', size: noId.length, sha256: '', keys }] }] }])).toThrow(/study 3 .* no patient ID.*never makes one up/s);
  });

  it('refuses two people sharing one patient ID', async () => {
    const one = makeInstance({ patient: { name: 'DOE^JANE', id: 'SAME', birthDate: '19700101' } });
    const two = makeInstance({ patient: { name: 'ROE^RICHARD', id: 'SAME', birthDate: '19500505' } });
    const study = async (number: number, bytes: Buffer): Promise<FileSetStudy> => ({ number, series: [{ instances: [{ blobId: String(number), size: bytes.length, sha256: '', keys: await keysOf(bytes) }] }] });
    expect(() => planFileSet([])).not.toThrow();
    const studies = [await study(1, one), await study(2, two)];
    expect(() => planFileSet(studies)).toThrow(/share one patient ID/);
  });
});

describe('the packet self-check (read back with the disc readers)', () => {
  const plan = () => [
    memoryFile('README.TXT', Buffer.from('Hello\r\n')),
    memoryFile('BIG/LARGE.BIN', Buffer.alloc(9 * 1024 * 1024 + 5, 0x41)), // streamed: above the one-read size
    ...Array.from({ length: 20 }, (_, i) => memoryFile(`DICOM/I${String(i).padStart(7, '0')}`, Buffer.alloc(3000 + i, i))),
  ];
  const neverOpen = () => {
    throw new Error('memory files only');
  };
  const write = async (format: 'folder' | 'zip' | 'iso') => {
    const files = plan();
    const target = path.join(tempDir(), format === 'folder' ? 'packet' : `packet.${format}`);
    await writePacket({ format, target, files, open: neverOpen, volumeId: 'TESTSET', date: new Date(2025, 0, 2), application: 'Test' });
    return { files, target };
  };
  const check = (target: string, files: ReturnType<typeof plan>) => checkPacket(target, files, () => undefined, new AbortController().signal);

  for (const format of ['folder', 'zip', 'iso'] as const) {
    it(`passes an intact ${format} and counts every byte`, async () => {
      const { files, target } = await write(format);
      const result = await check(target, files);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.files).toBe(files.length);
      expect(result.bytes).toBe(files.reduce((sum, file) => sum + file.size, 0));
    });
  }

  it('names a changed, a truncated, a missing and an unexpected file in a folder packet', async () => {
    const { files, target } = await write('folder');
    const changed = path.join(target, 'DICOM', 'I0000003');
    const bytes = fs.readFileSync(changed);
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0xff, 100);
    fs.writeFileSync(changed, bytes);
    fs.truncateSync(path.join(target, 'BIG', 'LARGE.BIN'), 1024);
    fs.rmSync(path.join(target, 'DICOM', 'I0000007'));
    fs.writeFileSync(path.join(target, 'EXTRA.TXT'), 'not planned');
    const result = await check(target, files);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'DICOM/I0000003: content differs from what was planned',
        `BIG/LARGE.BIN: 1024 bytes instead of ${9 * 1024 * 1024 + 5}`,
        'missing DICOM/I0000007',
        'unexpected file EXTRA.TXT',
      ]),
    );
    expect(result.problems).toHaveLength(4);
  });

  it('finds a flipped byte inside the streamed large file of an ISO', async () => {
    const { files, target } = await write('iso');
    const image = fs.readFileSync(target);
    const at = image.indexOf(Buffer.alloc(64, 0x41)) + 4 * 1024 * 1024;
    image[at] = 0x42;
    fs.writeFileSync(target, image);
    const result = await check(target, files);
    expect(result.problems).toEqual(['BIG/LARGE.BIN: content differs from what was planned']);
  });
});
