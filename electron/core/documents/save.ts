import path from 'node:path';
import type { DocumentSummary } from '../../../shared/contract/documents';
import type { CoreContext } from '../context';
import type { Vault } from '../vault/vault';
import { analyzeText } from './analyze';
import { findBySha256, insertDocument, type Guesses, type PageText } from './store';

export interface DocumentToSave {
  /** The original: a file path (streamed) or bytes already in memory (from a disc image or a DICOM file). */
  original: string | Uint8Array;
  originalName: string;
  kind: DocumentSummary['kind'];
  mimeType: string;
  pages: PageText[];
  thumbnail: Buffer | null;
  studyUid?: string | null;
  discId?: string | null;
  /** Facts the app knows better than a guess from the text (for documents it made itself). */
  known?: Partial<Guesses>;
}

export type SaveResult =
  | { status: 'imported'; documentId: string; title: string; type: DocumentSummary['type'] }
  | { status: 'duplicate'; documentId: string };

/**
 * Stores one analysed document: the original and its thumbnail are made durable in the blob store first, then
 * one transaction records the blobs, the document, its pages and its search entry. Same bytes as an existing
 * document → a duplicate, nothing added (the blob store already shares identical files).
 */
export async function saveDocument(ctx: CoreContext, vault: Vault, doc: DocumentToSave): Promise<SaveResult> {
  const analysed = analyzeText(vault.db, doc.pages);
  const guesses: Guesses = { ...analysed.guesses, ...doc.known };
  const { mismatches } = analysed;
  const original = await vault.blobs.put(doc.original);
  const existing = findBySha256(vault.db, original.sha256);
  if (existing) return { status: 'duplicate', documentId: existing.id };
  const thumbnail = doc.thumbnail ? await vault.blobs.put(doc.thumbnail) : null;
  const now = ctx.now();
  const documentId = vault.db.transaction(() => {
    vault.blobs.record(vault.db, original, now);
    if (thumbnail) vault.blobs.record(vault.db, thumbnail, now);
    return insertDocument(vault.db, {
      blobId: original.id,
      sha256: original.sha256,
      originalName: path.basename(doc.originalName),
      kind: doc.kind,
      mimeType: doc.mimeType,
      size: original.size,
      pages: doc.pages,
      guesses,
      patientMismatches: mismatches,
      thumbnailBlobId: thumbnail?.id ?? null,
      studyUid: doc.studyUid ?? null,
      discId: doc.discId ?? null,
      importedAt: now,
    });
  })();
  return {
    status: 'imported',
    documentId,
    title: guesses.title.value ?? path.basename(doc.originalName),
    type: guesses.type.value ?? 'other',
  };
}
