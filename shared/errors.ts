import { z } from 'zod';

/**
 * Every error that crosses the contract has a code (for programs) and a message (for people).
 * Messages are written for a patient at home: what happened and what to do next.
 * They never contain record content (names, dates, text) — only the kind of problem.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_OPERATION',
  'NO_VAULT',
  'VAULT_EXISTS',
  'LOCKED',
  'WRONG_PASSPHRASE',
  'WRONG_RECOVERY_KEY',
  'WEAK_PASSPHRASE',
  'VAULT_FROM_NEWER_VERSION',
  'VAULT_DAMAGED',
  'BACKUP_INVALID',
  'DESTINATION_NOT_EMPTY',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'DISK_FULL',
  'IO_ERROR',
  'BUSY',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const appErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export type AppErrorShape = z.infer<typeof appErrorSchema>;

/** Default wording per code, used when a service has nothing more specific to say. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Some of the information given is not in the expected form. Please check it and try again.',
  UNKNOWN_OPERATION: 'The app asked for something it does not know how to do. Please restart the app.',
  NO_VAULT: 'There is no vault here yet. Create one first.',
  VAULT_EXISTS: 'A vault already exists in this folder. Unlock it instead, or choose another folder.',
  LOCKED: 'The vault is locked. Unlock it with your passphrase to continue.',
  WRONG_PASSPHRASE: 'That passphrase is not right. Check for typing mistakes and Caps Lock, then try again.',
  WRONG_RECOVERY_KEY: 'That recovery key is not right. Check each group of characters against your printed copy.',
  WEAK_PASSPHRASE: 'Please choose a longer passphrase: at least 10 characters, ideally a few unrelated words.',
  VAULT_FROM_NEWER_VERSION:
    'This vault was last used by a newer version of Second Opinion. Please update the app to open it; nothing has been changed.',
  VAULT_DAMAGED:
    'Part of the vault could not be read. Nothing has been changed. Restore from a backup, or run “Check vault” to see what is affected.',
  BACKUP_INVALID: 'This file is not a Second Opinion backup, or it is damaged. Nothing has been changed.',
  DESTINATION_NOT_EMPTY: 'That folder is not empty. Choose an empty folder so nothing gets overwritten.',
  NOT_FOUND: 'That item could not be found. It may have been moved to the trash.',
  PERMISSION_DENIED: 'The app is not allowed to read or write there. Choose another place or check the folder’s permissions.',
  DISK_FULL: 'The disk is full. Free some space and try again; nothing already in the vault was changed.',
  IO_ERROR: 'The disk could not be read or written. Check that the drive is connected and try again.',
  BUSY: 'The app is still finishing another task. Please wait a moment and try again.',
  CANCELLED: 'Stopped as you asked. Nothing was left half-done.',
  INTERNAL: 'Something went wrong inside the app. Nothing in the vault was changed. Please try again.',
};

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = DEFAULT_MESSAGES[code]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }

  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
