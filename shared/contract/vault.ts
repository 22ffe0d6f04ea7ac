import { z } from 'zod';
import { empty, filePath, isoDate, isoInstant, passphrase, text } from './common';

/** The person whose records the vault holds. Used later to catch records of someone else. */
export const patientProfile = z.strictObject({
  fullName: text(200).pipe(z.string().min(1, 'is required')),
  birthDate: isoDate,
  sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  identifiers: z
    .array(
      z.strictObject({
        label: text(80).pipe(z.string().min(1)),
        value: text(80).pipe(z.string().min(1)),
      }),
    )
    .max(20)
    .optional(),
});
export type PatientProfile = z.infer<typeof patientProfile>;

export const vaultState = z.enum(['absent', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof vaultState>;

export const vaultStatus = z.object({
  state: vaultState,
  /** Folder of the vault on this computer (shown so people can find and back it up). */
  location: z.string(),
  /** How the current session was unlocked, so the UI can suggest setting a new passphrase after recovery. */
  unlockedWith: z.enum(['passphrase', 'recoveryKey']).nullable(),
  autoLockMinutes: z.number().int(),
});
export type VaultStatus = z.infer<typeof vaultStatus>;

export const vaultOverview = z.object({
  profile: patientProfile,
  createdAt: isoInstant,
  counts: z.object({
    documents: z.number().int().nonnegative(),
    studies: z.number().int().nonnegative(),
    opinions: z.number().int().nonnegative(),
    storedFiles: z.number().int().nonnegative(),
  }),
  storedBytes: z.number().int().nonnegative(),
  lastBackup: z.object({ at: isoInstant, path: z.string(), bytes: z.number().int() }).nullable(),
  lastCheck: z.object({ at: isoInstant, ok: z.boolean() }).nullable(),
});
export type VaultOverview = z.infer<typeof vaultOverview>;

export const verifyProblem = z.object({
  kind: z.enum(['database', 'file', 'missing-file', 'header']),
  /** Which stored item is affected: an opaque id, never record content. */
  item: z.string(),
  message: z.string(),
});

export const verifyReport = z.object({
  ok: z.boolean(),
  databaseOk: z.boolean(),
  checkedFiles: z.number().int().nonnegative(),
  checkedBytes: z.number().int().nonnegative(),
  problems: z.array(verifyProblem),
  at: isoInstant,
});
export type VerifyReport = z.infer<typeof verifyReport>;

export const settings = z.object({
  autoLockMinutes: z.number().int().min(1).max(240),
});
export type Settings = z.infer<typeof settings>;

/** Secrets that prove who is asking; exactly one is given. */
const proof = z.union([
  z.strictObject({ passphrase }),
  z.strictObject({ recoveryKey: z.string().min(1).max(200) }),
]);

export const vaultOperations = {
  'vault.status': {
    summary: 'Whether a vault exists here and whether it is unlocked.',
    needsUnlock: false,
    input: empty,
    output: vaultStatus,
  },
  'vault.create': {
    summary: 'Create a new vault for a patient and unlock it. Returns the recovery key, shown once.',
    needsUnlock: false,
    input: z.strictObject({ profile: patientProfile, passphrase }),
    output: z.object({ recoveryKey: z.string() }),
  },
  'vault.unlock': {
    summary: 'Unlock the vault with the passphrase or the recovery key.',
    needsUnlock: false,
    input: proof,
    output: vaultStatus,
  },
  'vault.lock': {
    summary: 'Close the database and wipe key material from memory.',
    needsUnlock: false,
    input: empty,
    output: vaultStatus,
  },
  'vault.changePassphrase': {
    summary: 'Set a new passphrase, proven by the current passphrase or the recovery key. Re-wraps the key only.',
    needsUnlock: false,
    input: z.strictObject({ proof, newPassphrase: passphrase }),
    output: z.object({ changedAt: isoInstant }),
  },
  'vault.overview': {
    summary: 'Profile, counts, last backup and last check.',
    needsUnlock: true,
    input: empty,
    output: vaultOverview,
  },
  'vault.verify': {
    summary: 'Check the database and decrypt every stored file against its recorded hash.',
    needsUnlock: true,
    input: empty,
    output: verifyReport,
  },
  'vault.backup': {
    summary: 'Write the whole vault to one encrypted backup file (default: the backups folder).',
    needsUnlock: true,
    input: z.strictObject({ destination: filePath.optional() }),
    output: z.object({ path: z.string(), bytes: z.number().int(), at: isoInstant }),
  },
  'vault.restore': {
    summary: 'Restore a backup file into this (empty) vault location.',
    needsUnlock: false,
    input: z.strictObject({ source: filePath, proof }),
    output: vaultStatus,
  },
  'settings.get': {
    summary: 'App settings stored in the vault.',
    needsUnlock: true,
    input: empty,
    output: settings,
  },
  'settings.update': {
    summary: 'Change app settings.',
    needsUnlock: true,
    input: settings.partial().strict(),
    output: settings,
  },
} as const;
