/**
 * Export packet benchmark: a packet of ~1 GB of imaging (the synthetic disc, 2,000 × 512 KiB uncompressed CT) plus
 * ~300 pages of documents (100 three-page text PDFs), written as a folder, a zip and an ISO through the real core.
 * Reference in the same run: a plain decrypt-and-copy of the same stored files (each decrypted and written to its
 * own file, as cp would, without flushing), timed before and after the packets; the faster of the two is the
 * reference (the conservative choice). Every timed step starts after `sync`, so none pays for another's write-back.
 * The packet does more: it verifies every file's SHA-256 while copying, writes the generated files, flushes
 * everything to disk, and reads the whole packet back to check it. Seconds per progress phase show where time goes.
 * Also the PDF merge rate (pages/s) on its own.
 *
 *   npx tsx -e "import('./tests/bench/export.bench.ts').then(async (m) => console.log(await m.runExportBenchmark()))"
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../electron/core/core';
import { RecordsPdf } from '../../electron/core/export/records-pdf';
import { textPdf } from '../helpers/pdf';
import { makeSyntheticDisc } from './disc-fixture';
import { benchCore, benchDir, must, PASSPHRASE, PROFILE, round, settleDisk } from './helpers';

async function blobBytes(core: Core, id: string): Promise<Buffer> {
  const blob = await core.openBlob(id);
  if (!blob) throw new Error('blob missing');
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The reference: every stored file of the packet decrypted and written to its own file (like cp: not flushed). */
async function decryptAndCopy(core: Core, blobIds: string[], dir: string): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  let index = 0;
  for (const id of blobIds) {
    const blob = await core.openBlob(id);
    if (!blob) throw new Error('blob missing');
    const handle = await fs.promises.open(path.join(dir, String(index++)), 'wx');
    try {
      for await (const chunk of blob.stream) await handle.write(chunk as Buffer);
    } finally {
      await handle.close();
    }
  }
  return (performance.now() - started) / 1000;
}

/** Seconds spent in each progress phase of the tasks the core reports while `work` runs. */
async function phaseSeconds<T>(core: Core, work: () => Promise<T>): Promise<{ result: T; phases: Map<string, number> }> {
  const phases = new Map<string, number>();
  let phase = 'Preparing';
  let since = performance.now();
  const close = () => {
    const now = performance.now();
    phases.set(phase, (phases.get(phase) ?? 0) + (now - since) / 1000);
    since = now;
  };
  const off = core.onEvent((event) => {
    if (event.type !== 'progress' || event.phase === phase) return;
    close();
    phase = event.phase;
  });
  try {
    const result = await work();
    close();
    return { result, phases };
  } finally {
    off();
  }
}

async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  try {
    const result = await work();
    return { result, peakMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

function filler(seed: number, lines: number): string {
  const words = 'patient biopsy margin receptor estrogen positive negative lymph node carcinoma ductal grade stage oncology follow imaging'.split(' ');
  const out: string[] = [];
  for (let line = 0; line < lines; line += 1) {
    const row: string[] = [];
    for (let word = 0; word < 11; word += 1) row.push(words[(seed * 31 + line * 7 + word * 13) % words.length]!);
    out.push(row.join(' '));
  }
  return out.join('\n');
}

export async function runExportBenchmark(files = 2000, bytesPerFile = 512 * 1024, pdfs = 100): Promise<Record<string, number>> {
  const root = benchDir('export');
  try {
    const disc = await makeSyntheticDisc({ dir: path.join(root, 'disc'), files, bytesPerFile });
    const docs = path.join(root, 'docs');
    fs.mkdirSync(docs);
    for (let index = 0; index < pdfs; index += 1) {
      const pages = [0, 1, 2].map((page) => `REPORT ${index + 1}, page ${page + 1}\nDate of service: 0${1 + (index % 9)}/1${index % 10}/2024\n${filler(index * 3 + page, 38)}`);
      fs.writeFileSync(path.join(docs, `report-${String(index).padStart(3, '0')}.pdf`), await textPdf(pages));
    }

    const core = benchCore(path.join(root, 'app'), { fastKdf: true });
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    const imported = await must(core, 'documents.import', { paths: [docs] });
    if (imported.imported.length !== pdfs) throw new Error(`imported ${imported.imported.length} of ${pdfs} PDFs`);
    const discImport = await must(core, 'imaging.import', { path: path.join(root, 'disc'), acceptOtherPatient: true });
    if (discImport.instances.added !== files) throw new Error(`imported ${discImport.instances.added} of ${files} images`);

    const preview = await must(core, 'packets.preview', { documentIds: imported.imported.map((item) => item.documentId), studyUids: [] });
    const documentIds = preview.documents.map((document) => document.id);
    const studyUids = preview.studies.map((study) => study.uid);
    const selection = { documentIds, studyUids };

    // Blob ids of everything the packet copies, for the reference.
    const documentBlobs: string[] = [];
    for (const id of documentIds) documentBlobs.push((await must(core, 'documents.get', { id })).fileId);
    const instanceBlobs: string[] = [];
    const { patients } = await must(core, 'imaging.studies', {});
    for (const series of patients.flatMap((patient) => patient.studies.flatMap((study) => study.series))) {
      for (const instance of (await must(core, 'imaging.series', { uid: series.uid })).instances) instanceBlobs.push(instance.blobId);
    }
    // Warm the page cache for both (the import just wrote these files), then the reference.
    for (const id of [...documentBlobs, ...instanceBlobs]) await blobBytes(core, id);
    const reference = async () => {
      settleDisk();
      const seconds = await decryptAndCopy(core, [...documentBlobs, ...instanceBlobs], path.join(root, 'reference'));
      fs.rmSync(path.join(root, 'reference'), { recursive: true, force: true });
      return seconds;
    };
    const referenceBefore = await reference();
    const referenceBytes = disc.bytes + preview.documents.reduce((sum, document) => sum + document.bytes, 0);

    // PDF merge on its own: the documents decrypted first, then merged and stamped.
    const inputs = [];
    for (const [index, id] of documentIds.entries()) {
      const detail = await must(core, 'documents.get', { id });
      inputs.push({ label: `Document ${index + 1}`, kind: detail.kind, bytes: await blobBytes(core, detail.fileId), pageTexts: detail.pages.map((page) => page.text), originalPath: 'ORIGINAL/X.PDF' });
    }
    const mergeStarted = performance.now();
    const records = await RecordsPdf.create('Bench');
    for (const input of inputs) await records.add(input);
    const merged = await records.finish('Bench Marker · born 1970-01-01');
    const mergeSeconds = (performance.now() - mergeStarted) / 1000;

    const results: Record<string, number> = {
      'export source images': files,
      'export source MB': round(disc.bytes / 1e6, 1),
      'export documents': documentIds.length,
      'export records pages': records.pageCount,
      'export PDF merge pages/s': round(records.pageCount / mergeSeconds, 1),
      'export PDF merge MB': round(merged.length / 1e6, 2),
      'export RSS before builds MB': Math.round(process.memoryUsage().rss / 1e6),
    };
    const builds: Array<{ format: string; seconds: number; bytes: number }> = [];
    for (const format of ['folder', 'zip', 'iso'] as const) {
      const destination = path.join(root, 'out', format === 'folder' ? 'packet' : `packet.${format}`);
      settleDisk();
      const started = performance.now();
      const { result: { result, phases }, peakMb } = await peakRss(() =>
        phaseSeconds(core, () => must(core, 'packets.build', { ...selection, format, profile: format === 'iso' ? 'dvd' : 'cd', destination, taskId: randomUUID() })),
      );
      const seconds = (performance.now() - started) / 1000;
      for (const [phase, phaseSecondsTaken] of phases) results[`export ${format} · ${phase.toLowerCase()} s`] = round(phaseSecondsTaken);
      if (!result.check.ok) throw new Error(`${format}: check failed`);
      builds.push({ format, seconds, bytes: result.bytes });
      results[`export ${format} peak RSS MB`] = peakMb;
      fs.rmSync(destination, { recursive: true, force: true });
    }
    const referenceAfter = await reference();
    const referenceSeconds = Math.min(referenceBefore, referenceAfter);
    results['export reference decrypt+copy s'] = round(referenceSeconds);
    results['export reference decrypt+copy MB/s'] = round(referenceBytes / 1e6 / referenceSeconds, 1);
    results['export reference before / after s'] = round(referenceBefore / referenceAfter, 2);
    for (const { format, seconds, bytes } of builds) {
      results[`export ${format} s`] = round(seconds);
      results[`export ${format} MB/s`] = round(bytes / 1e6 / seconds, 1);
      results[`export ${format} / reference`] = round(referenceSeconds / seconds, 2);
    }
    await core.close();
    return results;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
