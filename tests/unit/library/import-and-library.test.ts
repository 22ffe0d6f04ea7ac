import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdCore, must } from '../../helpers/core';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

const PATHOLOGY = [
  'SURGICAL PATHOLOGY REPORT',
  'Riverside Cancer Center, Department of Pathology',
  'Patient: Testpatient, Zyxwvut    DOB: 04/09/1971',
  'Date of procedure: 03/14/2025',
  'Specimen: Left breast, core needle biopsy',
  'Diagnosis: Invasive ductal carcinoma, Nottingham grade 2 (score 6/9).',
  'Estrogen receptor: positive (95%). Progesterone receptor: positive (40%).',
  'HER2 by IHC: 1+ (negative). Ki-67: 15%.',
  'Electronically signed by Maria Gonzalez, MD, Pathologist',
].join('\n');

const RADIOLOGY = [
  'DIAGNOSTIC MAMMOGRAM AND ULTRASOUND REPORT',
  'Lakeside Imaging Associates',
  'Patient: Zyxwvut Testpatient   Date of birth: 1971-04-09',
  'Exam date: February 20, 2025',
  'Findings: irregular mass in the left breast at 2 o\'clock, 2.1 cm. BI-RADS 5.',
  'Impression: highly suggestive of malignancy. Ultrasound-guided biopsy recommended.',
  'Radiologist: Peter Chen, MD',
].join('\n');

const OTHER_PATIENT = [
  'LABORATORY RESULTS',
  'Patient: Someone Else    DOB: 01/02/1950',
  'Collection date: 01/05/2025',
  'Hemoglobin 13.1 g/dL   WBC 6.2   Platelets 250',
].join('\n');

async function library() {
  const made = await createdCore();
  const dir = tempDir();
  const files = {
    pathology: path.join(dir, 'path report.pdf'),
    radiology: path.join(dir, 'nested', 'mammo.pdf'),
    other: path.join(dir, 'labs.pdf'),
  };
  fs.mkdirSync(path.dirname(files.radiology));
  const bytes = {
    pathology: await writeTextPdf(files.pathology, [PATHOLOGY]),
    radiology: await writeTextPdf(files.radiology, [RADIOLOGY]),
    other: await writeTextPdf(files.other, [OTHER_PATIENT]),
  };
  return { ...made, dir, files, bytes };
}

describe('document library', () => {
  it('imports a folder recursively, guesses type/date/facility, and flags another patient', async () => {
    const { core, dir, files } = await library();
    const outcome = await must(core, 'documents.import', { paths: [dir] });
    expect(outcome.failed).toEqual([]);
    expect(outcome.imported.map((item) => item.path).sort()).toEqual(Object.values(files).sort());
    const list = await must(core, 'documents.list', {});
    expect(list.total).toBe(3);
    const pathology = list.items.find((item) => item.originalName === 'path report.pdf');
    expect(pathology).toMatchObject({ type: 'pathology', serviceDate: '2025-03-14', pageCount: 1, needsPatientCheck: false });
    const radiology = list.items.find((item) => item.originalName === 'mammo.pdf');
    expect(radiology).toMatchObject({ type: 'radiology', serviceDate: '2025-02-20' });
    const other = list.items.find((item) => item.originalName === 'labs.pdf');
    expect(other?.needsPatientCheck).toBe(true);
    // Newest first by service date.
    expect(list.items[0]?.originalName).toBe('path report.pdf');
    const overview = await must(core, 'vault.overview', {});
    expect(overview.counts.documents).toBe(3);
  });

  it('reports duplicates, skips unsupported files and fails bad ones without changing the vault', async () => {
    const { core, dir, files } = await library();
    await must(core, 'documents.import', { paths: [files.pathology] });
    const before = await must(core, 'vault.overview', {});
    const notes = path.join(dir, 'notes.bin');
    fs.writeFileSync(notes, Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]));
    const broken = path.join(dir, 'broken.pdf');
    fs.writeFileSync(broken, '%PDF-1.7\n1 0 obj <<>> garbage without end');
    const empty = path.join(dir, 'empty.pdf');
    fs.writeFileSync(empty, '');
    const outcome = await must(core, 'documents.import', { paths: [files.pathology, notes, broken, empty, path.join(dir, 'missing.pdf')] });
    expect(outcome.imported).toEqual([]);
    expect(outcome.duplicates).toHaveLength(1);
    expect(outcome.skipped.map((item) => item.path)).toEqual([notes]);
    expect(outcome.failed.map((item) => item.path).sort()).toEqual([broken, empty, path.join(dir, 'missing.pdf')].sort());
    for (const failure of outcome.failed) expect(failure.reason.length).toBeGreaterThan(15);
    const after = await must(core, 'vault.overview', {});
    expect(after.counts).toEqual(before.counts);
    expect(after.storedBytes).toBe(before.storedBytes);
    expect((await must(core, 'vault.verify', {})).ok).toBe(true);
  });

  it('searches text as you type with highlighted snippets, and extracts the original byte for byte', async () => {
    const { core, dir, bytes } = await library();
    await must(core, 'documents.import', { paths: [dir] });
    const { results } = await must(core, 'documents.search', { query: 'ductal carc' });
    expect(results).toHaveLength(1);
    expect(results[0]?.type).toBe('pathology');
    expect(results[0]?.snippet.some((segment) => segment.hit && /ductal/i.test(segment.text))).toBe(true);
    const operators = await must(core, 'documents.search', { query: 'NEAR( "* AND' });
    expect(operators.results).toEqual([]);
    const out = path.join(tempDir(), 'copy.pdf');
    const extracted = await must(core, 'documents.extract', { id: results[0]!.id, destination: out });
    expect(extracted.bytes).toBe(bytes.pathology.length);
    expect(fs.readFileSync(out).equals(bytes.pathology)).toBe(true);
    const again = await core.call('documents.extract', { id: results[0]!.id, destination: out });
    expect(again).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_EMPTY' } });
  });

  it('keeps corrections through re-analysis; notes and tags are searchable; trash and restore', async () => {
    const { core, files } = await library();
    const { imported } = await must(core, 'documents.import', { paths: [files.radiology] });
    const id = imported[0]!.documentId;
    const corrected = await must(core, 'documents.update', {
      id,
      corrections: { type: 'consultation', facility: 'Lakeside Breast Clinic' },
      notes: 'Bring this to the surgeon visit',
      tags: ['surgery', 'left breast'],
    });
    expect(corrected).toMatchObject({ type: 'consultation', facility: 'Lakeside Breast Clinic' });
    expect(corrected.guesses.type).toMatchObject({ value: 'radiology', source: 'user' });
    const reanalyzed = await must(core, 'documents.reanalyze', { id });
    expect(reanalyzed.type).toBe('consultation');
    expect(reanalyzed.facility).toBe('Lakeside Breast Clinic');
    expect((await must(core, 'documents.search', { query: 'surgeon' })).results.map((r) => r.id)).toEqual([id]);
    expect((await must(core, 'documents.list', { tag: 'surgery' })).total).toBe(1);
    const cleared = await must(core, 'documents.update', { id, corrections: { type: null } });
    expect(cleared.type).toBe('radiology');

    await must(core, 'documents.trash', { ids: [id] });
    expect((await must(core, 'documents.list', {})).total).toBe(0);
    expect((await must(core, 'documents.list', { trash: 'only' })).total).toBe(1);
    expect((await must(core, 'documents.search', { query: 'surgeon' })).results).toEqual([]);
    await must(core, 'documents.restore', { ids: [id] });
    expect((await must(core, 'documents.list', {})).total).toBe(1);
  });

  it('serves the original through openBlob with ranges and the document type', async () => {
    const { core, files, bytes } = await library();
    const { imported } = await must(core, 'documents.import', { paths: [files.pathology] });
    const detail = await must(core, 'documents.get', { id: imported[0]!.documentId });
    const blob = await core.openBlob(detail.fileId, { start: 100, end: 299 });
    expect(blob?.contentType).toBe('application/pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of blob!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.pathology.subarray(100, 300))).toBe(true);
    await must(core, 'vault.lock', {});
    expect(await core.openBlob(detail.fileId)).toBeNull();
  });
});
