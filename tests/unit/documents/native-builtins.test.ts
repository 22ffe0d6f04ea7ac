import path from 'node:path';
import { expect, it } from 'vitest';
import { createdCore, must } from '../../helpers/core';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

const isNative = (fn: unknown) => typeof fn === 'function' && /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(fn));

// pdf.js's legacy build swaps JSON.stringify/parse and Array#push for slow core-js versions when it loads; the core
// puts the natives back (documents/analysis/pdf.ts). Without that, the whole core slowed down after the first PDF.
it('reading a PDF leaves JSON and Array#push native, so the rest of the core stays fast', async () => {
  const before = { stringify: JSON.stringify, parse: JSON.parse, push: Array.prototype.push };
  expect([before.stringify, before.parse, before.push].every(isNative)).toBe(true);
  const { core } = await createdCore();
  const file = path.join(tempDir(), 'report.pdf');
  await writeTextPdf(file, ['SURGICAL PATHOLOGY REPORT\nDate of procedure: 03/14/2025']);
  const { imported } = await must(core, 'documents.import', { paths: [file] });
  expect(imported).toHaveLength(1);
  expect(JSON.stringify).toBe(before.stringify);
  expect(JSON.parse).toBe(before.parse);
  expect(Array.prototype.push).toBe(before.push);
  // What pdf.js needs from its polyfills and Node 20 lacks is still there.
  expect(typeof (Promise as { withResolvers?: unknown }).withResolvers).toBe('function');
  await core.close();
});
