import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleVaultRequest, vaultBlobUrl, type OpenBlob } from '../../../electron/main/vault-protocol';
import { createdCore, must } from '../../helpers/core';
import { textPdf } from '../../helpers/pdf';
import { listFiles, tempDir } from '../../helpers/temp';

/**
 * Checklist items 6 and 13 end to end under Node: Electron's vault:// handler (electron/main/vault-protocol.ts)
 * over the real core's openBlob, with real encryption — where tests/unit/electron/vault-protocol.test.ts uses a
 * fake. Ranges decrypt to the plaintext slice, every response is no-store, a locked vault serves nothing, and a
 * flipped ciphertext byte errors the stream instead of delivering altered bytes.
 */
const request = (url: string, range?: string, method = 'GET') => ({ url, method, headers: new Headers(range === undefined ? {} : { range }) });

async function body(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

async function storedPdf() {
  const made = await createdCore();
  const dir = tempDir('so-vault-files-');
  const file = path.join(dir, 'report.pdf');
  // Random text does not compress, so the file spans several 64 KiB encryption segments.
  const pages = Array.from({ length: 40 }, (_, index) =>
    [`Page ${index + 1}`, ...Array.from({ length: 40 }, () => crypto.randomBytes(60).toString('base64'))].join('\n'),
  );
  const original = await textPdf(pages);
  fs.writeFileSync(file, original);
  const imported = await must(made.core, 'documents.import', { paths: [file] });
  const documentId = imported.imported[0]!.documentId;
  const { fileId } = await must(made.core, 'documents.get', { id: documentId });
  const openBlob: OpenBlob = (id, range) => made.core.openBlob(id, range);
  return { ...made, original, fileId, openBlob };
}

describe('vault:// over the real core (items 6 and 13)', () => {
  it('serves the decrypted original, byte ranges equal to the plaintext slices, always no-store', async () => {
    const { original, fileId, openBlob, core } = await storedPdf();
    expect(original.length).toBeGreaterThan(70_000); // more than one 64 KiB segment
    const url = vaultBlobUrl(fileId);

    const whole = await handleVaultRequest(request(url), openBlob);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('cache-control')).toBe('no-store');
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect((await body(whole)).equals(original)).toBe(true);

    for (const [range, start, end] of [
      ['bytes=1000-', 1000, original.length - 1],
      ['bytes=65530-65545', 65530, 65545], // across a segment boundary
      ['bytes=-100', original.length - 100, original.length - 1],
    ] as const) {
      const partial = await handleVaultRequest(request(url, range), openBlob);
      expect(partial.status, range).toBe(206);
      expect(partial.headers.get('cache-control')).toBe('no-store');
      expect(partial.headers.get('content-range')).toBe(`bytes ${start}-${end}/${original.length}`);
      expect((await body(partial)).equals(original.subarray(start, end + 1)), range).toBe(true);
    }
    expect((await handleVaultRequest(request(url, `bytes=${original.length + 10}-`), openBlob)).status).toBe(416);
    await core.close();
  });

  it('answers 404 for unknown ids, other id formats and anything with a query, and nothing once locked', async () => {
    const { fileId, openBlob, core } = await storedPdf();
    const url = vaultBlobUrl(fileId);
    for (const other of [vaultBlobUrl('f'.repeat(64)), `vault://blob/${fileId.toUpperCase()}`, `vault://blob/${fileId}?key=00`, `vault://blob/${fileId}/..`, `vault://other/${fileId}`, 'vault://blob/../vault.json']) {
      const response = await handleVaultRequest(request(other), openBlob);
      expect(response.status, other).toBe(404);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    await must(core, 'vault.lock', {});
    expect(await core.openBlob(fileId)).toBeNull();
    for (const range of [undefined, 'bytes=0-', 'bytes=-10']) {
      const response = await handleVaultRequest(request(url, range), openBlob);
      expect(response.status).toBe(404);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    await core.close();
  });

  it('a flipped byte in the stored ciphertext errors the stream: altered bytes are never served', async () => {
    const { fileId, openBlob, vaultDir, core } = await storedPdf();
    const blobsDir = path.join(vaultDir, 'blobs');
    const blobFiles = listFiles(blobsDir).filter((file) => !path.relative(blobsDir, file).startsWith(`tmp${path.sep}`));
    expect(blobFiles.length).toBeGreaterThan(0);
    for (const file of blobFiles) {
      const bytes = fs.readFileSync(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      fs.writeFileSync(file, bytes);
    }
    const response = await handleVaultRequest(request(vaultBlobUrl(fileId)), openBlob);
    // The status may already be sent when the damage is found; the body must then fail, not end cleanly.
    if (response.status === 200) await expect(body(response)).rejects.toThrow();
    else expect(response.status).toBe(500);
    await core.close();
  });
});
