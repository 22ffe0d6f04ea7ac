import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

const PASS = 'cli passphrase for tests';
const env = { SECOND_OPINION_PASSPHRASE: PASS };

describe('second-opinion CLI: document commands', () => {
  it('import → list → search → show → extract, with exit 4 when a file failed', async () => {
    const root = tempDir();
    const vault = path.join(root, 'vault');
    expect(runCli(['--vault', vault, 'init', '--patient-name', 'Qwerty Clipatient', '--birth-date', '1980-02-29'], { SECOND_OPINION_NEW_PASSPHRASE: PASS }).code).toBe(0);
    const docs = path.join(root, 'docs');
    fs.mkdirSync(docs);
    const original = await writeTextPdf(path.join(docs, 'pathology.pdf'), [
      'SURGICAL PATHOLOGY REPORT\nPatient: Clipatient, Qwerty\nDate of procedure: 05/06/2025\nDiagnosis: invasive lobular carcinoma',
    ]);
    fs.writeFileSync(path.join(docs, 'broken.pdf'), '%PDF-1.4 nothing else');

    const imported = runCli(['--vault', vault, '--json', 'import', docs], env);
    expect(imported.code, imported.stderr).toBe(4);
    const outcome = JSON.parse(imported.stdout) as { imported: { documentId: string }[]; failed: { path: string }[] };
    expect(outcome.imported).toHaveLength(1);
    expect(outcome.failed.map((item) => path.basename(item.path))).toEqual(['broken.pdf']);
    const id = outcome.imported[0]!.documentId;

    const again = runCli(['--vault', vault, 'import', path.join(docs, 'pathology.pdf')], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/duplicates 1/);

    const list = runCli(['--vault', vault, '--json', 'list', '--type', 'pathology'], env);
    expect(JSON.parse(list.stdout).items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(runCli(['--vault', vault, 'list', '--type', 'nonsense'], env).code).toBe(2);

    const search = runCli(['--vault', vault, 'search', 'lobular'], env);
    expect(search.code).toBe(0);
    expect(search.stdout).toContain(id);
    expect(search.stdout).toMatch(/\[lobular\]/i);

    const show = runCli(['--vault', vault, 'show', id], env);
    expect(show.stdout).toContain('2025-05-06');
    expect(show.stdout).toContain('invasive lobular carcinoma');

    const out = path.join(root, 'copy.pdf');
    expect(runCli(['--vault', vault, 'extract', id, '--out', out], env).code).toBe(0);
    expect(fs.readFileSync(out).equals(original)).toBe(true);
    expect(runCli(['--vault', vault, 'show', 'AAAAAAAAAAAA'], env).code).toBe(1);
  });
});

describe('second-opinion CLI: imaging discs', () => {
  it('import PATH takes a disc; another patient → exit 4 naming them, unless --accept-other-patient; studies lists it', async () => {
    const { buildDisc } = await import('../../fixtures/imaging/discs');
    const root = tempDir();
    const vault = path.join(root, 'vault');
    expect(runCli(['--vault', vault, 'init', '--patient-name', 'Jane Doe', '--birth-date', '1970-01-15'], { SECOND_OPINION_NEW_PASSPHRASE: PASS }).code).toBe(0);
    const disc = await buildDisc(path.join(root, 'CD'), { dicomdir: true });

    const refused = runCli(['--vault', vault, 'import', disc.root], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/someone else/);
    expect(refused.stderr).toMatch(/ROE|Richard|RICHARD/i);
    expect(JSON.parse(runCli(['--vault', vault, '--json', 'studies'], env).stdout).patients).toEqual([]);

    const accepted = runCli(['--vault', vault, '--json', 'import', disc.root, '--accept-other-patient'], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ studies: 4, series: 7, instances: { added: 12 } });
    const studies = runCli(['--vault', vault, 'studies'], env);
    expect(studies.stdout).toMatch(/CT CHEST/);
    expect(studies.stdout).toMatch(/AXIAL CT — 3 images/);
    const list = runCli(['--vault', vault, 'search', 'nodule'], env);
    expect(list.stdout).toMatch(/\[nodule\]/i);
  });
});
