import path from 'node:path';
import type { DiscImportOutcome } from '../../../shared/contract/imaging';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { pdfBytesToDocument, TEXT_MIME, textReportToPages } from '../documents/from-bytes';
import { saveDocument, type DocumentToSave } from '../documents/save';
import { instanceKeysFromHead, KEYS_HEAD_BYTES, serializeInstanceKeys } from '../export/dicom-keys';
import type { Task } from '../tasks/task';
import { readProfile } from '../vault/profile';
import type { Vault } from '../vault/vault';
import { CatalogBuilder, compareToProfile, patientKey, type ProfileMismatch } from './catalog';
import { parseDicomHeader, type DicomInstanceHeader } from './dicom/header';
import { matchDicomdirHint, readDicomdirHint, type DicomdirHint } from './dicom/dicomdir';
import { extractEncapsulatedPdf, structuredReportToText } from './dicom/documents';
import { isDicom } from './dicom/sniff';
import { transferSyntaxName } from './dicom/uids';
import { classifyDiscFile, type ReportFormat } from './sources/classify';
import { openSource } from './sources/open';
import type { DiscSource, SourceEntry } from './sources/types';
import { findInstance, insertDisc, insertInstance, middleImage, newId, setThumbnail, uidKnown, type InstanceToInsert } from './store';
import { renderThumbnail } from './thumbnail';

/** Reports on a disc larger than this are not read as documents (a real report is far smaller). */
const MAX_REPORT_BYTES = 100 * 1024 * 1024;
/** Enough of an instance to hold its first frame for the thumbnail, without reading a huge multi-frame file. */
const THUMBNAIL_PREFIX_BYTES = 64 * 1024 * 1024;
/** Instances committed per transaction: fewer fsyncs, and a crash loses at most one batch of rows (never bytes). */
const BATCH = 64;

interface ScannedDicom {
  path: string;
  size: number;
  header: DicomInstanceHeader;
}

interface Scan {
  dicom: Map<string, ScannedDicom>;
  reports: Map<string, { format: ReportFormat; size: number }>;
  dicomdir: { path: string; hint: DicomdirHint } | null;
  entryPaths: string[];
  softwareSkipped: number;
  skipped: { path: string; reason: string }[];
  failed: { path: string; reason: string }[];
}

/**
 * Imports an imaging disc in three passes over the source (folder, ISO image or zip, read by streaming):
 * 1. scan: classify every file by content and parse DICOM headers only (fast; nothing stored yet), build the
 *    catalogue and compare each patient with the vault's profile — another person's disc is held back here;
 * 2. store: copy each instance's bytes unchanged into the blob store and commit rows in batches, deduplicating
 *    by SOP Instance UID + content (same UID with other bytes: kept and flagged), and import reports as documents;
 * 3. finish: a thumbnail per new series, documents from encapsulated PDFs and structured reports.
 * Nothing from the disc is ever executed. Cancellation and crashes leave only whole instances/documents behind;
 * importing the same source again completes it without duplicates.
 */
export async function importDisc(
  ctx: CoreContext,
  vault: Vault,
  location: string,
  acceptOtherPatient: boolean,
  task: Task,
): Promise<DiscImportOutcome> {
  const source = await openSource(path.resolve(location));
  try {
    task.report('looking at the disc', 0, null, 'files');
    const scan = await scanSource(source, task);
    const catalog = buildCatalog(scan);
    const profile = readProfile(vault.db);
    const mismatches = catalog.patients.flatMap((patient) =>
      compareToProfile(patient, profile)
        .filter((mismatch) => mismatch.kind === 'different')
        .map((mismatch) => ({ patient, mismatch })),
    );
    const outcome = emptyOutcome(source, scan, catalog.totals);
    if (mismatches.length > 0 && !acceptOtherPatient) {
      outcome.heldBack = {
        mismatches: mismatches.map(({ patient, mismatch }) => ({
          patientOnDisc: patient.displayName ?? patient.name,
          birthDateOnDisc: patient.birthDate,
          field: mismatch.field,
        })),
      };
      ctx.log.info('imaging.held-back', { patients: catalog.totals.patients });
      return outcome;
    }
    const mismatchesByKey = groupMismatches(mismatches.map(({ patient, mismatch }) => ({ key: patient.key, mismatch })));
    const inVault = new Set<string>();
    await storeSource(ctx, vault, source, scan, outcome, mismatchesByKey, task, inVault);
    if (!outcome.cancelled) await finishDisc(ctx, vault, outcome, task, inVault);
    ctx.log.info('imaging.imported', {
      added: outcome.instances.added,
      duplicates: outcome.instances.alreadyInVault,
      conflicts: outcome.instances.conflicts,
      failed: outcome.failed.length,
    });
    return outcome;
  } finally {
    await source.close();
  }
}

async function scanSource(source: DiscSource, task: Task): Promise<Scan> {
  const scan: Scan = { dicom: new Map(), reports: new Map(), dicomdir: null, entryPaths: [], softwareSkipped: 0, skipped: [], failed: [] };
  for await (const entry of source.entries()) {
    task.throwIfCancelled();
    scan.entryPaths.push(entry.path);
    task.report('looking at the disc', scan.entryPaths.length, null, 'files');
    try {
      const head = await entry.readHead(4096);
      const kind = classifyDiscFile(entry.path, head);
      if (kind.kind === 'skip-software') {
        scan.softwareSkipped += 1;
      } else if (kind.kind === 'report') {
        scan.reports.set(entry.path, { format: kind.format, size: entry.size });
      } else if (kind.kind === 'dicomdir') {
        scan.dicomdir = { path: entry.path, hint: await readDicomdirHint(entry) };
      } else if (!isDicom(head)) {
        scan.skipped.push({ path: entry.path, reason: 'Not a medical image or a report, so it was left out.' });
      } else {
        const parsed = await parseDicomHeader(entry);
        if (parsed.ok) scan.dicom.set(entry.path, { path: entry.path, size: entry.size, header: parsed.header });
        else scan.failed.push({ path: entry.path, reason: parsed.error.message });
      }
    } catch (error) {
      // One file that cannot be read (a damaged entry of an archive, say) fails on its own, as in the copy step;
      // it used to end the whole import with that one file's error.
      if (error instanceof AppError && error.code === 'CANCELLED') throw error;
      scan.failed.push({ path: entry.path, reason: error instanceof AppError ? error.message : 'This file could not be read from the disc.' });
    }
  }
  for (const problem of source.problems) scan.skipped.push({ path: problem.path, reason: problem.message });
  return scan;
}

function buildCatalog(scan: Scan) {
  const builder = new CatalogBuilder();
  for (const item of scan.dicom.values()) builder.add({ ref: item.path, header: item.header });
  return builder.build();
}

function emptyOutcome(source: DiscSource, scan: Scan, totals: { patients: number; studies: number; series: number }): DiscImportOutcome {
  const dicomdirMissing = scan.dicomdir ? matchDicomdirHint(scan.dicomdir.hint, scan.dicomdir.path, scan.entryPaths).missing.length : 0;
  return {
    heldBack: null,
    discId: null,
    sourceKind: source.kind,
    patients: totals.patients,
    studies: totals.studies,
    series: totals.series,
    instances: { added: 0, alreadyInVault: 0, conflicts: 0 },
    bytesStored: 0,
    documents: { added: 0, alreadyInVault: 0 },
    softwareSkipped: scan.softwareSkipped,
    skipped: [...scan.skipped],
    failed: [...scan.failed],
    unsupportedThumbnails: [],
    dicomdir: { present: scan.dicomdir !== null, missingFiles: dicomdirMissing },
    cancelled: false,
  };
}

function groupMismatches(items: { key: string; mismatch: ProfileMismatch }[]): Map<string, ProfileMismatch[]> {
  const byKey = new Map<string, ProfileMismatch[]>();
  for (const { key, mismatch } of items) byKey.set(key, [...(byKey.get(key) ?? []), mismatch]);
  return byKey;
}

async function storeSource(
  ctx: CoreContext,
  vault: Vault,
  source: DiscSource,
  scan: Scan,
  outcome: DiscImportOutcome,
  mismatches: Map<string, ProfileMismatch[]>,
  task: Task,
  inVault: Set<string>,
): Promise<void> {
  const discId = newId();
  let discRecorded = false;
  const pending: InstanceToInsert[] = [];
  const totalFiles = scan.dicom.size + scan.reports.size;
  const totalBytes = [...scan.dicom.values(), ...scan.reports.values()].reduce((sum, item) => sum + item.size, 0);
  let doneFiles = 0;
  let doneBytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const now = ctx.now();
    vault.db.transaction(() => {
      if (!discRecorded) insertDisc(vault.db, { id: discId, label: path.basename(source.location), sourceKind: source.kind, at: now });
      discRecorded = true;
      for (const item of pending) {
        vault.blobs.record(vault.db, { ...item.blob }, now);
        insertInstance(vault.db, item);
      }
    })();
    pending.length = 0;
  };

  for await (const entry of source.entries()) {
    if (task.signal.aborted) {
      outcome.cancelled = true;
      break;
    }
    const dicom = scan.dicom.get(entry.path);
    const report = scan.reports.get(entry.path);
    if (!dicom && !report) continue;
    doneFiles += 1;
    task.report(`copying file ${doneFiles} of ${totalFiles} into your vault`, doneBytes, totalBytes, 'bytes');
    doneBytes += entry.size;
    try {
      if (dicom) {
        const item = await storeInstance(vault, entry, dicom.header, discId, mismatches, outcome, inVault, pending);
        if (item) pending.push(item);
        if (pending.length >= BATCH) flush();
      } else if (report) {
        flush();
        await importReport(ctx, vault, entry, report.format, discId, outcome);
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') {
        outcome.cancelled = true;
        break;
      }
      outcome.failed.push({ path: entry.path, reason: error instanceof AppError ? error.message : 'This file could not be read from the disc.' });
    }
  }
  flush();
  task.report(`copied ${doneFiles} of ${totalFiles} files`, doneBytes, totalBytes, 'bytes');
  if (discRecorded) outcome.discId = discId;
}

async function storeInstance(
  vault: Vault,
  entry: SourceEntry,
  header: DicomInstanceHeader,
  discId: string,
  mismatches: Map<string, ProfileMismatch[]>,
  outcome: DiscImportOutcome,
  inVault: Set<string>,
  batch: readonly InstanceToInsert[],
): Promise<InstanceToInsert | null> {
  const head = new HeadKeeper(KEYS_HEAD_BYTES);
  const blob = await vault.blobs.put(head.watch(entry.open()));
  inVault.add(blob.id);
  // Also the batch not yet committed: the same file twice on one disc (under two names) is stored once; it used to
  // break the batch's insert (unique index) and with it the whole import.
  const inBatch = batch.some((item) => item.header.sopInstanceUid === header.sopInstanceUid && item.blob.sha256 === blob.sha256);
  if (inBatch || findInstance(vault.db, header.sopInstanceUid, blob.sha256)) {
    outcome.instances.alreadyInVault += 1;
    return null;
  }
  const conflict = uidKnown(vault.db, header.sopInstanceUid) || batch.some((item) => item.header.sopInstanceUid === header.sopInstanceUid);
  outcome.instances.added += 1;
  if (conflict) outcome.instances.conflicts += 1;
  outcome.bytesStored += blob.size;
  const patientMismatches = mismatches.get(patientKey(header.patient)) ?? [];
  const keys = await instanceKeysFromHead(head.bytes(), blob.size);
  return {
    header,
    blob,
    discId,
    sourcePath: entry.path,
    conflict,
    patientMismatches,
    patientConfirmed: patientMismatches.length > 0,
    mediaKeys: keys ? serializeInstanceKeys(keys) : null,
  };
}

/** Keeps the first bytes of a stream passing through (the header of an image on its way into the vault). */
class HeadKeeper {
  readonly #chunks: Buffer[] = [];
  #kept = 0;

  constructor(private readonly limit: number) {}

  async *watch(chunks: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      if (this.#kept < this.limit) {
        const part = Buffer.from(chunk.subarray(0, this.limit - this.#kept));
        this.#chunks.push(part);
        this.#kept += part.length;
      }
      yield chunk;
    }
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

async function importReport(
  ctx: CoreContext,
  vault: Vault,
  entry: SourceEntry,
  format: ReportFormat,
  discId: string,
  outcome: DiscImportOutcome,
): Promise<void> {
  if (entry.size > MAX_REPORT_BYTES) {
    outcome.skipped.push({ path: entry.path, reason: 'This report is too large to read.' });
    return;
  }
  const bytes = await entry.readHead(entry.size);
  const doc: DocumentToSave =
    format === 'pdf'
      ? { original: bytes, originalName: entry.path, kind: 'pdf', mimeType: 'application/pdf', ...(await pdfBytesToDocument(bytes)) }
      : { original: bytes, originalName: entry.path, kind: format === 'html' ? 'html' : 'text', mimeType: TEXT_MIME[format], pages: textReportToPages(bytes, format), thumbnail: null };
  countDocument(outcome, await saveDocument(ctx, vault, { ...doc, discId }));
}

function countDocument(outcome: DiscImportOutcome, saved: { status: 'imported' | 'duplicate' }): void {
  if (saved.status === 'imported') outcome.documents.added += 1;
  else outcome.documents.alreadyInVault += 1;
}

/**
 * Thumbnails for series that have none yet, and documents from DICOM PDFs and structured reports, for every instance
 * of this source now in the vault (`inVault`: blob ids) — also those an earlier import of the same source stored
 * before it was killed or cancelled, so that importing again completes what it left undone. Documents that already
 * exist count as already in the vault.
 */
async function finishDisc(ctx: CoreContext, vault: Vault, outcome: DiscImportOutcome, task: Task, inVault: ReadonlySet<string>): Promise<void> {
  if (inVault.size === 0) return;
  const db = vault.db;
  const blobIds = JSON.stringify([...inVault]);
  const pendingSeries = db
    .prepare(
      `SELECT DISTINCT s.uid FROM series s JOIN instances i ON i.series_uid = s.uid
       WHERE i.blob_id IN (SELECT value FROM json_each(?)) AND s.thumbnail_status = 'pending'`,
    )
    .all(blobIds) as { uid: string }[];
  for (const [index, { uid }] of pendingSeries.entries()) {
    task.throwIfCancelled();
    task.report('making pictures of each series', index, pendingSeries.length, 'steps');
    await makeSeriesThumbnail(ctx, vault, uid, outcome);
  }
  const documents = db
    .prepare(
      `SELECT i.blob_id AS blobId, i.kind, i.size, i.source_path AS sourcePath, se.study_uid AS studyUid, i.disc_id AS discId
       FROM instances i JOIN series se ON se.uid = i.series_uid
       WHERE i.blob_id IN (SELECT value FROM json_each(?)) AND i.kind IN ('encapsulated-pdf', 'structured-report')`,
    )
    .all(blobIds) as { blobId: string; kind: string; size: number; sourcePath: string; studyUid: string; discId: string }[];
  for (const item of documents) {
    task.throwIfCancelled();
    try {
      const bytes = await vault.blobs.readAll(item.blobId);
      countDocument(outcome, await saveDocument(ctx, vault, await dicomDocument(item, bytes, item.discId)));
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') throw error;
      outcome.failed.push({ path: item.sourcePath, reason: 'The report inside this imaging file could not be read. The file itself was kept.' });
    }
  }
}

async function dicomDocument(
  item: { kind: string; sourcePath: string; studyUid: string },
  bytes: Buffer,
  discId: string,
): Promise<DocumentToSave> {
  const base = { studyUid: item.studyUid, discId };
  if (item.kind === 'encapsulated-pdf') {
    const { pdf, title } = extractEncapsulatedPdf(bytes);
    const name = `${title ?? path.basename(item.sourcePath)}.pdf`;
    return { ...base, original: pdf, originalName: name, kind: 'pdf', mimeType: 'application/pdf', ...(await pdfBytesToDocument(pdf)) };
  }
  const text = structuredReportToText(bytes);
  return {
    ...base,
    // The readable text is the document; the DICOM original stays with its study.
    original: Buffer.from(text, 'utf8'),
    originalName: `${path.basename(item.sourcePath)} report.txt`,
    kind: 'dicom-sr',
    mimeType: 'text/plain',
    pages: [{ page: 1, text, source: 'text-layer', confidence: null }],
    thumbnail: null,
  };
}

async function makeSeriesThumbnail(ctx: CoreContext, vault: Vault, seriesUid: string, outcome: DiscImportOutcome): Promise<void> {
  const image = middleImage(vault.db, seriesUid);
  if (!image) {
    setThumbnail(vault.db, seriesUid, 'none', null);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of vault.blobs.openRange(image.blobId, 0, Math.min(image.size, THUMBNAIL_PREFIX_BYTES) - 1)) chunks.push(chunk as Buffer);
  const result = await renderThumbnail(Buffer.concat(chunks), { format: 'webp' });
  if (result.status === 'ok') {
    const blob = await vault.blobs.put(result.data);
    vault.db.transaction(() => {
      vault.blobs.record(vault.db, blob, ctx.now());
      setThumbnail(vault.db, seriesUid, 'ok', blob.id);
    })();
    return;
  }
  if (result.status === 'unsupported') {
    outcome.unsupportedThumbnails.push({ seriesUid, encoding: transferSyntaxName(result.transferSyntax) });
    setThumbnail(vault.db, seriesUid, 'unsupported', null);
    return;
  }
  setThumbnail(vault.db, seriesUid, 'none', null);
}
