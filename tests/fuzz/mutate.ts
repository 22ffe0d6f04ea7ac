/**
 * Seeded byte mutations. A case is a small description (which seed file, which operations), never the bytes
 * themselves, so a failure prints a readable counterexample and fast-check can shrink it to the fewest operations.
 *
 * Operations: bit flips, byte sets, truncation, insertion of random bytes, splices (a range copied elsewhere),
 * deletions, and "field" tampering: a known length/count/offset field of the seed set to an extreme value. Seeds say
 * where their fields are (see seeds.ts) and which region is "hot" (headers, directories), where most mutations land.
 */
import { fc } from './harness';

export interface Field {
  /** Byte offset of the field. */
  at: number;
  size: 1 | 2 | 4;
  /** Little-endian (DICOM, ISO LE copy, zip, TIFF II) or big-endian (PNG, JPEG, ISO BE copy). */
  le: boolean;
}

export interface Seed {
  name: string;
  bytes: Buffer;
  /** Length, count and offset fields worth tampering with. */
  fields: Field[];
  /** Where mutations mostly land: [start, end) — e.g. the directory area of an ISO image. */
  hot?: [number, number];
  /** ASCII numbers (text formats such as PDF: object numbers, /Length, /Count, xref offsets). */
  numbers?: Array<{ at: number; len: number }>;
}

export type Op =
  | { t: 'flip'; at: number; bit: number; hot: boolean }
  | { t: 'set'; at: number; value: number; hot: boolean }
  | { t: 'truncate'; at: number }
  | { t: 'insert'; at: number; bytes: number[]; hot: boolean }
  | { t: 'splice'; from: number; len: number; to: number }
  | { t: 'delete'; at: number; len: number; hot: boolean }
  | { t: 'field'; index: number; value: number }
  | { t: 'number'; index: number; value: string };

/** Numbers that break text formats: negative, zero, huge, not an integer. */
export const INTERESTING_NUMBERS = ['0', '-1', '1', '65535', '2147483647', '2147483648', '4294967296', '99999999999999999999', '1e308', '0.5', ''];

/** Values that break parsers: zero, one, sign boundaries, all ones. */
export const INTERESTING = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
] as const;

const position = fc.nat({ max: 0x7fffffff });
const byte = fc.integer({ min: 0, max: 255 });

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }), hot: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('set' as const), at: position, value: fc.oneof(byte, fc.constantFrom(0, 0xff, 0x7f, 0x80)), hot: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('truncate' as const), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('insert' as const), at: position, bytes: fc.array(byte, { minLength: 1, maxLength: 16 }), hot: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('splice' as const), from: position, len: fc.integer({ min: 1, max: 4096 }), to: position }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), at: position, len: fc.integer({ min: 1, max: 64 }), hot: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('field' as const),
      index: position,
      value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat({ max: 0xffffffff })),
    }),
  },
);

const numberOp: fc.Arbitrary<Op> = fc.record({
  t: fc.constant('number' as const),
  index: position,
  value: fc.oneof(fc.constantFrom(...INTERESTING_NUMBERS), fc.nat().map(String)),
});

/** A mutation case: which seed and which operations (1–6 of them). `text`: also tamper with ASCII numbers. */
export function caseArbitrary(seedCount: number, maxOps = 6, options: { text?: boolean } = {}): fc.Arbitrary<{ seed: number; ops: Op[] }> {
  const op = options.text ? fc.oneof({ weight: 3, arbitrary: opArbitrary }, { weight: 2, arbitrary: numberOp }) : opArbitrary;
  return fc.record({ seed: fc.nat({ max: seedCount - 1 }), ops: fc.array(op, { minLength: 1, maxLength: maxOps }) });
}

function pick(at: number, length: number, hot: boolean, region: [number, number] | undefined): number {
  if (length === 0) return 0;
  if (hot && region) {
    const start = Math.min(region[0], length - 1);
    const end = Math.max(start + 1, Math.min(region[1], length));
    return start + (at % (end - start));
  }
  return at % length;
}

function writeField(bytes: Buffer, field: Field, value: number): void {
  if (field.at + field.size > bytes.length) return;
  const v = value >>> 0;
  if (field.size === 1) bytes[field.at] = v & 0xff;
  else if (field.size === 2) {
    if (field.le) bytes.writeUInt16LE(v & 0xffff, field.at);
    else bytes.writeUInt16BE(v & 0xffff, field.at);
  } else if (field.le) bytes.writeUInt32LE(v, field.at);
  else bytes.writeUInt32BE(v, field.at);
}

/** Applies the operations to a copy of the seed's bytes. Fields are applied first, against the seed's layout. */
export function mutate(seed: Seed, ops: readonly Op[]): Buffer {
  let bytes = Buffer.from(seed.bytes);
  for (const op of ops) {
    if (op.t === 'field' && seed.fields.length > 0) writeField(bytes, seed.fields[op.index % seed.fields.length]!, op.value);
  }
  // Numbers are replaced last to first, so that earlier offsets stay valid when a replacement changes the length.
  const numbers = seed.numbers ?? [];
  const replacements = new Map<number, string>();
  for (const op of ops) if (op.t === 'number' && numbers.length > 0) replacements.set(op.index % numbers.length, op.value);
  for (const index of [...replacements.keys()].sort((a, b) => b - a)) {
    const { at, len } = numbers[index]!;
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(replacements.get(index)!, 'latin1'), bytes.subarray(at + len)]);
  }
  for (const op of ops) {
    const length = bytes.length;
    switch (op.t) {
      case 'field':
      case 'number':
        break;
      case 'flip': {
        if (length === 0) break;
        const at = pick(op.at, length, op.hot, seed.hot);
        bytes[at] = bytes[at]! ^ (1 << op.bit);
        break;
      }
      case 'set': {
        if (length === 0) break;
        bytes[pick(op.at, length, op.hot, seed.hot)] = op.value;
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, op.at % (length + 1));
        break;
      case 'insert': {
        const at = pick(op.at, length + 1, op.hot, seed.hot);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(op.bytes), bytes.subarray(at)]);
        break;
      }
      case 'splice': {
        if (length === 0) break;
        const from = op.from % length;
        const piece = Buffer.from(bytes.subarray(from, Math.min(length, from + op.len)));
        const to = op.to % (length + 1);
        bytes = Buffer.concat([bytes.subarray(0, to), piece, bytes.subarray(to)]);
        break;
      }
      case 'delete': {
        if (length === 0) break;
        const at = pick(op.at, length, op.hot, seed.hot);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(length, at + op.len))]);
        break;
      }
    }
  }
  return bytes;
}

/** Describes a case in one line (for failure messages). */
export function describeCase(seeds: readonly Seed[], value: { seed: number; ops: Op[] }): string {
  return `${seeds[value.seed]?.name ?? '?'} with ${JSON.stringify(value.ops)}`;
}
