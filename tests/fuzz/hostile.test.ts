/**
 * Hostile structures, each built on purpose and run through the core as the app would: archives with path traversal,
 * absolute paths and links; decompression bombs (by ratio, by lying sizes, by many overlapping entries); ISO images
 * whose directories loop or repeat millions of records; disc folders with links out of the folder, link loops, deep
 * nesting, very long names and pipes; HTML/RTF reports and PDFs that used to take hours. Every case must end within
 * its time budget, with bounded memory, a clean outcome or error, and nothing outside the vault touched or imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { openSource } from '../../electron/core/imaging/sources/open';
import { openPdf } from '../../electron/core/documents/analysis/pdf';
import { textReportToPages } from '../../electron/core/documents/from-bytes';
import { makeInstance } from '../fixtures/imaging/dicom';
import { record } from '../fixtures/imaging/iso-writer';
import { writeZip, type ZipEntrySpec } from '../fixtures/imaging/zip-writer';
import { createdCore, TEST_PROFILE } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { expectCleanError, expectHumanMessage } from './checks';
import { collectGarbage, timed } from './harness';
import { hostilePdf } from './pdf-hostile';
import { tinyPdf } from './seeds';
import { call, expectCleanReasons, expectVaultClean, vaultSnapshot } from './vault-state';

const MiB = 1024 * 1024;

type Made = Awaited<ReturnType<typeof createdCore>>;
/** A fresh vault for each test (temp folders are removed after every test). */
let made: Made;

beforeEach(async () => {
  made = await createdCore();
  return () => made.core.close();
});

/** A DICOM instance of the vault's own patient (so discs are not held back), with a fixed UID per number. */
function instance(n: number, extra: Record<string, unknown> = {}): Buffer {
  return makeInstance({
    patient: { name: 'Testpatient^Zyxwvut', id: 'HOSTILE-1', birthDate: TEST_PROFILE.birthDate.replace(/-/g, ''), sex: 'F' },
    study: { uid: '2.25.90001', description: 'HOSTILE STUDY' },
    series: { uid: `2.25.9100${n % 3}`, number: 1, modality: 'CT', description: 'AXIAL' },
    sopInstanceUid: `2.25.92${String(n).padStart(6, '0')}`,
    instanceNumber: n,
    image: { rows: 8, columns: 8, bitsAllocated: 16, signed: true },
    extra,
  });
}

type DiscOutcome = ReturnType<(typeof contract)['imaging.import']['output']['parse']>;

/** imaging.detect + imaging.import, within `ms`, returning the outcome (or the clean error). */
async function importDisc(target: string, ms: number, context: string): Promise<{ outcome: DiscOutcome | null; error: { code: string; message: string } | null; ms: number }> {
  const detected = await call(made.core, 'imaging.detect', { path: target });
  if (!detected.ok) expectCleanError(detected.error, `${context} detect`, [target]);
  const { value: result, ms: took } = await timed(() => call(made.core, 'imaging.import', { path: target, acceptOtherPatient: true }));
  expect(took, `${context}: import took ${took} ms`).toBeLessThan(ms);
  if (!result.ok) {
    expectCleanError(result.error, `${context} import`, [target]);
    expect(result.error.code, `${context}: unexpected internal error`).not.toBe('INTERNAL');
    return { outcome: null, error: result.error, ms: took };
  }
  const outcome = contract['imaging.import'].output.parse(result.value);
  expectCleanReasons([...outcome.failed, ...outcome.skipped], context, [target]);
  return { outcome, error: null, ms: took };
}

describe('archives', () => {
  it('skips traversal, absolute paths, drive letters and link entries, and writes nothing outside', async () => {
    const dir = tempDir('so-hostile-zip-');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    const hostileNames = [
      '../outside/escaped1',
      '../../outside/escaped2',
      '/tmp/absolute-escape',
      'C:\\Windows\\escaped3',
      '..\\..\\outside\\escaped4',
      'DICOM/../../outside/escaped5',
      '\\\\server\\share\\escaped6',
      'ok/\u0000nul',
      '<img src=x onerror=alert(1)>/\u202eevil\u0007name',
    ];
    const entries: ZipEntrySpec[] = [
      ...hostileNames.map((name, i) => ({ name, data: instance(100 + i) })),
      { name: 'DICOM/link-to-passwd', data: Buffer.from('../../../../etc/passwd'), unixMode: 0o120777 },
      { name: 'DICOM/link-dir', data: Buffer.from('/'), unixMode: 0o120755 },
      { name: 'DICOM/fifo', data: Buffer.alloc(0), unixMode: 0o010644 },
      { name: 'DICOM/GOOD', data: instance(1) },
    ];
    const zip = path.join(dir, 'disc', 'traversal.zip');
    fs.mkdirSync(path.dirname(zip));
    fs.writeFileSync(zip, writeZip(entries));
    const before = fs.readdirSync(dir, { recursive: true });
    const { outcome } = await importDisc(zip, 30_000, 'traversal zip');
    expect(outcome).not.toBeNull();
    // GOOD, and the entry whose odd name (markup, right-to-left override, bell) is still a safe relative path.
    expect(outcome!.instances.added + outcome!.instances.alreadyInVault).toBe(2);
    const reasons = outcome!.skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/unsafe path/);
    expect(reasons).toMatch(/link to another file/);
    for (const item of outcome!.skipped) {
      // eslint-disable-next-line no-control-regex -- no control characters may reach the summary
      expect(item.path).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
    // Nothing was extracted anywhere: the folder looks exactly as before, and /tmp has no escapee.
    expect(fs.readdirSync(dir, { recursive: true })).toEqual(before);
    expect(fs.existsSync('/tmp/absolute-escape')).toBe(false);
  });

  it('refuses decompression bombs quickly, without filling memory or disk', { timeout: 180_000 }, async () => {
    const dir = tempDir('so-hostile-bomb-');
    const vaultBytes = () => fs.readdirSync(made.vaultDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    const zeros64 = Buffer.alloc(64 * MiB);
    const kernel64 = deflateRawSync(zeros64, { level: 9 }); // ~64 KiB that inflate to 64 MiB
    const header = instance(7);
    const dicomThenZeros = Buffer.concat([header, Buffer.alloc(4 * MiB - header.length)]);
    const kernel4 = deflateRawSync(dicomThenZeros, { level: 9 });
    const cases: Array<[string, Buffer]> = [
      ['honest ratio bomb (64 MiB of zeros)', writeZip([{ name: 'IM1', data: zeros64, compressed: kernel64 }])],
      ['lying size (declares 1000 bytes, inflates to 64 MiB)', writeZip([{ name: 'IM1', compressed: kernel64, declaredSize: 1000, crc: 0 }])],
      ['declares 4 GiB', writeZip([{ name: 'IM1', compressed: kernel64, declaredSize: 0xffffffff, crc: 0 }])],
      ['stored entry declaring 4 GiB', writeZip([{ name: 'IM1', data: Buffer.from('x'), method: 0, declaredSize: 0xfffffff0 }])],
      ['10,000 entries declaring 10 MiB each', writeZip(Array.from({ length: 10_000 }, (_, i) => ({ name: `D/IM${i}`, compressed: Buffer.from([3, 0]), declaredSize: 10 * MiB, crc: 0 })))],
    ];
    // Many central-directory entries sharing one compressed body: each just under the per-entry ratio threshold
    // (4 MiB), together 40 GB of DICOM-looking data from a file of under 1 MB.
    const overlapping = (() => {
      const single = writeZip([{ name: 'K', data: dicomThenZeros, compressed: kernel4 }]);
      const localLength = 30 + 1 + kernel4.length;
      const centrals: Buffer[] = [];
      const count = 10_000;
      for (let i = 0; i < count; i += 1) {
        const name = Buffer.from(`D/IM${i}`);
        const central = Buffer.from(single.subarray(localLength, localLength + 46));
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(0, 42);
        centrals.push(central, name);
      }
      const cd = Buffer.concat(centrals);
      const eocd = Buffer.alloc(22);
      eocd.writeUInt32LE(0x06054b50, 0);
      eocd.writeUInt16LE(count, 8);
      eocd.writeUInt16LE(count, 10);
      eocd.writeUInt32LE(cd.length, 12);
      eocd.writeUInt32LE(localLength, 16);
      return Buffer.concat([single.subarray(0, localLength), cd, eocd]);
    })();
    cases.push(['10,000 entries overlapping one 4 MiB body (40 GB in total)', overlapping]);
    for (const [name, bytes] of cases) {
      const file = path.join(dir, `${cases.findIndex((c) => c[0] === name)}.zip`);
      fs.writeFileSync(file, bytes);
      collectGarbage();
      const rssBefore = process.memoryUsage.rss();
      const diskBefore = vaultBytes();
      const { outcome, error, ms } = await importDisc(file, 20_000, name);
      console.info(`[fuzz] bomb "${name}": ${ms} ms, ${outcome ? `${outcome.instances.added} added, ${outcome.skipped.length} skipped, ${outcome.failed.length} failed` : error!.message}`);
      const grown = (process.memoryUsage.rss() - rssBefore) / MiB;
      expect(grown, `${name}: memory grew by ${grown.toFixed(0)} MiB`).toBeLessThan(300);
      const written = (vaultBytes() - diskBefore) / MiB;
      expect(written, `${name}: ${written.toFixed(1)} MiB written to the vault`).toBeLessThan(16);
      if (outcome) {
        expect(outcome.instances.added, name).toBeLessThanOrEqual(1);
        expect(outcome.skipped.length + outcome.failed.length, `${name}: nothing said about the bomb`).toBeGreaterThan(0);
        for (const item of [...outcome.skipped, ...outcome.failed]) expectHumanMessage(item.reason, name);
      } else {
        expect(error!.message, name).toMatch(/zip|archive|unpacks/i);
      }
    }
  });
});

describe('ISO images', () => {
  /** Root directory (sector 18) of `dirSectors` sectors filled with `records(sector, index)`. */
  function imageWith(dirSectors: number, records: (index: number) => Buffer, extraSectors = 8): Buffer {
    const image = Buffer.alloc((18 + dirSectors + extraSectors) * 2048);
    const pvd = image.subarray(16 * 2048);
    pvd[0] = 1;
    pvd.write('CD001', 1, 'latin1');
    pvd[6] = 1;
    pvd.writeUInt16LE(2048, 128);
    record(Buffer.from([0]), 18, dirSectors * 2048, 2).copy(pvd, 156);
    const term = image.subarray(17 * 2048);
    term[0] = 255;
    term.write('CD001', 1, 'latin1');
    let index = 0;
    for (let s = 0; s < dirSectors; s += 1) {
      let at = (18 + s) * 2048;
      for (;;) {
        const r = records(index);
        if (at + r.length > (19 + s) * 2048) break;
        r.copy(image, at);
        at += r.length;
        index += 1;
      }
    }
    return image;
  }

  it('ends listings of looping, self-referencing and overlapping directories quickly and in bounded memory', async () => {
    const dir = tempDir('so-hostile-iso-');
    const data = instance(2);
    const cases: Array<[string, Buffer, number]> = [
      ['directory pointing to itself', imageWith(1, (i) => (i === 0 ? record(Buffer.from('SELF'), 18, 2048, 2) : record(Buffer.from(`F${i}`), 30, data.length, 0))), 30],
      [
        'two directories pointing at each other',
        (() => {
          const image = imageWith(2, (i) => (i === 0 ? record(Buffer.from('A'), 19, 2048, 2) : Buffer.alloc(2048)));
          record(Buffer.from('B'), 18, 2048, 2).copy(image, 19 * 2048);
          return image;
        })(),
        0,
      ],
      // 8 MiB of directory records, each a directory pointing into the same records: millions of entries to walk.
      ['8 MiB of overlapping directories', imageWith(4096, (i) => record(Buffer.from('D'), 18 + (i % 4096), 4096 * 2048, 2)), 0],
      ['100,000 records for files beyond the end of the image', imageWith(2048, (i) => record(Buffer.from(`F${i}`), 0x7ffffff0, 0xfffffff0, 0)), 0],
      ['records with absurd lengths and flags', imageWith(64, (i) => record(Buffer.from(`X${i}`), i, 0xffffffff, (i * 37) & 0xff)), 0],
    ];
    for (const [name, image, dataAt] of cases) {
      if (dataAt) data.copy(image, dataAt * 2048 >= image.length ? image.length - data.length : dataAt * 2048);
      const file = path.join(dir, `${cases.findIndex((c) => c[0] === name)}.iso`);
      fs.writeFileSync(file, image);
      collectGarbage();
      const rssBefore = process.memoryUsage.rss();
      const { value: listed, ms } = await timed(async () => {
        const source = await openSource(file);
        let n = 0;
        for await (const entry of source.entries()) {
          n += 1;
          expect(entry.path.split('/').includes('..'), name).toBe(false);
        }
        await source.close();
        return { n, problems: source.problems.length };
      });
      const grown = (process.memoryUsage.rss() - rssBefore) / MiB;
      expect(ms, `${name}: listing took ${ms} ms`).toBeLessThan(15_000);
      expect(grown, `${name}: memory grew by ${grown.toFixed(0)} MiB`).toBeLessThan(400);
      expect(listed.problems, `${name}: problems kept`).toBeLessThanOrEqual(10_001);
      await importDisc(file, 30_000, name);
    }
  });
});

describe('disc and document folders', () => {
  it('never follows links out of the chosen folder, ends link loops, and bounds deep nesting and long names', async () => {
    const root = tempDir('so-hostile-folder-');
    const disc = path.join(root, 'disc');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(path.join(disc, 'DICOM'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(disc, 'DICOM', 'IM1'), instance(11));
    // Outside the chosen folder: an instance and a report that must never be imported through a link.
    fs.writeFileSync(path.join(outside, 'IM-OUTSIDE'), instance(12));
    fs.writeFileSync(path.join(outside, 'secret.pdf'), await tinyPdf('Outside the chosen folder: must not be imported.'));
    fs.symlinkSync(outside, path.join(disc, 'DICOM', 'link-out'));
    fs.symlinkSync(path.join(outside, 'IM-OUTSIDE'), path.join(disc, 'DICOM', 'file-link-out'));
    fs.symlinkSync('/etc/passwd', path.join(disc, 'passwd'));
    fs.symlinkSync('/dev/zero', path.join(disc, 'zero'));
    fs.symlinkSync(disc, path.join(disc, 'DICOM', 'loop-to-root'));
    fs.symlinkSync('b', path.join(disc, 'a'));
    fs.symlinkSync('a', path.join(disc, 'b'));
    fs.symlinkSync('missing-target', path.join(disc, 'dangling'));
    execFileSync('mkfifo', [path.join(disc, 'DICOM', 'pipe')]);
    // Deep nesting (200 levels) with an instance at the bottom, and names of 255 bytes.
    let deep = path.join(disc, 'DEEP');
    for (let i = 0; i < 200; i += 1) deep = path.join(deep, 'd');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'IM-DEEP'), instance(13));
    const longDir = path.join(disc, 'L'.repeat(255), 'M'.repeat(255));
    fs.mkdirSync(longDir, { recursive: true });
    fs.writeFileSync(path.join(longDir, `${'N'.repeat(250)}.dcm`), instance(14));
    fs.writeFileSync(path.join(disc, `${'\u00e9'.repeat(127)}`), instance(15)); // 254 bytes of UTF-8

    const before = await vaultSnapshot(made.core, made.vaultDir);
    const { outcome } = await importDisc(disc, 30_000, 'hostile folder');
    expect(outcome).not.toBeNull();
    const skipped = outcome!.skipped.map((s) => `${s.path}: ${s.reason}`).join('\n');
    expect(skipped).toMatch(/link pointing outside the chosen folder/);
    expect(skipped).toMatch(/special file/);
    expect(skipped).toMatch(/deeper folders|more files/);
    // IM1, the two long-named files; never IM-OUTSIDE (neither through the folder link nor the file link), and the
    // instance 200 levels down is past the depth limit.
    const stored = outcome!.instances.added + outcome!.instances.alreadyInVault;
    expect(stored).toBe(3);
    const studies = await call(made.core, 'imaging.studies', {});
    expect(JSON.stringify(studies)).not.toContain('2.25.92000012');
    expect(before).not.toBe(await vaultSnapshot(made.core, made.vaultDir));

    // The same folder as documents: links are not followed at all, the pipe is not opened, nothing from outside.
    const docs = await call(made.core, 'documents.import', { paths: [disc] });
    expect(docs.ok).toBe(true);
    const docOutcome = contract['documents.import'].output.parse((docs as { value: unknown }).value);
    expect(docOutcome.imported.map((i) => i.path).join('\n')).not.toContain('outside');
    expectCleanReasons([...docOutcome.failed, ...docOutcome.skipped], 'documents from hostile folder', [disc]);

    // Chosen paths that are pipes, links to devices, far too long, or in a folder that does not exist.
    for (const chosen of [path.join(disc, 'DICOM', 'pipe'), path.join(disc, 'zero'), path.join(disc, 'a'), `${root}/${'x'.repeat(4000)}`, path.join(root, 'nope', 'file.pdf')]) {
      const { value: result, ms } = await timed(() => call(made.core, 'documents.import', { paths: [chosen] }));
      expect(ms, `${chosen.slice(0, 80)}: took ${ms} ms`).toBeLessThan(10_000);
      expect(result.ok).toBe(true);
      const parsed = contract['documents.import'].output.parse((result as { value: unknown }).value);
      expect(parsed.imported).toEqual([]);
      // Whatever it is, the person gets an answer for what they chose (a pipe or device used to be ignored silently).
      expect(parsed.failed, chosen.slice(0, 80)).toHaveLength(1);
      expectCleanReasons([...parsed.failed, ...parsed.skipped], 'hostile chosen path', [chosen]);
      const detect = await call(made.core, 'imaging.detect', { path: chosen });
      if (!detect.ok) expectCleanError(detect.error, 'detect hostile path', [chosen]);
      const imported = await call(made.core, 'imaging.import', { path: chosen });
      if (!imported.ok) expectCleanError(imported.error, 'import hostile path', [chosen]);
    }
  });
});

describe('documents that used to take hours', () => {
  it('reads huge hostile HTML and RTF reports in linear time', async () => {
    for (const [format, text] of [
      ['html', '<'.repeat(2_000_000)],
      ['html', '<script'.repeat(300_000)],
      ['html', '<!--'.repeat(500_000)],
      ['rtf', '{\\fonttbl'.repeat(200_000)],
    ] as const) {
      const { ms } = await timed(() => textReportToPages(Buffer.from(text), format));
      expect(ms, `${format} ${JSON.stringify(text.slice(0, 8))}…: ${ms} ms`).toBeLessThan(3_000);
    }
  });

  it('gives up on a PDF image that claims 2^31 bits per component instead of hanging', async () => {
    const bytes = hostilePdf('bits-per-component', 2 ** 31);
    const { value: reader } = await timed(() => openPdf(bytes, { timeoutMs: 3_000 }));
    const { value: rendered, ms } = await timed(() => reader.render(1, { width: 64 }).then(() => 'rendered', (error: Error) => error.message));
    expect(ms).toBeLessThan(10_000);
    expect(rendered).toMatch(/damaged/);
    await reader.close();
    // The next PDF is read normally (a new pdf.js thread).
    const next = await openPdf(await tinyPdf('Readable after the hang.'), { timeoutMs: 10_000 });
    expect((await next.readText(1)).text).toContain('Readable after the hang');
    await next.close();
  });

  it('imports a folder holding such a PDF without hanging the core, and keeps the vault sound', { timeout: 120_000 }, async () => {
    const dir = tempDir('so-hostile-bpc-');
    fs.writeFileSync(path.join(dir, 'bits.pdf'), hostilePdf('bits-per-component', 2 ** 31));
    fs.writeFileSync(path.join(dir, 'fine.pdf'), await tinyPdf('Pathology report: benign, after the hostile one.'));
    const { value: result, ms } = await timed(() => call(made.core, 'documents.import', { paths: [dir] }));
    // One pdf.js call may wait its full time limit (30 s) before the PDF is given up on.
    expect(ms).toBeLessThan(80_000);
    expect(result.ok).toBe(true);
    const outcome = contract['documents.import'].output.parse((result as { value: unknown }).value);
    expect(outcome.imported.map((i) => path.basename(i.path))).toContain('fine.pdf');
    expectCleanReasons(outcome.failed, 'hostile PDF import', [dir]);
    await expectVaultClean(made.core, 'after hostile imports');
  });
});
