import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDisc, makeIso } from '../../fixtures/imaging/discs';
import { makeInstance, uid } from '../../fixtures/imaging/dicom';
import { must, TEST_PASSPHRASE, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const JANE = { fullName: 'Jane Doe', birthDate: '1970-01-15' };

async function janeCore() {
  const made = testCore();
  await must(made.core, 'vault.create', { profile: JANE, passphrase: TEST_PASSPHRASE });
  return made;
}

describe('imaging disc import', () => {
  it('holds back a disc naming other people, then imports it all when accepted', async () => {
    const { core } = await janeCore();
    const disc = await buildDisc(path.join(tempDir(), 'CD'), { dicomdir: true });
    const before = await must(core, 'vault.overview', {});

    const held = await must(core, 'imaging.import', { path: disc.root });
    expect(held.heldBack?.mismatches.length).toBeGreaterThanOrEqual(2);
    expect(held.heldBack?.mismatches.map((m) => m.patientOnDisc).join(' ')).toMatch(/ROE|Roe|RICHARD|Richard/);
    expect(held.instances.added).toBe(0);
    const unchanged = await must(core, 'vault.overview', {});
    expect(unchanged.storedBytes).toBe(before.storedBytes);
    expect(unchanged.counts.studies).toBe(0);

    const outcome = await must(core, 'imaging.import', { path: disc.root, acceptOtherPatient: true });
    expect(outcome.heldBack).toBeNull();
    expect(outcome).toMatchObject({ sourceKind: 'folder', patients: 3, studies: 4, series: 7 });
    expect(outcome.instances).toEqual({ added: disc.expected.instances, alreadyInVault: 0, conflicts: 0 });
    expect(outcome.softwareSkipped).toBeGreaterThanOrEqual(3);
    expect(outcome.dicomdir).toEqual({ present: true, missingFiles: 0 });
    // The PDF report beside the tree, the encapsulated PDF and the structured report become documents.
    expect(outcome.documents.added).toBeGreaterThanOrEqual(3);
    expect(outcome.failed).toEqual([]);

    const { patients } = await must(core, 'imaging.studies', {});
    expect(patients).toHaveLength(3);
    expect(patients.filter((patient) => patient.otherPatient)).toHaveLength(2);
    const studies = patients.flatMap((patient) => patient.studies);
    expect(studies).toHaveLength(4);
    const ctChest = studies.find((study) => study.uid === disc.uids.studyA1)!;
    expect(ctChest.modalities).toEqual(expect.arrayContaining(['CT']));
    expect(ctChest.documentIds.length).toBeGreaterThanOrEqual(2);
    const axial = ctChest.series.find((series) => series.description === 'AXIAL')!;
    expect(axial).toMatchObject({ instanceCount: 3, thumbnailStatus: 'ok' });
    const thumbnail = await core.openBlob(axial.thumbnailId!);
    expect(thumbnail?.contentType).toBe('image/webp');

    // Instance bytes are stored unchanged.
    const { instances } = await must(core, 'imaging.series', { uid: axial.uid });
    expect(instances.map((instance) => instance.instanceNumber)).toEqual([1, 2, 3]);
    const served = await core.openBlob(instances[0]!.blobId);
    const chunks: Buffer[] = [];
    for await (const chunk of served!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(fs.readFileSync(path.join(disc.root, 'DICOM/P1/S1/SE1/IM1')))).toBe(true);

    const search = await must(core, 'documents.search', { query: 'nodule' });
    expect(search.results.length).toBeGreaterThanOrEqual(1);
    expect((await must(core, 'vault.overview', {})).counts.studies).toBe(4);
    expect((await must(core, 'vault.verify', {})).ok).toBe(true);

    const again = await must(core, 'imaging.import', { path: disc.root, acceptOtherPatient: true });
    expect(again.instances).toEqual({ added: 0, alreadyInVault: disc.expected.instances, conflicts: 0 });
    expect(again.documents.added).toBe(0);
  });

  it('reads the same disc from an ISO image, and says what a folder of PDFs is', async () => {
    const { core } = await janeCore();
    const root = tempDir();
    const disc = await buildDisc(path.join(root, 'CD'), { dicomdir: true });
    const iso = path.join(root, 'disc.iso');
    await makeIso(disc.root, iso);
    expect(await must(core, 'imaging.detect', { path: iso })).toEqual({ kind: 'disc' });
    expect(await must(core, 'imaging.detect', { path: disc.root })).toEqual({ kind: 'disc' });
    const pdfs = path.join(root, 'pdfs');
    fs.mkdirSync(pdfs);
    fs.writeFileSync(path.join(pdfs, 'a.pdf'), '%PDF-1.4');
    expect(await must(core, 'imaging.detect', { path: pdfs })).toEqual({ kind: 'documents' });

    const outcome = await must(core, 'imaging.import', { path: iso, acceptOtherPatient: true });
    expect(outcome).toMatchObject({ sourceKind: 'iso', patients: 3, studies: 4, series: 7 });
    expect(outcome.instances.added).toBe(disc.expected.instances);
  });

  it('keeps both files when one UID comes with different bytes, and flags the conflict', async () => {
    const { core } = await janeCore();
    const root = tempDir();
    const sopInstanceUid = uid();
    const common = { patient: { name: 'DOE^JANE', id: 'P1', birthDate: '19700115' }, study: { uid: uid() }, series: { uid: uid(), modality: 'CT' }, sopInstanceUid, image: { rows: 8, columns: 8, bitsAllocated: 16 as const } };
    fs.mkdirSync(path.join(root, 'one'));
    fs.mkdirSync(path.join(root, 'two'));
    fs.writeFileSync(path.join(root, 'one', 'IM1'), makeInstance({ ...common, instanceNumber: 1 }));
    fs.writeFileSync(path.join(root, 'two', 'IM1'), makeInstance({ ...common, instanceNumber: 2 }));
    const first = await must(core, 'imaging.import', { path: path.join(root, 'one') });
    expect(first.heldBack).toBeNull();
    const second = await must(core, 'imaging.import', { path: path.join(root, 'two') });
    expect(second.instances).toEqual({ added: 1, alreadyInVault: 0, conflicts: 1 });
  });

  it('reports corrupt files and refuses a UDF-only image with a clear message', async () => {
    const { core } = await janeCore();
    const root = tempDir();
    const good = makeInstance({ patient: { name: 'DOE^JANE', birthDate: '19700115' }, image: { rows: 8, columns: 8, bitsAllocated: 16 } });
    fs.writeFileSync(path.join(root, 'GOOD'), good);
    fs.writeFileSync(path.join(root, 'TRUNC'), good.subarray(0, 200));
    const outcome = await must(core, 'imaging.import', { path: root });
    expect(outcome.instances.added).toBe(1);
    expect(outcome.failed.map((item) => item.path)).toEqual(['TRUNC']);
    const { udfOnlyImage } = await import('../../fixtures/imaging/discs');
    const udf = path.join(tempDir(), 'udf.iso');
    fs.writeFileSync(udf, udfOnlyImage());
    const refused = await core.call('imaging.import', { path: udf });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/UDF|copy/i);
  });
});

describe('imaging disc import: progress and cancellation', () => {
  it('reports files and bytes, stops when asked, and a later import completes without duplicates', async () => {
    const { core } = await janeCore();
    const root = tempDir();
    const study = uid();
    const series = uid();
    for (let index = 1; index <= 40; index += 1) {
      const file = makeInstance({ patient: { name: 'DOE^JANE', birthDate: '19700115' }, study: { uid: study }, series: { uid: series, modality: 'CT' }, instanceNumber: index, image: { rows: 64, columns: 64, bitsAllocated: 16 } });
      fs.writeFileSync(path.join(root, `IM${index}`), file);
    }
    const taskId = '4f1c2d7e-6a9b-4c3d-8e5f-0a1b2c3d4e5f';
    const events: { phase: string; done: number; total: number | null; unit: string }[] = [];
    let cancelled = false;
    core.onEvent((event) => {
      if (event.type !== 'progress' || event.taskId !== taskId) return;
      events.push(event);
      if (!cancelled && event.unit === 'bytes' && event.done > 0) {
        cancelled = true;
        void core.call('tasks.cancel', { taskId });
      }
    });
    const first = await must(core, 'imaging.import', { path: root, taskId });
    expect(first.cancelled).toBe(true);
    expect(first.instances.added).toBeLessThan(40);
    expect(events.some((event) => event.unit === 'bytes' && /copying file \d+ of 40/.test(event.phase))).toBe(true);
    expect((await must(core, 'vault.verify', {})).ok).toBe(true);

    const second = await must(core, 'imaging.import', { path: root });
    expect(second.cancelled).toBe(false);
    expect(second.instances.added + second.instances.alreadyInVault).toBe(40);
    expect(second.instances.alreadyInVault).toBe(first.instances.added);
    const { patients } = await must(core, 'imaging.studies', {});
    expect(patients[0]?.studies[0]?.series[0]?.instanceCount).toBe(40);
  });
});
