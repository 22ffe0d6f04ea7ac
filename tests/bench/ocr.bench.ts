/**
 * OCR benchmark: one 300 dpi US-letter page (2550 × 3300 px, ~45 lines of report text), read by
 *  - tesseract.js (WebAssembly, one worker thread, the app's bundled English data), the engine alone;
 *  - the app's OCR service (pre-processing + tesseract.js + deskew), as imports use it;
 *  - the native `tesseract` CLI on the same image, in the same run: with Debian's model (all threads, and
 *    OMP_THREAD_LIMIT=1), and with the very model tesseract.js uses (single thread), so the ratio compares engines.
 * Target: tesseract.js within 2× of native. Prints seconds per page and the ratios; run it directly:
 *   npx tsx tests/bench/ocr.bench.ts
 * Needs the `tesseract` CLI (Debian: tesseract-ocr, tesseract-ocr-eng) for the native figures; without it only
 * the tesseract.js figures are printed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { createWorker, OEM } from 'tesseract.js';
import { createOcrService } from '../../electron/core/documents/analysis/ocr';
import { hasTool, renderTextImage } from '../fixtures/documents/generate';
import { SAMPLES } from '../fixtures/documents/texts';

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(run: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** A full page of report text at 300 dpi (10.5 pt type), like a scanned letter-size report. */
export async function makeBenchmarkPage(): Promise<Buffer> {
  const text = SAMPLES.filter((sample) => sample.type !== 'other')
    .flatMap((sample) => sample.text.split('\n'))
    .map((line) => line.slice(0, 88))
    .slice(0, 45)
    .join('\n');
  return renderTextImage(text, { width: 2550, height: 3300, fontSize: 44 });
}

function tesseractJsLangPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

function runNative(image: string, env: NodeJS.ProcessEnv, extra: string[] = []): void {
  const result = spawnSync('tesseract', [image, 'stdout', ...extra], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tesseract failed: ${result.stderr}`);
  if (!/pathology/i.test(result.stdout)) throw new Error('native tesseract did not read the page');
}

/** Runs the benchmark and returns the figures (seconds per page unless named otherwise). */
export async function runOcrBenchmark(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'so-ocr-bench-'));
  try {
    const page = await makeBenchmarkPage();
    const image = path.join(dir, 'page.png');
    fs.writeFileSync(image, page);
    const figures: Record<string, number> = {};

    // tesseract.js, the engine alone: one worker, started once.
    let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
    figures.tesseractJsInitSeconds = await time(async () => {
      worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath: tesseractJsLangPath(), gzip: true, cacheMethod: 'none' });
      await worker.setParameters({ debug_file: '/dev/null' });
    });
    const params: Record<string, string> = { user_defined_dpi: '300' }; // Tesseract parameters pass through
    const engines: Record<string, () => Promise<void> | void> = {
      tesseractJsSecondsPerPage: async () => {
        const { data } = await worker!.recognize(page, params);
        if (!/pathology/i.test(data.text)) throw new Error('tesseract.js did not read the page');
      },
    };
    const native = hasTool('tesseract');
    if (native) {
      // Same model as tesseract.js (tessdata 4.0.0) so only the engine differs.
      const tessdata = path.join(dir, 'tessdata');
      fs.mkdirSync(tessdata);
      fs.writeFileSync(
        path.join(tessdata, 'eng.traineddata'),
        zlib.gunzipSync(fs.readFileSync(path.join(tesseractJsLangPath(), 'eng.traineddata.gz'))),
      );
      engines.nativeSecondsPerPage = () => runNative(image, {});
      engines.nativeOneThreadSecondsPerPage = () => runNative(image, { OMP_THREAD_LIMIT: '1' });
      engines.nativeSameModelOneThreadSecondsPerPage = () =>
        runNative(image, { OMP_THREAD_LIMIT: '1' }, ['--tessdata-dir', tessdata, '--oem', '1', '--dpi', '300']);
    }
    // Interleaved rounds, so load from other processes on a shared machine hits every engine alike.
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
    for (let run = 0; run < RUNS; run += 1) {
      for (const [name, engine] of Object.entries(engines)) times[name]!.push(await time(engine));
    }
    await worker!.terminate();
    for (const [name, values] of Object.entries(times)) figures[name] = median(values);

    // The app's OCR service: pre-processing (EXIF, grey, median, normalise), deskew pass, recognition.
    const service = createOcrService();
    try {
      await service.recognize(page, { dpi: 300 }); // warm-up: worker start
      const serviceTimes: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        serviceTimes.push(await time(() => service.recognize(page, { dpi: 300 })));
      }
      figures.appOcrServiceSecondsPerPage = median(serviceTimes);
    } finally {
      await service.close();
    }

    if (native) {
      figures.ratioJsToNative = figures.tesseractJsSecondsPerPage! / figures.nativeSecondsPerPage!;
      figures.ratioJsToNativeOneThread = figures.tesseractJsSecondsPerPage! / figures.nativeOneThreadSecondsPerPage!;
      figures.ratioJsToNativeSameModel = figures.tesseractJsSecondsPerPage! / figures.nativeSameModelOneThreadSecondsPerPage!;
    }
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function print(figures: Record<string, number>): void {
  console.log('OCR of one 300 dpi US-letter page (2550 × 3300 px), median of %d runs:', RUNS);
  for (const [name, value] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(40)} ${name.startsWith('ratio') ? `${value.toFixed(2)}×` : `${value.toFixed(2)} s`}`);
  }
  if (figures.ratioJsToNative !== undefined) {
    const verdict = figures.ratioJsToNativeSameModel! <= 2 ? 'within' : 'NOT within';
    console.log(`  tesseract.js is ${verdict} 2× of native tesseract with the same model on one thread.`);
  } else {
    console.log('  native tesseract not installed: no comparison (apt-get install tesseract-ocr tesseract-ocr-eng).');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runOcrBenchmark().then(print, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
