import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCatalog,
  CatalogBuilder,
  classifyDiscFile,
  compareToProfile,
  namesMatch,
  openSource,
  parseDicomHeader,
  parseDicomHeaderBytes,
  type Catalog,
  type DicomInstanceHeader,
} from '../../../electron/core/imaging';
import { makeInstance, SOP_CLASS, uid } from '../../fixtures/imaging/dicom';
import { buildDisc, dcmtkCounts, makeIso } from '../../fixtures/imaging/discs';
import { missingTools, run } from '../../fixtures/imaging/tools';

function header(spec: Parameters<typeof makeInstance>[0]): DicomInstanceHeader {
  const r = parseDicomHeaderBytes(makeInstance(spec));
  if (!r.ok) throw new Error(r.error.kind);
  return r.header;
}

/** What the import pipeline will do: list, classify, sniff, parse, hash, catalogue. */
async function catalogue(location: string): Promise<{ catalog: Catalog; reports: string[]; skipped: string[]; failed: string[] }> {
  const source = await openSource(location);
  const builder = new CatalogBuilder();
  const reports: string[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  try {
    for await (const entry of source.entries()) {
      const head = await entry.readHead(4096);
      const kind = classifyDiscFile(entry.path, head);
      if (kind.kind === 'report') reports.push(entry.path);
      if (kind.kind === 'skip-software') skipped.push(entry.path);
      if (kind.kind !== 'candidate') continue;
      const result = await parseDicomHeader(entry);
      if (!result.ok) {
        failed.push(`${entry.path}:${result.error.kind}`);
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry.open()) chunks.push(chunk as Buffer);
      const contentHash = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
      builder.add({ ref: entry.path, header: result.header, contentHash });
    }
  } finally {
    await source.close();
  }
  return { catalog: builder.build(), reports, skipped, failed };
}

describe('catalog', () => {
  it('groups by patient (ID + name + birth date), study and series, counting instances and frames', () => {
    const study = uid();
    const ct = uid();
    const mr = uid();
    const inputs = [
      { ref: 'a3', header: header({ study: { uid: study }, series: { uid: ct, number: 2, modality: 'CT' }, instanceNumber: 3 }) },
      { ref: 'a1', header: header({ study: { uid: study }, series: { uid: ct, number: 2, modality: 'CT' }, instanceNumber: 1 }) },
      { ref: 'a2', header: header({ study: { uid: study }, series: { uid: ct, number: 2, modality: 'CT' }, instanceNumber: 2 }) },
      {
        ref: 'mf',
        header: header({
          study: { uid: study },
          series: { uid: mr, number: 1, modality: 'MR' },
          image: { rows: 8, columns: 8, bitsAllocated: 16, frames: 5 },
        }),
      },
      {
        ref: 'sr',
        header: header({ study: { uid: study }, series: { uid: uid(), number: 9, modality: 'SR' }, sopClassUid: SOP_CLASS.basicTextSr, image: null }),
      },
      // Same patient ID, another person: a separate patient.
      { ref: 'other', header: header({ patient: { name: 'DOE^JOHN', id: 'PID-1', birthDate: '19900101' } }) },
      // Same person written with trailing empty components and other case: the same patient.
      { ref: 'same', header: header({ patient: { name: 'Doe^Jane^^', id: 'PID-1', birthDate: '19700115' } }) },
    ];
    const catalog = buildCatalog(inputs);
    expect(catalog.totals).toEqual({ patients: 2, studies: 3, series: 5, instances: 7, frames: 10 });
    const jane = catalog.patients.find((p) => p.birthDate === '1970-01-15')!;
    expect(jane.displayName).toBe('JANE DOE');
    const main = jane.studies.find((s) => s.uid === study)!;
    expect(main.modalities).toEqual(['CT', 'MR', 'SR']);
    expect(main.series.map((s) => [s.modality, s.instanceCount, s.imageCount, s.frameCount, s.documentCount])).toEqual([
      ['MR', 1, 1, 5, 0],
      ['CT', 3, 3, 3, 0],
      ['SR', 1, 0, 0, 1],
    ]);
    const ctSeries = main.series[1]!;
    expect(ctSeries.instances.map((i) => i.ref)).toEqual(['a1', 'a2', 'a3']);
    expect(ctSeries.thumbnailRef).toBe('a2');
    expect(main.series[2]!.thumbnailRef).toBeNull();
    expect(catalog.conflicts).toEqual([]);
    expect(catalog.splitStudies).toEqual([]);
  });

  it('drops exact duplicates and keeps conflicting copies of one SOP Instance UID', () => {
    const sop = uid();
    const h = header({ sopInstanceUid: sop });
    const builder = new CatalogBuilder();
    expect(builder.add({ ref: 'cd/IM1', header: h, contentHash: 'aaa' })).toBe('added');
    expect(builder.add({ ref: 'copy/IM1', header: h, contentHash: 'aaa' })).toBe('duplicate');
    expect(builder.add({ ref: 'other/IM1', header: h, contentHash: 'bbb' })).toBe('conflict');
    expect(builder.add({ ref: 'nohash/IM1', header: h })).toBe('conflict');
    const catalog = builder.build();
    expect(catalog.totals.instances).toBe(3);
    expect(catalog.duplicates).toEqual([{ sopInstanceUid: sop, kept: 'cd/IM1', dropped: 'copy/IM1' }]);
    expect(catalog.conflicts).toEqual([{ sopInstanceUid: sop, refs: ['cd/IM1', 'other/IM1', 'nohash/IM1'], reason: 'content-unknown' }]);
    const instances = catalog.patients[0]!.studies[0]!.series[0]!.instances;
    expect(instances.every((i) => i.conflict)).toBe(true);
  });

  it('flags a study whose instances name different patients', () => {
    const study = uid();
    const catalog = buildCatalog([
      { ref: '1', header: header({ study: { uid: study }, patient: { name: 'DOE^JANE' } }) },
      { ref: '2', header: header({ study: { uid: study }, patient: { name: 'DOE^JANET' } }) },
    ]);
    expect(catalog.totals.patients).toBe(2);
    expect(catalog.splitStudies).toEqual([study]);
  });
});

describe('compareToProfile', () => {
  const profile = { fullName: 'Jane Marie Doe', birthDate: '1970-01-15' };
  it('accepts DICOM name order, case, accents, missing middle names and initials', () => {
    for (const name of ['DOE^JANE', 'Doe^Jane^Marie', 'DOE^JANE^M', 'doe^jane^marie^^', 'DOE JANE MARIE']) {
      expect(compareToProfile({ name, birthDate: '1970-01-15' }, profile), name).toEqual([]);
    }
    expect(namesMatch('MUELLER^JOSE', 'José Müller')).toBe(true);
    expect(namesMatch('MULLER^JOSE', 'José Müller')).toBe(true);
    expect(namesMatch('GARCIA LOPEZ^MARIA', 'María García')).toBe(true);
    expect(namesMatch("O'BRIEN^SEAN", 'Seán O’Brien')).toBe(true);
    expect(namesMatch('Yamada^Tarou=山田^太郎', 'Tarou Yamada')).toBe(true);
    expect(compareToProfile({ name: 'Yamada^Tarou=山田^太郎', birthDate: '1970-01-15' }, { fullName: '山田 太郎', birthDate: '1970-01-15' })).toEqual([]);
  });

  it('reports a different name, a different or missing birth date', () => {
    expect(compareToProfile({ name: 'ROE^RICHARD', birthDate: '1950-05-05' }, profile)).toEqual([
      { field: 'name', kind: 'different', disc: 'RICHARD ROE', profile: 'Jane Marie Doe' },
      { field: 'birthDate', kind: 'different', disc: '1950-05-05', profile: '1970-01-15' },
    ]);
    expect(compareToProfile({ name: 'DOE^JOHN', birthDate: '1970-01-15' }, profile)).toEqual([
      { field: 'name', kind: 'different', disc: 'JOHN DOE', profile: 'Jane Marie Doe' },
    ]);
    expect(compareToProfile({ name: null, birthDate: null }, profile)).toEqual([
      { field: 'name', kind: 'missing-on-disc', disc: null, profile: 'Jane Marie Doe' },
      { field: 'birthDate', kind: 'missing-on-disc', disc: null, profile: '1970-01-15' },
    ]);
    expect(namesMatch('DOE', 'Jane Doe')).toBe(false);
    expect(namesMatch('J^D', 'Jane Doe')).toBe(false);
  });
});

describe.skipIf(missingTools.length > 0)('a disc read end to end, checked against dcmtk', () => {
  let shared: string;
  let disc: Awaited<ReturnType<typeof buildDisc>>;
  let reference: Awaited<ReturnType<typeof dcmtkCounts>>;
  beforeAll(async () => {
    shared = fs.mkdtempSync(path.join(os.tmpdir(), 'so-imaging-e2e-'));
    disc = await buildDisc(path.join(shared, 'disc'), { dicomdir: true });
    reference = await dcmtkCounts(disc.root, disc.dicomFiles);
    await makeIso(disc.root, path.join(shared, 'disc.iso'));
    await run('zip', ['-q', '-r', path.join(shared, 'disc.zip'), '.'], { cwd: disc.root });
    return () => fs.rmSync(shared, { recursive: true, force: true });
  });

  it.each(['folder', 'iso', 'zip'])('counts the same patients, studies, series and instances from a %s', async (kind) => {
    const location = kind === 'folder' ? disc.root : path.join(shared, `disc.${kind}`);
    const { catalog, reports, skipped, failed } = await catalogue(location);
    expect(reference).toEqual(disc.expected);
    const { frames: _frames, ...counts } = catalog.totals;
    expect(counts).toEqual(reference);
    expect(reports).toEqual(['REPORTS/REPORT1.PDF']);
    expect(skipped.sort()).toEqual(['AUTORUN.INF', 'IHE_PDI/INDEX.HTM', 'README.TXT', 'VIEWER/LIB/CODEC.DLL', 'VIEWER/VIEWER.EXE']);
    expect(failed).toEqual([]);
    const a1 = catalog.patients.flatMap((p) => p.studies).find((s) => s.uid === disc.uids.studyA1)!;
    expect(a1.series.map((s) => s.modality).sort()).toEqual(['CT', 'CT', 'DOC', 'SR']);
  });

  it('finds the other patients on the disc when compared with the profile', async () => {
    const { catalog } = await catalogue(disc.root);
    const verdicts = catalog.patients.map((p) => [p.displayName, compareToProfile(p, { fullName: 'Jane Doe', birthDate: '1970-01-15' }).length]);
    expect(verdicts).toEqual([
      ['JANE DOE', 0],
      ['JOHN DOE', 2],
      ['RICHARD ROE', 2],
    ]);
  });

  it('catalogues a disc with broken files, files without preamble and duplicates', async () => {
    const root = path.join(shared, 'messy');
    fs.cpSync(disc.root, root, { recursive: true });
    const im1 = fs.readFileSync(path.join(root, 'DICOM/P1/S1/SE1/IM1'));
    fs.writeFileSync(path.join(root, 'COPY_OF_IM1'), im1); // an exact duplicate
    fs.writeFileSync(path.join(root, 'TRUNC'), im1.subarray(0, 300)); // cut in the header
    const groupLength = im1.readUInt32LE(140);
    fs.writeFileSync(path.join(root, 'NOPREAMB'), im1.subarray(144 + groupLength)); // same instance, no preamble: other bytes
    fs.writeFileSync(path.join(root, 'JUNK'), Buffer.from('definitely not an image'));
    const { catalog, failed } = await catalogue(root);
    expect(failed.sort()).toEqual(['JUNK:not-dicom', 'TRUNC:truncated']);
    expect(catalog.totals.instances).toBe(disc.expected.instances + 1); // the no-preamble copy differs in bytes
    expect(catalog.duplicates.map((d) => d.dropped).sort()).toEqual(['DICOM/P1/S1/SE1/IM1']);
    expect(catalog.conflicts).toHaveLength(1);
    expect(catalog.conflicts[0]!.reason).toBe('different-content');
  });
});
