import type Database from 'better-sqlite3-multiple-ciphers';
import type { Vault } from '../vault/vault';
import { readProfile } from '../vault/profile';
import {
  checkPatient,
  classifyDocument,
  guessClinician,
  guessFacility,
  guessServiceDate,
  guessTitle,
} from './analysis/classify';
import { documentText, replaceGuesses, type Guesses, type NewDocument, type PageText } from './store';

/**
 * Everything the app guesses about a document from its text: type (with the reason shown to the person),
 * service date (never the birth date), facility, clinician, title — and whether it names someone else.
 */
export function analyzeText(
  db: Database.Database,
  pages: readonly PageText[],
): { guesses: Guesses; mismatches: NewDocument['patientMismatches'] } {
  const text = pages.map((page) => page.text).join('\n\n');
  const profile = readProfile(db);
  const classification = classifyDocument(text);
  const date = guessServiceDate(text, { birthDate: profile.birthDate });
  const facility = guessFacility(text);
  const clinician = guessClinician(text);
  const title = text.trim() ? guessTitle(text, classification.type) : null;
  return {
    guesses: {
      type: { value: classification.type, reason: classification.reason },
      serviceDate: { value: date?.date ?? null, reason: date?.reason ?? null },
      facility: { value: facility?.name ?? null, reason: facility?.reason ?? null },
      clinician: { value: clinician?.name ?? null, reason: clinician?.reason ?? null },
      title: { value: title, reason: null },
    },
    mismatches: checkPatient(text, profile).map((mismatch) => ({ kind: mismatch.field, found: mismatch.found })),
  };
}

/** Guesses again from the stored text (e.g. after the analyser improved). Corrections are never touched. */
export function reanalyzeDocument(vault: Vault, id: string): void {
  const pages = documentText(vault.db, id);
  const { guesses, mismatches } = analyzeText(vault.db, pages);
  replaceGuesses(vault.db, id, guesses, mismatches);
}
