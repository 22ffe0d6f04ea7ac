import path from 'node:path';
import { createCore, type Core } from '../../../electron/core/core';
import { silentLogger } from '../../../electron/core/log';
import type { DocumentType } from '../../../shared/contract';
import { must, TEST_PASSPHRASE, TEST_PROFILE } from '../../helpers/core';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

export const FAST_KDF = { memoryKiB: 1024, passes: 1, parallelism: 1 };

/** A clock the test moves by hand (createCore({ now })). Starts at noon so local dates are stable in any zone. */
export class FakeClock {
  #now: Date;
  constructor(start = '2025-03-03T12:00:00') {
    this.#now = new Date(start);
  }
  now = (): Date => new Date(this.#now);
  advanceDays(days: number): void {
    this.#now = new Date(this.#now.getTime() + days * 86_400_000);
  }
}

/** A real core on a fresh vault, with a fake clock and a cheap KDF. */
export async function clockCore(clock = new FakeClock()): Promise<{ core: Core; clock: FakeClock; vaultDir: string; exportDir: string; root: string }> {
  const root = tempDir();
  const vaultDir = path.join(root, 'vault');
  const exportDir = path.join(root, 'exports');
  const core = createCore({ vaultDir, exportDir, backupDir: path.join(root, 'backups'), log: silentLogger, kdf: FAST_KDF, now: clock.now });
  await must(core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
  return { core, clock, vaultDir, exportDir, root };
}

let pdfCounter = 0;

/** Imports a small text PDF and sets its type, as a person correcting the guess would. */
export async function addDocument(core: Core, type: DocumentType, title: string, serviceDate = '2025-02-10'): Promise<string> {
  pdfCounter += 1;
  const file = path.join(tempDir(), `doc-${pdfCounter}.pdf`);
  await writeTextPdf(file, [`${title}\nUnique content ${pdfCounter} ${Math.random()}`]);
  const { imported } = await must(core, 'documents.import', { paths: [file] });
  const id = imported[0]!.documentId;
  await must(core, 'documents.update', { id, corrections: { type, title, serviceDate } });
  return id;
}
