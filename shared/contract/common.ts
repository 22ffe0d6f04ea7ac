import { z } from 'zod';

/** Building blocks shared by the operation schemas. Limits keep hostile input bounded. */

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point of this pattern
const NO_CONTROL_CHARS = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/** A line of text typed by a person: bounded, trimmed, no control characters. */
export function text(max: number) {
  return z.string().max(max).regex(NO_CONTROL_CHARS, 'must not contain control characters').trim();
}

/** Free text that may span lines (notes). */
export function multilineText(max: number) {
  // eslint-disable-next-line no-control-regex -- tabs and newlines are allowed, other control characters are not
  return z.string().max(max).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/);
}

/** A calendar date written YYYY-MM-DD that really exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real date');

/** An instant, ISO 8601 with time zone, as produced by Date.prototype.toISOString(). */
export const isoInstant = z.string().datetime({ offset: true });

/** A path on the user's disk. The core checks what it points at; here only its shape is bounded. */
export const filePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL');

/** Opaque identifiers handed out by the core (random, URL-safe). */
export const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'is not a valid id');

export const passphrase = z.string().min(1).max(1024);

export const empty = z.strictObject({});
export type Empty = z.infer<typeof empty>;
