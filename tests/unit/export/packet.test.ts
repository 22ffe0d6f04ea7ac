import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { parseInstanceKeys, readInstanceKeys } from '../../../electron/core/export/dicom-keys';
import { Vault } from '../../../electron/core/vault/vault';
import type { OutputOf } from '../../../shared/contract';
import { must, TEST_PASSPHRASE, testCore } from '../../helpers/core';
import { textPdf } from '../../helpers/pdf';
import { fhirBundleSchema, pdfOutline, pdfPages, referencesIn, sh, sha256, treeOf, validatePdi } from './checks';
import { OWNER, writeSources, type Sources } from './fixtures';

/**
 * One vault (text PDFs of each record type, a picture, an imaging disc of the owner), one packet in each format,
 * each checked with independent tools.
 */

let root: string;
let core: Core;
let sources: Sources;
let ids: Record<string, string>;
let folder: OutputOf<'packets.build'>;
const RECIPIENT = {
  organization: 'Memorial Cancer Institute',
  doctor: 'Dr. Ada Lovelace',
  contact: 'secondopinion@example.org',
  appointmentDate: '2025-04-02',
  reason: 'I would like a second opinion on the stage and on chemotherapy before surgery.',
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'so-export-'));
  const made = testCore({ vaultDir: path.join(root, 'vault') });
  core = made.core;
  await must(core, 'vault.create', { profile: OWNER, passphrase: TEST_PASSPHRASE });
  sources = await writeSources(path.join(root, 'sources'));
  const imported = await must(core, 'documents.import', { paths: [path.join(sources.dir, 'docs')] });
  expect(imported.failed).toEqual([]);
  ids = Object.fromEntries(imported.imported.map((item) => [path.basename(item.path), item.documentId]));
  // The classifier's guesses are not what this test is about: set the types a person would confirm.
  await must(core, 'documents.update', { id: ids['lab.pdf']!, corrections: { type: 'lab', serviceDate: '2025-03-01' } });
  await must(core, 'documents.update', { id: ids['insurance.pdf']!, corrections: { type: 'insurance' } });
  await must(core, 'documents.update', { id: ids['scan.png']!, corrections: { type: 'medication-list', serviceDate: '2025-03-21' } });
  const disc = await must(core, 'imaging.import', { path: sources.disc });
  expect(disc.heldBack).toBeNull();
  expect(disc.instances.added).toBe(6);
  await must(core, 'medications.save', {
    items: [
      { name: 'Letrozole', dose: '2.5 mg', frequency: 'once a day', route: 'by mouth', startDate: '2025-03-25', reason: 'breast cancer' },
      { name: 'Ibuprofen', dose: '400 mg', frequency: 'as needed', current: false },
    ],
  });
  await must(core, 'careTeam.save', {
    items: [{ name: 'Dr. Maria Gonzalez', role: 'medical oncologist', organization: 'Riverside Cancer Center', phone: '555-0100', email: 'mg@example.org' }],
  });
  await must(core, 'opinions.create', {
    opinion: {
      kind: 'first',
      clinician: 'Dr. Maria Gonzalez',
      institution: 'Riverside Cancer Center',
      date: '2025-03-20',
      diagnosis: { cancerType: 'breast cancer', histology: 'invasive ductal carcinoma', stageGroup: 'IIA', er: { status: 'positive', percent: 95 } },
    },
  });
  folder = await must(core, 'packets.build', {
    destination: path.join(root, 'out', 'packet'),
    format: 'folder',
    recipient: RECIPIENT,
    questions: ['Do you agree with the stage?', 'Should chemotherapy come before surgery?'],
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const EXPECTED_TREE = [
  'COVER.PDF',
  'DICOM/P0000001/S0000001/E0000001/I0000001',
  'DICOM/P0000001/S0000001/E0000001/I0000002',
  'DICOM/P0000001/S0000001/E0000001/I0000003',
  'DICOM/P0000001/S0000001/E0000002/I0000001',
  'DICOM/P0000001/S0000002/E0000001/I0000001',
  'DICOM/P0000001/S0000002/E0000001/I0000002',
  'DICOMDIR',
  'FHIR.JSN',
  'INDEX.HTM',
  'MANIFEST.JSN',
  'README.TXT',
  'RECORDS.PDF',
  'SHA256.TXT',
];

describe('export packet', () => {
  it('previews the default selection, sizes and the profile without writing anything', async () => {
    const preview = await must(core, 'packets.preview', {});
    const byName = (name: string) => preview.documents.find((document) => document.id === ids[name])!;
    for (const name of ['pathology.pdf', 'radiology.pdf', 'lab.pdf', 'consultation.pdf', 'scan.png']) expect(byName(name)).toMatchObject({ selected: true, inDefault: true });
    expect(byName('insurance.pdf')).toMatchObject({ selected: false, inDefault: false });
    expect(byName('insurance.pdf').why).toMatch(/insurance/i);
    expect(preview.studies).toHaveLength(2);
    expect(preview.studies.every((study) => study.selected && study.fits.includes('cd'))).toBe(true);
    expect(preview.profile).toMatchObject({ requested: null, chosen: 'cd', name: 'STD-GEN-CD' });
    expect(preview.problems).toEqual([]);
    expect(preview.medications).toBe(1); // only current ones
    expect(preview.careTeam).toBe(1);
    expect(preview.estimatedBytes).toBeGreaterThan(50_000);
    expect(preview.contents.map((item) => item.path)).toEqual(expect.arrayContaining(['COVER.PDF', 'RECORDS.PDF', 'ORIGINAL/', 'DICOMDIR', 'DICOM/']));

    const adjusted = await must(core, 'packets.preview', { documentIds: [ids['insurance.pdf']!], studyUids: [], format: 'iso' });
    expect(adjusted.documents.filter((document) => document.selected).map((document) => document.id)).toEqual([ids['insurance.pdf']]);
    expect(adjusted.studies.every((study) => !study.selected)).toBe(true);
    expect(adjusted.contents.map((item) => item.path)).not.toContain('DICOM/');
  });

  it('leaves a document naming someone else out of the suggestion, flagged, until the person confirms it is theirs', async () => {
    const file = path.join(root, 'other-patient.pdf');
    fs.writeFileSync(file, await textPdf(['SURGICAL PATHOLOGY REPORT\nPatient: DOE, JOHN   DOB: 02/03/1950\nFinal diagnosis: benign.']));
    const [imported] = (await must(core, 'documents.import', { paths: [file] })).imported;
    try {
      const flagged = (await must(core, 'packets.preview', {})).documents.find((document) => document.id === imported!.documentId)!;
      expect(flagged).toMatchObject({ type: 'pathology', otherPatient: true, inDefault: false, selected: false });
      expect(flagged.why).toMatch(/someone else/);
      await must(core, 'documents.update', { id: imported!.documentId, patientConfirmed: true });
      const confirmed = (await must(core, 'packets.preview', {})).documents.find((document) => document.id === imported!.documentId)!;
      expect(confirmed).toMatchObject({ otherPatient: false, inDefault: true, selected: true });
    } finally {
      await must(core, 'documents.trash', { ids: [imported!.documentId] });
    }
  });

  it('writes a folder that passes the PDI validator, PDF checks and its own checksums', async () => {
    const dir = folder.path;
    expect(folder).toMatchObject({ format: 'folder', profile: 'cd', profileName: 'STD-GEN-CD', documents: 6, studies: 2, instances: 6 });
    expect(folder.check).toMatchObject({ ok: true, problems: [] });
    const tree = treeOf(dir);
    expect(tree.filter((p) => !p.startsWith('ORIGINAL/'))).toEqual(EXPECTED_TREE);
    expect(tree.filter((p) => p.startsWith('ORIGINAL/'))).toHaveLength(6);
    expect(folder.files).toBe(tree.length);
    // Nothing left behind next to the packet.
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['packet']);

    const pdi = validatePdi(dir, '-Pgp');
    expect(pdi.out).toMatch(/PASS \(-Pgp\)/);
    expect(pdi.code).toBe(0);
    for (const pdf of ['COVER.PDF', 'RECORDS.PDF']) {
      const check = sh('qpdf', ['--check', path.join(dir, pdf)]);
      expect(check.code, check.out).toBe(0);
      expect(check.out).toMatch(/No syntax or stream encoding errors/);
    }
    expect(pdfPages(path.join(dir, 'COVER.PDF'))).toBe(folder.coverPages);
    expect(pdfPages(path.join(dir, 'RECORDS.PDF'))).toBe(folder.recordsPages);
    const sums = sh('sha256sum', ['-c', '--strict', 'SHA256.TXT'], { cwd: dir });
    expect(sums.code, sums.out).toBe(0);
    expect(sums.out.trim().split('\n')).toHaveLength(tree.length - 1);

    // README.TXT: ASCII with CRLF; INDEX.HTM without scripts.
    const readme = fs.readFileSync(path.join(dir, 'README.TXT'));
    expect([...readme].every((b) => b === 0x0d || b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
    expect(readme.toString('latin1').split('\r\n').length).toBeGreaterThan(10);
    expect(readme.toString('latin1').replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(readme.toString()).toMatch(/STD-GEN-CD/);
    const index = fs.readFileSync(path.join(dir, 'INDEX.HTM'), 'utf8');
    expect(index).not.toMatch(/<script|javascript:|\son\w+=/i);
    expect(index).toContain('href="RECORDS.PDF"');
  });

  it('merges the records in date order with one bookmark per document and a header on every page', async () => {
    const records = path.join(folder.path, 'RECORDS.PDF');
    const manifest = JSON.parse(fs.readFileSync(path.join(folder.path, 'MANIFEST.JSN'), 'utf8')) as {
      documents: { id: string; file: string; recordsPages: [number, number]; serviceDate: string | null }[];
    };
    const outline = await pdfOutline(records);
    expect(outline).toHaveLength(manifest.documents.length);
    expect(outline.map((item) => item.page)).toEqual(manifest.documents.map((document) => document.recordsPages[0]));
    const pathology = outline.find((item) => item.title.startsWith('Pathology report'))!;
    expect(pathology.title).toContain('2025-03-14');
    expect(pathology.title).toContain('Riverside Cancer Center');
    // Page counts add up: the documents' ranges tile RECORDS.PDF, and each merged PDF keeps its page count.
    const ranges = manifest.documents.map((document) => document.recordsPages);
    expect(ranges.reduce((sum, [first, last]) => sum + (last - first + 1), 0)).toBe(pdfPages(records));
    ranges.slice(1).forEach(([first], index) => expect(first).toBe(ranges[index]![1] + 1));
    for (const document of manifest.documents.filter((d) => d.file.endsWith('.PDF'))) {
      expect(document.recordsPages[1] - document.recordsPages[0] + 1).toBe(pdfPages(path.join(folder.path, document.file)));
    }
    const dates = manifest.documents.map((document) => document.serviceDate ?? '9999');
    expect(dates).toEqual([...dates].sort());
    const qpdfOutline = JSON.parse(sh('qpdf', ['--json', '--json-key=outlines', records]).out) as { outlines: unknown[] };
    expect(qpdfOutline.outlines).toHaveLength(manifest.documents.length);

    // Each document's text, in date order; the pathology report keeps both its pages.
    const text = sh('pdftotext', ['-layout', records, '-']).out;
    const markers = ['RADMARKERQX', 'LABMARKERQX', 'PATHMARKERQX', 'PATHPAGETWOQX', 'CONSMARKERQX'];
    const positions = markers.map((marker) => text.indexOf(marker));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    expect(pages).toHaveLength(folder.recordsPages);
    pages.forEach((page, index) => {
      expect(page).toContain('Zyxwvut Testpatient');
      expect(page).toContain('born 1971-04-09');
      expect(page).toContain(`page ${index + 1} of ${folder.recordsPages}`);
    });

    const cover = sh('pdftotext', [path.join(folder.path, 'COVER.PDF'), '-']).out;
    for (const expected of ['Memorial Cancer Institute', 'Dr. Ada Lovelace', '2025-04-02', 'second opinion on the stage', 'Letrozole', 'Dr. Maria Gonzalez', 'medical oncologist', 'Do you agree with the stage?', 'IIA', 'RECORDS.PDF']) {
      expect(cover).toContain(expected);
    }
    expect(cover).not.toContain('Ibuprofen'); // stopped medications stay out
  });

  it('keeps originals and DICOM files byte for byte', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder.path, 'MANIFEST.JSN'), 'utf8')) as { documents: { id: string; file: string }[] };
    const sourceByHash = new Map<string, string>();
    for (const file of [...Object.values(sources.pdfs), sources.picture]) sourceByHash.set(sha256(file), file);
    for (const document of manifest.documents) {
      const written = path.join(folder.path, document.file);
      const name = Object.entries(ids).find(([, id]) => id === document.id)?.[0];
      if (name) expect(fs.readFileSync(written).equals(fs.readFileSync(name === 'scan.png' ? sources.picture : sources.pdfs[name.replace('.pdf', '') as keyof Sources['pdfs']]))).toBe(true);
    }
    const discHashes = new Set(sources.discFiles.map((rel) => sha256(path.join(sources.disc, rel))));
    const written = treeOf(folder.path).filter((p) => p.startsWith('DICOM/'));
    expect(new Set(written.map((p) => sha256(path.join(folder.path, p))))).toEqual(discHashes);
  });

  it('describes the packet as FHIR whose references resolve', async () => {
    const bundle = fhirBundleSchema.parse(JSON.parse(fs.readFileSync(path.join(folder.path, 'FHIR.JSN'), 'utf8')));
    const urls = new Set(bundle.entry.map((entry) => entry.fullUrl));
    expect(urls.size).toBe(bundle.entry.length);
    const references = referencesIn(bundle);
    expect(references.length).toBeGreaterThan(5);
    for (const reference of references) expect(urls.has(reference)).toBe(true);
    const byType = (type: string) => bundle.entry.filter((entry) => entry.resource.resourceType === type).map((entry) => entry.resource);
    expect(byType('Patient')).toHaveLength(1);
    expect(byType('DocumentReference')).toHaveLength(folder.documents);
    expect(byType('ImagingStudy')).toHaveLength(2);
    expect(byType('MedicationStatement')).toHaveLength(1);
    for (const resource of byType('DocumentReference')) {
      const attachment = (resource as { content: { attachment: { url: string; hash: string; size: number } }[] }).content[0]!.attachment;
      const file = path.join(folder.path, attachment.url);
      expect(fs.statSync(file).size).toBe(attachment.size);
      expect(createHash('sha1').update(fs.readFileSync(file)).digest('base64')).toBe(attachment.hash);
    }
    const dicomdirStudies = sh('dcmdump', ['+P', '0020,000d', path.join(folder.path, 'DICOMDIR')]).out.match(/\[([0-9.]+)\]/g)!;
    const fhirStudies = byType('ImagingStudy').map((resource) => (resource as { identifier: { value: string }[] }).identifier[0]!.value.replace('urn:oid:', ''));
    expect(new Set(fhirStudies)).toEqual(new Set(dicomdirStudies.map((value) => value.slice(1, -1))));
  });

  it('writes the same tree as an ISO 9660 + Joliet image whose volume ID is the File-set ID', async () => {
    const iso = await must(core, 'packets.build', { destination: path.join(root, 'out', 'packet.iso'), format: 'iso', recipient: RECIPIENT, questions: ['Do you agree with the stage?'] });
    expect(iso.check.ok).toBe(true);
    expect(iso.bytes % 2048).toBe(0);
    expect(fs.statSync(iso.path).size).toBe(iso.bytes);
    const info = sh('isoinfo', ['-d', '-i', iso.path]).out;
    expect(info).toMatch(/Joliet/);
    const extracted = path.join(root, 'iso-extracted');
    fs.mkdirSync(extracted);
    expect(sh('bsdtar', ['-xf', iso.path, '-C', extracted]).code).toBe(0);
    sh('chmod', ['-R', 'u+rwX', extracted]);
    const fsid = /\(0004,1130\) CS \[([A-Z0-9_]+)\]/.exec(sh('dcmdump', ['+P', '0004,1130', path.join(extracted, 'DICOMDIR')]).out)?.[1];
    expect(fsid).toBe(iso.filesetId);
    expect(/Volume id:\s*(\S+)/.exec(info)?.[1]).toBe(fsid);
    expect(treeOf(extracted)).toEqual(treeOf(folder.path));
    const pdi = validatePdi(extracted, '-Pgp');
    expect(pdi.out).toMatch(/PASS/);
    expect(pdi.code).toBe(0);
    expect(sh('sha256sum', ['-c', '--strict', 'SHA256.TXT'], { cwd: extracted }).code).toBe(0);
  });

  it('writes the same tree as a zip (stored or deflated, no encryption) and logs every packet', async () => {
    const zip = await must(core, 'packets.build', { destination: path.join(root, 'out', 'packet.zip'), format: 'zip', recipient: RECIPIENT });
    expect(zip.check.ok).toBe(true);
    const listing = sh('unzip', ['-Z1', zip.path]).out.trim().split('\n');
    expect(listing.filter((name) => !name.endsWith('/')).sort()).toEqual(treeOf(folder.path));
    expect(listing.filter((name) => name.endsWith('/'))).toEqual(expect.arrayContaining(['DICOM/', 'ORIGINAL/', 'DICOM/P0000001/S0000001/E0000001/']));
    expect(sh('unzip', ['-tq', zip.path]).code).toBe(0);
    const verbose = sh('zipinfo', ['-v', zip.path]).out;
    const security = [...verbose.matchAll(/file security status:\s+(.+)/g)].map((m) => m[1]!.trim());
    expect(new Set(security)).toEqual(new Set(['not encrypted']));
    expect(new Set([...verbose.matchAll(/compression method:\s+(\w+)/g)].map((m) => m[1]))).toEqual(new Set(['none', 'deflated']));

    const { items } = await must(core, 'packets.list', {});
    expect(items).toHaveLength(3);
    const logged = items.find((item) => item.id === folder.packetId)!;
    expect(logged).toMatchObject({ format: 'folder', profile: 'cd', path: folder.path, files: folder.files, filesetId: folder.filesetId });
    expect(logged.recipient).toMatchObject({ organization: 'Memorial Cancer Institute', doctor: 'Dr. Ada Lovelace' });
    expect(logged.documentIds).toHaveLength(6);
    expect(logged.studyUids).toHaveLength(2);
    expect(logged.manifestSha256).toBe(sha256(path.join(folder.path, 'MANIFEST.JSN')));
  });

  it('rebuilds a logged packet with the same selection', async () => {
    const again = await must(core, 'packets.build', { fromPacket: folder.packetId, destination: path.join(root, 'out', 'again'), format: 'zip' });
    const original = (await must(core, 'packets.list', {})).items.find((item) => item.id === folder.packetId)!;
    const rebuilt = (await must(core, 'packets.list', {})).items.find((item) => item.id === again.packetId)!;
    expect(rebuilt.documentIds).toEqual(original.documentIds);
    expect(rebuilt.studyUids).toEqual(original.studyUids);
    expect(rebuilt.recipient).toEqual(original.recipient);
    expect(rebuilt.format).toBe('zip');
  });

  it('keeps the medication list and the care team in the vault', async () => {
    const medications = await must(core, 'medications.list', {});
    expect(medications.items.map((item) => [item.name, item.current])).toEqual([
      ['Letrozole', true],
      ['Ibuprofen', false],
    ]);
    const edited = await must(core, 'medications.save', { items: [{ ...medications.items[0]!, dose: '5 mg' }, { ...medications.items[1]!, notes: 'stopped' }] });
    expect(edited.items[0]).toMatchObject({ id: medications.items[0]!.id, dose: '5 mg' });
    expect((await must(core, 'careTeam.list', {})).items[0]).toMatchObject({ name: 'Dr. Maria Gonzalez', role: 'medical oncologist', phone: '555-0100' });
    const refused = await core.call('careTeam.save', { items: [{ name: 'No role' }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('keeps each image’s DICOMDIR values in the catalogue at import, and reads the headers when they are missing', async () => {
    await must(core, 'vault.lock', {});
    const vault = await Vault.unlockWithPassphrase(path.join(root, 'vault'), TEST_PASSPHRASE);
    try {
      const rows = vault.db.prepare('SELECT blob_id AS blobId, size, media_keys AS keys FROM instances ORDER BY rowid').all() as { blobId: string; size: number; keys: string | null }[];
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        const whole = await vault.blobs.readAll(row.blobId);
        const fromHeader = await readInstanceKeys(row.size, async (n) => whole.subarray(0, n));
        expect(parseInstanceKeys(row.keys)).toEqual(fromHeader);
      }
      // As in a vault from before the catalogue kept them, plus one unreadable value: the export reads the headers.
      vault.db.prepare('UPDATE instances SET media_keys = NULL').run();
      vault.db.prepare(`UPDATE instances SET media_keys = '{"v":1,"ts":' WHERE rowid = (SELECT min(rowid) FROM instances)`).run();
    } finally {
      vault.lock();
    }
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    const rebuilt = await must(core, 'packets.build', { fromPacket: folder.packetId, destination: path.join(root, 'out', 'from-headers') });
    expect(rebuilt.check).toMatchObject({ ok: true, problems: [] });
    expect(rebuilt.instances).toBe(folder.instances);
    expect(validatePdi(rebuilt.path, '-Pgp').code).toBe(0);
    // The same records in the same order: the DICOMDIRs differ only in the File-set ID and UID, which are new per packet.
    const records = (dir: string) => sh('dcmdump', ['+P', '0004,1430', '+P', '0004,1500', '+P', '0008,0018', path.join(dir, 'DICOMDIR')]).out;
    expect(records(folder.path).match(/\(0004,1430\)/g)).toHaveLength(1 + 2 + 3 + 6); // patient, studies, series, instances
    expect(records(rebuilt.path)).toBe(records(folder.path));
  });
});
