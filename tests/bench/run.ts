/**
 * `npm run bench`: every benchmark, printing its figures (and, where an issue names a reference, the ratio to it
 * measured in the same run). Benchmarks never assert timings; compare ratios, not absolute times across runs
 * (see ../shared/limits.md). `npm run bench -- search unlock` runs a subset.
 */
import os from 'node:os';
import { runImportBenchmark, runSearchBenchmark } from './documents.bench';
import { runExportBenchmark } from './export.bench';
import { runDiscImportBenchmark, runDiscMemoryBenchmark } from './imaging.bench';
import { runOcrBenchmark } from './ocr.bench';
import { runStartupBenchmark } from './startup.bench';
import { runUnlockBenchmark } from './vault.bench';

const BENCHMARKS: Record<string, () => Promise<Record<string, number>>> = {
  unlock: runUnlockBenchmark,
  import: runImportBenchmark,
  search: () => runSearchBenchmark(),
  ocr: runOcrBenchmark,
  disc: () => runDiscImportBenchmark(),
  'disc-memory': () => runDiscMemoryBenchmark(),
  export: runExportBenchmark,
  startup: () => runStartupBenchmark(),
};

const wanted = process.argv.slice(2).filter((arg) => arg in BENCHMARKS);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHMARKS);
console.log(`Second Opinion benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
const results: Record<string, number> = {};
for (const name of names) {
  const started = performance.now();
  process.stdout.write(`\n## ${name}\n`);
  try {
    const figures = await BENCHMARKS[name]!();
    for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(36)} ${value}`);
    Object.assign(results, figures);
  } catch (error) {
    console.log(`FAILED: ${(error as Error).message}`);
    process.exitCode = 1;
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(`\n${JSON.stringify(results)}`);
