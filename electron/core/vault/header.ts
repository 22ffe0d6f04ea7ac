import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from './fs-util';
import { kdfParams, wrappedKey } from './keys';

/**
 * `vault.json`: the only file in a vault folder readable without a key. It holds nothing secret: which format this
 * is, the KDF parameters, and the data key wrapped once by the passphrase and once by the recovery key.
 */

export const HEADER_FILE = 'vault.json';
export const VAULT_FORMAT = 'second-opinion-vault';
export const VAULT_FORMAT_VERSION = 1;
/** Headers are tiny; anything bigger is not ours, and refusing it early bounds what we parse. */
const MAX_HEADER_BYTES = 64 * 1024;

export const vaultHeader = z.strictObject({
  format: z.literal(VAULT_FORMAT),
  formatVersion: z.literal(VAULT_FORMAT_VERSION),
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.string().datetime({ offset: true }),
  kdf: kdfParams,
  wrappedKeys: z.strictObject({
    passphrase: wrappedKey,
    recoveryKey: wrappedKey,
  }),
});
export type VaultHeader = z.infer<typeof vaultHeader>;

export function headerPath(dir: string): string {
  return path.join(dir, HEADER_FILE);
}

/**
 * Parses header text. The format name and version are checked before the full schema, because a newer version may
 * legitimately change the rest of the schema and deserves "update the app", not "damaged".
 * `damagedCode` lets a backup reader report BACKUP_INVALID instead of VAULT_DAMAGED.
 */
export function parseHeader(text: string, damagedCode: 'VAULT_DAMAGED' | 'BACKUP_INVALID' = 'VAULT_DAMAGED'): VaultHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(damagedCode);
  }
  const envelope = z.object({ format: z.literal(VAULT_FORMAT), formatVersion: z.number().int() }).safeParse(json);
  if (!envelope.success) throw new AppError(damagedCode);
  if (envelope.data.formatVersion > VAULT_FORMAT_VERSION) throw new AppError('VAULT_FROM_NEWER_VERSION');
  const parsed = vaultHeader.safeParse(json);
  if (!parsed.success) throw new AppError(damagedCode);
  return parsed.data;
}

export function serializeHeader(header: VaultHeader): string {
  return `${JSON.stringify(vaultHeader.parse(header), null, 2)}\n`;
}

/** NO_VAULT when there is no header, VAULT_DAMAGED when it cannot be understood. */
export async function readHeader(dir: string): Promise<VaultHeader> {
  const text = await readHeaderText(dir);
  return parseHeader(text);
}

/** The raw header text, as stored (a backup copies it verbatim). */
export async function readHeaderText(dir: string): Promise<string> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(headerPath(dir), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NO_VAULT');
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_HEADER_BYTES) throw new AppError('VAULT_DAMAGED');
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Atomic replace: a crash leaves the old header or the new one, never a torn one. */
export async function writeHeader(dir: string, header: VaultHeader): Promise<void> {
  await writeFileAtomic(headerPath(dir), serializeHeader(header));
}
