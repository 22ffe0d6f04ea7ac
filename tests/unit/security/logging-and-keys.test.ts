import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, silentLogger } from '../../../electron/core/log';
import { must, TEST_PASSPHRASE, TEST_PROFILE, testCore } from '../../helpers/core';
import { listFiles, tempDir } from '../../helpers/temp';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(m|c)?(t|j)sx?$/.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
}
const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/**
 * Checklist item 23 (logs contain no PHI), the design half: the app's logger takes a fixed event name and a record
 * of facts, never free text, and every place that logs uses a literal event name and facts from a reviewed list of
 * non-identifying keys. The behaviour half — a full import/export with a recognisable patient leaves no trace in any
 * log — is no-patient-data-in-logs.test.ts.
 */
describe('logging (item 23)', () => {
  it('the logger writes one JSON record per event and refuses free text as an event name', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.info('documents.imported', { imported: 2, failed: 0 });
    log.warn('Imported the pathology report of Jane Doe');
    log.error('vault.locked', { reason: 'user' });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => [record.level, record.event])).toEqual([
      ['info', 'documents.imported'],
      ['warn', 'invalid-event-name'],
      ['error', 'vault.locked'],
    ]);
    expect(lines.join('\n')).not.toContain('Jane');
    expect(records[0]).toMatchObject({ imported: 2, failed: 0 });
    expect(typeof records[0]!.at).toBe('string');
    // The silent logger (tests, the CLI without SECOND_OPINION_LOG) writes nowhere: not to stdout/stderr, not to the console.
    const writes = [
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => undefined)),
    ];
    let calls: number[];
    try {
      silentLogger.info('documents.imported', { imported: 1 });
      silentLogger.warn('Imported the pathology report of Jane Doe');
      silentLogger.error('vault.locked', { reason: 'user' });
    } finally {
      // Counted before mockRestore(), which also clears the recorded calls.
      calls = writes.map((spy) => spy.mock.calls.length);
      for (const spy of writes) spy.mockRestore();
    }
    expect(calls).toEqual(writes.map(() => 0));
  });

  it('every log call in the app uses a literal event name and only reviewed, non-identifying fact keys', () => {
    // Adding a key here is a review: it must never carry names, dates of birth, record text, titles or paths.
    const REVIEWED_FACT_KEYS = new Set([
      'added', 'bytes', 'channel', 'code', 'conflicts', 'duplicates', 'failed', 'files', 'imported', 'name',
      'ok', 'operation', 'patients', 'problems', 'reason', 'skipped', 'type', 'with',
    ]);
    const calls: string[] = [];
    const problems: string[] = [];
    for (const file of sources('electron/core', 'electron/main')) {
      const text = fs.readFileSync(file, 'utf8');
      const callPattern = file.endsWith(path.join('electron', 'main', 'index.ts')) ? /\blog\.(?:info|warn|error)\(|(?<![.\w])warn\(/g : /\blog\.(?:info|warn|error)\(/g;
      for (const match of text.matchAll(callPattern)) {
        const after = text.slice(match.index + match[0].length);
        if (/^event: string/.test(after)) continue; // the definition of main's warn()
        const call = /^\s*'([a-z][a-z0-9.:_-]*)'\s*(?:,\s*\{([^{}]*)\})?\s*\)/.exec(after);
        const where = `${rel(file)}:${text.slice(0, match.index).split('\n').length}`;
        if (!call) {
          problems.push(`${where}: log call without a literal event name and an object literal of facts`);
          continue;
        }
        calls.push(call[1]!);
        for (const part of (call[2] ?? '').split(',')) {
          const key = part.split(':')[0]!.trim();
          if (key !== '' && !REVIEWED_FACT_KEYS.has(key)) problems.push(`${where}: fact "${key}" in ${call[1]} is not on the reviewed list`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toEqual(expect.arrayContaining(['vault.unlocked', 'documents.imported', 'imaging.imported', 'dispatch.unexpected-error']));
  });

  it('nothing in the core, main or preload prints with console.log/info/debug (their output ends up in log files)', () => {
    const offenders = sources('electron/core', 'electron/main', 'electron/preload', 'shared')
      .filter((file) => /\bconsole\.(log|info|debug|trace)\(/.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });
});

/**
 * Checklist item 16 (key handling with safeStorage) does not apply as written: the app has no "remember this
 * device" option, so no key is ever stored outside the vault header, wrapped by the passphrase or recovery key.
 * These tests keep it that way; adding safeStorage (or any OS keychain) must come with item 16's tests
 * (basic_text/unknown backend refused, backend change → passphrase prompt, decrypt failure → passphrase path).
 */
describe('no remembered keys (item 16)', () => {
  it('no source uses safeStorage or an OS keychain', () => {
    const offenders = sources('electron', 'shared', 'renderer/src')
      .filter((file) => !rel(file).startsWith('electron/bridge/'))
      .filter((file) => /\bsafeStorage\b|\bkeytar\b|libsecret|SecKeychain|CredWrite|rememberDevice|remember-device/i.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('creating, unlocking and locking a vault writes nothing outside the vault folder', async () => {
    const root = tempDir('so-no-key-cache-');
    const vaultDir = path.join(root, 'vault');
    const { core, backupDir, exportDir } = testCore({ vaultDir });
    const home = tempDir('so-home-');
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      await must(core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
      await must(core, 'vault.lock', {});
      await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
      await must(core, 'settings.update', { autoLockMinutes: 5 });
      await must(core, 'vault.lock', {});
    } finally {
      process.env.HOME = savedHome;
      await core.close();
    }
    expect(fs.readdirSync(root)).toEqual(['vault']);
    expect(listFiles(home)).toEqual([]);
    for (const dir of [backupDir, exportDir]) expect(fs.existsSync(dir) ? listFiles(dir) : []).toEqual([]);
    // The vault header holds the wrapped keys only (keys.test.ts checks it has no key material in the clear).
    expect(fs.readdirSync(vaultDir).sort()).toEqual(expect.arrayContaining(['vault.db', 'vault.json']));
  });
});
