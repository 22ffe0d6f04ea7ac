import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { AppError } from '../../../../shared/errors';
import { throwIfAborted } from './errors';
import { checkedSharp, imageError, type ImageSource } from './images';

/**
 * OCR over tesseract.js (WebAssembly Tesseract in worker threads), English data from the
 * `@tesseract.js-data/eng` package — nothing is downloaded, nothing is cached on disk.
 *
 * Workers are created lazily, reused across pages and documents (start-up costs ~0.5 s: loading ~11 MB of
 * language data), and terminated by `close()`. Cancelling a page terminates the worker that was reading it
 * (tesseract.js cannot interrupt a job otherwise); the next page starts a fresh one.
 *
 * Orientation: Tesseract's orientation detector needs osd.traineddata, which is not shipped. Instead, when a
 * page reads with low confidence (< 70), it is read again turned. Which turns are tried comes from the ink's
 * row/column profile: lines running across the page → only upside down (180°); lines running down it → the
 * two sideways turns, the likelier first (left-aligned lines put more ink where they start). Tries stop at the
 * first good reading (≥ 80). Pictures up to 1600 px are re-read whole: a sideways photo costs 2–3 readings,
 * a poor upright scan 2. Larger pictures probe the turns on a copy reduced to 1600 px (≈ 1/4 of a full
 * reading each) and are read whole once more only when a turn is clearly better: ≈ 1.5–2.5× one reading.
 * Only pages that read poorly the first time pay any of this. Small skew (a page a few degrees off on the
 * scanner glass) is corrected by Tesseract itself (`rotateAuto`: one extra line-finding pass, ~5–10% of a
 * page's time).
 */

export type Rotation = 0 | 90 | 180 | 270;

export interface OcrResult {
  text: string;
  /** Tesseract's mean word confidence, 0–100 (0 for a blank page). */
  confidence: number;
  /** Degrees clockwise the page was turned to read it. */
  rotation: Rotation;
  /** Small-angle skew Tesseract corrected, in degrees (0 when none). */
  skewDegrees: number;
  /** How many recognitions it took (0 for a blank page, up to 4 with orientation tries). */
  attempts: number;
}

export interface OcrServiceOptions {
  /** Folder holding eng.traineddata.gz (default: the installed @tesseract.js-data/eng package). */
  langPath?: string;
  /** Worker threads at most (default 1: each holds ~100–150 MB). Extra ones start only when calls overlap. */
  maxWorkers?: number;
  /** Below this confidence the other orientations are tried (default 70). */
  orientationThreshold?: number;
  /** Stop trying orientations once a reading reaches this confidence (default 80). */
  goodConfidence?: number;
  /** Try 90/180/270° when a page reads poorly (default true). */
  tryRotations?: boolean;
  /** Let Tesseract correct small skew (default true). */
  deskew?: boolean;
}

export interface RecognizeOptions {
  signal?: AbortSignal;
  /** Resolution of the image when known (rendered PDF pages), so Tesseract need not guess. */
  dpi?: number;
}

export interface OcrPageProgress {
  /** 1-based page just finished. */
  page: number;
  /** Total pages when known. */
  pageCount?: number;
  result: OcrResult;
}

/** Images whose longest side is above this are scaled down for OCR (≈ A3 at 300 dpi). */
const MAX_OCR_SIDE = 5000;
/** Images whose longest side is below this are scaled up (small text reads badly). */
const MIN_OCR_SIDE = 1400;
/** Pictures larger than this (longest side) find their orientation on a reduced copy. */
const PROBE_SIDE = 1600;
/** Below this share of dark pixels a page is treated as blank and not read. */
const BLANK_INK_SHARE = 0.0005;

export interface PreparedImage {
  png: Buffer;
  width: number;
  height: number;
  /** Share of dark pixels, 0–1. */
  ink: number;
  /** Whether text lines look vertical (the page is probably on its side). */
  looksSideways: boolean;
  /** More ink in the top half than the bottom (sideways pages: turned 90° clockwise). */
  linesStartAtTop: boolean;
}

/**
 * Pre-processing for OCR: refuses oversized images before decoding, applies EXIF orientation, converts to grey,
 * stretches contrast, and scales into a size Tesseract reads well. Accepts an encoded image (Buffer) or a page
 * of a picture file.
 */
export async function prepareForOcr(image: Buffer | ImageSource): Promise<PreparedImage> {
  const source: ImageSource = Buffer.isBuffer(image) ? { input: image } : image;
  // A 3×3 median removes scanner speckle and JPEG grain without eroding strokes at scanning resolutions.
  const oriented = (await checkedSharp(source))
    .flatten({ background: '#ffffff' }) // transparent PNG backgrounds must read as paper, not ink
    .toColourspace('b-w')
    .median(3)
    .normalise();
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await oriented.raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw imageError(error);
  }
  const { data, info } = decoded;
  if (info.channels !== 1) throw new AppError('INTERNAL'); // toColourspace('b-w') guarantees one channel
  const longest = Math.max(info.width, info.height);
  let scale = 1;
  if (longest > MAX_OCR_SIDE) scale = MAX_OCR_SIDE / longest;
  else if (longest < MIN_OCR_SIDE) scale = Math.min(3, MIN_OCR_SIDE / longest);
  const raw = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } });
  const width = Math.round(info.width * scale);
  const height = Math.round(info.height * scale);
  const png = await (scale === 1 ? raw : raw.resize(width, height, { kernel: 'lanczos3' }))
    .png({ compressionLevel: 1 })
    .toBuffer();
  const profile = inkProfile(data, info.width, info.height);
  return { png, width, height, ...profile };
}

/**
 * Dark-pixel share and guesses at orientation from the ink profiles, used only to order the orientation tries:
 * - horizontal text lines make row sums alternate between ink and gaps while column sums stay even, so rows
 *   varying less than columns means the lines run vertically (the page is on its side);
 * - left-aligned text with a ragged right edge puts more ink in the half where lines start: the top half of a
 *   page turned 90° clockwise, the bottom half of one turned 90° counter-clockwise.
 */
function inkProfile(grey: Buffer, width: number, height: number): Omit<PreparedImage, 'png' | 'width' | 'height'> {
  const step = Math.max(1, Math.floor(Math.max(width, height) / 800));
  const rows: number[] = [];
  const cols = new Array<number>(Math.ceil(width / step)).fill(0);
  let dark = 0;
  let total = 0;
  for (let y = 0; y < height; y += step) {
    let rowDark = 0;
    for (let x = 0, c = 0; x < width; x += step, c += 1) {
      total += 1;
      if (grey[y * width + x]! < 128) {
        dark += 1;
        rowDark += 1;
        cols[c]! += 1;
      }
    }
    rows.push(rowDark);
  }
  const variation = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    if (mean === 0) return 0;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    return Math.sqrt(variance) / mean;
  };
  const half = Math.floor(rows.length / 2);
  const firstHalf = (values: number[]) => values.slice(0, half).reduce((a, b) => a + b, 0);
  const secondHalf = (values: number[]) => values.slice(half).reduce((a, b) => a + b, 0);
  const looksSideways = variation(cols) > variation(rows) * 1.15;
  return {
    ink: total ? dark / total : 0,
    looksSideways,
    linesStartAtTop: firstHalf(rows) > secondHalf(rows),
  };
}

/** Share of tokens that look like words (≥ 2 letters with a vowel, or numbers): garbage readings score low. */
function wordLikeShare(text: string): number {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 0;
  const good = tokens.filter((token) => {
    const bare = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (/^\p{N}[\p{N}.,:/-]*$/u.test(bare)) return true;
    return bare.length >= 2 && /^[\p{L}'-]+$/u.test(bare) && /[aeiouy]/i.test(bare);
  });
  return good.length / tokens.length;
}

function score(result: OcrResult): number {
  return result.confidence * (0.5 + 0.5 * wordLikeShare(result.text));
}

function defaultLangPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

interface Waiter {
  resolve: (worker: Worker) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class OcrService {
  private readonly options: Required<Omit<OcrServiceOptions, 'langPath'>> & { langPath: string };
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private starting = 0;
  private readonly waiters: Waiter[] = [];
  /** How to stop each page being read right now (tesseract.js never settles a job whose worker is terminated). */
  private readonly running = new Set<() => void>();
  private closed = false;

  constructor(options: OcrServiceOptions = {}) {
    this.options = {
      langPath: options.langPath ?? defaultLangPath(),
      maxWorkers: Math.max(1, Math.floor(options.maxWorkers ?? 1)),
      orientationThreshold: options.orientationThreshold ?? 70,
      goodConfidence: options.goodConfidence ?? 80,
      tryRotations: options.tryRotations ?? true,
      deskew: options.deskew ?? true,
    };
  }

  /** Number of live worker threads (for tests and diagnostics). */
  get workerCount(): number {
    return this.idle.length + this.busy.size + this.starting;
  }

  /** Number of workers reading a page right now (for tests and diagnostics). */
  get busyWorkers(): number {
    return this.busy.size;
  }

  /** Reads one image (encoded bytes or a page of a picture file). */
  async recognize(image: Buffer | ImageSource, options: RecognizeOptions = {}): Promise<OcrResult> {
    const { signal } = options;
    throwIfAborted(signal);
    const prepared = await prepareForOcr(image);
    throwIfAborted(signal);
    if (prepared.ink < BLANK_INK_SHARE) {
      return { text: '', confidence: 0, rotation: 0, skewDegrees: 0, attempts: 0 };
    }
    // Without a known resolution, assume the picture spans a letter-size page's width (phone photos, scans).
    const dpi = options.dpi ?? Math.min(600, Math.max(70, Math.round(prepared.width / 8.5)));
    const read = (png: Buffer, rotation: Rotation, scale = 1) => this.attempt(png, rotation, { signal, dpi: dpi * scale });
    const turn = (png: Buffer, rotation: Rotation) => sharp(png).rotate(rotation).png({ compressionLevel: 1 }).toBuffer();

    let best = await read(prepared.png, 0);
    let attempts = 1;
    if (!this.options.tryRotations || best.confidence >= this.options.orientationThreshold) return best;
    // Lines running across the page: only upside down is plausible. Lines running down it: one of the two
    // sideways turns, the likelier first.
    const order: Rotation[] = !prepared.looksSideways ? [180] : prepared.linesStartAtTop ? [270, 90] : [90, 270];
    const longest = Math.max(prepared.width, prepared.height);

    if (longest <= PROBE_SIDE) {
      // Small image: every try is cheap, read it whole each way and stop at the first good reading.
      for (const rotation of order) {
        throwIfAborted(signal);
        const result = await read(await turn(prepared.png, rotation), rotation);
        attempts += 1;
        if (score(result) > score(best)) best = result;
        if (best.confidence >= this.options.goodConfidence) break;
      }
      return { ...best, attempts };
    }

    // Large image: find the orientation on a reduced copy (~1/4 of the work per try), then read the page
    // whole once more only if another orientation is clearly better.
    const scale = PROBE_SIDE / longest;
    const probe = await sharp(prepared.png)
      .resize(Math.round(prepared.width * scale), Math.round(prepared.height * scale))
      .png({ compressionLevel: 1 })
      .toBuffer();
    let bestRotation: Rotation = 0;
    let bestScore = score(await read(probe, 0, scale));
    attempts += 1;
    for (const rotation of order) {
      throwIfAborted(signal);
      const result = await read(await turn(probe, rotation), rotation, scale);
      attempts += 1;
      if (score(result) > bestScore * 1.15) {
        bestRotation = rotation;
        bestScore = score(result);
      }
      if (result.confidence >= this.options.goodConfidence) break;
    }
    if (bestRotation !== 0) {
      throwIfAborted(signal);
      const result = await read(await turn(prepared.png, bestRotation), bestRotation);
      attempts += 1;
      if (score(result) > score(best)) best = result;
    }
    return { ...best, attempts };
  }

  /** Reads pages one after another, reporting each; stops with CANCELLED when the signal fires. */
  async recognizePages(
    images: Iterable<Buffer | ImageSource> | AsyncIterable<Buffer | ImageSource>,
    options: RecognizeOptions & { pageCount?: number; onProgress?: (progress: OcrPageProgress) => void } = {},
  ): Promise<OcrResult[]> {
    const results: OcrResult[] = [];
    for await (const image of images) {
      const result = await this.recognize(image, options);
      results.push(result);
      options.onProgress?.({ page: results.length, pageCount: options.pageCount, result });
    }
    return results;
  }

  /** Terminates every worker. Pending calls fail with CANCELLED. The service can not be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new AppError('CANCELLED'));
    }
    for (const stop of [...this.running]) stop();
    const workers = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(workers.map((worker) => worker.terminate().catch(() => {})));
  }

  private async attempt(png: Buffer, rotation: Rotation, options: RecognizeOptions): Promise<OcrResult> {
    const { signal } = options;
    const worker = await this.acquire(signal);
    const params: Record<string, string | boolean> = { rotateAuto: this.options.deskew };
    if (options.dpi) params.user_defined_dpi = String(Math.round(options.dpi));
    const job = worker.recognize(png, params);
    job.catch(() => {}); // a terminated worker may reject later; nobody is listening then
    let settled = false;
    let onAbort: (() => void) | undefined;
    try {
      const { data } = await new Promise<Awaited<typeof job>>((resolve, reject) => {
        onAbort = () => {
          if (settled) return;
          settled = true;
          this.discard(worker);
          reject(new AppError('CANCELLED'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.running.add(onAbort);
        job.then(
          (value) => {
            if (settled) return;
            settled = true;
            this.release(worker);
            resolve(value);
          },
          () => {
            if (settled) return;
            settled = true;
            this.discard(worker); // a worker whose job failed may be in any state: start afresh next time
            reject(new AppError('INTERNAL', 'Reading the text of a page failed. Please try importing the file again.'));
          },
        );
      });
      return {
        text: data.text.replace(/[ \t]+\n/g, '\n').trim(),
        confidence: Math.max(0, Math.min(100, Math.round(data.confidence))),
        rotation,
        skewDegrees: Math.round((((data.rotateRadians ?? 0) * 180) / Math.PI) * 10) / 10,
        attempts: 1,
      };
    } finally {
      if (onAbort) {
        signal?.removeEventListener('abort', onAbort);
        this.running.delete(onAbort);
      }
    }
  }

  private async acquire(signal: AbortSignal | undefined): Promise<Worker> {
    if (this.closed) throw new AppError('CANCELLED');
    const ready = this.idle.pop();
    if (ready) {
      this.busy.add(ready);
      return ready;
    }
    if (this.workerCount < this.options.maxWorkers) {
      this.starting += 1;
      try {
        const worker = await createWorker('eng', OEM.LSTM_ONLY, {
          langPath: this.options.langPath,
          gzip: true,
          cacheMethod: 'none',
          cachePath: os.tmpdir(),
        });
        if (this.closed) {
          await worker.terminate().catch(() => {});
          throw new AppError('CANCELLED');
        }
        // Tesseract's diagnostics ("Estimating resolution…") would go to the console otherwise.
        await worker.setParameters({ debug_file: '/dev/null' });
        this.busy.add(worker);
        return worker;
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('INTERNAL', 'Text recognition could not start. Please restart the app and try again.');
      } finally {
        this.starting -= 1;
      }
    }
    return new Promise<Worker>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new AppError('CANCELLED'));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(worker: Worker): void {
    this.busy.delete(worker);
    if (this.closed) {
      void worker.terminate().catch(() => {});
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.busy.add(worker);
      waiter.resolve(worker);
    } else {
      this.idle.push(worker);
    }
  }

  /** Drops a worker that is stuck on a cancelled job or broke; a waiting caller gets a fresh one. */
  private discard(worker: Worker): void {
    this.busy.delete(worker);
    void worker.terminate().catch(() => {});
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.acquire(waiter.signal).then(waiter.resolve, waiter.reject);
    }
  }
}

/** A new OCR service; call `close()` when done (workers are threads and keep the process alive). */
export function createOcrService(options: OcrServiceOptions = {}): OcrService {
  return new OcrService(options);
}
