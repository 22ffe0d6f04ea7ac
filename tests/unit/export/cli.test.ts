import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../../../electron/cli/main';
import { runCli } from '../../helpers/cli';
import { textPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';
import { sh, validatePdi } from './checks';
import { OWNER, REPORTS, writeJpegDisc, writeOwnerDisc } from './fixtures';

const PASS = 'cli passphrase for export tests';
const env = { SECOND_OPINION_PASSPHRASE: PASS };

/** The CLI in this process (fast), capturing what it prints; the real executable is run too, below. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { pass: process.env.SECOND_OPINION_PASSPHRASE, kdf: process.env.SECOND_OPINION_TEST_FAST_KDF };
  process.env.SECOND_OPINION_PASSPHRASE = PASS;
  process.env.SECOND_OPINION_TEST_FAST_KDF = '1';
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await runCliInProcess(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.env.SECOND_OPINION_PASSPHRASE = saved.pass;
    process.env.SECOND_OPINION_TEST_FAST_KDF = saved.kdf;
    if (saved.pass === undefined) delete process.env.SECOND_OPINION_PASSPHRASE;
    if (saved.kdf === undefined) delete process.env.SECOND_OPINION_TEST_FAST_KDF;
  }
}

describe('second-opinion CLI: export', () => {
  it('writes a checked packet (exit 0), refuses what does not fit (exit 4) and bad usage (exit 2)', async () => {
    const root = tempDir();
    const vault = path.join(root, 'vault');
    const cli = (args: string[]) => inProcess(['--vault', vault, ...args]);
    process.env.SECOND_OPINION_NEW_PASSPHRASE = PASS;
    try {
      expect((await cli(['init', '--patient-name', OWNER.fullName, '--birth-date', OWNER.birthDate])).code).toBe(0);
    } finally {
      delete process.env.SECOND_OPINION_NEW_PASSPHRASE;
    }
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs', 'pathology.pdf'), await textPdf([REPORTS.pathology]));
    writeOwnerDisc(path.join(root, 'ct'));
    writeJpegDisc(path.join(root, 'us'));
    const imported = await cli(['import', path.join(root, 'docs'), path.join(root, 'ct'), path.join(root, 'us')]);
    expect(imported.code, imported.stderr).toBe(0);

    // Usage mistakes: exit 2, nothing written.
    expect((await cli(['export'])).code).toBe(2);
    expect((await cli(['export', '--out', path.join(root, 'x'), '--format', 'tar'])).code).toBe(2);
    expect((await cli(['export', '--out', path.join(root, 'x'), '--all', '--documents', 'abc'])).code).toBe(2);
    expect((await cli(['export', '--out', path.join(root, 'x'), '--colour', 'blue'])).code).toBe(2);

    // JPEG images on a CD: exit 4 and the profile that fits.
    const cd = await cli(['export', '--out', path.join(root, 'cd'), '--profile', 'cd']);
    expect(cd.code).toBe(4);
    expect(cd.stderr).toMatch(/STD-GEN-CD/);
    expect(cd.stderr).toMatch(/DVD .* or USB/);
    const nothing = await cli(['export', '--out', path.join(root, 'none'), '--documents', '', '--studies', '']);
    expect(nothing.code).toBe(4);
    expect(nothing.stderr).toMatch(/Nothing is selected/);
    expect(fs.existsSync(path.join(root, 'cd')) || fs.existsSync(path.join(root, 'none')) || fs.existsSync(path.join(root, 'x'))).toBe(false);

    // The default selection on USB, as a zip; then everything as a DVD image.
    // The real executable, as a script would run it.
    const usb = runCli(['--vault', vault, '--json', 'export', '--out', path.join(root, 'packet.zip'), '--format', 'zip', '--recipient', 'Memorial Cancer Institute', '--doctor', 'Dr. Ada Lovelace', '--reason', 'Stage and plan', '--question', 'Is surgery first right?', '--question', 'Any trials?'], env);
    expect(usb.code, usb.stderr).toBe(0);
    const result = JSON.parse(usb.stdout) as { path: string; profile: string; profileName: string; studies: number; documents: number; check: { ok: boolean }; manifestSha256: string };
    expect(result).toMatchObject({ profile: 'usb', profileName: 'STD-GEN-USB-JPEG', studies: 3, documents: 2, check: { ok: true } });
    const extracted = path.join(root, 'usb-x');
    fs.mkdirSync(extracted);
    expect(sh('unzip', ['-q', result.path, '-d', extracted]).code).toBe(0);
    expect(validatePdi(extracted, '-Pfl').code).toBe(0);
    expect(sh('pdftotext', [path.join(extracted, 'COVER.PDF'), '-']).out).toContain('Any trials?');

    const dvd = await cli(['export', '--out', path.join(root, 'packet.iso'), '--format', 'iso', '--all']);
    expect(dvd.code, dvd.stderr).toBe(0);
    expect(dvd.stdout).toMatch(/profile STD-GEN-DVD-JPEG/);
    expect(dvd.stdout).toMatch(/Check: read back \d+ files/);

    const packets = await cli(['--json', 'packets']);
    expect(packets.code).toBe(0);
    const { items } = JSON.parse(packets.stdout) as { items: { manifestSha256: string; format: string }[] };
    expect(items.map((item) => item.format).sort()).toEqual(['iso', 'zip']);
    expect(items.map((item) => item.manifestSha256)).toContain(result.manifestSha256);
  });
});
