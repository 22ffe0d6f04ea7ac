import {
  normalizeDuration,
  normalizeHistology,
  opinion as opinionSchema,
  treatmentKey,
  type Opinion,
  type Proposal,
} from '../../../shared/opinions';
import type { CorpusCase, ExpectedProposal } from './corpus';

let counter = 0;

/** A valid stored opinion (validated with the real schema so fixtures cannot drift from it). */
export function makeOpinion(fields: Omit<Partial<Opinion>, 'id' | 'createdAt' | 'updatedAt'> = {}): Opinion {
  counter += 1;
  const value = {
    id: `opinion-${String(counter).padStart(4, '0')}`,
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    kind: 'first' as const,
    ...fields,
  };
  return opinionSchema.parse(value);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Does a proposal say what the annotator expected? (rules described at the top of corpus.ts) */
export function proposalMatches(expected: ExpectedProposal, actual: Pick<Proposal, 'field' | 'value'>): boolean {
  if (expected.field !== actual.field) return false;
  if (expected.field === 'diagnosis.histology') {
    return normalizeHistology(String(expected.value)) === normalizeHistology(String(actual.value));
  }
  if (expected.field === 'recommendation.steps') {
    const e = expected.value as { kind: string; detail?: string; timing?: string | null; duration?: string };
    const a = actual.value as { kind: string; detail?: string; timing?: string | null; duration?: string };
    const durationKey = (d?: string) => (d === undefined ? null : (normalizeDuration(d)?.key ?? d));
    return (
      e.kind === a.kind &&
      treatmentKey(e.detail ?? '') === treatmentKey(a.detail ?? '') &&
      (e.timing ?? null) === (a.timing ?? null) &&
      durationKey(e.duration) === durationKey(a.duration)
    );
  }
  return JSON.stringify(canonical(expected.value)) === JSON.stringify(canonical(actual.value));
}

export interface CaseScore {
  truePositives: number;
  proposals: number;
  expected: number;
  missed: ExpectedProposal[];
  extra: Pick<Proposal, 'field' | 'value'>[];
}

/** One-to-one greedy matching of proposals to expectations. */
export function scoreCase(c: CorpusCase, proposals: Proposal[]): CaseScore {
  const unused = [...proposals];
  const missed: ExpectedProposal[] = [];
  let tp = 0;
  for (const exp of c.expected) {
    const i = unused.findIndex((p) => proposalMatches(exp, p));
    if (i >= 0) {
      unused.splice(i, 1);
      tp += 1;
    } else missed.push(exp);
  }
  return {
    truePositives: tp,
    proposals: proposals.length,
    expected: c.expected.length,
    missed,
    extra: unused.map((p) => ({ field: p.field, value: p.value }) as Pick<Proposal, 'field' | 'value'>),
  };
}
