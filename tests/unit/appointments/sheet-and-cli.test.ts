import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli as runInProcess } from '../../../electron/cli/main';
import { must } from '../../helpers/core';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { addDocument, clockCore } from './helpers';

const PASS = 'cli passphrase for tests';
const env = { SECOND_OPINION_PASSPHRASE: PASS };

/**
 * The same CLI entry as the executable, run in this process (a child process costs seconds each on a busy
 * machine); the child-process runs below cover the real executable, its exit codes and its environment.
 */
async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const saved = { ...process.env };
  Object.assign(process.env, env, extraEnv, { SECOND_OPINION_TEST_FAST_KDF: '1' });
  try {
    const code = await runInProcess(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
}

describe('prep sheet PDF', () => {
  it('holds the appointment, contacts, the checklist with what is missing, the questions with room for answers', async () => {
    const { core, exportDir } = await clockCore();
    await addDocument(core, 'pathology', 'Core biopsy pathology');
    const created = await must(core, 'appointments.create', {
      appointment: {
        kind: 'second',
        status: 'booked',
        clinician: 'Dr. Sam Okafor',
        institution: 'University Hospital',
        date: '2025-03-20',
        time: '09:30',
        mode: 'remote',
        contacts: [{ name: 'Lee Navigator', role: 'Nurse navigator', phone: '(555) 010-3000' }],
      },
    });
    const own = await must(core, 'appointments.addQuestion', { appointmentId: created.id, text: 'Can I keep working during treatment?' });
    await must(core, 'appointments.saveQuestion', { appointmentId: created.id, questionId: own.id, answer: 'Most people can, part time.' });
    const companion = created.checklist.find((item) => item.template === 'companion')!;
    await must(core, 'appointments.updateItem', { appointmentId: created.id, itemId: companion.id, changes: { status: 'done', note: 'My sister Ana' } });

    const sheet = await must(core, 'appointments.prepSheet', { id: created.id });
    expect(path.dirname(sheet.path)).toBe(exportDir);
    expect(sheet.pages).toBeGreaterThanOrEqual(2);
    const text = execFileSync('pdftotext', ['-layout', sheet.path, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Preparing for your appointment',
      'Zyxwvut Testpatient',
      'Dr. Sam Okafor',
      'March 20, 2025 at 09:30',
      'Remote (video or phone)',
      'Lee Navigator',
      '(555) 010-3000',
      'Checklist',
      'Insurance and cost',
      'Ask how long treatment can safely wait',
      'MISSING: no copy in your records yet',
      'Still missing from your records: Imaging reports',
      'Pathology report',
      'My sister Ana',
      'Questions to ask',
      'Has a pathologist on your team looked at my slides',
      'Can I keep working during treatment?',
      'Answer: Most people can, part time.',
      'Answer: ____',
      'Notes',
    ]) {
      expect(flat).toContain(expected);
    }
    expect(text).toMatch(/page 1 of \d/);
    execFileSync('qpdf', ['--check', sheet.path]);
  });
});

describe('second-opinion CLI: appointment commands', () => {
  it('schema, add (exit 4 with reasons), list, show with the checklist and what is missing, sheet', async () => {
    const root = tempDir();
    const vault = path.join(root, 'vault');
    expect((await cli(['--vault', vault, 'init', '--patient-name', 'Qwerty Clipatient', '--birth-date', '1980-02-29'], { SECOND_OPINION_NEW_PASSPHRASE: PASS })).code).toBe(0);

    const schema = await cli(['appointment', 'schema']);
    expect(schema.code).toBe(0);
    const json = JSON.parse(schema.stdout) as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(json.required).toEqual(['kind']);
    expect(json.properties.kind?.enum).toEqual(['first', 'second', 'third', 'tumor-board', 'follow-up']);
    expect(Object.keys(json.properties)).toEqual(expect.arrayContaining(['clinician', 'institution', 'date', 'time', 'mode', 'status', 'opinionIds', 'packetId']));

    const bad = path.join(root, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ kind: 'fourth', date: '2025-13-01', extra: true }));
    const refused = runCli(['--vault', vault, 'appointment', 'add', bad], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/not a valid appointment/);
    expect(refused.stderr).toMatch(/kind/);
    expect(refused.stderr).toMatch(/date/);
    fs.writeFileSync(path.join(root, 'broken.json'), '{ nope');
    expect((await cli(['--vault', vault, 'appointment', 'add', path.join(root, 'broken.json')])).code).toBe(4);

    const good = path.join(root, 'appointment.json');
    fs.writeFileSync(
      good,
      JSON.stringify({ kind: 'second', clinician: 'Dr. Sam Okafor', institution: 'University Hospital', date: '2099-03-20', time: '09:30', mode: 'in-person' }),
    );
    const added = runCli(['--vault', vault, 'appointment', 'add', good], env);
    expect(added.code, added.stderr).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const list = await cli(['--vault', vault, 'appointment', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('Second opinion with Dr. Sam Okafor, University Hospital');
    const listJson = JSON.parse((await cli(['--vault', vault, 'appointment', 'list', '--json'])).stdout) as { items: { id: string }[] };
    expect(listJson.items.map((item) => item.id)).toEqual([id]);

    const show = await cli(['--vault', vault, 'appointment', 'show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/\[ \] Pathology report — Needed, MISSING from the vault/);
    expect(show.stdout).toMatch(/Biopsy slides and tissue blocks — Needed, physical, not in the vault/);
    expect(show.stdout).toMatch(/Missing from the vault: Pathology report;/);
    expect(show.stdout).toMatch(/Questions \(0 of 11 asked\)/);
    const shown = JSON.parse((await cli(['--vault', vault, 'appointment', 'show', id, '--json'])).stdout) as {
      checklist: { status: string; vault: { missing: boolean } | null }[];
    };
    expect(shown.checklist.filter((item) => item.vault?.missing).length).toBeGreaterThan(4);
    expect((await cli(['--vault', vault, 'appointment', 'show', 'AAAAAAAAAAAAAAAA'])).code).toBe(1);

    const out = path.join(root, 'sheet.pdf');
    const sheet = runCli(['--vault', vault, 'appointment', 'sheet', id, '--out', out], env);
    expect(sheet.code, sheet.stderr).toBe(0);
    expect(sheet.stdout).toContain(out);
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('Qwerty Clipatient');
    expect((await cli(['--vault', vault, 'appointment', 'sheet', id])).code).toBe(2);
    expect((await cli(['--vault', vault, 'appointment', 'sheet', id, '--out', out])).code).toBe(1);
    expect((await cli(['--vault', vault, 'appointment', 'frobnicate'])).code).toBe(2);
  }, 60_000);
});
