import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { insertDocument } from '../../electron/core/documents/store';
import { Vault } from '../../electron/core/vault/vault';
import { textPdf } from '../helpers/pdf';
import { benchCore, benchDir, must, PASSPHRASE, percentile, PROFILE, round } from './helpers';

const WORDS = (
  'patient tumor carcinoma ductal lobular margin biopsy specimen receptor estrogen progesterone positive negative ' +
  'lymph node sentinel axillary mastectomy lumpectomy chemotherapy radiation oncology consultation follow ' +
  'imaging mammogram ultrasound magnetic resonance contrast enhancement lesion benign malignant grade stage ' +
  'pathology hematology platelet hemoglobin creatinine medication tamoxifen letrozole trastuzumab genetic brca ' +
  'variant insurance authorization discharge operative procedure anesthesia recovery clinic appointment'
).split(' ');

const SYLLABLES = 'ba ce di fo gu ha je ki lo mu na pe ri so tu va we xi yo za bre cla dro fli gro pla sti tra'.split(' ');

/** A vocabulary like real reports': the medical words above plus ~6,000 other words, used with Zipf frequencies. */
const VOCABULARY = [...WORDS];
for (let index = 0; VOCABULARY.length < 6000; index += 1) {
  const a = SYLLABLES[index % SYLLABLES.length]!;
  const b = SYLLABLES[Math.floor(index / SYLLABLES.length) % SYLLABLES.length]!;
  const c = SYLLABLES[Math.floor(index / SYLLABLES.length ** 2) % SYLLABLES.length]!;
  VOCABULARY.push(`${a}${b}${c}`);
}

export function random(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Zipf(s≈1) rank sampling: a few words are everywhere, most are rare — as in real text. */
export function zipfWord(next: () => number): string {
  const rank = Math.floor(Math.exp(next() * Math.log(VOCABULARY.length)));
  return VOCABULARY[(rank - 1 + VOCABULARY.length) % VOCABULARY.length]!;
}

/** Pseudo-random but repeatable text of realistic length, vocabulary and line breaks. */
export function reportText(seed: number, words: number): string {
  const next = random(seed + 1);
  const out: string[] = [];
  for (let index = 0; index < words; index += 1) {
    out.push(next() < 0.05 ? String(Math.floor(next() * 1000)) : zipfWord(next));
    if (index % 14 === 13) out.push('\n');
  }
  return out.join(' ');
}

/** Import of 200 text PDFs (3 pages each) through the real pipeline: documents/s and MB/s. */
export async function runImportBenchmark(): Promise<Record<string, number>> {
  const root = benchDir('import');
  try {
    const source = path.join(root, 'pdfs');
    fs.mkdirSync(source);
    let bytes = 0;
    for (let index = 0; index < 200; index += 1) {
      const pages = [0, 1, 2].map((page) => reportText(index * 3 + page, 420).split('\n').slice(0, 40).join('\n'));
      const pdf = await textPdf(pages);
      bytes += pdf.length;
      fs.writeFileSync(path.join(source, `report-${String(index).padStart(3, '0')}.pdf`), pdf);
    }
    const core = benchCore(root, { fastKdf: true });
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    const started = performance.now();
    const outcome = await must(core, 'documents.import', { paths: [source] });
    const seconds = (performance.now() - started) / 1000;
    await core.close();
    if (outcome.imported.length !== 200) throw new Error(`imported ${outcome.imported.length} of 200`);
    return {
      'import 200 PDFs s': round(seconds),
      'import documents/s': round(200 / seconds, 1),
      'import MB/s': round(bytes / 1e6 / seconds, 2),
      'import source MB': round(bytes / 1e6, 1),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Search latency over 10,000 documents of ~3 KB text (the size of a typical report). Rows are inserted with the
 * store's own insertDocument (import of 10,000 PDFs would only measure PDF parsing); queries go through dispatch.
 */
export async function runSearchBenchmark(documents = 10_000): Promise<Record<string, number>> {
  const root = benchDir('search');
  try {
    const core = benchCore(root, { fastKdf: true });
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    // A second handle on the same vault is not needed: the vault is reachable through a tiny import, then rows are added.
    const seedFile = path.join(root, 'seed.pdf');
    fs.writeFileSync(seedFile, await textPdf(['seed document']));
    const { imported } = await must(core, 'documents.import', { paths: [seedFile] });
    const seed = await must(core, 'documents.get', { id: imported[0]!.documentId });
    await core.close();

    // Bulk rows go in through the vault's own store functions, on a directly opened vault; queries then go
    // through a fresh core and dispatch, as the UI's would.
    const vault = await Vault.unlockWithPassphrase(path.join(root, 'vault'), PASSPHRASE);
    const db = vault.db;
    const indexStarted = performance.now();
    const insertMany = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index += 1) {
        const text = reportText(index + 7, 450);
        insertDocument(db, {
          blobId: seed.fileId,
          sha256: createHash('sha256').update(`doc-${index}`).digest('hex'),
          originalName: `report-${index}.pdf`,
          kind: 'pdf',
          mimeType: 'application/pdf',
          size: text.length,
          pages: [{ page: 1, text, source: 'text-layer', confidence: null }],
          guesses: {
            type: { value: 'pathology', reason: null },
            serviceDate: { value: '2025-01-01', reason: null },
            facility: { value: null, reason: null },
            clinician: { value: null, reason: null },
            title: { value: `Report ${index}`, reason: null },
          },
          patientMismatches: [],
          thumbnailBlobId: null,
          importedAt: new Date(),
        });
      }
    });
    for (let from = 0; from < documents; from += 1000) insertMany(from, Math.min(documents, from + 1000));
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    vault.lock();
    const direct = benchCore(root, { fastKdf: true });
    await must(direct, 'vault.unlock', { passphrase: PASSPHRASE });

    const times: number[] = [];
    // Queries as people type them: one or two words, the last one often unfinished (prefix search).
    const next = random(99);
    for (let query = 0; query < 300; query += 1) {
      const first = zipfWord(next);
      const second = zipfWord(next);
      const text = query % 3 === 0 ? first : `${first} ${second.slice(0, Math.max(3, second.length - 2))}`;
      const started = performance.now();
      await must(direct, 'documents.search', { query: text });
      times.push(performance.now() - started);
    }
    await direct.close();
    return {
      'search documents': documents,
      'search index s': round(indexSeconds, 1),
      'search p50 ms': round(percentile(times, 50)),
      'search p95 ms': round(percentile(times, 95)),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
