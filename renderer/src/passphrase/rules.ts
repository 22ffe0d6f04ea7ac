import type { Strength } from './strength';

export const MIN_PASSPHRASE_LENGTH = 10;
/** zxcvbn score needed to continue: 2 is "fair" (hard to guess for someone trying online, slow offline). */
export const MIN_PASSPHRASE_SCORE = 2;

/** Counts characters as people see them (an emoji is one), not UTF-16 units. */
export function visibleLength(value: string): number {
  return [...value].length;
}

/** Why a new passphrase cannot be used yet, in words, or null when it can. */
export function newPassphraseProblem(passphrase: string, confirm: string, strength: Strength | null): string | null {
  const length = visibleLength(passphrase);
  if (length === 0) return 'Please choose a passphrase.';
  if (length < MIN_PASSPHRASE_LENGTH) {
    return `Your passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters (it has ${length}).`;
  }
  if (strength && strength.score < MIN_PASSPHRASE_SCORE) {
    return 'This passphrase would be too easy to guess. Add another word or two that do not belong together.';
  }
  if (confirm !== passphrase) return 'The two passphrases are not the same. Please type it again in the second box.';
  return null;
}
