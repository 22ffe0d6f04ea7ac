import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { notePendingOutput } from '../../../electron/core/vault/pending-outputs';
import { Vault } from '../../../electron/core/vault/vault';
import { createdCore, must, TEST_PASSPHRASE } from '../../helpers/core';
import { textPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

/** Temporary copies written outside the vault (packets) and left by a crash are removed at the next unlock. */

describe('temporary outputs left outside the vault by a crash', () => {
  it('removes noted temp copies at unlock, never anything not named like one, and waits for drives that are away', async () => {
    const { core, vaultDir } = await createdCore();
    const out = tempDir('so-outputs-');
    const folderTemp = path.join(out, '.Second opinion packet 2026-11-22.0123456789ab.part');
    fs.mkdirSync(path.join(folderTemp, 'DICOM'), { recursive: true });
    fs.writeFileSync(path.join(folderTemp, 'DICOM', 'I0000001'), 'half an image');
    const fileTemp = path.join(out, '.packet.zip.abcdef012345.part');
    fs.writeFileSync(fileTemp, 'half a zip');
    const notOurs = path.join(out, 'notes.txt'); // a row naming it can only come from a damaged or forged database
    fs.writeFileSync(notOurs, 'the person’s own file');
    const away = path.join(out, 'unplugged-stick', '.packet.iso.00000000aaaa.part');
    const gone = path.join(out, '.renamed-into-place.111111111111.part');

    await must(core, 'vault.lock', {});
    const vault = await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE);
    try {
      for (const temp of [folderTemp, fileTemp, notOurs, away, gone]) notePendingOutput(vault.db, temp, new Date());
    } finally {
      vault.lock();
    }

    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    expect(fs.existsSync(folderTemp)).toBe(false);
    expect(fs.existsSync(fileTemp)).toBe(false);
    expect(fs.readFileSync(notOurs, 'utf8')).toBe('the person’s own file');
    await must(core, 'vault.lock', {});

    const again = await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE);
    try {
      const left = (again.db.prepare('SELECT path FROM pending_outputs').all() as { path: string }[]).map((row) => row.path);
      expect(left).toEqual([away]); // kept for when that drive is back; the rest are done with
    } finally {
      again.lock();
    }
    await core.close();
  });

  it('notes a packet while it is written and forgets it once the packet has its name', async () => {
    const { core, vaultDir } = await createdCore();
    const out = tempDir('so-outputs-');
    const doc = path.join(out, 'note.pdf');
    fs.writeFileSync(doc, await textPdf(['Progress note. Plan: follow up in three months.']));
    await must(core, 'documents.import', { paths: [doc] });
    let notedWhileWriting: string[] = [];
    const destination = path.join(out, 'packet.zip');
    const stop = core.onEvent((event) => {
      if (event.type !== 'progress' || event.phase !== 'Writing the packet' || notedWhileWriting.length > 0) return;
      notedWhileWriting = fs.readdirSync(out).filter((name) => name.endsWith('.part'));
    });
    try {
      const built = await must(core, 'packets.build', { documentIds: (await must(core, 'documents.list', {})).items.map((item) => item.id), studyUids: [], format: 'zip', destination, taskId: '0f8e7a9c-3b2d-4e1f-9a8b-7c6d5e4f3a2b' });
      expect(built.check.ok).toBe(true);
    } finally {
      stop();
    }
    expect(notedWhileWriting).toHaveLength(1);
    expect(fs.readdirSync(out).sort()).toEqual(['note.pdf', 'packet.zip']);
    await must(core, 'vault.lock', {});
    const vault = await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE);
    try {
      expect(vault.db.prepare('SELECT count(*) AS n FROM pending_outputs').get()).toEqual({ n: 0 });
    } finally {
      vault.lock();
    }
    await core.close();
  });
});
