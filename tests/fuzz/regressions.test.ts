/**
 * One explicit case for every defect the fuzzers found (the fuzzers' fixed seeds find them again too; these say
 * exactly what was wrong). Numbers match the fuzzing report in the issue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guessClinician, checkPatient } from '../../electron/core/documents/analysis/classify';
import { openPdf } from '../../electron/core/documents/analysis/pdf';
import { parseDicomHeaderBytes } from '../../electron/core/imaging/dicom/header';
import { openSource } from '../../electron/core/imaging/sources/open';
import { baseElements, encodeElements, makeInstance, SOP_CLASS, TSX, wrapPart10 } from '../fixtures/imaging/dicom';
import { writeZip } from '../fixtures/imaging/zip-writer';
import { createdCore, TEST_PROFILE } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { expectCleanError } from './checks';
import { timed } from './harness';
import { rawPdf } from './pdf-hostile';
import { call } from './vault-state';

function ownInstance(n: number): Buffer {
  return makeInstance({
    patient: { name: 'Testpatient^Zyxwvut', id: 'R-1', birthDate: TEST_PROFILE.birthDate.replace(/-/g, '') },
    study: { uid: '2.25.60001' },
    series: { uid: '2.25.60002', number: 1, modality: 'CT' },
    sopInstanceUid: `2.25.6100${n}`,
    image: { rows: 8, columns: 8, bitsAllocated: 16, signed: true },
  });
}

describe('defects found by fuzzing', () => {
  it('1: a complete file with sequences nested 10,000 deep is "damaged", not "ends in the middle"', () => {
    const open = Buffer.from([0x40, 0x00, 0x30, 0xa7, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
    const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    const depth = 10_000;
    const body = Buffer.concat([Buffer.alloc(open.length * depth).fill(open), Buffer.alloc(close.length * depth).fill(close)]);
    const file = wrapPart10(Buffer.concat([encodeElements(baseElements({ sopInstanceUid: '2.25.1' })), body]), {
      sopClassUid: SOP_CLASS.ct,
      sopInstanceUid: '2.25.1',
      transferSyntaxUid: TSX.explicit,
    });
    const result = parseDicomHeaderBytes(file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('corrupt');
  });

  it('4: guesses from a text repeating a label take linear time', async () => {
    const { ms: clinician } = await timed(() => guessClinician('Signed by: '.repeat(60_000)));
    const { ms: patient } = await timed(() => checkPatient('Patient: Ann Lee\n'.repeat(30_000), { fullName: 'Zyxwvut Testpatient' }));
    // Both took minutes before (every label sliced and split the whole rest of the text).
    expect(clinician).toBeLessThan(3_000);
    expect(patient).toBeLessThan(3_000);
  });

  it('6: rendering an absurdly thin page stays within the pixel budget', async () => {
    const pdf = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 238136491] >>']);
    const reader = await openPdf(pdf, { timeoutMs: 10_000 });
    const rendered = await reader.render(1, { width: 48, maxPixels: 200_000 }).catch((error: Error) => error);
    // Either outcome is fine, as long as a rendering keeps to the budget and a refusal is a readable AppError.
    if (rendered instanceof Error) expectCleanError(rendered, 'thin page render');
    else expect(rendered.width * rendered.height).toBeLessThanOrEqual(200_000);
    await reader.close();
  });

  it('7 and 9: a zip entry whose data lies beyond the archive fails alone, with a readable reason', async () => {
    const good = ownInstance(1);
    const zip = writeZip([
      { name: 'DICOM/BROKEN', data: ownInstance(2), method: 0 },
      { name: 'DICOM/GOOD', data: good, method: 0 },
    ]);
    // The broken entry's local header claims a 60,000-byte name: its data would start beyond the end of the file.
    zip.writeUInt16LE(60_000, 26);
    const dir = tempDir('so-regression-zip-');
    const file = path.join(dir, 'disc.zip');
    fs.writeFileSync(file, zip);
    const source = await openSource(file);
    const listed: string[] = [];
    for await (const entry of source.entries()) {
      listed.push(entry.path);
      if (entry.path !== 'DICOM/BROKEN') continue;
      const error = await entry.readHead(100).then(() => null, (e: unknown) => e);
      expectCleanError(error, 'broken entry');
      expect((error as { code: string }).code).toBe('INVALID_INPUT');
    }
    await source.close();
    // The broken entry is listed (so the checks above ran), and fails only when read.
    expect(listed).toContain('DICOM/BROKEN');
    const { core } = await createdCore();
    const result = await call(core, 'imaging.import', { path: file });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const outcome = (result as { value: { instances: { added: number }; failed: Array<{ path: string; reason: string }> } }).value;
    expect(outcome.instances.added).toBe(1);
    expect(outcome.failed.map((f) => f.path)).toEqual(['DICOM/BROKEN']);
    await core.close();
  });

  it('10: the same file twice on one disc is stored once instead of failing the whole import', async () => {
    const { core } = await createdCore();
    const dir = tempDir('so-regression-dup-');
    const instance = ownInstance(3);
    fs.mkdirSync(path.join(dir, 'disc', 'A'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'disc', 'B'));
    fs.writeFileSync(path.join(dir, 'disc', 'A', 'IM1'), instance);
    fs.writeFileSync(path.join(dir, 'disc', 'B', 'IM1'), instance);
    const result = await call(core, 'imaging.import', { path: path.join(dir, 'disc') });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect((result as { value: { instances: unknown } }).value.instances).toEqual({ added: 1, alreadyInVault: 1, conflicts: 0 });
    await core.close();
  });

  it('11 and 12: errors never repeat keys or ids the caller sent', async () => {
    const { core } = await createdCore();
    const key = 'ZQXJ secret key of the caller';
    const bad = await call(core, 'opinions.create', { opinion: { kind: 'first', provenance: { [key]: { documentId: 'not a valid id!', snippet: '' } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('INVALID_INPUT');
      expect(bad.error.message).not.toContain('ZQXJ');
    }
    const unknownId = 'ZQXJunknownId01';
    for (const operation of ['packets.preview', 'packets.build'] as const) {
      const result = await call(core, operation, { documentIds: [unknownId], studyUids: ['1.2.3.999999'] });
      const text = JSON.stringify(result);
      expect(text).not.toContain(unknownId);
      expect(text).not.toContain('1.2.3.999999');
    }
    await core.close();
  });
});
