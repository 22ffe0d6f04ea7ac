import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { silentLogger } from '../../../electron/core/log';
import { must, TEST_PASSPHRASE } from '../../helpers/core';
import { clockCore, FAST_KDF } from './helpers';

const CHILD = path.resolve(import.meta.dirname, 'notes-child.ts');

function reopen(vaultDir: string) {
  return createCore({ vaultDir, log: silentLogger, kdf: FAST_KDF });
}

describe('visit notes', () => {
  it('are saved with each batch and survive a core dropped without locking', async () => {
    const { core, vaultDir } = await clockCore();
    const { id } = await must(core, 'appointments.create', { appointment: { kind: 'second' } });
    let saved = await must(core, 'appointments.saveNotes', { appointmentId: id, text: 'She said the margins' });
    expect(saved).toMatchObject({ text: 'She said the margins', revision: 1, savedAt: expect.any(String) });
    saved = await must(core, 'appointments.saveNotes', { appointmentId: id, text: 'She said the margins were clear.\nNext: radiation?' });
    expect(saved.revision).toBe(2);
    const question = (await must(core, 'appointments.get', { id })).questions[0]!;
    await must(core, 'appointments.saveQuestion', { appointmentId: id, questionId: question.id, answer: 'Many each week', asked: true });

    // No lock, no close: as if the app had stopped here. A second core opens the same vault.
    const again = reopen(vaultDir);
    await must(again, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    const detail = await must(again, 'appointments.get', { id });
    expect(detail.notes).toMatchObject({ text: 'She said the margins were clear.\nNext: radiation?', revision: 2 });
    expect(detail.questions[0]).toMatchObject({ answer: 'Many each week', asked: true });
    await again.close();
    await core.close();
  });

  it('lose nothing acknowledged when the process is killed mid-typing (SIGKILL)', async () => {
    const { core, vaultDir } = await clockCore();
    const { id } = await must(core, 'appointments.create', { appointment: { kind: 'second' } });
    await core.close();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, vaultDir, id], {
      env: { ...process.env, SECOND_OPINION_PASSPHRASE: TEST_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acknowledged = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) acknowledged = Math.max(acknowledged, Number(line));
        if (acknowledged >= 40) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => (acknowledged >= 40 ? resolve() : reject(new Error(`child ended early: ${stderr}`))));
    });
    expect(await exited).toBe('SIGKILL');

    const again = reopen(vaultDir);
    await must(again, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    const { notes } = await must(again, 'appointments.get', { id });
    // Every batch whose save returned is on disk (one more may have landed just before the kill).
    expect(notes.text).toContain(`batch${acknowledged} the doctor said`);
    expect(notes.revision).toBeGreaterThanOrEqual(acknowledged);
    for (let batch = 1; batch <= acknowledged; batch += 1) expect(notes.text).toContain(`batch${batch} `);
    await again.close();
    const check = await must(reopen(vaultDir), 'vault.status', {});
    expect(check.state).toBe('locked');
  }, 45_000);
});
