/**
 * Contract fuzzing: every operation in OPERATION_NAMES is called through `core.call` with schema-shaped inputs (from
 * its own zod schema), near-valid mutations of them and arbitrary values — on an unlocked vault holding documents, a
 * disc, opinions and an appointment (so that real ids reach the handlers), and on a locked one. Every answer must be a
 * Result: `ok` with an output the contract accepts, or an error with a known code (never INTERNAL) and a clean message
 * that repeats none of the input's strings. Paths are confined to a sandbox folder. Nothing may pollute prototypes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, OPERATION_NAMES, type OperationName } from '../../shared/contract';
import { makeInstance } from '../fixtures/imaging/dicom';
import { writeZip } from '../fixtures/imaging/zip-writer';
import { createdCore, TEST_PASSPHRASE, TEST_PROFILE } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { expectCleanError, stringsIn } from './checks';
import { contractCase, contractWords, prepare } from './contract-arbitraries';
import { fc, fuzz, memoryBudget, timeoutFor } from './harness';
import { makeIso, tinyPdf } from './seeds';
import { call } from './vault-state';

/** Runs per operation in CI (unlocked / locked). */
const UNLOCKED_RUNS = 30;
const LOCKED_RUNS = 6;

async function sandboxWithFiles(): Promise<string> {
  const root = tempDir('so-fuzz-contract-');
  const sandbox = path.join(root, 'sandbox');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(path.join(sandbox, 'nested', 'deeper'), { recursive: true });
  fs.mkdirSync(path.join(sandbox, 'empty'));
  fs.mkdirSync(path.join(sandbox, 'out'));
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(sandbox, 'report.pdf'), await tinyPdf('Pathology report: invasive ductal carcinoma, grade 2. Signed by Ann Lee, MD.'));
  fs.writeFileSync(path.join(sandbox, 'nested', 'deeper', 'file.pdf'), await tinyPdf('Lab results: hemoglobin 13.1 g/dL.'));
  fs.writeFileSync(path.join(sandbox, 'scan.png'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55', 'hex'));
  const instance = (n: number) =>
    makeInstance({
      patient: { name: 'Testpatient^Zyxwvut', id: 'C-1', birthDate: TEST_PROFILE.birthDate.replace(/-/g, '') },
      study: { uid: '2.25.80001', description: 'CONTRACT STUDY' },
      series: { uid: '2.25.80002', number: 1, modality: 'CT' },
      sopInstanceUid: `2.25.8100${n}`,
      instanceNumber: n,
      image: { rows: 8, columns: 8, bitsAllocated: 16, signed: true },
    });
  fs.mkdirSync(path.join(sandbox, 'disc', 'DICOM'), { recursive: true });
  fs.writeFileSync(path.join(sandbox, 'disc', 'DICOM', 'IM1'), instance(1));
  fs.writeFileSync(path.join(sandbox, 'disc', 'DICOM', 'IM2'), instance(2));
  fs.writeFileSync(path.join(sandbox, 'disc.zip'), writeZip([{ name: 'DICOM/IM3', data: instance(3) }]));
  fs.writeFileSync(path.join(sandbox, 'disc.iso'), makeIso({ DICOM: { IM4: instance(4) } }).image);
  fs.writeFileSync(path.join(outside, 'outside.pdf'), await tinyPdf('Outside the sandbox.'));
  fs.symlinkSync(outside, path.join(sandbox, 'link-out'));
  return sandbox;
}

async function value<T>(core: Awaited<ReturnType<typeof createdCore>>['core'], operation: OperationName, input: unknown): Promise<T> {
  const result = await call(core, operation, input);
  if (!result.ok) throw new Error(`${operation}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Documents, a disc, opinions, an appointment with a records request, medications: ids for the fuzzer to use. */
async function seedVault(core: Awaited<ReturnType<typeof createdCore>>['core'], sandbox: string): Promise<string[]> {
  await value(core, 'documents.import', { paths: [path.join(sandbox, 'report.pdf'), path.join(sandbox, 'nested')] });
  await value(core, 'imaging.import', { path: path.join(sandbox, 'disc') });
  const first = await value<{ id: string }>(core, 'opinions.create', { opinion: { kind: 'first', clinician: 'Ann Lee', date: '2025-01-10' } });
  const second = await value<{ id: string }>(core, 'opinions.create', { opinion: { kind: 'second', clinician: 'Bo Chen', date: '2025-02-10' } });
  const appointment = await value<{ id: string; checklist: Array<{ id: string }>; questions: Array<{ id: string }> }>(core, 'appointments.create', {
    appointment: { kind: 'second', clinician: 'Bo Chen', date: '2025-03-01', opinionIds: [first.id] },
  });
  const request = await value<{ id: string }>(core, 'appointments.addRequest', {
    appointmentId: appointment.id,
    request: { office: 'Records office', otherRecords: 'All pathology slides' },
  });
  await value(core, 'medications.save', { items: [{ name: 'Letrozole', dose: '2.5 mg' }] });
  await value(core, 'careTeam.save', { items: [{ name: 'Ann Lee', role: 'oncologist' }] });
  const documents = await value<{ items: Array<{ id: string }> }>(core, 'documents.list', {});
  const studies = await value<{ patients: Array<{ studies: Array<{ uid: string; series: Array<{ uid: string }> }> }> }>(core, 'imaging.studies', {});
  const seriesUids = studies.patients.flatMap((p) => p.studies.flatMap((s) => s.series.map((x) => x.uid)));
  const instances = await Promise.all(seriesUids.map((uid) => value<{ instances: Array<{ id: string }> }>(core, 'imaging.series', { uid })));
  return [
    ...documents.items.map((d) => d.id),
    first.id,
    second.id,
    appointment.id,
    request.id,
    ...appointment.checklist.map((i) => i.id),
    ...appointment.questions.map((q) => q.id),
    ...studies.patients.flatMap((p) => p.studies.map((s) => s.uid)),
    ...seriesUids,
    ...instances.flatMap((i) => i.instances.map((x) => x.id)),
  ];
}

/** Operations that only read (checked for their answers; a snapshot before and after would only cost time). */
const READS = /\.(list|get|facets|search|studies|series|frame|preview|dashboard|status|overview|detect|propose|compare)$/;

const anyOperation = fc.constantFrom(...OPERATION_NAMES).chain((operation) => contractCase(operation).map((c) => ({ operation, ...c })));

function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(input, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));
    return (text ?? String(input)).slice(0, 400);
  } catch {
    return String(input).slice(0, 200);
  }
}

describe('every contract operation', () => {
  it(
    'answers schema-shaped, near-valid and arbitrary input with a valid result or a clean, known error (unlocked and locked)',
    { timeout: timeoutFor(OPERATION_NAMES.length * (UNLOCKED_RUNS + LOCKED_RUNS), 60) },
    async () => {
      const { core, vaultDir } = await createdCore();
      const sandbox = await sandboxWithFiles();
      const knownIds = await seedVault(core, sandbox);
      let passphrase = TEST_PASSPHRASE;
      const memory = memoryBudget(256);
      const tally = new Map<string, number>();

      const status = async () => (await value<{ state: string }>(core, 'vault.status', {})).state;
      const ensure = async (wanted: 'unlocked' | 'locked') => {
        const state = await status();
        if (state === wanted) return;
        if (wanted === 'locked') await value(core, 'vault.lock', {});
        else await value(core, 'vault.unlock', { passphrase });
        expect(await status()).toBe(wanted);
      };

      /** Everything a failed call must leave alone: the encrypted files, and (unlocked) every list the contract offers. */
      const snapshot = async (locked: boolean): Promise<string> => {
        const files = fs
          .readdirSync(vaultDir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile() && !/-(wal|shm|journal)$|\.lock$/.test(entry.name))
          .map((entry) => `${path.relative(vaultDir, path.join(entry.parentPath, entry.name))}:${fs.statSync(path.join(entry.parentPath, entry.name)).size}`)
          .sort();
        if (locked) return JSON.stringify(files);
        const lists = await Promise.all(
          (
            [
              ['documents.list', { trash: 'exclude' }],
              ['documents.list', { trash: 'only' }],
              ['imaging.studies', {}],
              ['opinions.list', { trash: 'exclude' }],
              ['opinions.list', { trash: 'only' }],
              ['appointments.list', { trash: 'exclude' }],
              ['appointments.list', { trash: 'only' }],
              ['medications.list', {}],
              ['careTeam.list', {}],
              ['packets.list', {}],
              ['settings.get', {}],
            ] as const
          ).map(([operation, input]) => value(core, operation, input)),
        );
        return JSON.stringify([files, lists]);
      };

      const runCase = async (c: { operation: OperationName; mode: string; input: unknown; ids: number[] }, locked: boolean) => {
        await ensure(locked ? 'locked' : 'unlocked');
        const before = READS.test(c.operation) ? null : await snapshot(locked);
        const input = prepare(c.input, sandbox, knownIds, c.ids);
        const context = `${c.operation} (${c.mode}, ${locked ? 'locked' : 'unlocked'}) with ${describeInput(input)}`;
        const words = contractWords(c.operation);
        const inputs = stringsIn(input, 8).filter((s) => !words.has(s) && !knownIds.includes(s) && !s.startsWith(sandbox) && s.trim().length >= 8);
        const result = await call(core, c.operation, input);
        if (result.ok) {
          const parsed = contract[c.operation].output.safeParse(result.value);
          expect(parsed.success, `${context}: output does not match the contract`).toBe(true);
          if (c.operation === 'vault.changePassphrase') passphrase = (input as { newPassphrase: string }).newPassphrase;
          tally.set(`${locked ? 'locked' : 'unlocked'} ok`, (tally.get(`${locked ? 'locked' : 'unlocked'} ok`) ?? 0) + 1);
        } else {
          expectCleanError(result.error, context, inputs);
          expect(result.error.code, `${context}: unexpected internal error`).not.toBe('INTERNAL');
          if (locked && contract[c.operation].needsUnlock) expect(result.error.code, context).toBe('LOCKED');
          // A refused or failed call changes nothing in the vault.
          if (before !== null) expect(await snapshot(locked), `${context}: the vault changed although the call failed`).toBe(before);
          const key = `${locked ? 'locked' : 'unlocked'} ${result.error.code}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
        }
        // Nothing in the input may have reached a prototype.
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(({} as Record<string, unknown>).a).toBeUndefined();
        memory.sample();
      };

      await fuzz('contract-unlocked', anyOperation, (c) => runCase(c, false), { runs: OPERATION_NAMES.length * UNLOCKED_RUNS, caseMs: 20_000, describe: (c) => `${c.operation} ${c.mode} ${describeInput(c.input)}` });
      await fuzz('contract-locked', anyOperation, (c) => runCase(c, true), { runs: OPERATION_NAMES.length * LOCKED_RUNS, caseMs: 20_000, describe: (c) => `${c.operation} ${c.mode} ${describeInput(c.input)}` });
      console.info(`[fuzz] contract outcomes: ${JSON.stringify(Object.fromEntries(tally))}`);
      // Valid answers were checked against the output schemas too, not only refusals.
      expect(tally.get('unlocked ok') ?? 0, JSON.stringify(Object.fromEntries(tally))).toBeGreaterThan(0);
      memory.check('contract');

      // The vault survived all of it: unlock with the (possibly changed) passphrase and check every file.
      await ensure('unlocked');
      const report = await value<{ ok: boolean; problems: unknown[] }>(core, 'vault.verify', {});
      expect(report.problems).toEqual([]);
      expect(fs.existsSync(vaultDir)).toBe(true);
      await core.close();
    },
  );
});
