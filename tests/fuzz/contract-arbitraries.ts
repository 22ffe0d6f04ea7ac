/**
 * Inputs for the contract fuzzer, derived from the operations' own zod schemas (via z.toJSONSchema): values that
 * follow each schema's shape, patterns and bounds (so calls get past validation and into the handlers), near-valid
 * mutations of them (a key dropped or added, a leaf replaced by something hostile), and arbitrary values of any shape.
 * Every path-like field is then confined to a sandbox folder, so that no case can read or write outside it.
 */
import path from 'node:path';
import { z } from 'zod';
import { contract, type OperationName } from '../../shared/contract';
import { fc } from './harness';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

/** Strings that have broken software before: markup and script, control and bidi characters, huge and odd text. */
export const HOSTILE_STRINGS = [
  '<img src=x onerror=window.__xss=1>',
  '"><script>window.__xss=1</script>',
  "javascript:window.__xss=1//",
  '\u202eFDP.exe\u202c',
  'line\nbreak\r\ncarriage\u0000nul\u0007bell\u001b[31mansi',
  '\u200b\u200c\u200d\ufeff',
  '../../../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/dev/zero',
  '%s%n%x%d',
  "' OR 1=1 --",
  '" OR ""="',
  'NEAR(a b) * ^ "unterminated',
  'col:value AND OR NOT',
  '{{7*7}}${7*7}',
  '__proto__',
  'constructor',
  'prototype',
  '😀🏳️‍🌈👩‍👩‍👧‍👦',
  'مرحبا بالعالم',
  '漢字かなカナ',
  'ZQXJ-canary-7d1f0e',
  '\ud800',
  '',
  ' ',
];

const HUGE_STRINGS = ['x'.repeat(5_000), 'ZQXJ-huge-canary-'.repeat(20_000), '\u0000'.repeat(3000), '<'.repeat(100_000)];

/** A leaf that breaks assumptions: wrong type, out of range, hostile string, deep or huge structure. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_STRINGS) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1e308, 2 ** 31, 2 ** 32,
      '0', '1', 'true', 'null', [], {}, [[]], [null], { length: 1e9 }, new Date(0), new Date(NaN), 10n,
    ),
  },
  { weight: 1, arbitrary: fc.nat({ max: 400 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }).map((n) => Array.from({ length: n }, (_, i) => `item-${i}`)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

const schemaCache = new Map<OperationName, JsonSchema>();

export function inputSchema(operation: OperationName): JsonSchema {
  let schema = schemaCache.get(operation);
  if (!schema) {
    schema = z.toJSONSchema(contract[operation].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    schemaCache.set(operation, schema);
  }
  return schema;
}

/** Keys and enum values the contract itself defines (an error naming a field is not echoing the input). */
export function contractWords(operation: OperationName): Set<string> {
  const words = new Set<string>();
  const walk = (s: JsonSchema | undefined): void => {
    if (!s || typeof s !== 'object') return;
    for (const [key, value] of Object.entries(s.properties ?? {})) {
      words.add(key);
      walk(value);
    }
    for (const value of s.enum ?? []) if (typeof value === 'string') words.add(value);
    for (const child of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(child);
    walk(s.items);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
  };
  walk(inputSchema(operation));
  return words;
}

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 60, 300);
  if (s.pattern) {
    let regex: RegExp | null = null;
    try {
      regex = new RegExp(s.pattern, 'u');
    } catch {
      regex = new RegExp(s.pattern);
    }
    const pattern = regex;
    const matching = fc.stringMatching(pattern, { size: 'small' }).map((v) => v.slice(0, Math.max(max, min)));
    // Hostile strings the pattern lets through (chosen up front: a filter that never passes would loop forever).
    const hostile = HOSTILE_STRINGS.filter((v) => pattern.test(v) && v.length >= min && v.length <= (s.maxLength ?? Infinity));
    return hostile.length > 0 ? fc.oneof({ weight: 4, arbitrary: matching }, { weight: 1, arbitrary: fc.constantFrom(...hostile) }) : matching;
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme' }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  );
}

/** An arbitrary for values shaped like `s` (its patterns, bounds, enums, unions and required keys). */
export function fromSchema(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => fromSchema(alt, depth + 1)));
  if (s.allOf?.length) return fromSchema(s.allOf[0]!, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const properties = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = fromSchema(value, depth + 1);
      const base = fc.record(record, { requiredKeys: [...required].filter((key) => key in record) });
      if (typeof s.additionalProperties === 'object') {
        const extra = fc.dictionary(fc.string({ maxLength: 12 }), fromSchema(s.additionalProperties, depth + 1), { maxKeys: 3 });
        return fc.tuple(base, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      return base;
    }
    case 'array': {
      const item = s.items ? fromSchema(s.items, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const min = s.minItems ?? 0;
      return fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 4, 4)) });
    }
    case 'string':
      return stringArbitrary(s);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 100_000);
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }), fc.constantFrom(min, max));
    }
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? -1e6;
      const max = s.maximum ?? s.exclusiveMaximum ?? 1e6;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Mutation = { kind: 'drop' | 'add' | 'replace' | 'wrap'; at: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('drop' as const, 'add' as const, 'replace' as const, 'replace' as const, 'wrap' as const),
  at: fc.nat(),
  value: hostileValue,
});

/** Every (parent, key) slot inside a value, depth first. */
function slots(value: unknown, out: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [], depth = 0): typeof out {
  if (depth > 12 || out.length > 500) return out;
  if (Array.isArray(value)) value.forEach((_, i) => { out.push({ parent: value, key: i }); slots(value[i], out, depth + 1); });
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const key of Object.keys(value)) {
      out.push({ parent: value as Record<string, unknown>, key });
      slots((value as Record<string, unknown>)[key], out, depth + 1);
    }
  }
  return out;
}

function applyMutation(input: unknown, m: Mutation): unknown {
  const copy = structuredClone(input);
  const all = slots(copy);
  if (all.length === 0) return m.kind === 'add' && copy && typeof copy === 'object' ? { ...copy, unexpected: m.value } : m.value;
  const slot = all[m.at % all.length]!;
  const parent = slot.parent as Record<string | number, unknown>;
  switch (m.kind) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(slot.key as number, 1);
      else delete parent[slot.key];
      break;
    case 'add':
      if (Array.isArray(parent)) parent.push(m.value);
      else Object.defineProperty(parent, typeof m.value === 'string' && m.value.length < 40 ? m.value || 'empty' : 'unexpectedKey', { value: m.value, enumerable: true, configurable: true, writable: true });
      break;
    case 'replace':
      parent[slot.key] = m.value;
      break;
    case 'wrap':
      parent[slot.key] = [parent[slot.key]];
      break;
  }
  return copy;
}

export type ContractCase = { mode: 'valid' | 'near' | 'arbitrary'; input: unknown; ids: number[] };

/** Cases for one operation: schema-shaped, near-valid and arbitrary inputs (with indices for swapping in real ids). */
export function contractCase(operation: OperationName): fc.Arbitrary<ContractCase> {
  const valid = fromSchema(inputSchema(operation));
  const ids = fc.array(fc.nat(), { minLength: 8, maxLength: 8 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ mode: fc.constant('valid' as const), input: valid, ids }) },
    {
      weight: 4,
      arbitrary: fc.record({
        mode: fc.constant('near' as const),
        input: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => ms.reduce<unknown>((acc, m) => applyMutation(acc, m), v)),
        ids,
      }),
    },
    { weight: 2, arbitrary: fc.record({ mode: fc.constant('arbitrary' as const), input: fc.oneof(hostileValue, fc.anything({ maxDepth: 3 })), ids }) },
  );
}

const PATH_KEYS = new Set(['paths', 'path', 'destination', 'source']);
const ID_KEY = /(?:^|[a-z])(?:id|Id|ids|Ids|uid|Uid|uids|Uids)$|^order$|^fromPacket$/;

/**
 * Makes a case safe and useful: every string under a path-like key is moved into the sandbox (traversal segments and
 * drive letters removed, so nothing outside it can be read or written), and some id-like strings become ids that
 * exist in the vault, so handlers get past "not found".
 */
export function prepare(value: unknown, sandbox: string, knownIds: readonly string[], picks: readonly number[]): unknown {
  let pick = 0;
  const nextPick = () => picks[pick++ % picks.length] ?? 0;
  const visit = (v: unknown, key: string | null, depth: number): unknown => {
    if (depth > 40) return v;
    if (typeof v === 'string') {
      if (key !== null && PATH_KEYS.has(key)) return sandboxed(v, sandbox, nextPick());
      if (key !== null && ID_KEY.test(key) && knownIds.length > 0 && nextPick() % 3 !== 0) return knownIds[nextPick() % knownIds.length];
      return v;
    }
    if (Array.isArray(v)) return v.map((item) => visit(item, key, depth + 1));
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        // defineProperty: a key named "__proto__" stays an own property, as JSON.parse and structured clone make it.
        Object.defineProperty(out, k, { value: visit((v as Record<string, unknown>)[k], k, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return out;
    }
    return v;
  };
  return visit(value, null, 0);
}

/** Sandbox entries a path may point at: existing files and folders, and names that do not exist yet. */
export const SANDBOX_NAMES = ['report.pdf', 'scan.png', 'disc', 'disc.zip', 'disc.iso', 'empty', 'nested/deeper/file.pdf', 'link-out', 'missing.pdf', 'out'];

function sandboxed(raw: string, sandbox: string, pick: number): string {
  if (raw.includes('\u0000')) return raw; // refused by the schema before anything reads it
  if (pick % 3 === 0) return path.join(sandbox, SANDBOX_NAMES[pick % SANDBOX_NAMES.length]!);
  const cleaned = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..' && !/^[A-Za-z]:$/.test(part))
    .join('/')
    .slice(0, 200);
  const joined = path.join(sandbox, 'out', cleaned || 'unnamed');
  if (!joined.startsWith(sandbox + path.sep)) throw new Error(`sandboxing failed for ${JSON.stringify(raw)}`);
  return joined;
}
