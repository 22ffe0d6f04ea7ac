import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, OPERATION_NAMES } from '../../../shared/contract';
import { createdCore, must, TEST_PASSPHRASE } from '../../helpers/core';
import { listFiles } from '../../helpers/temp';

/**
 * Checklist item 5, the parts tests/unit/contract/dispatch.test.ts does not cover: hostile ids (path traversal,
 * encodings, NUL, absurd lengths, wrong types) for every operation that takes one, and output schemas that can
 * only drop unknown fields (strip) or refuse them (strict) — never pass them through to the UI.
 */
const HOSTILE_IDS: unknown[] = [
  '../../vault.json',
  '..\\..\\vault.json',
  '%2e%2e%2fvault.json',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  `${'a'.repeat(64)}/../b`,
  'a'.repeat(100_000),
  'abc\u0000def',
  '',
  ' ',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  42,
  null,
  ['a'],
  { $gt: '' },
];

/** Operations whose input is exactly one id (plus nothing required), with the field that holds it. */
const ID_OPERATIONS: Array<[string, string]> = [
  ['documents.get', 'id'],
  ['documents.reanalyze', 'id'],
  ['opinions.get', 'id'],
  ['opinions.trash', 'id'],
  ['opinions.restore', 'id'],
  ['opinions.propose', 'documentId'],
  ['appointments.get', 'id'],
  ['appointments.trash', 'id'],
  ['appointments.restore', 'id'],
  ['imaging.series', 'uid'],
];

function snapshot(dir: string): string {
  return listFiles(dir)
    .filter((file) => !/-(wal|shm)$/.test(file))
    .map((file) => `${path.relative(dir, file)}:${fs.statSync(file).size}`)
    .sort()
    .join('\n');
}

describe('contract hardening (item 5)', () => {
  it('every operation that takes an id refuses hostile ids with INVALID_INPUT or NOT_FOUND, echoing nothing', async () => {
    const { core, vaultDir } = await createdCore();
    await must(core, 'vault.lock', {});
    await must(core, 'vault.unlock', { passphrase: TEST_PASSPHRASE });
    const before = snapshot(vaultDir);
    for (const [operation, field] of ID_OPERATIONS) {
      expect(OPERATION_NAMES, operation).toContain(operation);
      for (const id of HOSTILE_IDS) {
        const result = await core.call(operation, { [field]: id });
        const shown = JSON.stringify(id)?.slice(0, 40);
        expect(result.ok, `${operation} accepted ${shown}`).toBe(false);
        if (result.ok) continue;
        expect(['INVALID_INPUT', 'NOT_FOUND'], `${operation} ${shown}: ${result.error.code}`).toContain(result.error.code);
        if (typeof id === 'string' && id.trim().length > 3) expect(result.error.message).not.toContain(id.slice(0, 20));
      }
    }
    // Lists of ids too.
    for (const operation of ['documents.trash', 'documents.restore', 'opinions.compare']) {
      const result = await core.call(operation, { ids: ['../../vault.json', 'a'.repeat(100_000)] });
      expect(result.ok, operation).toBe(false);
      if (!result.ok) expect(['INVALID_INPUT', 'NOT_FOUND']).toContain(result.error.code);
    }
    expect(snapshot(vaultDir)).toBe(before);
    await core.close();
  });

  it('output schemas never pass unknown fields through, and the few open values are the reviewed ones', () => {
    type Def = { type: string; [key: string]: unknown };
    const open: string[] = [];
    const passthrough: string[] = [];
    const walk = (schema: unknown, where: string, seen: Set<unknown>) => {
      const def = (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
      if (!def || seen.has(schema)) return;
      seen.add(schema);
      if (def.type === 'object') {
        const catchall = (def.catchall as { _zod: { def: Def } } | undefined)?._zod.def.type;
        if (catchall !== undefined && catchall !== 'never') passthrough.push(`${where} (catchall ${catchall})`);
        for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) walk(value, `${where}.${key}`, seen);
      }
      if (['any', 'unknown', 'custom'].includes(def.type)) open.push(where);
      for (const key of ['innerType', 'element', 'in', 'out', 'left', 'right', 'valueType', 'keyType', 'rest']) if (def[key]) walk(def[key], where, seen);
      if (typeof def.getter === 'function') walk((def.getter as () => unknown)(), where, seen);
      for (const key of ['options', 'items']) if (Array.isArray(def[key])) (def[key] as unknown[]).forEach((option) => walk(option, where, seen));
    };
    for (const name of OPERATION_NAMES) walk(contract[name].output, name, new Set());
    expect(passthrough).toEqual([]);
    // A proposal's value is whatever type the proposed opinion field has (checked again by opinions.create/update).
    expect(open).toEqual(['opinions.propose.proposals.value']);

    // And stripping works: a handler's extra field never reaches the caller.
    const parsed = contract['vault.status'].output.parse({ state: 'locked', location: '/v', unlockedWith: null, autoLockMinutes: 10, dataKey: 'secret', profile: { fullName: 'x' } });
    expect(Object.keys(parsed as object).sort()).toEqual(['autoLockMinutes', 'location', 'state', 'unlockedWith']);
  });
});
