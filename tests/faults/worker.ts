/**
 * The child process of the crash-loop test (crash-loop.test.ts): a real core on a real vault, doing one operation
 * until the parent SIGKILLs it at a random moment.
 *
 * Protocol (one JSON object per line on stdout):
 *   {"type":"loaded"}                      modules are loaded; the worker now waits for one job on stdin
 *   {"type":"ready"}                       the vault is unlocked (by the passphrase in the job); the operation starts
 *   ...operation lines...                  each sent only after the core reported that item done (see below)
 *   {"type":"done"}                        the whole operation finished
 *   {"type":"error","code":..,"message":..} the operation failed (the parent treats this as a test failure)
 *
 * The parent starts the worker before it needs it (modules take most of a second to load), so a warm worker waits
 * while the previous kill is being checked. Lines are written synchronously (fs.writeSync), so a line the parent
 * has read was printed before the kill, and whatever it names was reported done by the core before that.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { createCore, type Core } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/log';
import type { InputOf, OperationName, OutputOf } from '../../shared/contract';
import type { PacketFormat } from '../../shared/contract/export';

/** The cheap Argon2id cost the unit tests use (see tests/helpers/core.ts). */
const FAST_KDF = { memoryKiB: 1024, passes: 1, parallelism: 1 } as const;

interface Place {
  vaultDir: string;
  backupDir: string;
  exportDir: string;
  /** The passphrase that opens the vault now. */
  passphrase: string;
  /**
   * Regular expression: the worker SIGKILLs itself when the core reports progress with a matching phase — at once
   * (inside the event, so at that exact point of the operation) or `killDelayMs` later.
   */
  killOnPhase?: string;
  killDelayMs?: number;
}

export type Job = Place &
  (
    | { op: 'documents'; files: string[]; oneCall: boolean }
    | { op: 'disc'; path: string }
    | { op: 'passphrase'; next: string[] }
    | { op: 'backup'; destination: string }
    | { op: 'packet'; destination: string; format: PacketFormat; documentIds: string[]; studyUids: string[] }
    | { op: 'open' }
  );

export type WorkerLine =
  | { type: 'loaded' }
  | { type: 'ready' }
  | { type: 'done' }
  | { type: 'error'; code: string; message: string }
  /** documents: one file's outcome, printed when its import call returned. */
  | { type: 'document'; path: string; status: 'imported' | 'duplicate'; documentId: string }
  | { type: 'disc'; added: number; alreadyInVault: number; documentsAdded: number }
  /** passphrase: `changing` before the call starts, `changed` after it returned. */
  | { type: 'changing'; to: string }
  | { type: 'changed'; to: string }
  | { type: 'backup'; path: string; bytes: number }
  | { type: 'packet'; path: string; packetId: string };

function say(line: WorkerLine): void {
  fs.writeSync(1, `${JSON.stringify(line)}\n`);
}

class OperationFailed extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

async function must<N extends OperationName>(core: Core, operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await core.call(operation, input);
  if (!result.ok) throw new OperationFailed(result.error.code, `${operation}: ${result.error.message}`);
  return result.value as OutputOf<N>;
}

async function run(job: Job): Promise<void> {
  const core = createCore({ vaultDir: job.vaultDir, backupDir: job.backupDir, exportDir: job.exportDir, log: silentLogger, kdf: FAST_KDF });
  await must(core, 'vault.unlock', { passphrase: job.passphrase });
  if (job.killOnPhase) {
    const phase = new RegExp(job.killOnPhase);
    const kill = () => process.kill(process.pid, 'SIGKILL');
    core.onEvent((event) => {
      if (event.type !== 'progress' || !phase.test(event.phase)) return;
      if (job.killDelayMs) setTimeout(kill, job.killDelayMs);
      else kill();
    });
  }
  say({ type: 'ready' });
  switch (job.op) {
    case 'documents': {
      // Either one call per file (each reported as it returns) or one call for all (reported together at the end).
      const batches = job.oneCall ? [job.files] : job.files.map((file) => [file]);
      for (const paths of batches) {
        const outcome = await must(core, 'documents.import', { paths });
        if (outcome.failed.length > 0 || outcome.cancelled) throw new OperationFailed('IMPORT_FAILED', JSON.stringify(outcome.failed));
        for (const item of outcome.imported) say({ type: 'document', path: item.path, status: 'imported', documentId: item.documentId });
        for (const item of outcome.duplicates) say({ type: 'document', path: item.path, status: 'duplicate', documentId: item.documentId });
      }
      break;
    }
    case 'disc': {
      const outcome = await must(core, 'imaging.import', { path: job.path, acceptOtherPatient: false });
      if (outcome.heldBack || outcome.failed.length > 0 || outcome.cancelled) throw new OperationFailed('IMPORT_FAILED', JSON.stringify(outcome));
      say({ type: 'disc', added: outcome.instances.added, alreadyInVault: outcome.instances.alreadyInVault, documentsAdded: outcome.documents.added });
      break;
    }
    case 'passphrase': {
      let current = job.passphrase;
      for (const next of job.next) {
        say({ type: 'changing', to: next });
        await must(core, 'vault.changePassphrase', { proof: { passphrase: current }, newPassphrase: next });
        say({ type: 'changed', to: next });
        current = next;
      }
      break;
    }
    case 'backup': {
      const result = await must(core, 'vault.backup', { destination: job.destination });
      say({ type: 'backup', path: result.path, bytes: result.bytes });
      break;
    }
    case 'packet': {
      const result = await must(core, 'packets.build', {
        destination: job.destination,
        format: job.format,
        documentIds: job.documentIds,
        studyUids: job.studyUids,
        includeMedications: false,
        includeCareTeam: false,
      });
      say({ type: 'packet', path: result.path, packetId: result.packetId });
      break;
    }
    case 'open': {
      // Unlocking (which sweeps crash leftovers) and a full check, to be killed in the middle of either.
      await must(core, 'vault.verify', {});
      break;
    }
  }
  await core.close();
  say({ type: 'done' });
}

async function main(): Promise<void> {
  say({ type: 'loaded' });
  const lines = readline.createInterface({ input: process.stdin });
  const first = await new Promise<string | null>((resolve) => {
    lines.once('line', resolve);
    lines.once('close', () => resolve(null));
  });
  lines.close();
  process.stdin.destroy();
  if (first === null) return; // the parent did not need this worker
  try {
    await run(JSON.parse(first) as Job);
  } catch (error) {
    const code = error instanceof OperationFailed ? error.code : 'WORKER_ERROR';
    say({ type: 'error', code, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
}

await main();
