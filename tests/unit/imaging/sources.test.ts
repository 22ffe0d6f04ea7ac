import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import {
  classifyDiscFile,
  detectSourceKind,
  normaliseArchivePath,
  openSource,
  type DiscSource,
  type SourceEntry,
} from '../../../electron/core/imaging';
import { buildDisc, jolietRecords, makeIso, setRecordExtent, setRecordLength, udfOnlyImage } from '../../fixtures/imaging/discs';
import { makeInstance } from '../../fixtures/imaging/dicom';
import { craftIso } from '../../fixtures/imaging/iso-writer';
import { hasTool, missingTools, run } from '../../fixtures/imaging/tools';
import { writeZip } from '../../fixtures/imaging/zip-writer';
import { tempDir } from '../../helpers/temp';

async function list(source: DiscSource): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const entry of source.entries()) out.push(entry);
  return out;
}

async function readAll(entry: SourceEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function expectAppError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError, got ${String(error)}`).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(missingTools.length > 0)('disc sources', () => {
  // One disc folder shared by the read-only tests of this file (built once, ~0.2 s).
  let shared: string;
  let disc: Awaited<ReturnType<typeof buildDisc>>;
  beforeAll(async () => {
    shared = fs.mkdtempSync(path.join(os.tmpdir(), 'so-imaging-src-'));
    disc = await buildDisc(path.join(shared, 'disc'));
    return () => fs.rmSync(shared, { recursive: true, force: true });
  });

  describe('detection by content', () => {
    it('tells folders, ISO images and zips apart regardless of file names', async () => {
      const dir = tempDir();
      const iso = path.join(dir, 'looks-like.zip');
      await makeIso(disc.root, iso);
      const zip = path.join(dir, 'looks-like.iso');
      await run('zip', ['-q', '-r', zip, '.'], { cwd: disc.root });
      expect(await detectSourceKind(disc.root)).toBe('folder');
      expect(await detectSourceKind(iso)).toBe('iso');
      expect(await detectSourceKind(zip)).toBe('zip');
      const empty = path.join(dir, 'empty.bin');
      fs.writeFileSync(empty, writeZip([]));
      expect(await detectSourceKind(empty)).toBe('zip');
    });

    it('refuses a UDF-only image with a message saying what to do instead', async () => {
      const file = path.join(tempDir(), 'disc.iso');
      fs.writeFileSync(file, udfOnlyImage());
      await expectAppError(openSource(file), /UDF.*copy all of its files into a folder/s);
    });

    it('reads a UDF-bridge image (genisoimage -udf) through its ISO 9660 side', async () => {
      if (!hasTool('genisoimage')) return;
      const file = path.join(tempDir(), 'bridge.iso');
      await run('genisoimage', ['-quiet', '-udf', '-J', '-o', file, disc.root]);
      const source = await openSource(file);
      try {
        expect(source.kind).toBe('iso');
        const paths = (await list(source)).map((e) => e.path);
        expect(paths).toContain('DICOM/P1/S1/SE1/IM1');
      } finally {
        await source.close();
      }
    });

    it('gives clear errors for a single DICOM file, other archives and unknown files', async () => {
      const dir = tempDir();
      const single = path.join(dir, 'image');
      fs.writeFileSync(single, makeInstance());
      await expectAppError(openSource(single), /single imaging file/);
      const gz = path.join(dir, 'x.tgz');
      fs.writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
      await expectAppError(openSource(gz), /archive format cannot be opened/);
      const text = path.join(dir, 'notes.txt');
      fs.writeFileSync(text, 'hello');
      await expectAppError(openSource(text), /not a disc image/);
      await expectAppError(openSource(path.join(dir, 'missing')), /not there/);
    });
  });

  describe('folder', () => {
    it('lists regular files recursively in sorted order', async () => {
      const source = await openSource(disc.root);
      const entries = await list(source);
      const paths = entries.map((e) => e.path);
      expect(paths).toEqual([...paths].sort());
      for (const f of disc.dicomFiles) expect(paths).toContain(f);
      const im1 = entries.find((e) => e.path === 'DICOM/P1/S1/SE1/IM1')!;
      const original = fs.readFileSync(path.join(disc.root, im1.path));
      expect(im1.size).toBe(original.length);
      expect(sha(await readAll(im1))).toBe(sha(original));
      expect((await im1.readHead(132)).subarray(128).toString('latin1')).toBe('DICM');
      expect(source.problems).toEqual([]);
      await source.close();
    });

    it('skips links that leave the folder, special files and link loops', async () => {
      const root = tempDir();
      const outside = tempDir();
      fs.writeFileSync(path.join(outside, 'secret'), 'outside');
      fs.mkdirSync(path.join(root, 'a'));
      fs.writeFileSync(path.join(root, 'a', 'file'), 'inside');
      fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'escape'));
      fs.symlinkSync(outside, path.join(root, 'escape-dir'));
      fs.symlinkSync(path.join(root, 'a', 'file'), path.join(root, 'inner-link'));
      fs.symlinkSync(root, path.join(root, 'a', 'loop'));
      fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling'));
      execFileSync('mkfifo', [path.join(root, 'fifo')]);
      const source = await openSource(root);
      const paths = (await list(source)).map((e) => e.path);
      expect(paths).toEqual(['a/file', 'inner-link']);
      const reasons = source.problems.map((p) => `${p.path}:${p.reason}`).sort();
      expect(reasons).toEqual(['dangling:unreadable', 'escape-dir:escapes-root', 'escape:escapes-root', 'fifo:special-file']);
      await source.close();
    });

    it('does not hang when a listed file is swapped for a pipe before it is read', async () => {
      const root = tempDir();
      fs.writeFileSync(path.join(root, 'file'), 'data');
      const source = await openSource(root);
      const [entry] = await list(source);
      fs.rmSync(path.join(root, 'file'));
      execFileSync('mkfifo', [path.join(root, 'file')]);
      expect(await entry!.readHead(10)).toEqual(Buffer.alloc(0));
      const outcome = await readAll(entry!).then(
        (b) => `read ${b.length}`,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(['EAGAIN', 'read 0']).toContain(outcome);
    });

    it('stops at the entry limit and says so', async () => {
      const { openFolderSource } = await import('../../../electron/core/imaging');
      const source = await openFolderSource(disc.root, { maxEntries: 3, maxDepth: 64 });
      expect(await list(source)).toHaveLength(3);
      expect(source.problems.map((p) => p.reason)).toEqual(['limit-reached']);
    });
  });

  describe('ISO 9660 + Joliet', () => {
    it('lists Joliet names (long, mixed case, accents) and streams exact bytes', async () => {
      const root = tempDir();
      const long = 'Patient Files/Étude Thorax 2024/image-0001 (axial).dcm';
      const bytes = makeInstance();
      fs.mkdirSync(path.join(root, path.dirname(long)), { recursive: true });
      fs.writeFileSync(path.join(root, long), bytes);
      fs.writeFileSync(path.join(root, 'readme.txt'), 'x'.repeat(5000));
      const iso = path.join(tempDir(), 'disc.iso');
      await makeIso(root, iso);
      const source = await openSource(iso);
      const entries = await list(source);
      expect(entries.map((e) => e.path).sort()).toEqual([long, 'readme.txt']);
      const image = entries.find((e) => e.path === long)!;
      expect(image.size).toBe(bytes.length);
      expect(sha(await readAll(image))).toBe(sha(bytes));
      expect((await image.readHead(132)).length).toBe(132);
      expect(await image.readHead(10_000_000)).toEqual(bytes);
      await source.close();
      await expectAppError(Promise.resolve().then(() => image.open()), /closed/);
    });

    it('lists the same DICOM files as the folder it was made from', async () => {
      const iso = path.join(tempDir(), 'disc.iso');
      await makeIso(disc.root, iso);
      const source = await openSource(iso);
      const entries = await list(source);
      const paths = entries.map((e) => e.path).filter((p) => p.startsWith('DICOM/'));
      expect(paths.sort()).toEqual(disc.dicomFiles);
      // On-disc order: by first sector, the fastest order for optical drives.
      expect(source.problems).toEqual([]);
      await source.close();
    });

    it('survives a directory that points back to its parent (loop) and absurd file lengths', async () => {
      const root = tempDir();
      fs.mkdirSync(path.join(root, 'loopdir', 'child'), { recursive: true });
      fs.writeFileSync(path.join(root, 'loopdir', 'child', 'deep.bin'), 'deep');
      fs.writeFileSync(path.join(root, 'good.bin'), 'good');
      fs.writeFileSync(path.join(root, 'huge.bin'), 'not really huge');
      const isoPath = path.join(tempDir(), 'hostile.iso');
      await makeIso(root, isoPath);
      const iso = fs.readFileSync(isoPath);
      const [loopdir] = jolietRecords(iso, 'loopdir');
      const [child] = jolietRecords(iso, 'child');
      const [huge] = jolietRecords(iso, 'huge.bin');
      expect(loopdir && child && huge).toBeTruthy();
      setRecordExtent(iso, child!, iso.readUInt32LE(loopdir! + 2)); // child → loopdir: a cycle
      setRecordLength(iso, huge!, 0x7ffffff0);
      fs.writeFileSync(isoPath, iso);
      const started = Date.now();
      const source = await openSource(isoPath);
      const paths = (await list(source)).map((e) => e.path);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(paths).toEqual(['good.bin']);
      const reasons = source.problems.map((p) => `${p.path}:${p.reason}`).sort();
      expect(reasons).toEqual(['huge.bin:damaged', 'loopdir/child:loop']);
      await source.close();
    });

    it('falls back to the primary tree when the Joliet root is damaged, and errors when both are', async () => {
      const isoPath = path.join(tempDir(), 'roots.iso');
      const root = tempDir();
      fs.writeFileSync(path.join(root, 'Mixed Case Name.dcm'), 'x');
      await makeIso(root, isoPath);
      const iso = fs.readFileSync(isoPath);
      const svd = 17 * 2048; // xorriso: PVD at 16, Joliet SVD at 17
      expect(iso[svd]).toBe(2);
      setRecordLength(iso, svd + 156, 0x7ffffff0);
      fs.writeFileSync(isoPath, iso);
      const source = await openSource(isoPath);
      const paths = (await list(source)).map((e) => e.path);
      expect(paths).toHaveLength(1);
      expect(paths[0]).toMatch(/^MIXED_CA/); // ISO level 1 name from the primary tree
      await source.close();
      setRecordLength(iso, 16 * 2048 + 156, 0x7ffffff0);
      fs.writeFileSync(isoPath, iso);
      await expectAppError(openSource(isoPath), /damaged or incomplete/);
    });

    it('reports files of a truncated image instead of failing', async () => {
      const isoPath = path.join(tempDir(), 'cut.iso');
      await makeIso(disc.root, isoPath);
      // Cut the image in the middle of one file's data: it and every file after it lie beyond the end.
      const marker = fs.readFileSync(path.join(disc.root, 'DICOM/P2/S1/SE1/IM1')).subarray(128, 600);
      const at = fs.readFileSync(isoPath).indexOf(marker);
      expect(at).toBeGreaterThan(0);
      fs.truncateSync(isoPath, at + 100);
      const source = await openSource(isoPath);
      const entries = await list(source);
      expect(entries.length).toBeGreaterThan(0);
      expect(source.problems.length).toBeGreaterThan(0);
      expect(new Set(source.problems.map((p) => p.reason))).toEqual(new Set(['damaged']));
      await source.close();
    });

    it('joins multi-extent files and strips ISO version suffixes', async () => {
      const a = Buffer.alloc(2048, 0x61);
      const b = Buffer.from('tail of the file');
      const image = craftIso(
        [
          { name: 'BIG.DAT;1', extent: 20, length: 2048, flags: 0x80 },
          { name: 'BIG.DAT;1', extent: 22, length: b.length },
          { name: 'NOEXT.;1', extent: 23, length: 3 },
        ],
        [
          { sector: 20, bytes: a },
          { sector: 22, bytes: b },
          { sector: 23, bytes: Buffer.from('abc') },
        ],
      );
      const isoPath = path.join(tempDir(), 'crafted.iso');
      fs.writeFileSync(isoPath, image);
      const source = await openSource(isoPath);
      const entries = await list(source);
      expect(entries.map((e) => [e.path, e.size])).toEqual([
        ['BIG.DAT', 2048 + b.length],
        ['NOEXT', 3],
      ]);
      expect(await readAll(entries[0]!)).toEqual(Buffer.concat([a, b]));
      expect(await entries[0]!.readHead(2050)).toEqual(Buffer.concat([a, b.subarray(0, 2)]));
      await source.close();
    });
  });

  describe('zip', () => {
    it('streams entries of a zip made by Info-ZIP, and of a ZIP64 one', async () => {
      for (const flags of [['-q', '-r'], ['-q', '-r', '-fz']]) {
        const zip = path.join(tempDir(), 'disc.zip');
        await run('zip', [...flags, zip, '.'], { cwd: disc.root });
        if (flags.includes('-fz')) {
          // Really ZIP64: the end of central directory has a ZIP64 record.
          expect(fs.readFileSync(zip).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
        }
        const source = await openSource(zip);
        const entries = await list(source);
        expect(entries.map((e) => e.path).filter((p) => p.startsWith('DICOM/')).sort()).toEqual(disc.dicomFiles);
        for (const entry of entries.slice(0, 5)) {
          const original = fs.readFileSync(path.join(disc.root, entry.path));
          expect(sha(await readAll(entry))).toBe(sha(original));
          expect(await entry.readHead(100)).toEqual(original.subarray(0, 100));
        }
        expect(source.problems).toEqual([]);
        await source.close();
      }
    });

    it('reads the start of stored entries with one read: same bytes as the stream, damage and closing reported', async () => {
      const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));
      const zip = path.join(tempDir(), 'stored.zip');
      fs.writeFileSync(zip, writeZip([
        { name: 'A/STORED', data, method: 0 },
        { name: 'A/EMPTY', data: Buffer.alloc(0), method: 0 },
        { name: 'A/DEFLATED', data, method: 8 },
      ]));
      const source = await openSource(zip);
      const entries = await list(source);
      for (const entry of entries) {
        const whole = await readAll(entry);
        for (const n of [0, 1, 4096, 199_999, 200_000, 10_000_000]) expect(await entry.readHead(n)).toEqual(whole.subarray(0, n));
      }
      await source.close();
      await expect(entries[0]!.readHead(10)).rejects.toMatchObject({ code: expect.any(String) });

      // A local header that no longer says what it is: an error about the entry, not a crash or wrong bytes.
      const damaged = fs.readFileSync(zip);
      damaged.writeUInt32LE(0xdeadbeef, 0);
      fs.writeFileSync(zip, damaged);
      const again = await openSource(zip);
      const [first] = await list(again);
      await expect(first!.readHead(100)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/damaged/) });
      await again.close();
    });

    it('skips and reports unsafe paths, links, encrypted entries and directories, keeping the good files', async () => {
      const good = makeInstance();
      const zip = path.join(tempDir(), 'hostile.zip');
      fs.writeFileSync(
        zip,
        writeZip([
          { name: '../evil.dcm', data: good },
          { name: '/abs.dcm', data: good },
          { name: 'C:\\x.dcm', data: good },
          { name: 'ok/../../escape.dcm', data: good },
          { name: 'dir/', data: Buffer.alloc(0), unixMode: 0o40755 },
          { name: 'dir/link', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
          { name: 'secret.dcm', data: good, encrypted: true },
          { name: 'good\\IM1', data: good },
          { name: './sub/./IM2', data: good, method: 0 },
        ]),
      );
      const source = await openSource(zip);
      const entries = await list(source);
      expect(entries.map((e) => e.path)).toEqual(['good/IM1', 'sub/IM2']);
      expect(await readAll(entries[0]!)).toEqual(good);
      expect(await readAll(entries[1]!)).toEqual(good);
      const reasons = source.problems.map((p) => `${p.path}:${p.reason}`);
      expect(reasons).toEqual([
        '../evil.dcm:unsafe-path',
        '/abs.dcm:unsafe-path',
        'C:/x.dcm:unsafe-path',
        'ok/../../escape.dcm:unsafe-path',
        'dir/link:symlink',
        'secret.dcm:encrypted',
      ]);
      expect(source.problems[0]!.message).toMatch(/unsafe path/);
      await source.close();
    });

    it('refuses an archive that holds nothing but unsafe paths', async () => {
      const zip = path.join(tempDir(), 'evil.zip');
      fs.writeFileSync(zip, writeZip([{ name: '../../etc/evil', data: Buffer.from('x') }]));
      const source = await openSource(zip);
      await expectAppError(list(source), /unsafe paths/);
      await source.close();
    });

    it('guards against decompression bombs: by ratio, by lying sizes, and by total size', async () => {
      const zeros = Buffer.alloc(24 * 1024 * 1024);
      const deflated = deflateRawSync(zeros, { level: 9 });
      const zip = path.join(tempDir(), 'bomb.zip');
      fs.writeFileSync(
        zip,
        writeZip([
          { name: 'honest-bomb', data: zeros, compressed: deflated },
          { name: 'liar', compressed: deflated, declaredSize: 1000, crc: 0 },
          { name: 'fine', data: Buffer.from('small file') },
        ]),
      );
      const source = await openSource(zip);
      const entries = await list(source);
      expect(entries.map((e) => e.path)).toEqual(['liar', 'fine']);
      expect(source.problems.map((p) => `${p.path}:${p.reason}`)).toEqual(['honest-bomb:suspicious-compression']);
      const liar = entries[0]!;
      expect(liar.size).toBe(1000);
      await expectAppError(readAll(liar), /zip bomb/);
      await expectAppError(liar.readHead(100), /zip bomb/);
      expect((await readAll(entries[1]!)).toString()).toBe('small file');
      await source.close();

      const capped = await openSource(zip, { zip: { maxTotalBytes: 500 } });
      await expectAppError(list(capped), /unpacks to far more data/);
      await capped.close();
    });

    it('says a damaged zip is damaged', async () => {
      const zip = path.join(tempDir(), 'cut.zip');
      const full = writeZip([{ name: 'a', data: Buffer.alloc(1000, 1) }, { name: 'b', data: Buffer.alloc(1000, 2) }]);
      const broken = Buffer.from(full);
      broken.writeUInt32LE(0xdeadbeef, broken.length - 22 + 16); // central directory offset → nowhere
      fs.writeFileSync(zip, broken);
      const error = await openSource(zip).then(
        async (s) => list(s).finally(() => s.close()),
        (e: unknown) => {
          throw e;
        },
      ).catch((e: unknown) => e);
      expect(isAppError(error)).toBe(true);
      expect((error as Error).message).toMatch(/damaged/);
    });

    it('normalises archive paths', () => {
      expect(normaliseArchivePath('a/./b//c')).toBe('a/b/c');
      expect(normaliseArchivePath('a\\b')).toBe('a/b');
      expect(normaliseArchivePath('../x')).toBeNull();
      expect(normaliseArchivePath('a/../../x')).toBeNull();
      expect(normaliseArchivePath('\\\\server\\share')).toBeNull();
      expect(normaliseArchivePath('d:x')).toBeNull();
      expect(normaliseArchivePath('a\u0000b')).toBeNull();
      expect(normaliseArchivePath('./')).toBeNull();
    });
  });
});

describe('classifyDiscFile', () => {
  const dicm = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(16)]);
  const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);
  const cases: Array<[string, Buffer, string]> = [
    ['DICOMDIR', dicm, 'dicomdir'],
    ['DICOM/P1/S1/IM1', dicm, 'candidate'],
    ['DICOM/P1/S1/IM2', Buffer.from([8, 0, 5, 0, 0x43, 0x53, 10, 0]), 'candidate'],
    ['VIEWER/viewer.exe', mz, 'skip-software:executable'],
    ['setup', mz, 'skip-software:executable'],
    ['Viewer/jre1.8/lib/rt.jar', Buffer.from('PK\u0003\u0004'), 'skip-software:executable'],
    ['jre/bin/java', Buffer.from([0x7f, 0x45, 0x4c, 0x46]), 'skip-software:executable'],
    ['PLUGINS/codec.bin', Buffer.from('data'), 'skip-software:viewer-folder'],
    ['HELP/index.html', Buffer.from('<html>'), 'skip-software:help'],
    ['help.chm', Buffer.from('ITSF'), 'skip-software:help'],
    ['AUTORUN.INF', Buffer.from('[autorun]'), 'skip-software:autorun'],
    ['autorun.exe', mz, 'skip-software:autorun'],
    ['IHE_PDI/INDEX.HTM', Buffer.from('<!DOCTYPE html>'), 'skip-software:ihe-pdi'],
    ['IHE_PDI/STUDY1/IMG1.JPG', Buffer.from([0xff, 0xd8]), 'skip-software:ihe-pdi'],
    ['README.TXT', Buffer.from('This disc was created by…'), 'skip-software:disc-info'],
    ['Viewer.app/Contents/MacOS/viewer', Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), 'skip-software:executable'],
    ['REPORTS/report.pdf', Buffer.from('%PDF-1.7'), 'report:pdf'],
    ['REPORT', Buffer.from('%PDF-1.4\n'), 'report:pdf'],
    ['befund.rtf', Buffer.from('{\\rtf1\\ansi'), 'report:rtf'],
    ['REPORT.HTM', Buffer.from('<html><body>Findings'), 'report:html'],
    ['report', Buffer.from('\ufeff<!DOCTYPE html><html>'), 'report:html'],
    ['NOTES.TXT', Buffer.from('Findings: none'), 'report:txt'],
    ['DICOM/00000001', Buffer.from('random bytes'), 'candidate'],
  ];
  it.each(cases)('%s → %s', (p, head, expected) => {
    const c = classifyDiscFile(p, head);
    const label = c.kind === 'skip-software' ? `${c.kind}:${c.reason}` : c.kind === 'report' ? `${c.kind}:${c.format}` : c.kind;
    expect(label).toBe(expected);
  });
});
