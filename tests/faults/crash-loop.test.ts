/**
 * Crash safety: SIGKILL the core process at random moments, over and over, on one vault.
 *
 * Each round picks an operation (seeded) — import documents, import a disc (folder, ISO or zip), change the
 * passphrase (a chain of changes), back up, build a packet (folder, zip or ISO), or just open and check the vault —
 * hands it to a child process running the real core (worker.ts) and SIGKILLs that child after a random delay (or,
 * in some rounds, when the core reports a given progress phase: see PHASES). Then, in this process, on the same vault:
 *
 * 1. it opens: with the passphrase in force, which must be the old one or the one a killed change was setting
 *    (the worker announces `changing` before and `changed` after each change, so the test knows both);
 * 2. no leftovers after that open (which sweeps): the vault folder holds only vault.json, vault.db (+ -wal/-shm),
 *    the lock file of this process, blobs/tmp (empty) and blobs/<2 hex>/<64 hex> files; there is exactly one file
 *    per stored-file row (overview.storedFiles), and every row is referenced by a document, a thumbnail or an image;
 * 3. `vault.verify` is clean and checked exactly those files;
 * 4. every document the worker reported as imported (ever) is intact byte for byte (its stored file read through
 *    the core; new ones also through `documents.extract`, the user's own way out);
 * 5. outputs are complete or clearly partial: a backup or packet found under its final name after a kill is complete
 *    (the backup restores with the recovery key, verifies clean and holds what the vault held; every file of the
 *    packet matches its manifest); anything else in the backups folder has a temp name, and the exports folder holds
 *    no packet temp copy (the open removed it);
 * 6. the interrupted operation is repeated to completion, and then nothing is duplicated: documents (one per distinct
 *    content), studies, series and instances (exactly the discs' counts), no series left without its picture,
 *    one packet log entry per path.
 *
 * FAULTS_KILLS (default 100) sets how many kills to reach; FAULTS_SEED replays a sequence of operations and delays
 * (the process timing itself is not reproducible, so a replay hits nearby moments, not the same instruction).
 * `npm run faults` runs 400 kills.
 *
 * The worker is bundled with esbuild (as the app bundles its core-host) so that a child starts in about half a second
 * (fontkit, for PDFs, loads only when a packet needs it), and the next two children are started ahead, so they load while earlier kills are checked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { openSource } from '../../electron/core/imaging/sources/open';
import { silentLogger } from '../../electron/core/log';
import type { InputOf, OperationName, OutputOf } from '../../shared/contract';
import type { PacketFormat } from '../../shared/contract/export';
import { ISO_AVAILABLE, makeDisc, makeDocuments, PROFILE, sha256, type DiscKind, type SourceDisc, type SourceDocument } from './fixtures';
import type { Job, WorkerLine } from './worker';

const KILLS = Number(process.env.FAULTS_KILLS ?? 100);
/** FAULTS_VERBOSE=1 prints each round: operation, whether it was killed, and where the time went. */
const VERBOSE = process.env.FAULTS_VERBOSE === '1';
const SEED = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FAST_KDF = { memoryKiB: 1024, passes: 1, parallelism: 1 };
const BUNDLE_DIR = path.resolve('node_modules/.cache/second-opinion-faults');
const BUNDLE = path.join(BUNDLE_DIR, `worker-${process.pid}.mjs`);

type Op = Job['op'];
const OP_WEIGHTS: [Op, number][] = [
  ['documents', 22],
  ['disc', 18],
  ['passphrase', 18],
  ['backup', 15],
  ['packet', 9],
  ['open', 18],
];

/**
 * Progress phases (regular expressions) of each operation: some rounds kill the child when the core reports one of
 * these, at once or a few milliseconds later, instead of after a random delay, so that short steps late in an
 * operation (a disc's pictures and report documents, a backup's last bytes and rename, a packet's writing and
 * check) are hit too. Only phases the core always reports are listed (it skips reports less than 100 ms apart,
 * except the first and the last of a task): a file's import committed ('done' of a one-file call), a disc's
 * images all stored ('copied'), a backup's first and last entry written ('writing').
 */
const PHASES: Record<Op, string[]> = {
  documents: ['^done$'],
  disc: ['^copied '],
  passphrase: [],
  backup: ['^writing$'],
  packet: ['^Merging the records$', '^Reading the imaging$', '^Writing the packet$', '^Checking the packet$'],
  open: ['^checking$'],
};

/** mulberry32: small, seedable, good enough to pick operations and delays. */
function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function must<N extends OperationName>(core: Core, operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await core.call(operation, input);
  if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<N>;
}

// ---------------------------------------------------------------------------------------------------------------
// The child process

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child still running, so none outlives the test (a failed round leaves warm ones waiting). */
const running = new Set<Child>();

class Child {
  readonly proc: ChildProcess;
  readonly lines: { line: WorkerLine; at: number }[] = [];
  readonly exited: Promise<Exit>;
  stderr = '';
  #listeners: (() => void)[] = [];
  #closed = false;

  constructor() {
    this.proc = spawn(process.execPath, [BUNDLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    this.proc.stdin!.on('error', () => undefined); // a child that died early: its exit status tells why
    this.proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    readline.createInterface({ input: this.proc.stdout! }).on('line', (text) => {
      let line: WorkerLine;
      try {
        line = JSON.parse(text) as WorkerLine;
      } catch {
        line = { type: 'error', code: 'BAD_LINE', message: text };
      }
      this.lines.push({ line, at: performance.now() });
      for (const listener of this.#listeners.splice(0)) listener();
    });
    // 'close', not 'exit': it comes after the child's output has been read to the end.
    this.exited = new Promise((resolve) => {
      this.proc.once('close', (code, signal) => {
        this.#closed = true;
        running.delete(this);
        for (const listener of this.#listeners.splice(0)) listener();
        resolve({ code, signal });
      });
    });
  }

  get running(): boolean {
    return !this.#closed;
  }

  has(type: WorkerLine['type']): boolean {
    return this.lines.some((item) => item.line.type === type);
  }

  at(type: WorkerLine['type']): number | undefined {
    return this.lines.find((item) => item.line.type === type)?.at;
  }

  /** Resolves when a line of this type arrived, or when the child exited (then `false`). */
  async waitFor(type: WorkerLine['type']): Promise<boolean> {
    while (!this.has(type)) {
      if (!this.running) return false;
      await new Promise<void>((resolve) => this.#listeners.push(resolve));
    }
    return true;
  }

  send(job: Job): void {
    this.proc.stdin!.end(`${JSON.stringify(job)}\n`);
  }

  kill(): void {
    if (this.running) this.proc.kill('SIGKILL');
  }

  of<T extends WorkerLine['type']>(type: T): Extract<WorkerLine, { type: T }>[] {
    return this.lines.map((item) => item.line).filter((line): line is Extract<WorkerLine, { type: T }> => line.type === type);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the vault must hold: the test's own record of every completed operation

interface Model {
  passphrase: string;
  recoveryKey: string;
  /** Document content (sha256) → its source file and the id the vault gave it. */
  documents: Map<string, { source: SourceDocument; id: string }>;
  /** Document ids a worker reported as imported or duplicate → the content it stands for. */
  reported: Map<string, SourceDocument>;
  discs: SourceDisc[];
  /** Documents made from discs (their reports). */
  discDocuments: number;
  /** Backups and packets known complete. */
  backups: Set<string>;
  packets: Set<string>;
}

function expectedDocumentCount(model: Model): number {
  return model.documents.size + model.discDocuments;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

const ROOT_FILES = new Set(['vault.json', 'vault.db', 'vault.db-wal', 'vault.db-shm', 'blobs', '.vault-open.lock']);
const SHARD = /^[0-9a-f]{2}$/;
const BLOB = /^[0-9a-f]{64}$/;

/** Everything in the vault folder that the format does not allow, and the number of stored (blob) files. */
function scanVaultFolder(vaultDir: string): { unexpected: string[]; blobFiles: number } {
  const unexpected: string[] = [];
  let blobFiles = 0;
  for (const entry of fs.readdirSync(vaultDir, { withFileTypes: true })) {
    const isDir = entry.isDirectory();
    if (!ROOT_FILES.has(entry.name) || (entry.name === 'blobs') !== isDir) unexpected.push(entry.name);
  }
  const blobs = path.join(vaultDir, 'blobs');
  for (const entry of fs.readdirSync(blobs, { withFileTypes: true })) {
    if (entry.name === 'tmp' && entry.isDirectory()) {
      for (const leftover of fs.readdirSync(path.join(blobs, 'tmp'))) unexpected.push(`blobs/tmp/${leftover}`);
      continue;
    }
    if (!SHARD.test(entry.name) || !entry.isDirectory()) {
      unexpected.push(`blobs/${entry.name}`);
      continue;
    }
    for (const file of fs.readdirSync(path.join(blobs, entry.name), { withFileTypes: true })) {
      if (BLOB.test(file.name) && file.name.startsWith(entry.name) && file.isFile()) blobFiles += 1;
      else unexpected.push(`blobs/${entry.name}/${file.name}`);
    }
  }
  return { unexpected, blobFiles };
}

async function streamBytes(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A packet under its final name must be whole: every file of its manifest present with its size and SHA-256. */
async function checkPacketComplete(target: string): Promise<void> {
  const files = new Map<string, Buffer>();
  const source = await openSource(target);
  try {
    for await (const entry of source.entries()) files.set(entry.path, await streamBytes(entry.open()));
    expect(source.problems, `${target}: problems reading it back`).toEqual([]);
  } finally {
    await source.close();
  }
  const manifestBytes = files.get('MANIFEST.JSN');
  expect(manifestBytes, `${target} has no MANIFEST.JSN`).toBeDefined();
  const manifest = JSON.parse(manifestBytes!.toString('utf8')) as { files: { path: string; size: number; sha256: string }[] };
  for (const file of manifest.files) {
    const bytes = files.get(file.path);
    expect(bytes, `${target}: ${file.path} missing`).toBeDefined();
    expect(bytes!.length, `${target}: ${file.path} size`).toBe(file.size);
    expect(sha256(bytes!), `${target}: ${file.path} content`).toBe(file.sha256);
  }
  expect(files.has('SHA256.TXT')).toBe(true);
}

/** A backup under its final name must restore (with the recovery key), verify clean and hold what the vault held. */
async function checkBackupRestores(file: string, recoveryKey: string, expected: OutputOf<'vault.overview'>['counts'], scratch: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(scratch, 'restore-'));
  const vaultDir = path.join(dir, 'vault');
  const core = createCore({ vaultDir, backupDir: dir, exportDir: dir, log: silentLogger, kdf: FAST_KDF });
  try {
    await must(core, 'vault.restore', { source: file, proof: { recoveryKey } });
    await must(core, 'vault.unlock', { recoveryKey });
    const report = await must(core, 'vault.verify', {});
    expect(report.problems, `restored ${file}`).toEqual([]);
    const overview = await must(core, 'vault.overview', {});
    expect(overview.counts, `restored ${file}`).toEqual(expected);
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Files in a backups or exports folder: complete ones we know of, or temp names, nothing else. */
function checkOutputFolder(dir: string, complete: Set<string>, tempName: RegExp): number {
  let partial = 0;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const full = path.join(dir, name);
    if (complete.has(full)) continue;
    expect(name, `${full} is neither a finished output nor temp-named`).toMatch(tempName);
    partial += 1;
  }
  return partial;
}

const BACKUP_TEMP = /^\..+\.tmp-[0-9a-f]+$/;
const PACKET_TEMP = /^\..+\.[0-9a-f]{12}\.part$/;

// ---------------------------------------------------------------------------------------------------------------

let scratch = '';

beforeAll(async () => {
  fs.mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({
    entryPoints: [path.resolve('tests/faults/worker.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native modules and packages that load their own files from their folders stay external; bundling the rest
    // (pdf-lib, fontkit, zod…) saves about a third of a child's start-up.
    external: ['better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'sharp', 'tesseract.js', 'pdfjs-dist', '@cornerstonejs/*', 'dejavu-fonts-ttf', '@tesseract.js-data/*'],
    // Bundled CommonJS packages call require(); give the ES module one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'so-faults-'));
}, 60_000);

afterAll(() => {
  for (const child of running) child.kill();
  fs.rmSync(BUNDLE, { force: true });
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('crash safety', () => {
  it(
    `survives ${KILLS} SIGKILLs of the core mid-operation (seed ${SEED})`,
    async () => {
      const started = performance.now();
      const rng = rngFrom(SEED);
      /** For samples only, so that what is sampled does not change the sequence of operations and delays. */
      const sampler = rngFrom(SEED + 1);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
      const vaultDir = path.join(scratch, 'vault');
      const backupDir = path.join(scratch, 'backups');
      const exportDir = path.join(scratch, 'exports');
      const inputs = path.join(scratch, 'inputs');
      const extracts = path.join(scratch, 'extracts');
      fs.mkdirSync(extracts, { recursive: true });
      const openCore = () => createCore({ vaultDir, backupDir, exportDir, log: silentLogger, kdf: FAST_KDF });

      const first = openCore();
      const { recoveryKey } = await must(first, 'vault.create', { profile: PROFILE, passphrase: 'faults passphrase 0' });
      await first.close();
      const model: Model = {
        passphrase: 'faults passphrase 0',
        recoveryKey,
        documents: new Map(),
        reported: new Map(),
        discs: [],
        discDocuments: 0,
        backups: new Set(),
        packets: new Set(),
      };

      /**
       * How long each operation last took when it ran to the end (from `ready`, or from sending the job for 'open'),
       * in milliseconds; kill delays are drawn below it.
       */
      const estimate: Record<Op, number> = { documents: 600, disc: 500, passphrase: 30, backup: 80, packet: 1000, open: 40 };
      const kills: Record<Op, number> = { documents: 0, disc: 0, passphrase: 0, backup: 0, packet: 0, open: 0 };
      let killCount = 0;
      let rounds = 0;
      let passphraseCounter = 0;
      let partialBackups = 0;
      const completeAfterKill = { backups: 0, packets: 0 };
      let partialPackets = 0;
      /** Children loading ahead (each waits for its job on stdin). */
      const warm = [new Child(), new Child()];

      while (killCount < KILLS) {
        rounds += 1;
        const t0 = performance.now();
        expect(rounds, 'too many rounds without reaching the kill count: delays are not landing').toBeLessThan(KILLS * 3 + 20);
        const tag = `r${rounds}`;
        let op = pickWeighted(rng, OP_WEIGHTS);
        if (op === 'packet' && model.documents.size === 0 && model.discs.length === 0) op = 'documents';
        const place = { vaultDir, backupDir, exportDir, passphrase: model.passphrase };
        let job: Job;
        let newDocuments: SourceDocument[] = [];
        let disc: SourceDisc | null = null;
        switch (op) {
          case 'documents': {
            newDocuments = await makeDocuments(path.join(inputs, tag), tag, 1 + Math.floor(rng() * 3));
            const again = model.documents.size > 0 && rng() < 0.5 ? [pick([...model.documents.values()]).source] : [];
            job = { ...place, op, files: [...newDocuments, ...again].map((doc) => doc.path), oneCall: rng() < 0.3 };
            newDocuments.push(...again);
            break;
          }
          case 'disc': {
            const kinds: DiscKind[] = ISO_AVAILABLE ? ['folder', 'iso', 'zip'] : ['folder', 'zip'];
            disc = await makeDisc(inputs, tag, pick(kinds));
            job = { ...place, op, path: disc.path };
            break;
          }
          case 'passphrase':
            job = { ...place, op, next: [1, 2, 3].map(() => `faults passphrase ${++passphraseCounter}`) };
            break;
          case 'backup':
            job = { ...place, op, destination: path.join(backupDir, `backup-${tag}.sobackup`) };
            break;
          case 'packet': {
            const format = pick<PacketFormat>(['folder', 'zip', 'iso']);
            const documentIds = [...model.documents.values()].filter(() => rng() < 0.3).slice(0, 3).map((doc) => doc.id);
            const studyUids = model.discs.length > 0 && (documentIds.length === 0 || rng() < 0.5) ? [pick(model.discs).studyUid] : [];
            if (documentIds.length === 0 && studyUids.length === 0) documentIds.push(pick([...model.documents.values()]).id);
            const extension = format === 'folder' ? '' : `.${format}`;
            job = { ...place, op, destination: path.join(exportDir, `packet-${tag}${extension}`), format, documentIds, studyUids };
            break;
          }
          case 'open':
            job = { ...place, op };
            break;
        }
        const delay = rng() * estimate[op];
        const onPhase = PHASES[op].length > 0 && rng() < 0.4 ? { killOnPhase: pick(PHASES[op]), killDelayMs: pick([0, Math.floor(rng() * 10), Math.floor(rng() * 60)]) } : null;
        if (onPhase) Object.assign(job, onPhase);
        const how = onPhase
          ? `killed by itself ${onPhase.killDelayMs} ms after the phase /${onPhase.killOnPhase}/`
          : `killed ${delay.toFixed(0)} ms after ${op === 'open' ? 'the job was sent' : 'ready'}`;
        const context = () => `FAULTS_SEED=${SEED} round ${rounds} (${kills[op]} earlier kills of ${op}): ${op} ${how}`;

        // 1. Run it in the warm child and kill it.
        const child = warm.shift()!;
        warm.push(new Child());
        const t1 = performance.now();
        expect(await child.waitFor('loaded'), `worker did not start: ${child.stderr}`).toBe(true);
        const t2 = performance.now();
        child.send(job);
        // 'open' is killed while unlocking (the leftover sweep) or verifying, so its clock starts at once.
        if (op !== 'open') await child.waitFor('ready');
        const clockFrom = performance.now();
        const timer = onPhase ? undefined : setTimeout(() => child.kill(), delay);
        const exit = await child.exited;
        clearTimeout(timer);
        if (child.has('error') || (exit.signal !== 'SIGKILL' && exit.code !== 0)) {
          throw new Error(`${context()}: the worker failed: ${JSON.stringify(child.of('error'))} ${child.stderr}`);
        }
        const killed = exit.signal === 'SIGKILL' && !child.has('done');
        if (killed) {
          killCount += 1;
          kills[op] += 1;
        } else if (!onPhase) {
          const done = child.at('done');
          if (done !== undefined) estimate[op] = Math.max(5, done - clockFrom);
        }

        const t3 = performance.now();
        let t4 = 0;
        try {
          await checkAndRepeat();
        } catch (error) {
          if (error instanceof Error) error.message = `${context()} — ${error.message}`;
          throw error;
        }
        if (VERBOSE) {
          const ms = (a: number, b: number) => (b - a).toFixed(0);
          const when = onPhase ? `/${onPhase.killOnPhase}/+${onPhase.killDelayMs}` : `${delay.toFixed(0)}/${estimate[op].toFixed(0)} ms`;
          console.log(`round ${rounds} ${op}${killed ? ' killed' : ' completed'} at ${when}: inputs ${ms(t0, t1)}, wait for worker ${ms(t1, t2)}, run ${ms(t2, t3)}, check ${ms(t3, t4)}, repeat+check ${ms(t4, performance.now())}`);
        }

        async function checkAndRepeat(): Promise<void> {
          // 2. It opens, with the passphrase in force: the one we knew, or the one a killed change was setting.
          const changing = child.of('changing').at(-1)?.to;
          const changed = child.of('changed').at(-1)?.to;
          if (changed) model.passphrase = changed;
          const core = openCore();
          try {
            const unlocked = await core.call('vault.unlock', { passphrase: model.passphrase });
            if (!unlocked.ok) {
              expect(unlocked.error.code).toBe('WRONG_PASSPHRASE');
              expect(changing, 'the vault does not open with its passphrase').toBeDefined();
              expect(changing).not.toBe(changed);
              await must(core, 'vault.unlock', { passphrase: changing! });
              model.passphrase = changing!;
            }

            // 3. Nothing left over after this open, one file per stored-file row, and every row in use.
            const lock = JSON.parse(fs.readFileSync(path.join(vaultDir, '.vault-open.lock'), 'utf8')) as { pid: number };
            expect(lock.pid).toBe(process.pid);
            const overview = await must(core, 'vault.overview', {});
            const folder = scanVaultFolder(vaultDir);
            expect(folder.unexpected, 'leftover files in the vault folder').toEqual([]);
            expect(folder.blobFiles, 'stored files on disk vs. rows').toBe(overview.counts.storedFiles);
            const report = await must(core, 'vault.verify', {});
            expect(report.problems).toEqual([]);
            expect(report.ok).toBe(true);
            expect(report.checkedFiles).toBe(overview.counts.storedFiles);

            // 4. Documents reported as imported are intact, byte for byte: those of this round, and a sample of the
            //    earlier ones (all of which verify has just checked against their recorded SHA-256).
            const reportedNow = new Set<string>();
            for (const line of child.of('document')) {
              const source = job.op === 'documents' ? newDocuments.find((doc) => doc.path === line.path) : undefined;
              expect(source, `worker reported a file it was not given: ${line.path}`).toBeDefined();
              model.reported.set(line.documentId, source!);
              reportedNow.add(line.documentId);
            }
            const { items } = await must(core, 'documents.list', {});
            const byId = new Map(items.map((item) => [item.id, item]));
            const earlier = [...model.reported.keys()].filter((id) => !reportedNow.has(id) && sampler() < 6 / model.reported.size);
            for (const id of [...reportedNow, ...earlier]) {
              const source = model.reported.get(id)!;
              const item = byId.get(id);
              expect(item, `reported document ${id} is gone`).toBeDefined();
              const opened = await core.openBlob(item!.fileId);
              expect(opened).not.toBeNull();
              expect(sha256(await streamBytes(opened!.stream)), `reported document ${id} differs from ${source.path}`).toBe(source.sha256);
            }
            for (const id of reportedNow) {
              const extracted = await must(core, 'documents.extract', { id, destination: path.join(extracts, `${id}.pdf`) });
              expect(fs.readFileSync(extracted.path).equals(model.reported.get(id)!.bytes), `extracted ${id}`).toBe(true);
              fs.rmSync(extracted.path);
            }

            // 5. Outputs: under the final name only when complete.
            if (job.op === 'backup' && fs.existsSync(job.destination)) {
              await checkBackupRestores(job.destination, model.recoveryKey, overview.counts, scratch);
              model.backups.add(job.destination);
              if (killed) completeAfterKill.backups += 1;
            }
            if (job.op === 'packet' && fs.existsSync(job.destination)) {
              await checkPacketComplete(job.destination);
              model.packets.add(job.destination);
              if (killed) completeAfterKill.packets += 1;
            }

            // 6. Repeat the interrupted operation to the end; then nothing is duplicated.
            t4 = performance.now();
            await repeat(core, overview.counts);
            partialBackups = checkOutputFolder(backupDir, model.backups, BACKUP_TEMP);
            partialPackets = checkOutputFolder(exportDir, model.packets, PACKET_TEMP);
            // A killed packet's temp copy was noted in the vault before its first byte and removed at this open.
            expect(partialPackets, 'a killed packet left its temporary copy behind').toBe(0);
            await checkNoDuplicates(core);
          } finally {
            await core.close();
          }
          expect(fs.existsSync(path.join(vaultDir, '.vault-open.lock')), 'lock file left after locking').toBe(false);
        }

        async function repeat(core: Core, counts: OutputOf<'vault.overview'>['counts']): Promise<void> {
          switch (job.op) {
            case 'documents': {
              const outcome = await must(core, 'documents.import', { paths: job.files });
              expect(outcome.failed).toEqual([]);
              expect(outcome.imported.length + outcome.duplicates.length).toBe(job.files.length);
              const ids = new Map([...outcome.imported, ...outcome.duplicates].map((item) => [item.path, item.documentId]));
              for (const doc of newDocuments) {
                const id = ids.get(doc.path)!;
                const known = model.documents.get(doc.sha256);
                if (known) expect(id, `${doc.path} got a second document`).toBe(known.id);
                model.documents.set(doc.sha256, { source: doc, id });
              }
              // What the killed worker reported is what the vault has for that content.
              for (const line of child.of('document')) expect(ids.get(line.path)).toBe(line.documentId);
              break;
            }
            case 'disc': {
              const outcome = await must(core, 'imaging.import', { path: job.path, acceptOtherPatient: false });
              expect(outcome.failed).toEqual([]);
              expect(outcome.heldBack).toBeNull();
              expect(outcome.instances.added + outcome.instances.alreadyInVault).toBe(disc!.instances);
              expect(outcome.instances.conflicts).toBe(0);
              model.discs.push(disc!);
              model.discDocuments += disc!.documents;
              break;
            }
            case 'passphrase': {
              // Finish the chain of changes from wherever the kill stopped it.
              const next = job.next.slice(job.next.indexOf(model.passphrase) + 1);
              for (const newPassphrase of next) {
                await must(core, 'vault.changePassphrase', { proof: { passphrase: model.passphrase }, newPassphrase });
                model.passphrase = newPassphrase;
              }
              // The old passphrases no longer open it; the new one and the recovery key do.
              const probe = openCore();
              const old = await probe.call('vault.changePassphrase', { proof: { passphrase: job.passphrase }, newPassphrase: 'never set this one' });
              expect(old.ok, 'the passphrase before the changes still opens the vault').toBe(false);
              await must(probe, 'vault.changePassphrase', { proof: { recoveryKey: model.recoveryKey }, newPassphrase: model.passphrase });
              break;
            }
            case 'backup': {
              if (!model.backups.has(job.destination)) {
                await must(core, 'vault.backup', { destination: job.destination });
                // Restoring writes and syncs every file; an uninterrupted backup is restored one time in three.
                if (sampler() < 1 / 3) await checkBackupRestores(job.destination, model.recoveryKey, counts, scratch);
                model.backups.add(job.destination);
              }
              break;
            }
            case 'packet': {
              if (!model.packets.has(job.destination)) {
                const { documentIds, studyUids, format, destination } = job;
                await must(core, 'packets.build', { destination, format, documentIds, studyUids, includeMedications: false, includeCareTeam: false });
                await checkPacketComplete(destination);
                model.packets.add(destination);
              }
              break;
            }
            case 'open':
              break;
          }
        }

        async function checkNoDuplicates(core: Core): Promise<void> {
          const overview = await must(core, 'vault.overview', {});
          const { items } = await must(core, 'documents.list', {});
          expect(items.length, 'documents').toBe(expectedDocumentCount(model));
          expect(new Set(items.map((item) => item.fileId)).size, 'two documents with the same content').toBe(items.length);
          const { patients } = await must(core, 'imaging.studies', {});
          const studies = patients.flatMap((patient) => patient.studies);
          expect(overview.counts.studies).toBe(model.discs.length);
          expect(studies.map((study) => study.uid).sort()).toEqual(model.discs.map((d) => d.studyUid).sort());
          // Every stored file is in use: documents' originals and pictures, series pictures, and one per image
          // (each of the test's DICOM instances is unique, so none shares a stored file with anything else).
          const referenced = new Set<string>();
          for (const item of items) {
            referenced.add(item.fileId);
            if (item.thumbnailId) referenced.add(item.thumbnailId);
          }
          let instances = 0;
          for (const sourceDisc of model.discs) {
            const study = studies.find((s) => s.uid === sourceDisc.studyUid)!;
            expect(new Map(study.series.map((s) => [s.uid, s.instanceCount]))).toEqual(sourceDisc.series);
            for (const series of study.series) {
              expect(series.thumbnailStatus, `series ${series.uid} never got its picture`).not.toBe('pending');
              if (series.thumbnailId) referenced.add(series.thumbnailId);
              instances += series.instanceCount;
            }
          }
          if (job.op === 'disc') {
            // The disc of this round, instance by instance: each image's stored file is there and distinct.
            const blobIds = new Set<string>();
            for (const seriesUid of disc!.series.keys()) {
              for (const instance of (await must(core, 'imaging.series', { uid: seriesUid })).instances) blobIds.add(instance.blobId);
            }
            expect(blobIds.size).toBe(disc!.instances);
          }
          expect(referenced.size + instances, 'stored files no record refers to').toBe(overview.counts.storedFiles);
          const { items: packets } = await must(core, 'packets.list', {});
          expect(new Set(packets.map((p) => p.path)).size, 'a packet logged twice').toBe(packets.length);
          for (const packet of packets) expect(model.packets.has(packet.path), `logged packet ${packet.path} is not complete`).toBe(true);
        }
      }
      for (const child of warm) child.kill();
      await Promise.all(warm.map((child) => child.exited));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `crash loop: ${killCount} kills in ${rounds} rounds, ${seconds} s (seed ${SEED}); kills by operation ${JSON.stringify(kills)}; ` +
          `${model.documents.size + model.discDocuments} documents, ${model.discs.length} discs, ${model.backups.size} backups, ${model.packets.size} packets; ` +
          `complete under their final name after a kill: ${completeAfterKill.backups} backups, ${completeAfterKill.packets} packets; ` +
          `temp-named leftovers outside the vault: ${partialBackups} backups, ${partialPackets} packets`,
      );
    },
    Math.max(600_000, KILLS * 6_000),
  );

  // Found by the loop: the instances were committed, then the process died before the series pictures and the
  // structured report's document were made; importing the disc again added no instance, so it skipped that last
  // step and the document was never made (and the series stayed 'pending' for ever).
  it('a disc import killed right after its images were stored is completed by importing the disc again', async () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'resume-'));
    const place = { vaultDir: path.join(dir, 'vault'), backupDir: path.join(dir, 'backups'), exportDir: path.join(dir, 'exports'), passphrase: 'faults passphrase 0' };
    const core = createCore({ ...place, log: silentLogger, kdf: FAST_KDF });
    await must(core, 'vault.create', { profile: PROFILE, passphrase: place.passphrase });
    await core.close();
    const disc = await makeDisc(dir, 'resume', 'folder');

    const child = new Child();
    expect(await child.waitFor('loaded')).toBe(true);
    child.send({ ...place, op: 'disc', path: disc.path, killOnPhase: '^copied ' });
    const exit = await child.exited;
    expect(exit.signal, child.stderr).toBe('SIGKILL');
    expect(child.has('done')).toBe(false);

    await must(core, 'vault.unlock', { passphrase: place.passphrase });
    try {
      expect((await must(core, 'vault.verify', {})).ok).toBe(true);
      const before = (await must(core, 'imaging.studies', {})).patients[0]!.studies[0]!;
      expect(before.series.reduce((n, series) => n + series.instanceCount, 0)).toBe(disc.instances);
      expect(before.series.some((series) => series.thumbnailStatus === 'pending')).toBe(true);

      const again = await must(core, 'imaging.import', { path: disc.path, acceptOtherPatient: false });
      expect(again.instances).toEqual({ added: 0, alreadyInVault: disc.instances, conflicts: 0 });
      expect(again.documents.added).toBe(1); // the structured report's text; the PDF report was stored before the kill
      const after = (await must(core, 'imaging.studies', {})).patients[0]!.studies[0]!;
      expect(after.series.map((series) => series.thumbnailStatus).sort()).toEqual(['none', 'ok', 'ok']);
      expect(after.documentIds).toHaveLength(1);
      expect((await must(core, 'documents.list', {})).total).toBe(disc.documents);

      const third = await must(core, 'imaging.import', { path: disc.path, acceptOtherPatient: false });
      expect(third.documents).toEqual({ added: 0, alreadyInVault: 2 });
      expect((await must(core, 'documents.list', {})).total).toBe(disc.documents);
    } finally {
      await core.close();
    }
  });
});

function pickWeighted<T>(rng: () => number, weighted: readonly [T, number][]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let at = rng() * total;
  for (const [item, weight] of weighted) {
    at -= weight;
    if (at < 0) return item;
  }
  return weighted[weighted.length - 1]![0];
}
