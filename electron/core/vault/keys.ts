import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { hashRaw, type Options as Argon2Options } from '@node-rs/argon2';
import { z } from 'zod';

/**
 * Key material of a vault. One random data key encrypts everything; it never changes, so changing the passphrase
 * only re-wraps 32 bytes. The data key is never used directly: each use gets its own HKDF subkey, so a weakness in
 * one use (say, a file-name HMAC) cannot leak keys of another.
 */

export const KEY_BYTES = 32;
export const SALT_BYTES = 16;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;

export const kdfParams = z.strictObject({
  algorithm: z.literal('argon2id'),
  // Bounds protect unlock from a tampered header asking for absurd work; the lower bound is Argon2's own minimum.
  memoryKiB: z.number().int().min(8).max(4 * 1024 * 1024),
  passes: z.number().int().min(1).max(64),
  parallelism: z.number().int().min(1).max(16),
  /** Base64 of the per-vault random salt. */
  salt: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(64),
});
export type KdfParams = z.infer<typeof kdfParams>;

/** The tunable cost of the KDF, without the salt. Tests pass cheaper costs; production uses DEFAULT_KDF_COST. */
export type KdfCost = Pick<KdfParams, 'memoryKiB' | 'passes' | 'parallelism'>;

/** 64 MiB, 3 passes: ~60–150 ms here, and costly enough per guess for an offline attacker. */
export const DEFAULT_KDF_COST: Readonly<KdfCost> = Object.freeze({ memoryKiB: 65536, passes: 3, parallelism: 1 });

/** Fresh KDF parameters (new salt) at the given cost. */
export function newKdfParams(cost: KdfCost = DEFAULT_KDF_COST): KdfParams {
  return { algorithm: 'argon2id', ...cost, salt: randomBytes(SALT_BYTES).toString('base64') };
}

export function randomDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * NFC so the same visible passphrase typed through different keyboards or input methods gives the same key.
 * Exported so strength checks count the same characters the KDF sees.
 */
export function normalizePassphrase(passphrase: string): string {
  return passphrase.normalize('NFC');
}

/** Passphrase → 32-byte wrapping key (Argon2id). Runs on libuv's thread pool, so the event loop stays free. */
export async function deriveWrappingKey(passphrase: string, params: KdfParams): Promise<Buffer> {
  const options: Argon2Options = {
    // 2 = Argon2id. The package exports it as an ambient const enum, which isolatedModules cannot reference.
    algorithm: 2,
    memoryCost: params.memoryKiB,
    timeCost: params.passes,
    parallelism: params.parallelism,
    outputLen: KEY_BYTES,
    salt: Buffer.from(params.salt, 'base64'),
  };
  const secret = Buffer.from(normalizePassphrase(passphrase), 'utf8');
  try {
    return await hashRaw(secret, options);
  } finally {
    // Our copy of the passphrase bytes; the JS string itself cannot be wiped.
    wipe(secret);
  }
}

export const wrappedKey = z.strictObject({
  nonce: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(32),
  /** Base64 of ciphertext || 16-byte GCM tag. */
  ciphertext: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(128),
});
export type WrappedKey = z.infer<typeof wrappedKey>;

export type WrapPurpose = 'passphrase' | 'recoveryKey';

/**
 * The AAD binds a wrapped key to its vault and slot, so a slot copied from another vault or swapped between
 * the passphrase and recovery slots fails authentication instead of being silently accepted.
 */
function wrapAad(vaultId: string, purpose: WrapPurpose): Buffer {
  return Buffer.from(`second-opinion/vault-key/v1\u0000${vaultId}\u0000${purpose}`, 'utf8');
}

export function wrapKey(wrappingKey: Buffer, dataKey: Buffer, vaultId: string, purpose: WrapPurpose): WrappedKey {
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, nonce);
  cipher.setAAD(wrapAad(vaultId, purpose));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return { nonce: nonce.toString('base64'), ciphertext: body.toString('base64') };
}

/** The data key, or null when the wrapping key is wrong (GCM authentication failed). */
export function unwrapKey(wrappingKey: Buffer, wrapped: WrappedKey, vaultId: string, purpose: WrapPurpose): Buffer | null {
  const nonce = Buffer.from(wrapped.nonce, 'base64');
  const body = Buffer.from(wrapped.ciphertext, 'base64');
  if (nonce.length !== GCM_NONCE_BYTES || body.length !== KEY_BYTES + GCM_TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, nonce);
  decipher.setAAD(wrapAad(vaultId, purpose));
  decipher.setAuthTag(body.subarray(KEY_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, KEY_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export type SubkeyPurpose = 'database' | 'blobs' | 'blobNames' | 'backup';

/** HKDF-SHA256 subkey for one use of the data key. The info string separates the uses. */
export function deriveSubkey(dataKey: Buffer, purpose: SubkeyPurpose): Buffer {
  return hkdf(dataKey, Buffer.alloc(0), `second-opinion/v1/${purpose}`);
}

/** HKDF-SHA256 to a 32-byte key, returned as a Buffer we own (so it can be wiped). */
export function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), KEY_BYTES));
}

/** Zero-fills key material. Best effort: copies made inside OpenSSL or SQLite are theirs to clear. */
export function wipe(buf: Buffer | null | undefined): void {
  buf?.fill(0);
}
