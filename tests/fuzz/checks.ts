/**
 * What every fuzz case checks about an outcome: errors are AppErrors (or the reader's own error objects) with a known
 * code and a short, human message — no stack trace, no file-system path, no internal exception text, no control
 * characters, and none of the strings the case put in.
 */
import { expect } from 'vitest';
import { ERROR_CODES, isAppError, type AppErrorShape } from '../../shared/errors';

/** Substrings that betray an internal error leaking out instead of a written message. */
const LEAKS = [
  /\n\s+at\s/, // stack frame
  /\bat (?:async )?[\w.<>]+ \(/, // stack frame on one line
  /(?:^|\s)(?:Type|Range|Reference|Syntax)Error\b/,
  /node_modules|\/work\/|\/tmp\/|\.tsx?:\d+|\.m?js:\d+/,
  /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/,
  /\bE[A-Z]{3,}\b: /, // ENOENT: …
  /SQLITE_|sqlite|dicom-parser|pdf\.js|libvips|vips_|yauzl|zlib/i,
];

/** A message a patient can read: a sentence of reasonable length with no internals in it. */
export function expectHumanMessage(message: unknown, context: string): void {
  expect(typeof message, `${context}: message is not a string`).toBe('string');
  const text = message as string;
  expect(text.length, `${context}: empty message`).toBeGreaterThan(10);
  expect(text.length, `${context}: message too long (${text.length})`).toBeLessThan(700);
  expect(text, `${context}: message does not start like a sentence`).toMatch(/^[A-Z0-9“"(]/);
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  expect(text, `${context}: control characters in message`).not.toMatch(/[\u0000-\u001f\u007f]/);
  for (const leak of LEAKS) expect(text, `${context}: message leaks internals (${leak})`).not.toMatch(leak);
}

/** An error envelope or AppError: known code and a human message that echoes none of `inputs`. */
export function expectCleanError(error: unknown, context: string, inputs: readonly string[] = []): AppErrorShape {
  const shape = isAppError(error) ? error.toJSON() : (error as AppErrorShape | undefined);
  expect(shape && typeof shape === 'object', `${context}: not an error object: ${String(error)}`).toBe(true);
  expect(ERROR_CODES as readonly string[], `${context}: unknown code ${String(shape?.code)}`).toContain(shape!.code);
  expectHumanMessage(shape!.message, `${context} [${shape!.code}]`);
  for (const input of inputs) {
    if (input.length >= 6) expect(shape!.message.includes(input), `${context}: message echoes the input ${JSON.stringify(input.slice(0, 40))}`).toBe(false);
  }
  return shape!;
}

/** For code that must throw AppErrors only: runs `work` and returns its value, or null after checking the error. */
export async function valueOrCleanError<T>(work: () => Promise<T> | T, context: string, inputs: readonly string[] = []): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    expect(isAppError(error), `${context}: threw something other than an AppError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`).toBe(true);
    expectCleanError(error, context, inputs);
    return null;
  }
}

/** Strings of at least `min` characters anywhere inside a value (to check that errors do not echo them). */
export function stringsIn(value: unknown, min = 6, out: string[] = [], depth = 0): string[] {
  if (depth > 50 || out.length > 2000) return out;
  if (typeof value === 'string') {
    if (value.length >= min) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) stringsIn(item, min, out, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.length >= min) out.push(key);
      stringsIn(item, min, out, depth + 1);
    }
  }
  return out;
}
