import { parseArgs } from 'node:util';
import { singleArgument } from '../args';
import { EXIT } from '../exit-codes';
import { readNewSecret } from '../secrets';
import { readProof } from '../session';
import { UsageError } from '../usage';
import type { Command } from './command';

const init: Command = {
  name: 'init',
  async run(session, args) {
    const { values } = parseArgs({
      args,
      options: {
        'patient-name': { type: 'string' },
        'birth-date': { type: 'string' },
        sex: { type: 'string' },
      },
      strict: true,
    });
    const fullName = values['patient-name'];
    const birthDate = values['birth-date'];
    if (!fullName || !birthDate) throw new UsageError('init needs --patient-name NAME and --birth-date YYYY-MM-DD.');
    // For a new vault SECOND_OPINION_PASSPHRASE is the passphrase to set, as SECOND_OPINION_NEW_PASSPHRASE is.
    const passphrase =
      process.env.SECOND_OPINION_NEW_PASSPHRASE ??
      process.env.SECOND_OPINION_PASSPHRASE ??
      (await readNewSecret('SECOND_OPINION_NEW_PASSPHRASE', 'New passphrase'));
    const profile = { fullName, birthDate, ...(values.sex ? { sex: values.sex as 'female' } : {}) };
    const { recoveryKey } = await session.call('vault.create', { profile, passphrase });
    const status = await session.call('vault.status', {});
    session.print(
      [
        `Vault created in ${status.location}.`,
        '',
        'Your recovery key (shown only now — print it or write it down and keep it somewhere safe):',
        '',
        `    ${recoveryKey}`,
        '',
        'If you ever forget your passphrase, this key is the only way back into your records.',
      ].join('\n'),
      { location: status.location, recoveryKey },
    );
    return EXIT.ok;
  },
};

const status: Command = {
  name: 'status',
  async run(session) {
    const current = await session.call('vault.status', {});
    if (current.state === 'absent') {
      session.print(`No vault in ${current.location}. Create one with: second-opinion init`, current);
      return EXIT.ok;
    }
    await session.unlock();
    const overview = await session.call('vault.overview', {});
    const lines = [
      `Vault: ${current.location}`,
      `Patient: ${overview.profile.fullName}, born ${overview.profile.birthDate}`,
      `Documents: ${overview.counts.documents}   Imaging studies: ${overview.counts.studies}   Opinions: ${overview.counts.opinions}`,
      `Stored files: ${overview.counts.storedFiles} (${formatBytes(overview.storedBytes)})`,
      `Last backup: ${overview.lastBackup ? `${overview.lastBackup.at} → ${overview.lastBackup.path}` : 'never'}`,
      `Last check: ${overview.lastCheck ? `${overview.lastCheck.at} (${overview.lastCheck.ok ? 'all good' : 'problems found'})` : 'never'}`,
    ];
    session.print(lines.join('\n'), { ...current, state: 'locked', overview });
    return EXIT.ok;
  },
};

const verify: Command = {
  name: 'verify',
  async run(session) {
    await session.unlock();
    const report = await session.call('vault.verify', {});
    const human = report.ok
      ? `The vault is in good order: database checked, ${report.checkedFiles} stored files decrypted and matched.`
      : [
          `Problems found (${report.problems.length}). Nothing was changed. Restore from a backup if you have one.`,
          ...report.problems.map((problem) => `  - ${problem.kind} ${problem.item}: ${problem.message}`),
        ].join('\n');
    session.print(human, report);
    return report.ok ? EXIT.ok : EXIT.invalidInput;
  },
};

const passwd: Command = {
  name: 'passwd',
  async run(session) {
    const proof = await readProof();
    const newPassphrase = await readNewSecret('SECOND_OPINION_NEW_PASSPHRASE', 'New passphrase');
    const result = await session.call('vault.changePassphrase', { proof, newPassphrase });
    session.print('Passphrase changed. Use the new one from now on; your recovery key still works.', result);
    return EXIT.ok;
  },
};

const backup: Command = {
  name: 'backup',
  async run(session, args) {
    const destination = singleArgument(args, 'backup FILE');
    await session.unlock();
    const result = await session.call('vault.backup', { destination });
    session.print(`Backup written: ${result.path} (${formatBytes(result.bytes)}).`, result);
    return EXIT.ok;
  },
};

const restore: Command = {
  name: 'restore',
  async run(session, args) {
    const source = singleArgument(args, 'restore FILE');
    const proof = await readProof();
    const result = await session.call('vault.restore', { source, proof });
    session.print(`Backup restored into ${result.location}. Unlock it with the passphrase it had when backed up.`, result);
    return EXIT.ok;
  },
};


export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export const vaultCommands: Command[] = [init, status, verify, passwd, backup, restore];
