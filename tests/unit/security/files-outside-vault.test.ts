import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createdCore, must } from '../../helpers/core';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

/** Every file in the vault folder, with its size: nothing may be added there by a refused write. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

// Files written for the person (packets, backups, copies of originals, PDFs) are readable by design, so none may
// land inside the vault folder — not directly and not through a link that points into it.
it('every operation that writes a file for the person refuses a place inside the vault folder', async () => {
  const { core, vaultDir } = await createdCore();
  const source = path.join(tempDir(), 'pathology.pdf');
  await writeTextPdf(source, ['SURGICAL PATHOLOGY REPORT\nDate of procedure: 03/14/2025\nInvasive ductal carcinoma']);
  const { imported } = await must(core, 'documents.import', { paths: [source] });
  const documentId = imported[0]!.documentId;
  const a = await must(core, 'opinions.create', { opinion: { kind: 'first', diagnosis: { histology: 'IDC' } } });
  const b = await must(core, 'opinions.create', { opinion: { kind: 'second', diagnosis: { histology: 'ILC' } } });
  const appointment = await must(core, 'appointments.create', { appointment: { kind: 'second' } });

  const outside = tempDir();
  const linkIntoVault = path.join(outside, 'looks-harmless');
  fs.symlinkSync(vaultDir, linkIntoVault);
  const before = listing(vaultDir);

  for (const place of [vaultDir, linkIntoVault]) {
    const attempts = {
      packet: core.call('packets.build', { documentIds: [documentId], studyUids: [], format: 'zip', destination: path.join(place, 'packet.zip') }),
      packetFolder: core.call('packets.build', { documentIds: [documentId], studyUids: [], format: 'folder', destination: path.join(place, 'sub', 'packet') }),
      original: core.call('documents.extract', { id: documentId, destination: path.join(place, 'copy.pdf') }),
      backup: core.call('vault.backup', { destination: path.join(place, 'backup.sobackup') }),
      comparison: core.call('opinions.comparisonPdf', { ids: [a.id, b.id], destination: path.join(place, 'comparison.pdf') }),
      prepSheet: core.call('appointments.prepSheet', { id: appointment.id, destination: path.join(place, 'sheet.pdf') }),
    };
    for (const [what, attempt] of Object.entries(attempts)) {
      const result = await attempt;
      expect(result, `${what} into ${place === vaultDir ? 'the vault' : 'a link to the vault'}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!result.ok) expect(result.error.message).toMatch(/inside the vault folder/);
    }
  }
  expect(listing(vaultDir)).toEqual(before);

  // The same operations still write where the person chose, outside the vault.
  expect((await must(core, 'documents.extract', { id: documentId, destination: path.join(outside, 'copy.pdf') })).bytes).toBe(fs.statSync(source).size);
  expect(fs.readFileSync(path.join(outside, 'copy.pdf')).equals(fs.readFileSync(source))).toBe(true);
  await core.close();
});
