import type { ErrorCode } from '../../shared/errors';

/** The CLI's exit codes, documented in the README. Scripts rely on them: never renumber. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  wrongSecret: 3,
  invalidInput: 4,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'WRONG_PASSPHRASE':
    case 'WRONG_RECOVERY_KEY':
      return EXIT.wrongSecret;
    case 'INVALID_INPUT':
    case 'VAULT_DAMAGED':
    case 'BACKUP_INVALID':
    case 'WEAK_PASSPHRASE':
      return EXIT.invalidInput;
    default:
      return EXIT.failure;
  }
}
