/**
 * End-to-end fuzzing through the core, as the app calls it: `documents.import` of mutated PDFs and pictures, and
 * `imaging.detect` + `imaging.import` of mutated disc images, archives and disc folders, on a real vault. Every call
 * resolves to a Result; failures are clean errors or per-file reasons; whenever nothing was added, the vault is
 * exactly as before (documents, studies, counts, encrypted files, nothing left in blobs/tmp); and at the end the whole
 * vault passes `vault.verify`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import { createdCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { expectCleanError } from './checks';
import { fc, fuzz, memoryBudget, timeoutFor } from './harness';
import { opArbitrary, mutate, type Op, type Seed } from './mutate';
import { dicomdirSeeds, dicomSeeds, imageSeeds, isoSeeds, pdfSeeds, zipSeeds } from './seeds';
import { call, expectCleanReasons, expectVaultClean, vaultSnapshot } from './vault-state';

let documentSeeds: Seed[] = [];
let discSeeds: Seed[] = [];
let instanceSeeds: Seed[] = [];
let dicomdir: Seed;

beforeAll(async () => {
  const instances = await dicomSeeds();
  instanceSeeds = instances;
  dicomdir = dicomdirSeeds()[0]!;
  documentSeeds = [...(await pdfSeeds()), ...(await imageSeeds())];
  discSeeds = [...isoSeeds(instances.map((s) => s.bytes)), ...zipSeeds(instances.map((s) => s.bytes))];
});

const ops = fc.array(opArbitrary, { minLength: 0, maxLength: 4 });

const e2eCase = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('document' as const), seed: fc.nat(), ops, name: fc.constantFrom('report.pdf', 'scan.png', 'photo.jpg', 'fax.tif', 'noext') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('disc-file' as const), seed: fc.nat(), ops, accept: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('disc-folder' as const),
      files: fc.array(fc.record({ seed: fc.nat(), ops }), { minLength: 1, maxLength: 4 }),
      dicomdirOps: fc.option(ops, { nil: undefined }),
      accept: fc.boolean(),
    }),
  },
);

type E2eCase = typeof e2eCase extends fc.Arbitrary<infer T> ? T : never;

function describeE2e(value: E2eCase): string {
  const name = (seeds: Seed[], index: number) => seeds[index % seeds.length]!.name;
  switch (value.kind) {
    case 'document':
      return `documents.import ${name(documentSeeds, value.seed)} as ${value.name} with ${JSON.stringify(value.ops)}`;
    case 'disc-file':
      return `imaging.import ${name(discSeeds, value.seed)} with ${JSON.stringify(value.ops)}`;
    case 'disc-folder':
      return `imaging.import folder of ${value.files.map((f) => `${name(instanceSeeds, f.seed)} ${JSON.stringify(f.ops)}`).join('; ')}${value.dicomdirOps ? ` + DICOMDIR ${JSON.stringify(value.dicomdirOps)}` : ''}`;
  }
}

function pick(seeds: Seed[], index: number, mutation: Op[]): Buffer {
  return mutate(seeds[index % seeds.length]!, mutation);
}

describe('imports through the core', () => {
  it('imports mutated documents and discs, or fails cleanly leaving the vault exactly as it was', { timeout: timeoutFor(300, 300) }, async () => {
    const { core, vaultDir } = await createdCore();
    const work = tempDir('so-fuzz-e2e-');
    const memory = memoryBudget(256);
    let caseNumber = 0;
    let imported = 0;
    const tally = new Map<string, number>();
    const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);
    await fuzz(
      'e2e-imports',
      e2eCase,
      async (value) => {
        caseNumber += 1;
        const context = describeE2e(value);
        const dir = path.join(work, `case-${caseNumber}`);
        fs.mkdirSync(dir);
        const before = await vaultSnapshot(core, vaultDir);
        let changed: boolean;
        if (value.kind === 'document') {
          const file = path.join(dir, value.name);
          fs.writeFileSync(file, pick(documentSeeds, value.seed, value.ops));
          const result = await call(core, 'documents.import', { paths: [file] });
          // documents.import answers per file; the call itself always succeeds.
          expect(result.ok, `${context}: ${JSON.stringify(result)}`).toBe(true);
          if (!result.ok) return;
          const outcome = contract['documents.import'].output.parse(result.value);
          expect(outcome.failed.map((f) => f.reason), `${context}: unexpected internal error`).not.toContain(DEFAULT_MESSAGES.INTERNAL);
          expectCleanReasons([...outcome.failed, ...outcome.skipped], context, [file, dir]);
          changed = outcome.imported.length > 0;
          count(`document ${outcome.imported.length ? 'imported' : outcome.duplicates.length ? 'duplicate' : outcome.skipped.length ? 'skipped' : 'failed'}`);
        } else {
          let target: string;
          if (value.kind === 'disc-file') {
            const seed = discSeeds[value.seed % discSeeds.length]!;
            target = path.join(dir, seed.name.startsWith('zip') ? 'disc.zip' : 'disc.iso');
            fs.writeFileSync(target, mutate(seed, value.ops));
          } else {
            target = path.join(dir, 'disc');
            value.files.forEach((file, i) => {
              const abs = path.join(target, 'DICOM', `S${i % 2}`, `IM${i}`);
              fs.mkdirSync(path.dirname(abs), { recursive: true });
              fs.writeFileSync(abs, pick(instanceSeeds, file.seed, file.ops));
            });
            if (value.dicomdirOps) fs.writeFileSync(path.join(target, 'DICOMDIR'), mutate(dicomdir, value.dicomdirOps));
          }
          const detected = await call(core, 'imaging.detect', { path: target });
          if (detected.ok) expect(['disc', 'documents'], context).toContain((detected.value as { kind: string }).kind);
          else {
            expectCleanError(detected.error, `${context} detect`, [target]);
            expect(detected.error.code, `${context}: unexpected internal error`).not.toBe('INTERNAL');
          }
          const result = await call(core, 'imaging.import', { path: target, acceptOtherPatient: value.accept });
          if (!result.ok) {
            expectCleanError(result.error, `${context} import`, [target, dir]);
            // INTERNAL means an exception nobody expected: a defect, never a clear answer about the disc.
            expect(result.error.code, `${context}: unexpected internal error`).not.toBe('INTERNAL');
            changed = false;
            count(`disc refused: ${result.error.message.slice(0, 40)}`);
          } else {
            const outcome = contract['imaging.import'].output.parse(result.value);
            expectCleanReasons([...outcome.failed, ...outcome.skipped], context, [target, dir]);
            changed = outcome.instances.added > 0 || outcome.documents.added > 0;
            if (outcome.heldBack) expect(changed, `${context}: held back yet stored`).toBe(false);
            count(`disc ${outcome.heldBack ? 'held back' : changed ? 'imported' : 'nothing new'}`);
          }
        }
        const after = await vaultSnapshot(core, vaultDir);
        if (!changed) expect(after, `${context}: the vault changed although nothing was imported`).toBe(before);
        else {
          expect(after, `${context}: reported something added, yet the vault is as before`).not.toBe(before);
          imported += 1;
        }
        fs.rmSync(dir, { recursive: true, force: true });
        memory.sample();
      },
      { runs: 300, caseMs: 60_000, shrink: false },
    );
    memory.check('e2e-imports');
    console.info(`[fuzz] e2e-imports: ${imported} cases added something to the vault; ${JSON.stringify(Object.fromEntries(tally))}`);
    // Unmutated and lightly mutated seeds must import: a run where everything was refused tested only refusals.
    expect(imported, `no case added anything: ${JSON.stringify(Object.fromEntries(tally))}`).toBeGreaterThan(0);
    await expectVaultClean(core, 'after the e2e import fuzz');
    await core.close();
  });
});
