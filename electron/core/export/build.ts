import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import { DOCUMENT_TYPE_LABELS } from '../../../shared/contract/documents';
import type { PacketBuildResult, PacketFormat, PacketRequest } from '../../../shared/contract/export';
import { AppError, isAppError } from '../../../shared/errors';
import { PACKET_EXTENSIONS } from '../../../shared/files';
import type { CoreContext } from '../context';
import { toAppError } from '../errors';
import { transferSyntaxName } from '../imaging/dicom/uids';
import { listOpinions } from '../opinions/store';
import type { Task } from '../tasks/task';
import { readProfile } from '../vault/profile';
import type { Vault } from '../vault/vault';
import { coverPdf, type TocRow } from './cover-pdf';
import { parseInstanceKeys, readInstanceKeys } from './dicom-keys';
import { planFileSet, type FileSetStudy } from './dicom-fileset';
import { writeDicomdir } from './dicomdir-writer';
import { fhirBundle } from './fhir';
import { checkPacket, writePacket, type OpenFile } from './output';
import { memoryFile, originalName, sha256Hex, type PlanFile } from './plan';
import { RecordsPdf } from './records-pdf';
import { PROFILE_NAMES, resolvePacket, studyEncodings, throwFirstProblem, type SelectedDocument, type SelectedStudy } from './selection';
import { listCareTeam, listMedications, loggedRequest, logPacket, newId } from './store';
import { APP_NAME, indexHtml, readmeText, sha256Text } from './text-files';
import { assertOutsideVault } from '../platform/files';
import { forgetPendingOutput, notePendingOutput } from '../vault/pending-outputs';

export const APP_VERSION: string = packageJson.version;

/**
 * Our implementation class UID (PS3.7 D.3.3.2): a UUID-derived UID under 2.25, fixed for the app, written in every
 * DICOMDIR's meta header together with the version name.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.167395366574520178713632815931838862091';
const IMPLEMENTATION_VERSION = `SECONDOP_${APP_VERSION.replace(/[^0-9]/g, '_')}`.slice(0, 16);

export interface BuildInput extends PacketRequest {
  destination?: string;
  fromPacket?: string;
}

/** A new UID for each file set: 2.25 + a random 122-bit UUID as a decimal number (PS3.5 B.2). */
export function newUid(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString()}`;
}

/** File-set ID = ISO volume ID: 'SO_' + date and time, 16 characters of A–Z 0–9 _. */
export function filesetIdFor(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `SO_${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}`;
}

const localDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A logged packet's request with anything given now changed. */
export function mergeRequest(vault: Vault, input: BuildInput): PacketRequest {
  const { destination: _destination, fromPacket, ...given } = input;
  const defined = Object.fromEntries(Object.entries(given).filter(([key, value]) => value !== undefined && key !== 'taskId')) as PacketRequest;
  if (!fromPacket) return defined;
  return { ...loggedRequest(vault.db, fromPacket), ...defined };
}

function documentLabel(document: SelectedDocument): string {
  return [DOCUMENT_TYPE_LABELS[document.type], document.serviceDate ?? 'date not known', document.facility ?? 'facility not known'].join(' · ');
}

function damaged(what: string): AppError {
  return new AppError(
    'VAULT_DAMAGED',
    `The stored copy of ${what} is damaged or missing, so no packet was written. Restore the vault from a backup, or leave that item out of the packet and try again.`,
  );
}

/** Maps a failure to write the packet to a message about the destination. */
function destinationError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || code === 'EISDIR') {
    return new AppError('PERMISSION_DENIED', 'The packet cannot be written there: part of that path is a file, not a folder. Choose another place.');
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('PERMISSION_DENIED', 'The app is not allowed to write the packet there. Choose another place (for example a folder in your documents) or check the drive is not write-protected.');
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', 'The destination ran out of space while the packet was being written. Nothing was left behind; free some space or choose a larger drive and try again.');
  }
  return toAppError(error);
}

async function exists(target: string): Promise<boolean> {
  return fsp.lstat(target).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw destinationError(error);
    },
  );
}

async function isEmptyDirectory(target: string): Promise<boolean> {
  const stat = await fsp.lstat(target).catch(() => null);
  if (!stat?.isDirectory()) return false;
  return (await fsp.readdir(target)).length === 0;
}

/** Where the packet goes: the given path (which must not exist yet, or be an empty folder), else the exports folder. */
async function chooseDestination(ctx: CoreContext, given: string | undefined, format: PacketFormat, now: Date): Promise<string> {
  await assertOutsideVault(ctx.vaultDir, given ?? ctx.exportDir, 'A packet');
  if (given) {
    const target = path.resolve(given);
    if ((await exists(target)) && !(format === 'folder' && (await isEmptyDirectory(target)))) {
      throw new AppError('DESTINATION_NOT_EMPTY', 'Something with that name already exists there. Choose a new name for the packet so nothing gets overwritten.');
    }
    return target;
  }
  await fsp.mkdir(ctx.exportDir, { recursive: true }).catch((error: unknown) => {
    throw destinationError(error);
  });
  const base = `Second opinion packet ${localDay(now)}`;
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const candidate = path.join(ctx.exportDir, `${attempt === 1 ? base : `${base} (${attempt})`}${PACKET_EXTENSIONS[format]}`);
    if (!(await exists(candidate))) return candidate;
  }
  throw new AppError('DESTINATION_NOT_EMPTY', 'Too many packets with that name already exist there. Choose another place.');
}

/** Makes the packet's final name appear only once it is complete; never overwrites anything. */
async function publish(temp: string, destination: string, format: PacketFormat): Promise<void> {
  if (format === 'folder') {
    if (await isEmptyDirectory(destination)) await fsp.rmdir(destination);
    else if (await exists(destination)) throw new AppError('DESTINATION_NOT_EMPTY', 'Something with that name appeared there while the packet was being written. Nothing was overwritten.');
    await fsp.rename(temp, destination);
  } else {
    try {
      await fsp.link(temp, destination); // fails if the name is taken: no overwrite, even in a race
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('DESTINATION_NOT_EMPTY', 'Something with that name appeared there while the packet was being written. Nothing was overwritten.');
      }
      throw error;
    }
    await fsp.rm(temp, { force: true });
  }
  const dir = await fsp.open(path.dirname(destination), 'r').catch(() => null);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

/** Decrypts a stored file, checking it against its recorded SHA-256; damage or absence names the item. */
async function readVerified(vault: Vault, blobId: string, sha256: string, what: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await vault.blobs.readAll(blobId);
  } catch (error) {
    if (isAppError(error) && (error.code === 'VAULT_DAMAGED' || error.code === 'NOT_FOUND' || error.code === 'INTERNAL')) throw damaged(what);
    throw error;
  }
  if (sha256Hex(bytes) !== sha256) throw damaged(what);
  return bytes;
}

/** Stored files up to this size are decrypted ahead of the writer, a few at a time; larger ones stream. */
const READ_AHEAD_MAX_FILE = 8 * 1024 * 1024;
const READ_AHEAD_FILES = 8;

/**
 * Opens stored files for the writer, in plan order, decrypting the next few small ones ahead of it (per-file
 * overhead — open, key derivation, first read — then overlaps with writing). Decryption authenticates every byte
 * (AES-GCM), and each file's size is checked here; its SHA-256 is compared with the catalogue once, when the written
 * packet is read back (`checkPacket`; a difference is then traced to the vault or the drive by `blameVault`).
 * Damage or absence throws an AppError naming the item.
 */
function storedFiles(vault: Vault, files: PlanFile[], task: Task, onBytes: (n: number) => void): OpenFile {
  const order = files.filter((file) => file.source.kind === 'blob');
  const ahead = new Map<PlanFile, Promise<Buffer>>();
  let next = 0;
  const refill = () => {
    while (ahead.size < READ_AHEAD_FILES && next < order.length) {
      const file = order[next++]!;
      if (file.size > READ_AHEAD_MAX_FILE || file.source.kind !== 'blob') continue;
      const pending = vault.blobs.readAll(file.source.blobId);
      pending.catch(() => undefined); // handled when the writer reaches it; never an unhandled rejection
      ahead.set(file, pending);
    }
  };
  const fail = (error: unknown, what: string): never => {
    if (isAppError(error) && (error.code === 'VAULT_DAMAGED' || error.code === 'NOT_FOUND' || error.code === 'INTERNAL')) throw damaged(what);
    throw error;
  };
  return async function* open(file) {
    if (file.source.kind !== 'blob') throw new Error('not a stored file');
    const what = file.source.what;
    refill();
    let size = 0;
    const prefetched = ahead.get(file);
    if (prefetched) {
      ahead.delete(file);
      let bytes: Buffer;
      try {
        bytes = await prefetched;
      } catch (error) {
        return fail(error, what);
      }
      refill();
      if (bytes.length !== file.size) throw damaged(what);
      for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) {
        task.throwIfCancelled();
        const slice = bytes.subarray(offset, offset + 1024 * 1024);
        onBytes(slice.length);
        yield slice;
      }
      return;
    }
    try {
      for await (const chunk of vault.blobs.openRange(file.source.blobId)) {
        task.throwIfCancelled();
        const buffer = chunk as Buffer;
        size += buffer.length;
        onBytes(buffer.length);
        yield buffer;
      }
    } catch (error) {
      fail(error, what);
    }
    if (size !== file.size) throw damaged(what);
  };
}

/**
 * After the read-back found files whose content differs from the plan: a stored file that no longer matches its
 * recorded SHA-256 is named (the vault is at fault, not the drive); otherwise nothing is thrown.
 */
async function blameVault(vault: Vault, files: PlanFile[], differing: readonly string[]): Promise<void> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const path of differing) {
    const file = byPath.get(path);
    if (file?.source.kind !== 'blob') continue;
    if ((await vault.blobs.verify(file.source.blobId, file.sha256)) !== null) throw damaged(file.source.what);
  }
}

/** Runs `work` over items with at most `limit` at a time; results in input order. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (next < items.length && failed === null) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== null) throw failed;
  return results;
}

async function readHeadOf(vault: Vault, blobId: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of vault.blobs.openRange(blobId, 0, Math.max(0, bytes - 1))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface PreparedDocument {
  document: SelectedDocument;
  original: string;
  sha1Base64: string;
  firstPage: number;
  pages: number;
}

export async function buildPacket(ctx: CoreContext, vault: Vault, input: BuildInput, task: Task): Promise<PacketBuildResult> {
  const db = vault.db;
  const request = mergeRequest(vault, input);
  const resolution = resolvePacket(db, request);
  throwFirstProblem(resolution);
  const { documents, studies, format } = resolution;
  const now = ctx.now();
  const createdOn = localDay(now);
  const profile = readProfile(db);
  const recipient = request.recipient ?? {};
  const medications = request.includeMedications === false ? [] : listMedications(db).filter((m) => m.current);
  const careTeam = request.includeCareTeam === false ? [] : listCareTeam(db);
  const questions = request.questions ?? [];
  const filesetId = filesetIdFor(now);
  const filesetUid = newUid();

  const destination = await chooseDestination(ctx, input.destination, format, now);
  const parent = path.dirname(destination);
  await fsp.mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw destinationError(error);
  });
  const temp = path.join(parent, `.${path.basename(destination)}.${randomBytes(6).toString('hex')}.part`);
  // Noted before the first byte, so a crash's leftover is removed at the next unlock (vault/pending-outputs.ts).
  notePendingOutput(db, temp, now);
  // Fail early when the destination is not writable, before minutes of work.
  await fsp.mkdir(temp).catch((error: unknown) => {
    forgetPendingOutput(db, temp);
    throw destinationError(error);
  });
  await fsp.rmdir(temp);

  try {
    const steps = documents.length + studies.reduce((sum, study) => sum + study.series.reduce((n, series) => n + series.instances.length, 0), 0);
    let step = 0;
    const stepDone = (phase: string) => {
      step += 1;
      task.report(phase, step, steps, 'files');
    };

    // 1. Documents: each decrypted and verified once, merged into RECORDS.PDF, then dropped from memory.
    const records = await RecordsPdf.create(`Medical records of ${profile.fullName}`);
    const prepared: PreparedDocument[] = [];
    for (const [index, document] of documents.entries()) {
      task.throwIfCancelled();
      const what = `document ${index + 1} of the packet (${DOCUMENT_TYPE_LABELS[document.type]}, id ${document.id})`;
      const bytes = await readVerified(vault, document.blobId, document.sha256, what);
      const original = `ORIGINAL/${originalName(index, documents.length, document.type, document.kind)}`;
      const pageTexts = (db.prepare('SELECT text FROM document_pages WHERE document_id = ? ORDER BY page').all(document.id) as { text: string }[]).map((row) => row.text);
      const entry = await records.add({ label: documentLabel(document), kind: document.kind, bytes, pageTexts, originalPath: original });
      prepared.push({
        document,
        original,
        sha1Base64: createHash('sha1').update(bytes).digest('base64'),
        firstPage: entry.firstPage,
        pages: entry.pages,
      });
      stepDone('Merging the records');
    }
    const recordsBytes = documents.length > 0 ? Buffer.from(await records.finish(`${profile.fullName} · born ${profile.birthDate}`)) : null;
    const recordsPages = documents.length > 0 ? records.pageCount : 0;

    // 2. Imaging: every instance's DICOMDIR keys, kept in the catalogue at import (else read from its stored header).
    const storedKeys = db.prepare('SELECT media_keys AS keys FROM instances WHERE id = ?');
    const flat = studies.flatMap((study, studyIndex) =>
      study.series.flatMap((series, seriesIndex) =>
        series.instances.map((instance, instanceIndex) => ({
          instance,
          what: `image ${instanceIndex + 1} of series ${seriesIndex + 1} of study ${studyIndex + 1} in the packet`,
        })),
      ),
    );
    const keysList = await inPool(flat, 8, async ({ instance, what }) => {
      task.throwIfCancelled();
      const kept = parseInstanceKeys((storedKeys.get(instance.id) as { keys: string | null } | undefined)?.keys ?? null);
      if (kept) {
        stepDone('Reading the imaging');
        return kept;
      }
      try {
        const keys = await readInstanceKeys(instance.size, (n) => readHeadOf(vault, instance.blobId, n));
        stepDone('Reading the imaging');
        return keys;
      } catch (error) {
        if (isAppError(error) && (error.code === 'VAULT_DAMAGED' || error.code === 'NOT_FOUND')) throw damaged(what);
        if (isAppError(error) && error.code === 'INVALID_INPUT') {
          throw new AppError('INVALID_INPUT', `${error.message} (${what}.) Leave that study out of the packet; the original disc can go with it instead.`);
        }
        throw error;
      }
    });
    let cursor = 0;
    const fileSetStudies: FileSetStudy[] = studies.map((study, studyIndex) => ({
      number: studyIndex + 1,
      series: study.series.map((series) => ({
        instances: series.instances.map((instance) => ({ blobId: instance.blobId, size: instance.size, sha256: instance.sha256, keys: keysList[cursor++]! })),
      })),
    }));
    const fileSet = studies.length > 0 ? planFileSet(fileSetStudies) : null;
    const dicomdir = fileSet
      ? writeDicomdir({ filesetId, filesetUid, implementationClassUid: IMPLEMENTATION_CLASS_UID, implementationVersionName: IMPLEMENTATION_VERSION, roots: fileSet.roots })
      : null;

    // 3. The generated files.
    const profileInfo = resolution.profile && resolution.family ? PROFILE_NAMES[resolution.profile][resolution.family] : null;
    const encodings = new Map<string, number>();
    for (const study of studies) for (const [ts, count] of studyEncodings(study)) encodings.set(ts, (encodings.get(ts) ?? 0) + count);
    const instanceCount = [...encodings.values()].reduce((a, b) => a + b, 0);
    const imagingLine = studies.length > 0
      ? `${studies.length} stud${studies.length === 1 ? 'y' : 'ies'} (${instanceCount} DICOM objects, media profile ${profileInfo?.name}) in the DICOM folder, indexed by DICOMDIR`
      : null;

    const fixedRows = (coverPages: number): TocRow[] => [
      { where: 'COVER.PDF', what: 'This cover letter and summary', date: createdOn, pages: coverPages > 1 ? `1–${coverPages}` : '1' },
      ...prepared.map((item) => ({
        where: `RECORDS.PDF · ${item.original}`,
        what: `${DOCUMENT_TYPE_LABELS[item.document.type]}: ${item.document.title}${item.document.facility ? ` (${item.document.facility})` : ''}`,
        date: item.document.serviceDate ?? '—',
        pages: item.pages > 1 ? `${item.firstPage}–${item.firstPage + item.pages - 1}` : String(item.firstPage),
      })),
      ...studies.map((study, index) => ({
        where: `DICOM/P…/S… (DICOMDIR)`,
        what: `Imaging study ${index + 1}: ${study.description ?? 'no description'}${study.institution ? ` (${study.institution})` : ''} — ${[...new Set(study.series.map((s) => s.modality).filter(Boolean))].join(', ') || 'images'}, ${study.series.reduce((n, s) => n + s.instances.length, 0)} objects`,
        date: study.date ?? '—',
        pages: '—',
      })),
      { where: 'INDEX.HTM · README.TXT', what: 'A plain list of the contents; how the packet is organised', date: createdOn, pages: '—' },
      { where: 'FHIR.JSN', what: 'The same contents as a FHIR R4 bundle', date: createdOn, pages: '—' },
      { where: 'MANIFEST.JSN · SHA256.TXT', what: 'Every file with its size and SHA-256', date: createdOn, pages: '—' },
    ];
    const opinions = listOpinions(db, 'exclude');
    const coverInput = { profile, recipient, createdOn, opinions, medications, careTeam, questions, imagingLine };
    let cover = await coverPdf({ ...coverInput, toc: fixedRows(1) });
    if (cover.pages !== 1) cover = await coverPdf({ ...coverInput, toc: fixedRows(cover.pages) });

    const fhir = fhirBundle({
      profile,
      createdAt: now,
      documents: prepared.map((item) => ({
        id: item.document.id,
        title: item.document.title,
        type: item.document.type,
        serviceDate: item.document.serviceDate,
        facility: item.document.facility,
        clinician: item.document.clinician,
        mimeType: item.document.mimeType,
        size: item.document.size,
        sha256: item.document.sha256,
        sha1Base64: item.sha1Base64,
        path: item.original,
        recordsPages: [item.firstPage, item.firstPage + item.pages - 1],
      })),
      studies: studies.map((study) => fhirStudy(study)),
      medications,
      careTeam,
    });

    const files: PlanFile[] = [];
    files.push(
      memoryFile(
        'README.TXT',
        readmeText({
          appVersion: APP_VERSION,
          createdOn,
          filesetId: fileSet ? filesetId : null,
          profileName: profileInfo?.name ?? null,
          profileDescription: profileInfo?.description ?? null,
          encodings: [...encodings].map(([uid, instances]) => ({ uid, name: transferSyntaxName(uid), instances })),
          studies: studies.length,
          instances: instanceCount,
          documents: documents.length,
          notes: [
            ...(fileSet?.notes ?? []),
            ...studies.filter((s) => s.duplicates > 0).map((s) => `A study held ${s.duplicates} extra cop${s.duplicates === 1 ? 'y' : 'ies'} of an image with the same UID but different content; only the first copy received is included.`),
          ],
          hasOriginals: documents.length > 0,
        }),
        true,
      ),
    );
    files.push(memoryFile('COVER.PDF', cover.bytes));
    if (recordsBytes) files.push(memoryFile('RECORDS.PDF', recordsBytes));
    files.push(
      memoryFile(
        'INDEX.HTM',
        indexHtml({
          profile,
          recipient,
          createdOn,
          profileName: profileInfo?.name ?? null,
          documents: prepared.map((item) => ({
            label: documentLabel(item.document),
            type: item.document.type,
            date: item.document.serviceDate,
            facility: item.document.facility,
            title: item.document.title,
            pages: item.pages > 1 ? `${item.firstPage}–${item.firstPage + item.pages - 1}` : String(item.firstPage),
            original: item.original,
          })),
          studies: studies.map((study) => ({
            date: study.date,
            description: study.description,
            modalities: [...new Set(study.series.map((s) => s.modality).filter((m): m is string => Boolean(m)))],
            instances: study.series.reduce((n, s) => n + s.instances.length, 0),
            institution: study.institution,
          })),
        }),
        true,
      ),
    );
    files.push(memoryFile('FHIR.JSN', Buffer.from(`${JSON.stringify(fhir, null, 2)}\n`, 'utf8'), true));
    if (dicomdir) files.push(memoryFile('DICOMDIR', dicomdir, true));
    for (const item of prepared) {
      files.push({
        path: item.original,
        size: item.document.size,
        sha256: item.document.sha256,
        source: { kind: 'blob', blobId: item.document.blobId, what: `document ${prepared.indexOf(item) + 1} of the packet (${DOCUMENT_TYPE_LABELS[item.document.type]}, id ${item.document.id})` },
      });
    }
    for (const file of fileSet?.files ?? []) {
      files.push({ path: file.path, size: file.size, sha256: file.sha256, source: { kind: 'blob', blobId: file.blobId, what: `${file.label} in the packet` } });
    }
    const manifest = {
      format: 'second-opinion-packet',
      version: 1,
      createdAt: now.toISOString(),
      app: { name: APP_NAME, version: APP_VERSION },
      patient: { name: profile.fullName, birthDate: profile.birthDate },
      recipient,
      imaging: fileSet
        ? { filesetId, filesetUid, profile: profileInfo?.name ?? null, studies: studies.map((study) => study.uid), instances: instanceCount }
        : null,
      documents: prepared.map((item) => ({
        id: item.document.id,
        file: item.original,
        type: item.document.type,
        title: item.document.title,
        serviceDate: item.document.serviceDate,
        facility: item.document.facility,
        recordsPages: [item.firstPage, item.firstPage + item.pages - 1],
        sha256: item.document.sha256,
      })),
      files: files.map((file) => ({ path: file.path, size: file.size, sha256: file.sha256 })),
    };
    const manifestFile = memoryFile('MANIFEST.JSN', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), true);
    files.push(manifestFile);
    files.push(memoryFile('SHA256.TXT', sha256Text(files), true));

    // 4. Write, streaming stored files (decrypted and verified on the way), then read it all back.
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    let written = 0;
    const openStored = storedFiles(vault, files, task, (n) => {
      written += n;
      task.report('Writing the packet', written, totalBytes, 'bytes');
    });
    await writePacket({
      format,
      target: temp,
      files,
      open: openStored,
      volumeId: filesetId,
      date: now,
      application: APP_NAME,
    });
    task.throwIfCancelled();
    const check = await checkPacket(temp, files, (bytes) => task.report('Checking the packet', bytes, totalBytes, 'bytes'), task.signal);
    task.throwIfCancelled();
    if (!check.ok) {
      await blameVault(vault, files, check.differing);
      ctx.log.error('export.check-failed', { problems: check.problems.length });
      throw new AppError('IO_ERROR', 'The packet did not read back exactly as written, so it was removed. Check the drive and try again.');
    }

    // 5. Only now does the packet get its name, and the log its entry.
    await publish(temp, destination, format);
    const stat = await fsp.stat(destination);
    const bytes = format === 'folder' ? totalBytes : stat.size;
    const packetId = newId();
    const manifestSha256 = manifestFile.sha256;
    const record = db.transaction((entry: Parameters<typeof logPacket>[1]) => {
      logPacket(db, entry);
      forgetPendingOutput(db, temp);
    });
    record({
      id: packetId,
      at: now,
      request: { ...request, format, ...(resolution.profile ? { profile: resolution.profile } : {}) },
      format,
      profile: studies.length > 0 ? resolution.profile : null,
      path: destination,
      filesetId,
      documentIds: documents.map((document) => document.id),
      studyUids: studies.map((study) => study.uid),
      files: files.length,
      bytes,
      manifestSha256,
    });
    return {
      packetId,
      path: destination,
      format,
      profile: studies.length > 0 ? resolution.profile : null,
      profileName: studies.length > 0 ? (profileInfo?.name ?? null) : null,
      filesetId,
      files: files.length,
      bytes,
      manifestSha256,
      documents: documents.length,
      studies: studies.length,
      instances: instanceCount,
      coverPages: cover.pages,
      recordsPages,
      check: { ok: check.ok, files: check.files, bytes: check.bytes, problems: check.problems },
    };
  } catch (error) {
    const removed = await fsp.rm(temp, { recursive: true, force: true }).then(() => true, () => false);
    if (removed) forgetPendingOutput(db, temp);
    throw destinationError(error);
  }
}

function fhirStudy(study: SelectedStudy) {
  return {
    uid: study.uid,
    date: study.date,
    time: study.time,
    description: study.description,
    institution: study.institution,
    series: study.series.map((series) => ({
      uid: series.uid,
      number: series.number,
      modality: series.modality,
      description: series.description,
      instances: series.instances.map((instance) => ({ uid: instance.sopInstanceUid, sopClassUid: instance.sopClassUid, number: instance.instanceNumber })),
    })),
  };
}
