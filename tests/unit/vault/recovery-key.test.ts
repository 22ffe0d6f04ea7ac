import { describe, expect, it } from 'vitest';
import { generateRecoveryKey, normalizeRecoveryKey, recoverySecret } from '../../../electron/core/vault/recovery-key';

describe('recovery key', () => {
  it('is 8 groups of 4 Crockford base32 characters encoding 20 random bytes', () => {
    const { key, secret } = generateRecoveryKey();
    expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    expect(secret).toHaveLength(20);
    expect(recoverySecret(key)?.equals(secret)).toBe(true);
    expect(generateRecoveryKey().key).not.toBe(key);
  });

  it('round-trips many random keys', () => {
    for (let i = 0; i < 200; i += 1) {
      const { key, secret } = generateRecoveryKey();
      expect(recoverySecret(key)?.equals(secret)).toBe(true);
    }
  });

  it('normalizes lowercase, spaces, missing dashes and look-alike letters', () => {
    const canonical = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789';
    expect(normalizeRecoveryKey(canonical)).toBe(canonical);
    expect(normalizeRecoveryKey('abcdefghjkmnpqrstvwxyz0123456789')).toBe(canonical);
    expect(normalizeRecoveryKey(' abcd efgh jkmn pqrs  tvwx yz01 2345 6789 ')).toBe(canonical);
    expect(normalizeRecoveryKey('ABCD-EFGH-JKMN-PQRS-TVWX-YZ0I-2345-6789')).toBe(canonical);
    expect(normalizeRecoveryKey('ABCD-EFGH-JKMN-PQRS-TVWX-YZ0l-2345-6789')).toBe(canonical);
    expect(normalizeRecoveryKey('ABCD-EFGH-JKMN-PQRS-TVWX-YZO1-2345-6789')).toBe(canonical);
    expect(normalizeRecoveryKey('ABCD--EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789')).toBe(canonical);
  });

  it('returns null for malformed input', () => {
    expect(normalizeRecoveryKey('')).toBeNull();
    expect(normalizeRecoveryKey('ABCD-EFGH')).toBeNull();
    expect(normalizeRecoveryKey('ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-67890')).toBeNull();
    expect(normalizeRecoveryKey('UBCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789')).toBeNull();
    expect(normalizeRecoveryKey('ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-678!')).toBeNull();
    expect(normalizeRecoveryKey('x'.repeat(1000))).toBeNull();
    expect(recoverySecret('not a key')).toBeNull();
  });
});
