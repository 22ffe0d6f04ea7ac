import fs from 'node:fs';
import path from 'node:path';
import { Vault } from '../../electron/core/vault/vault';
import { makeSyntheticDisc } from './disc-fixture';
import { benchCore, benchDir, must, PASSPHRASE, round } from './helpers';

const PROFILE = { fullName: 'Bench Marker', birthDate: '1970-01-01' };

/** Samples the process's resident memory while `work` runs; returns the peak in MB. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  try {
    const result = await work();
    return { result, peakMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The physical limit of this machine for the same job: read each file, hash, encrypt and write it durably with
 * the vault's own blob store, and insert one row per file in 64-row transactions. No DICOM parsing, no catalogue.
 */
async function referencePipeline(root: string, disc: string, files: string[]): Promise<number> {
  const vaultDir = path.join(root, 'reference-vault');
  const { vault } = await Vault.create(vaultDir, { profile: PROFILE, passphrase: PASSPHRASE, kdf: { memoryKiB: 1024, passes: 1, parallelism: 1 } });
  const started = performance.now();
  const pending: Awaited<ReturnType<typeof vault.blobs.put>>[] = [];
  const flush = () => {
    vault.db.transaction(() => {
      for (const info of pending) vault.blobs.record(vault.db, info);
    })();
    pending.length = 0;
  };
  for (const file of files) {
    pending.push(await vault.blobs.put(path.join(disc, file)));
    if (pending.length >= 64) flush();
  }
  flush();
  const seconds = (performance.now() - started) / 1000;
  vault.lock();
  return seconds;
}

/** Import of a synthetic 2,000-file (~1 GB) disc from a folder and from an ISO, beside the reference pipeline. */
export async function runDiscImportBenchmark(files = 2000, bytesPerFile = 512 * 1024): Promise<Record<string, number>> {
  const root = benchDir('disc');
  try {
    const discDir = path.join(root, 'disc');
    const iso = path.join(root, 'disc.iso');
    const disc = await makeSyntheticDisc({ dir: discDir, files, bytesPerFile, iso });
    const mb = disc.bytes / 1e6;

    const referenceSeconds = await referencePipeline(root, discDir, disc.paths);

    const results: Record<string, number> = { 'disc files': disc.files, 'disc MB': round(mb, 1) };
    for (const [label, source] of [['folder', discDir], ['iso', iso]] as const) {
      const core = benchCore(path.join(root, label), { fastKdf: true });
      await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
      const started = performance.now();
      const { result, peakMb } = await peakRss(() => must(core, 'imaging.import', { path: source, acceptOtherPatient: true }));
      const seconds = (performance.now() - started) / 1000;
      await core.close();
      if (result.instances.added !== disc.files) throw new Error(`${label}: imported ${result.instances.added} of ${disc.files}`);
      results[`import from ${label} s`] = round(seconds);
      results[`import from ${label} MB/s`] = round(mb / seconds, 1);
      results[`import from ${label} files/s`] = round(disc.files / seconds, 1);
      results[`import from ${label} / reference`] = round(referenceSeconds / seconds, 2);
      results[`import from ${label} peak RSS MB`] = peakMb;
    }
    results['reference MB/s'] = round(mb / referenceSeconds, 1);
    results['reference files/s'] = round(disc.files / referenceSeconds, 1);
    return results;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Memory during a 2 GB disc import (4,000 × 512 KiB, from a folder as a mounted disc is read): resident memory is
 * sampled every 25 ms; streaming one file at a time keeps the peak flat however large the disc.
 */
export async function runDiscMemoryBenchmark(files = 4000, bytesPerFile = 512 * 1024): Promise<Record<string, number>> {
  const root = benchDir('disc-memory');
  try {
    const discDir = path.join(root, 'disc');
    const disc = await makeSyntheticDisc({ dir: discDir, files, bytesPerFile });
    const core = benchCore(path.join(root, 'app'), { fastKdf: true });
    await must(core, 'vault.create', { profile: PROFILE, passphrase: PASSPHRASE });
    const rssBefore = Math.round(process.memoryUsage().rss / 1e6);
    const started = performance.now();
    const { result, peakMb } = await peakRss(() => must(core, 'imaging.import', { path: discDir, acceptOtherPatient: true }));
    const seconds = (performance.now() - started) / 1000;
    await core.close();
    if (result.instances.added !== disc.files) throw new Error(`imported ${result.instances.added} of ${disc.files}`);
    return {
      'large disc MB': round(disc.bytes / 1e6, 0),
      'large disc files': disc.files,
      'large disc import s': round(seconds, 1),
      'large disc import MB/s': round(disc.bytes / 1e6 / seconds, 1),
      'large disc RSS before MB': rssBefore,
      'large disc peak RSS MB': peakMb,
      'large disc peak RSS growth MB': peakMb - rssBefore,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
