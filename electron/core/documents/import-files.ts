import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { ImportOutcome } from '../../../shared/contract/documents';
import type { CoreContext } from '../context';
import { toAppError } from '../errors';
import type { Task } from '../tasks/task';
import type { Vault } from '../vault/vault';
import { createOcrService, type OcrService } from './analysis/ocr';
import { extractDocumentText } from './analysis/extract-text';
import { MIME_TYPES, sniffFile } from './analysis/sniff';
import { collectFiles } from './collect-files';
import { saveDocument } from './save';
import { findBySha256 } from './store';

/**
 * Imports files and folders. Each file succeeds or fails on its own: analysis happens before anything is
 * written, the original and its thumbnail are made durable in the blob store, and only then one transaction
 * records blobs, document, pages and search entry. A crash at any point leaves either the whole document or
 * nothing (stray blob files are swept at the next unlock).
 */
export async function importDocuments(ctx: CoreContext, vault: Vault, paths: readonly string[], task: Task): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: [], duplicates: [], skipped: [], failed: [], cancelled: false };
  task.report('finding files', 0, null, 'files');
  const { files, unreadable } = await collectFiles(paths);
  outcome.failed.push(...unreadable);
  const ocr = lazyOcr(ctx);
  for (const [index, file] of files.entries()) {
    if (task.signal.aborted) {
      outcome.cancelled = true;
      break;
    }
    task.report(`reading ${path.basename(file)}`, index, files.length, 'files');
    try {
      await importOne(ctx, vault, file, task, ocr, outcome);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'CANCELLED') {
        outcome.cancelled = true;
        break;
      }
      outcome.failed.push({ path: file, reason: appError.message });
      ctx.log.warn('documents.import-failed', { code: appError.code });
    }
  }
  task.report('done', files.length, files.length, 'files');
  ctx.log.info('documents.imported', {
    imported: outcome.imported.length,
    duplicates: outcome.duplicates.length,
    skipped: outcome.skipped.length,
    failed: outcome.failed.length,
  });
  return outcome;
}

async function importOne(
  ctx: CoreContext,
  vault: Vault,
  file: string,
  task: Task,
  ocr: () => OcrService,
  outcome: ImportOutcome,
): Promise<void> {
  const sniffed = await sniffFile(file);
  if (sniffed.kind === 'unsupported') {
    if (sniffed.problem === 'unsupported') outcome.skipped.push({ path: file, reason: sniffed.reason });
    else outcome.failed.push({ path: file, reason: sniffed.reason });
    return;
  }
  // Hashing first costs one extra read of the file, but lets a duplicate skip text extraction and OCR,
  // which cost far more than reading.
  const existing = findBySha256(vault.db, await sha256Of(file));
  if (existing) {
    outcome.duplicates.push({ path: file, documentId: existing.id });
    return;
  }
  const extracted = await extractDocumentText(file, {
    ocr: ocr(),
    signal: task.signal,
    onProgress: (progress) => task.report(`reading page ${progress.page} of ${progress.pageCount}`, progress.page, progress.pageCount, 'pages'),
  });
  task.throwIfCancelled();
  const saved = await saveDocument(ctx, vault, {
    original: file,
    originalName: path.basename(file),
    kind: sniffed.kind,
    mimeType: MIME_TYPES[sniffed.kind],
    pages: extracted.pages.map(({ page, text, source, confidence }) => ({ page, text, source, confidence })),
    thumbnail: extracted.thumbnail,
  });
  if (saved.status === 'duplicate') outcome.duplicates.push({ path: file, documentId: saved.documentId });
  else outcome.imported.push({ path: file, documentId: saved.documentId, title: saved.title, type: saved.type });
}

/** The OCR workers start only when a scan actually needs them, and live until the vault locks. */
function lazyOcr(ctx: CoreContext): () => OcrService {
  return () => {
    ctx.ocr ??= createOcrService();
    return ctx.ocr;
  };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

