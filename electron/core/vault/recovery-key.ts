import { randomBytes } from 'node:crypto';
import { hkdf } from './keys';

/**
 * The recovery key: 20 random bytes (160 bits) written in Crockford base32 as 8 groups of 4 characters,
 * e.g. `7K3M-…`. Crockford's alphabet has no I, L, O or U, so a printed key cannot be misread, and
 * typing mistakes between look-alikes (I/L vs 1, O vs 0) are forgiven on input.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_BYTES = 20;
const KEY_CHARS = 32; // 160 bits / 5 bits per character
const GROUP = 4;

export function generateRecoveryKey(): { key: string; secret: Buffer } {
  const secret = randomBytes(SECRET_BYTES);
  return { key: formatGroups(encodeBase32(secret)), secret };
}

/**
 * The canonical form (`XXXX-XXXX-…`) of what a person typed, or null when it cannot be a recovery key.
 * Accepts lowercase, spaces, missing or extra dashes, and I/L for 1, O for 0.
 */
export function normalizeRecoveryKey(input: string): string | null {
  if (input.length > 200) return null;
  const chars = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (chars.length !== KEY_CHARS) return null;
  for (const char of chars) if (!ALPHABET.includes(char)) return null;
  return formatGroups(chars);
}

/** The 20-byte secret of a recovery key in any accepted spelling, or null when malformed. */
export function recoverySecret(input: string): Buffer | null {
  const canonical = normalizeRecoveryKey(input);
  if (!canonical) return null;
  return decodeBase32(canonical.replace(/-/g, ''));
}

/**
 * Recovery secret → wrapping key. The secret already has 160 bits of entropy, so a slow KDF would add nothing
 * against guessing; HKDF with the vault id as salt is enough and keeps recovery instant.
 */
export function recoveryWrappingKey(secret: Buffer, vaultId: string): Buffer {
  return hkdf(secret, Buffer.from(vaultId, 'utf8'), 'second-opinion/v1/recovery-wrap');
}

function formatGroups(chars: string): string {
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += GROUP) groups.push(chars.slice(i, i + GROUP));
  return groups.join('-');
}

function encodeBase32(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  // 160 is a multiple of 5, so no bits are left over.
  return out;
}

function decodeBase32(chars: string): Buffer {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const char of chars) {
    acc = (acc << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 255);
    }
    acc &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}
