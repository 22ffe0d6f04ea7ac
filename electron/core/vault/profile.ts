import type Database from 'better-sqlite3-multiple-ciphers';
import { patientProfile, type PatientProfile } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';

interface ProfileRow {
  full_name: string;
  birth_date: string;
  sex: string | null;
  identifiers: string;
  created_at: string;
}

/** The vault owner's profile, re-validated: a row that no longer fits the schema is damage, not data to show. */
export function readProfile(db: Database.Database): PatientProfile & { createdAt: string } {
  const row = db
    .prepare('SELECT full_name, birth_date, sex, identifiers, created_at FROM profile WHERE id = 1')
    .get() as ProfileRow | undefined;
  if (!row) throw new AppError('VAULT_DAMAGED');
  const identifiers = JSON.parse(row.identifiers) as unknown;
  const parsed = patientProfile.safeParse({
    fullName: row.full_name,
    birthDate: row.birth_date,
    ...(row.sex ? { sex: row.sex } : {}),
    ...(Array.isArray(identifiers) && identifiers.length > 0 ? { identifiers } : {}),
  });
  if (!parsed.success) throw new AppError('VAULT_DAMAGED');
  return { ...parsed.data, createdAt: row.created_at };
}
