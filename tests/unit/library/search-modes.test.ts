import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertDocument } from '../../../electron/core/documents/store';
import { Vault } from '../../../electron/core/vault/vault';
import { createdCore, must, TEST_PASSPHRASE } from '../../helpers/core';

describe('search over many documents', () => {
  it('ranks narrow queries by relevance and answers broad ones newest first, with snippets either way', async () => {
    const { core, vaultDir } = await createdCore();
    await must(core, 'vault.lock', {});
    const vault = await Vault.unlockWithPassphrase(vaultDir, TEST_PASSPHRASE);
    const blob = await vault.blobs.put(Buffer.from('placeholder'));
    vault.blobs.record(vault.db, blob);
    vault.db.transaction(() => {
      for (let index = 0; index < 700; index += 1) {
        const rare = index % 100 === 0 ? ' sentinel sentinel lymph node' : '';
        insertDocument(vault.db, {
          blobId: blob.id,
          sha256: createHash('sha256').update(String(index)).digest('hex'),
          originalName: `r${index}.pdf`,
          kind: 'pdf',
          mimeType: 'application/pdf',
          size: 1,
          pages: [{ page: 1, text: `Routine follow up report number ${index}.${rare}`, source: 'text-layer', confidence: null }],
          guesses: {
            type: { value: 'consultation', reason: null },
            serviceDate: { value: null, reason: null },
            facility: { value: null, reason: null },
            clinician: { value: null, reason: null },
            title: { value: `Report ${index}`, reason: null },
          },
          patientMismatches: [],
          thumbnailBlobId: null,
          importedAt: new Date(),
        });
      }
    })();
    vault.lock();
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });

    const broad = await must(core, 'documents.search', { query: 'routine' });
    expect(broad.results).toHaveLength(25);
    expect(broad.results.slice(0, 3).map((hit) => hit.title)).toEqual(['Report 699', 'Report 698', 'Report 697']);
    expect(broad.results.every((hit) => hit.snippet.some((segment) => segment.hit))).toBe(true);

    const narrow = await must(core, 'documents.search', { query: 'sentinel', limit: 50 });
    expect(narrow.results).toHaveLength(7);
    expect(narrow.results[0]?.snippet.filter((segment) => segment.hit).map((segment) => segment.text.toLowerCase())).toContain('sentinel');
  });
});
