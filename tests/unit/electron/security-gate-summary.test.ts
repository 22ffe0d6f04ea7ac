import { describe, expect, it } from 'vitest';
import { fingerprint, readScanSummary, validateAllowList } from '../../../build/security/electronegativity.mjs';

// The Electronegativity gate must fail, not pass, when it cannot tell what was scanned.
describe('electronegativity gate: what it refuses to read as a clean scan', () => {
  it('reads the scanner summary, and throws when it is missing or not {errors, issues}', () => {
    const summary = { errors: [{ file: 'a.js', message: 'Unexpected token', tolerable: false }], issues: 3 };
    expect(readScanSummary(`some log line\n${JSON.stringify(summary)}\n`)).toEqual(summary);
    expect(() => readScanSummary('')).toThrow(/no summary/);
    expect(() => readScanSummary('not json')).toThrow(/no summary/);
    expect(() => readScanSummary('{}')).toThrow(/not \{errors, issues\}/);
    expect(() => readScanSummary(JSON.stringify({ issues: 0 }))).toThrow(/not \{errors, issues\}/);
    expect(() => readScanSummary(JSON.stringify({ errors: [] }))).toThrow(/not \{errors, issues\}/);
  });

  it('refuses an allow-list entry with an empty snippet (it would cover every finding whose line could not be read)', () => {
    const entry = { rule: 'SANDBOX_JS_CHECK', file: 'electron/main/index.ts', snippet: '', fingerprint: fingerprint('SANDBOX_JS_CHECK', 'electron/main/index.ts', ''), reason: 'x'.repeat(50) };
    expect(validateAllowList({ findings: [entry] })).toEqual([expect.stringMatching(/snippet not empty/)]);
    expect(validateAllowList({ findings: [{ ...entry, snippet: '   ', fingerprint: fingerprint(entry.rule, entry.file, '   ') }] })).toEqual([expect.stringMatching(/snippet not empty/)]);
  });
});
