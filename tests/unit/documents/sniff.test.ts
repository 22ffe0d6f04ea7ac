import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_MESSAGES, DocumentError, fileError } from '../../../electron/core/documents/analysis/errors';
import { extractDocumentText } from '../../../electron/core/documents/analysis/extract-text';
import { sniffBytes, sniffFile } from '../../../electron/core/documents/analysis/sniff';
import { makeTextPdf, randomBytes, rejection, runningAsRoot, writeFixture } from '../../fixtures/documents/generate';
import { tempDir } from '../../helpers/temp';

const white = (format: 'jpeg' | 'png' | 'tiff') =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#ffffff' } })[format]().toBuffer();

describe('sniffing the real type from content', () => {
  it('recognises PDF, JPEG, PNG and TIFF by their first bytes', async () => {
    expect(sniffBytes(await makeTextPdf(['hello']))).toMatchObject({ kind: 'pdf', mimeType: 'application/pdf' });
    expect(sniffBytes(await white('jpeg'))).toMatchObject({ kind: 'jpeg', mimeType: 'image/jpeg' });
    expect(sniffBytes(await white('png'))).toMatchObject({ kind: 'png', mimeType: 'image/png' });
    expect(sniffBytes(await white('tiff'))).toMatchObject({ kind: 'tiff', mimeType: 'image/tiff' });
    // Big-endian TIFF and BigTIFF headers.
    expect(sniffBytes(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8])).kind).toBe('tiff');
    expect(sniffBytes(Buffer.from([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0])).kind).toBe('tiff');
  });

  it('finds a PDF header after junk a mail system put in front of it', async () => {
    const pdf = Buffer.concat([Buffer.from('X-Junk: 1\r\n\r\n'), Buffer.from(await makeTextPdf(['hello']))]);
    expect(sniffBytes(pdf).kind).toBe('pdf');
  });

  it('says a zero-byte file is empty', () => {
    const result = sniffBytes(new Uint8Array(0), 'report.pdf');
    expect(result).toMatchObject({ kind: 'unsupported', problem: 'empty', reason: DOCUMENT_MESSAGES.empty });
  });

  it('goes by content when the name lies: a PNG called .pdf is a PNG', async () => {
    const result = sniffBytes(await white('png'), 'scan.pdf');
    expect(result).toEqual({ kind: 'png', mimeType: 'image/png', nameSuggests: 'pdf' });
  });

  it('calls random bytes named .pdf damaged, and random bytes without a known name unsupported', () => {
    const named = sniffBytes(randomBytes(4096), 'report.pdf');
    expect(named).toMatchObject({ kind: 'unsupported', problem: 'damaged', reason: DOCUMENT_MESSAGES.damagedPdf });
    const photo = sniffBytes(randomBytes(4096), 'photo.JPG');
    expect(photo).toMatchObject({ kind: 'unsupported', problem: 'damaged', reason: DOCUMENT_MESSAGES.damagedImage });
    const unnamed = sniffBytes(randomBytes(4096), 'data.bin');
    expect(unnamed).toMatchObject({ kind: 'unsupported', problem: 'unsupported', detected: 'unknown' });
  });

  it('names common formats it cannot read, with what to do instead', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(32)]);
    expect(sniffBytes(heic, 'IMG_0001.HEIC')).toMatchObject({ detected: 'heic', reason: DOCUMENT_MESSAGES.heic });
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60)]);
    expect(sniffBytes(docx, 'letter.docx')).toMatchObject({ detected: 'zip', reason: DOCUMENT_MESSAGES.office });
    const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(64)]);
    expect(sniffBytes(dicom, 'IM0001')).toMatchObject({ detected: 'dicom', reason: DOCUMENT_MESSAGES.dicom });
    expect(sniffBytes(Buffer.from('<html><body>Your results</body></html>'), 'results.html')).toMatchObject({
      detected: 'text',
      reason: DOCUMENT_MESSAGES.text,
    });
    expect(sniffBytes(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toMatchObject({ detected: 'gif' });
  });
});

describe('sniffing files on disk', () => {
  it('reads only the head of the file and reports its size', async () => {
    const dir = tempDir();
    const file = writeFixture(dir, 'scan.pdf', await white('png'));
    const result = await sniffFile(file);
    expect(result.kind).toBe('png');
    expect(result.size).toBe(fs.statSync(file).size);
  });

  it('turns a missing file and a folder into clear errors', async () => {
    const dir = tempDir();
    const missing = await rejection(sniffFile(path.join(dir, 'gone.pdf')));
    expect(missing).toBeInstanceOf(DocumentError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', problem: 'not-found', message: DOCUMENT_MESSAGES.notFound });
    const folder = await rejection(sniffFile(dir));
    expect(folder).toMatchObject({ code: 'INVALID_INPUT', message: DOCUMENT_MESSAGES.folder });
  });

  it('maps "permission denied" from the file system to PERMISSION_DENIED with advice', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const error = fileError(Object.assign(new Error('denied'), { code }));
      expect(error).toMatchObject({ code: 'PERMISSION_DENIED', message: DOCUMENT_MESSAGES.unreadable });
    }
  });

  it('refuses an unreadable file (chmod 000) with PERMISSION_DENIED', async (context) => {
    const dir = tempDir();
    const file = writeFixture(dir, 'locked.pdf', await makeTextPdf(['Pathology report']));
    fs.chmodSync(file, 0o000);
    if (!runningAsRoot()) {
      const error = await rejection(extractDocumentText(file));
      expect(error).toMatchObject({ code: 'PERMISSION_DENIED', message: DOCUMENT_MESSAGES.unreadable });
      return;
    }
    // Root reads files whatever their mode, so the check runs in a child process as the unprivileged "nobody".
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    if (nobody.status !== 0) context.skip('running as root without a "nobody" user: chmod 000 cannot be tested');
    fs.chmodSync(dir, 0o755);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.resolve('tests/fixtures/documents/extract-child.ts'), file],
      { uid: Number(nobody.stdout.trim()), gid: Number(nobody.stdout.trim()), encoding: 'utf8', cwd: process.cwd() },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({
      ok: false,
      code: 'PERMISSION_DENIED',
      problem: 'unreadable',
      message: DOCUMENT_MESSAGES.unreadable,
    });
  });

  it('refuses a zero-byte file, a lying name and random bytes through the one entry point', async () => {
    const dir = tempDir();
    const empty = await rejection(extractDocumentText(writeFixture(dir, 'empty.pdf', Buffer.alloc(0))));
    expect(empty).toMatchObject({ code: 'INVALID_INPUT', problem: 'empty', message: DOCUMENT_MESSAGES.empty });
    const random = await rejection(extractDocumentText(writeFixture(dir, 'random.pdf', randomBytes(10_000))));
    expect(random).toMatchObject({ code: 'INVALID_INPUT', problem: 'damaged', message: DOCUMENT_MESSAGES.damagedPdf });
    // A PNG saved as .pdf is read as the picture it is.
    const png = await extractDocumentText(writeFixture(dir, 'lying.pdf', await white('png')));
    expect(png).toMatchObject({ kind: 'png', pageCount: 1 });
  });
});
