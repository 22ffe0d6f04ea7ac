import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/security.md maps every item of the security checklist (../shared/security-checklist.md) to the tests that
 * prove it. This keeps the map honest: every file it names exists, and every item whose checklist row asks for a
 * U (Node) or W (Chromium) test names at least one test file for it.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
const mapSection = doc.slice(doc.indexOf('## Checklist item → test'));
const rows = new Map<number, string>();
for (const line of mapSection.split('\n')) {
  const match = /^\| (\d+) \|(.*)\|\s*$/.exec(line);
  if (match) rows.set(Number(match[1]), match[2]!);
}

describe('checklist coverage in docs/security.md', () => {
  it('lists items 1–23, and every file it names exists', () => {
    expect([...rows.keys()]).toEqual(Array.from({ length: 23 }, (_, index) => index + 1));
    const named = [...doc.matchAll(/`((?:tests|build|electron)\/[^`\s]+\.(?:ts|mjs|json))`/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  const checklistPath = path.resolve(ROOT, '..', 'shared', 'security-checklist.md');
  it.skipIf(!fs.existsSync(checklistPath))('names a Node or Chromium test for every U and W item of the checklist', () => {
    const checklist = fs.readFileSync(checklistPath, 'utf8');
    const uw: number[] = [];
    for (const line of checklist.split('\n')) {
      const match = /^\| (\d+) \|[^|]*\|(.*)\|\s*$/.exec(line);
      if (match && /\*\*[^*]*\b[UW]\b[^*]*\*\*/.test(match[2]!)) uw.push(Number(match[1]));
    }
    expect(uw.length).toBeGreaterThan(10);
    const missing = uw.filter((item) => {
      const row = rows.get(item) ?? '';
      const firstColumns = row.split('|').slice(0, 2).join('|');
      return !/`tests\/(unit|browser)\/[^`]+`/.test(firstColumns);
    });
    expect(missing).toEqual([]);
  });
});
