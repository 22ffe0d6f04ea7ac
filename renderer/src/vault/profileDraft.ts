import type { DateValue } from 'react-aria-components';
import type { PatientProfile } from '../../../shared/contract';
import type { SexChoice } from './SexField';

export interface ProfileDraft {
  fullName: string;
  birthDate: DateValue | null;
  sex: SexChoice;
}

export const emptyProfileDraft: ProfileDraft = { fullName: '', birthDate: null, sex: 'unstated' };

export interface ProfileProblems {
  fullName: string | null;
  birthDate: string | null;
}

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function profileProblems(draft: ProfileDraft): ProfileProblems {
  const name = draft.fullName.trim();
  let birthDate: string | null = null;
  if (!draft.birthDate) birthDate = 'Please enter the date of birth.';
  else {
    const iso = draft.birthDate.toString().slice(0, 10);
    if (iso > todayIso()) birthDate = 'The date of birth cannot be in the future.';
    else if (iso < '1900-01-01') birthDate = 'Please check the year of birth.';
  }
  return {
    fullName: name ? (name.length > 200 ? 'Please shorten the name to 200 characters.' : null) : 'Please enter the full name.',
    birthDate,
  };
}

export function toProfile(draft: ProfileDraft): PatientProfile {
  if (!draft.birthDate) throw new Error('birth date missing');
  return {
    fullName: draft.fullName.trim(),
    birthDate: draft.birthDate.toString().slice(0, 10),
    ...(draft.sex === 'unstated' ? {} : { sex: draft.sex }),
  };
}
