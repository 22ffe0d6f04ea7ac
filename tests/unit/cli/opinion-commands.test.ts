import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const PASS = 'cli passphrase for tests';
const env = { SECOND_OPINION_PASSPHRASE: PASS };

describe('second-opinion CLI: opinions and compare', () => {
  it('schema → add (valid and invalid) → list → compare (text, --json, --pdf)', () => {
    const root = tempDir();
    const vault = path.join(root, 'vault');
    expect(runCli(['--vault', vault, 'init', '--patient-name', 'Qwerty Clipatient', '--birth-date', '1980-02-29'], { SECOND_OPINION_NEW_PASSPHRASE: PASS }).code).toBe(0);

    const schema = runCli(['opinion', 'schema']);
    expect(schema.code).toBe(0);
    const jsonSchema = JSON.parse(schema.stdout) as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(jsonSchema.properties)).toEqual(expect.arrayContaining(['kind', 'diagnosis', 'recommendation']));

    const write = (name: string, value: unknown) => {
      const file = path.join(root, name);
      fs.writeFileSync(file, JSON.stringify(value));
      return file;
    };
    const first = write('first.json', { kind: 'first', clinician: 'Dr. A', diagnosis: { histology: 'IDC', clinicalTnm: { t: 'T2', n: 'N1', m: 'M0' } }, recommendation: { steps: [{ kind: 'surgery', detail: 'lumpectomy', timing: null }] } });
    const second = write('second.json', { kind: 'second', clinician: 'Dr. B', diagnosis: { histology: 'invasive ductal carcinoma', clinicalTnm: { t: 'T2', n: 'N0', m: 'M0' } }, recommendation: { steps: [{ kind: 'surgery', detail: 'mastectomy', timing: null }] } });
    const invalid = write('bad.json', { kind: 'fifth', diagnosis: { grade: { grade: 7 } } });

    const a = runCli(['--vault', vault, 'opinion', 'add', first], env);
    expect(a.code, a.stderr).toBe(0);
    const b = runCli(['--vault', vault, 'opinion', 'add', second], env);
    const idA = a.stdout.trim();
    const idB = b.stdout.trim();
    const bad = runCli(['--vault', vault, 'opinion', 'add', invalid], env);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/kind/);
    fs.writeFileSync(path.join(root, 'broken.json'), '{ not json');
    expect(runCli(['--vault', vault, 'opinion', 'add', path.join(root, 'broken.json')], env).code).toBe(4);

    const list = runCli(['--vault', vault, '--json', 'opinion', 'list'], env);
    expect(JSON.parse(list.stdout).items).toHaveLength(2);

    const text = runCli(['--vault', vault, 'compare', idA, idB], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/DIFFERENT/);
    const json = JSON.parse(runCli(['--vault', vault, 'compare', idA, idB, '--json'], env).stdout) as { rows: { field: string; status: string }[]; summary: string; questions: unknown[] };
    expect(json.rows.find((row) => row.field === 'diagnosis.histology')?.status).toBe('same');
    expect(json.questions.length).toBeGreaterThan(0);
    expect(json.summary.length).toBeGreaterThan(20);

    const pdf = path.join(root, 'comparison.pdf');
    expect(runCli(['--vault', vault, 'compare', idA, idB, '--pdf', pdf], env).code).toBe(0);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('Questions to ask');
    expect(runCli(['--vault', vault, 'compare', idA], env).code).toBe(2);
    const kept = runCli(['--vault', vault, '--json', 'compare', idA, idB, '--to-records'], env);
    expect(kept.code, kept.stderr).toBe(0);
    const documentId = (JSON.parse(kept.stdout) as { documentId: string }).documentId;
    expect(runCli(['--vault', vault, 'show', documentId], env).stdout).toMatch(/Comparison of opinions/);
  });
});
