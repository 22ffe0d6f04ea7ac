import { describe, expect, it } from 'vitest';
import { proposeFromText } from '../../../shared/opinions';
import { CORPUS, HELDOUT, type CorpusCase } from './corpus';
import { scoreCase } from './helpers';

/**
 * Micro-averaged precision and recall of proposeFromText:
 *   precision = matched proposals / all proposals, recall = matched expectations / all expectations.
 * A proposal that is right but not what the annotator wrote counts against precision, so the numbers are
 * conservative. CORPUS was used while developing the extractor (its numbers are optimistic); HELDOUT was written
 * afterwards and never used for tuning (the honest estimate). Floors: precision ≥ 0.85, recall ≥ 0.75.
 */
interface Totals {
  tp: number;
  proposed: number;
  expected: number;
  byField: Map<string, { tp: number; proposed: number; expected: number }>;
}

function measure(cases: CorpusCase[]): Totals {
  const totals: Totals = { tp: 0, proposed: 0, expected: 0, byField: new Map() };
  const bump = (field: string, key: 'tp' | 'proposed' | 'expected') => {
    const entry = totals.byField.get(field) ?? { tp: 0, proposed: 0, expected: 0 };
    entry[key] += 1;
    totals.byField.set(field, entry);
  };
  for (const c of cases) {
    const proposals = proposeFromText(c.text);
    const score = scoreCase(c, proposals);
    totals.tp += score.truePositives;
    totals.proposed += score.proposals;
    totals.expected += score.expected;
    for (const p of proposals) bump(p.field, 'proposed');
    for (const e of c.expected) bump(e.field, 'expected');
    for (const e of c.expected) if (!score.missed.includes(e)) bump(e.field, 'tp');
  }
  return totals;
}

const line = (name: string, t: Totals, n: number) =>
  `extraction precision ${(t.tp / t.proposed).toFixed(2)} recall ${(t.tp / t.expected).toFixed(2)} (n=${n} texts, ${t.expected} expected, ${t.proposed} proposed, ${t.tp} matched; ${name})`;

describe('extraction metrics', () => {
  it('meets the precision and recall floors on the whole corpus, and on the held-out texts alone', () => {
    const all = measure([...CORPUS, ...HELDOUT]);
    const dev = measure(CORPUS);
    const heldout = measure(HELDOUT);
    console.log(line('all texts', all, CORPUS.length + HELDOUT.length));
    console.log(line('development texts', dev, CORPUS.length));
    console.log(line('held-out texts, never tuned on', heldout, HELDOUT.length));
    for (const [field, s] of [...all.byField].sort()) {
      console.log(
        `  ${field.padEnd(34)} precision ${(s.tp / Math.max(1, s.proposed)).toFixed(2)} recall ${(s.tp / Math.max(1, s.expected)).toFixed(2)} (${s.tp} matched / ${s.proposed} proposed / ${s.expected} expected)`,
      );
    }
    for (const t of [all, heldout]) {
      expect(t.tp / t.proposed).toBeGreaterThanOrEqual(0.85);
      expect(t.tp / t.expected).toBeGreaterThanOrEqual(0.75);
    }
  });
});
