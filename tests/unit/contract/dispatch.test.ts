import { describe, expect, it } from 'vitest';
import { contract, OPERATION_NAMES } from '../../../shared/contract';
import { ERROR_CODES } from '../../../shared/errors';
import { createdCore, must, TEST_PASSPHRASE, TEST_PROFILE, testCore } from '../../helpers/core';

// Hostile or malformed inputs every operation must turn into INVALID_INPUT (checklist item 5).
const BAD_INPUTS: unknown[] = [
  null,
  42,
  'a string',
  [],
  { unexpectedKey: true },
  { passphrase: 'x'.repeat(2_000_000) },
  { destination: '../../etc/passwd\u0000' },
  { profile: { fullName: 123, birthDate: '1971-02-31' }, passphrase: TEST_PASSPHRASE },
];

describe('dispatch', () => {
  it('rejects unknown operations without running anything', async () => {
    const { core } = testCore();
    for (const name of ['vault.delete', '__proto__', 'constructor', 'toString', '', 42]) {
      const result = await core.call(name, {});
      expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_OPERATION', message: expect.any(String) } });
    }
  });

  it('rejects malformed input for every operation with INVALID_INPUT, never echoing the values', async () => {
    const { core } = await createdCore();
    for (const operation of OPERATION_NAMES) {
      for (const input of BAD_INPUTS) {
        const parsed = contract[operation].input.safeParse(input ?? {});
        if (parsed.success) continue; // e.g. `null` is an acceptable "no input" for operations without fields
        const result = await core.call(operation, input);
        expect(result.ok, `${operation} accepted ${JSON.stringify(input)?.slice(0, 80)}`).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe('INVALID_INPUT');
        expect(result.error.message).not.toContain(TEST_PASSPHRASE);
        expect(result.error.message).not.toContain('xxxxxxxx');
        expect(result.error.message).not.toContain('etc/passwd');
      }
    }
  });

  it('refuses every operation that needs an unlocked vault once it is locked (checklist item 6)', async () => {
    const { core } = await createdCore();
    await must(core, 'vault.lock', {});
    const guarded = OPERATION_NAMES.filter((name) => contract[name].needsUnlock);
    expect(guarded.length).toBeGreaterThan(3);
    for (const operation of guarded) {
      const result = await core.call(operation, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('LOCKED');
    }
  });

  it('returns only the fields the contract promises', async () => {
    const { core } = await createdCore();
    const status = await must(core, 'vault.status', {});
    expect(Object.keys(status).sort()).toEqual(['autoLockMinutes', 'location', 'state', 'unlockedWith']);
  });

  it('never lets record content into error messages (checklist item 23)', async () => {
    const { core } = testCore();
    await must(core, 'vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
    const again = await core.call('vault.create', { profile: TEST_PROFILE, passphrase: TEST_PASSPHRASE });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('VAULT_EXISTS');
      expect(again.error.message).not.toContain(TEST_PROFILE.fullName);
    }
    await must(core, 'vault.lock', {});
    const wrong = await core.call('vault.unlock', { passphrase: 'not the passphrase at all' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    if (!wrong.ok) expect(wrong.error.message).not.toContain('not the passphrase');
  });

  it('has a patient-readable default message for every error code', async () => {
    const { DEFAULT_MESSAGES } = await import('../../../shared/errors');
    for (const code of ERROR_CODES) {
      expect(DEFAULT_MESSAGES[code].length).toBeGreaterThan(20);
      expect(DEFAULT_MESSAGES[code]).toMatch(/^[A-Z]/);
    }
  });
});
