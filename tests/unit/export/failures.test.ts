import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { Vault } from '../../../electron/core/vault/vault';
import { must, TEST_PASSPHRASE, testCore } from '../../helpers/core';
import { textPdf } from '../../helpers/pdf';
import { sh, treeOf, validatePdi } from './checks';
import { OWNER, REPORTS, writeImplicitDisc, writeJpeg2000Disc, writeJpegDisc, writeLargeDisc, writeOwnerDisc } from './fixtures';

/**
 * What the packet builder refuses, and what a failure leaves behind (nothing that looks like a packet): images that do
 * not fit the profile, nothing selected, a destination that cannot be written, a disk that fills up, damaged stored
 * files, cancellation.
 */

let root: string;
let vaultDir: string;
let core: Core;
const studies: Record<'owner' | 'jpeg' | 'j2k' | 'implicit' | 'large', string> = { owner: '', jpeg: '', j2k: '', implicit: '', large: '' };
let documentId: string;

async function importDisc(name: keyof typeof studies, write: (dir: string) => string[]): Promise<void> {
  const dir = path.join(root, 'discs', name);
  write(dir);
  const before = new Set((await must(core, 'imaging.studies', {})).patients.flatMap((p) => p.studies.map((s) => s.uid)));
  const outcome = await must(core, 'imaging.import', { path: dir });
  expect(outcome.heldBack).toBeNull();
  const after = (await must(core, 'imaging.studies', {})).patients.flatMap((p) => p.studies.map((s) => s.uid));
  studies[name] = after.find((uid) => !before.has(uid))!;
}

/** Mounts a small tmpfs (root only); null when this machine does not allow it. */
function mountTmpfs(dir: string, options: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // not mounted
  }
}

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'so-mount-probe-'));
  const ok = mountTmpfs(probe, 'size=64k');
  if (ok) unmount(probe);
  fs.rmSync(probe, { recursive: true, force: true });
  return ok;
})();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'so-export-fail-'));
  vaultDir = path.join(root, 'vault');
  core = testCore({ vaultDir }).core;
  await must(core, 'vault.create', { profile: OWNER, passphrase: TEST_PASSPHRASE });
  const pdf = path.join(root, 'pathology.pdf');
  fs.writeFileSync(pdf, await textPdf([REPORTS.pathology]));
  documentId = (await must(core, 'documents.import', { paths: [pdf] })).imported[0]!.documentId;
  await importDisc('owner', writeOwnerDisc);
  await importDisc('jpeg', writeJpegDisc);
  await importDisc('j2k', writeJpeg2000Disc);
  await importDisc('implicit', writeImplicitDisc);
  await importDisc('large', (dir) => writeLargeDisc(dir, 6));
}, 120_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function nothingLeft(dir: string): void {
  expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
}

describe('export packet: what it refuses and what failures leave', () => {
  it('refuses JPEG images on a CD and names the profile that fits', async () => {
    const out = path.join(root, 'mismatch');
    const preview = await must(core, 'packets.preview', { documentIds: [], studyUids: [studies.jpeg], profile: 'cd' });
    expect(preview.studies.find((study) => study.uid === studies.jpeg)?.fits).toEqual(['dvd', 'usb']);
    expect(preview.profile).toMatchObject({ requested: 'cd', chosen: null, fits: ['dvd', 'usb'] });
    expect(preview.problems.map((problem) => problem.kind)).toEqual(['profile']);
    const result = await core.call('packets.build', { documentIds: [], studyUids: [studies.jpeg], profile: 'cd', destination: path.join(out, 'packet') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.message).toMatch(/STD-GEN-CD/);
    expect(result.error.message).toMatch(/DVD .* or USB/);
    expect(result.error.message).toMatch(/never converts/);
    nothingLeft(out);
  });

  it('refuses implicit VR images on any profile, as they are, and suggests leaving them out', async () => {
    for (const profile of ['cd', 'dvd', 'usb'] as const) {
      const result = await core.call('packets.build', { studyUids: [studies.implicit], documentIds: [], profile, destination: path.join(root, 'implicit', profile) });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (result.ok) continue;
      expect(result.error.message).toMatch(/implicit VR/);
      expect(result.error.message).toMatch(/explicit VR little endian/);
      expect(result.error.message).toMatch(/dcmmkdir -Pgp/);
      expect(result.error.message).toMatch(/Leave this study out/);
    }
    // The default selection (every study of the owner) therefore has a problem the preview names.
    const preview = await must(core, 'packets.preview', {});
    expect(preview.problems.some((problem) => problem.kind === 'profile' && /implicit/.test(problem.message))).toBe(true);
    nothingLeft(path.join(root, 'implicit'));
  });

  it('refuses to mix JPEG and JPEG 2000 in one DVD packet', async () => {
    const result = await core.call('packets.build', { studyUids: [studies.jpeg, studies.j2k], documentIds: [], profile: 'dvd', destination: path.join(root, 'mixed') });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toMatch(/JPEG 2000.*two packets/s);
  });

  it('writes JPEG images unchanged on a DVD image that passes the validator with -Pdv', async () => {
    const built = await must(core, 'packets.build', { studyUids: [studies.jpeg, studies.owner], documentIds: [], profile: 'dvd', format: 'iso', destination: path.join(root, 'dvd', 'packet.iso') });
    expect(built).toMatchObject({ profile: 'dvd', profileName: 'STD-GEN-DVD-JPEG', studies: 2 });
    const extracted = path.join(root, 'dvd', 'x');
    fs.mkdirSync(extracted);
    expect(sh('bsdtar', ['-xf', built.path, '-C', extracted]).code).toBe(0);
    sh('chmod', ['-R', 'u+rwX', extracted]);
    const pdi = validatePdi(extracted, '-Pdv');
    expect(pdi.out).toMatch(/PASS \(-Pdv\)/);
    expect(pdi.code).toBe(0);
    expect(fs.readFileSync(path.join(extracted, 'README.TXT'), 'latin1')).toMatch(/STD-GEN-DVD-JPEG[\s\S]*JPEG baseline \(1\.2\.840\.10008\.1\.2\.4\.50\): 2/);
    // The same images refused on a CD are accepted on USB too.
    const usb = await must(core, 'packets.preview', { studyUids: [studies.jpeg], documentIds: [], profile: 'usb' });
    expect(usb.profile.name).toBe('STD-GEN-USB-JPEG');
  });

  it('says so clearly when nothing is selected', async () => {
    const preview = await must(core, 'packets.preview', { documentIds: [], studyUids: [] });
    expect(preview.problems).toEqual([{ kind: 'nothing-selected', message: expect.stringMatching(/Nothing is selected/) }]);
    const result = await core.call('packets.build', { documentIds: [], studyUids: [], destination: path.join(root, 'nothing') });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/Nothing is selected/) } });
    expect(fs.existsSync(path.join(root, 'nothing'))).toBe(false);
  });

  it('refuses an existing destination and one that cannot be written', async () => {
    const taken = path.join(root, 'taken.zip');
    fs.writeFileSync(taken, 'mine');
    const exists = await core.call('packets.build', { documentIds: [documentId], studyUids: [], format: 'zip', destination: taken });
    expect(exists).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_EMPTY' } });
    expect(fs.readFileSync(taken, 'utf8')).toBe('mine');
    const underFile = await core.call('packets.build', { documentIds: [documentId], studyUids: [], destination: path.join(taken, 'packet') });
    expect(underFile).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', message: expect.stringMatching(/cannot be written there/) } });
  });

  it.skipIf(!canMount)('refuses a read-only destination (tmpfs mounted read-only)', async () => {
    const mount = path.join(root, 'readonly');
    expect(mountTmpfs(mount, 'ro,size=1m')).toBe(true);
    try {
      const result = await core.call('packets.build', { documentIds: [documentId], studyUids: [], destination: path.join(mount, 'packet') });
      expect(result).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
      nothingLeft(mount);
    } finally {
      unmount(mount);
    }
  });

  it.skipIf(!canMount)('leaves nothing that looks like a packet when the disk fills up, in every format', async () => {
    const mount = path.join(root, 'small');
    expect(mountTmpfs(mount, 'size=2m')).toBe(true);
    try {
      for (const format of ['folder', 'zip', 'iso'] as const) {
        const destination = path.join(mount, format === 'folder' ? 'packet' : `packet.${format}`);
        const result = await core.call('packets.build', { documentIds: [documentId], studyUids: [studies.large], format, destination });
        expect(result).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
        nothingLeft(mount);
      }
      expect((await must(core, 'packets.list', {})).items.every((item) => !item.path.startsWith(mount))).toBe(true);
    } finally {
      unmount(mount);
    }
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const out = path.join(root, 'cancelled');
    const taskId = '5b1c3a52-9d7e-4f5b-8d0e-0c6a1f4f2b11';
    let asked = false;
    const stop = core.onEvent((event) => {
      if (event.type === 'progress' && event.taskId === taskId && event.phase === 'Writing the packet' && !asked) {
        asked = true;
        void core.call('tasks.cancel', { taskId });
      }
    });
    try {
      const result = await core.call('packets.build', { taskId, documentIds: [documentId], studyUids: [studies.large], format: 'iso', destination: path.join(out, 'packet.iso') });
      expect(asked).toBe(true);
      expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    } finally {
      stop();
    }
    nothingLeft(out);
  });

  it('typesets the text of a protected PDF it cannot merge, and still sends the original unchanged', async () => {
    const plain = path.join(root, 'consult-plain.pdf');
    const locked = path.join(root, 'consult-locked.pdf');
    fs.writeFileSync(plain, await textPdf([REPORTS.consultation]));
    execFileSync('qpdf', ['--encrypt', '', 'owner-secret', '256', '--', plain, locked]);
    const imported = await must(core, 'documents.import', { paths: [locked] });
    expect(imported.failed).toEqual([]);
    const id = imported.imported[0]!.documentId;
    const built = await must(core, 'packets.build', { documentIds: [id], studyUids: [], destination: path.join(root, 'protected') });
    const text = sh('pdftotext', [path.join(built.path, 'RECORDS.PDF'), '-']).out;
    expect(text).toMatch(/could not be merged here/);
    expect(text).toContain('CONSMARKERQX');
    expect(fs.readFileSync(path.join(built.path, 'ORIGINAL', '001_CONS.PDF')).equals(fs.readFileSync(locked))).toBe(true);
    expect(sh('qpdf', ['--check', path.join(built.path, 'RECORDS.PDF')]).code).toBe(0);
  });

  it('names a stored image whose content is not what the catalogue recorded (a valid file of the same size), and writes no packet', async () => {
    const blobFile = (blobId: string) => path.join(vaultDir, 'blobs', blobId.slice(0, 2), blobId);
    const { patients } = await must(core, 'imaging.studies', {});
    const large = patients.flatMap((p) => p.studies).find((study) => study.uid === studies.large)!;
    const { instances } = await must(core, 'imaging.series', { uid: large.series[0]!.uid });
    const target = blobFile(instances[4]!.blobId);
    const saved = path.join(root, 'saved-blob');
    fs.copyFileSync(target, saved);
    // A correctly encrypted file whose content differs by one pixel byte, in the place of the recorded one: it
    // decrypts and authenticates, has the right size, and only the content check can tell.
    await must(core, 'vault.lock', {});
    const vault = await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE);
    try {
      const changed = Buffer.from(await vault.blobs.readAll(instances[4]!.blobId));
      changed[changed.length - 10] = changed[changed.length - 10]! ^ 0xff;
      const impostor = await vault.blobs.put(changed);
      fs.renameSync(blobFile(impostor.id), target);
    } finally {
      vault.lock();
    }
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    try {
      const out = path.join(root, 'impostor');
      const result = await core.call('packets.build', { documentIds: [], studyUids: [studies.large], format: 'iso', destination: path.join(out, 'packet.iso') });
      expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_DAMAGED', message: expect.stringMatching(/image 5 of series 1 of study 1/) } });
      nothingLeft(out);
    } finally {
      fs.copyFileSync(saved, target);
    }
    const fine = await must(core, 'packets.build', { documentIds: [], studyUids: [studies.large], format: 'iso', destination: path.join(root, 'restored', 'packet.iso') });
    expect(fine.check.ok).toBe(true);
  });

  it('names a damaged stored file and writes no packet (document, image header, image data)', async () => {
    const blobFile = (blobId: string) => path.join(vaultDir, 'blobs', blobId.slice(0, 2), blobId);
    const flip = (file: string, at: number) => {
      const bytes = fs.readFileSync(file);
      bytes[at] = bytes[at]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    };
    const out = path.join(root, 'damaged');

    // A document.
    const detail = await must(core, 'documents.get', { id: documentId });
    flip(blobFile(detail.fileId), 200);
    const doc = await core.call('packets.build', { documentIds: [documentId], studyUids: [studies.owner], destination: path.join(out, 'a') });
    expect(doc).toMatchObject({ ok: false, error: { code: 'VAULT_DAMAGED' } });
    if (!doc.ok) expect(doc.error.message).toContain(`id ${documentId}`);
    nothingLeft(out);

    // The large study: one image damaged inside its pixel data, found while the packet is being written.
    const { patients } = await must(core, 'imaging.studies', {});
    const large = patients.flatMap((p) => p.studies).find((study) => study.uid === studies.large)!;
    const { instances } = await must(core, 'imaging.series', { uid: large.series[0]!.uid });
    flip(blobFile(instances[3]!.blobId), 300_000);
    const image = await core.call('packets.build', { documentIds: [], studyUids: [studies.large], format: 'zip', destination: path.join(out, 'b.zip') });
    expect(image).toMatchObject({ ok: false, error: { code: 'VAULT_DAMAGED' } });
    if (!image.ok) expect(image.error.message).toMatch(/image 4 of series 1 of study 1/);
    nothingLeft(out);
    // Damage at the start of a file is found while reading the headers, before anything is written.
    flip(blobFile(instances[1]!.blobId), 100);
    const header = await core.call('packets.build', { documentIds: [], studyUids: [studies.large], destination: path.join(out, 'c') });
    expect(header).toMatchObject({ ok: false, error: { code: 'VAULT_DAMAGED', message: expect.stringMatching(/image 2 of series 1 of study 1/) } });
    nothingLeft(out);
    // Nothing was logged for the failed attempts.
    expect((await must(core, 'packets.list', {})).items.every((item) => !item.path.startsWith(out))).toBe(true);
    expect(treeOf(root).some((file) => file.includes('.part'))).toBe(false);
  });
});
