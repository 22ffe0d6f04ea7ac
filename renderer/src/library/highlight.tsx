import { Fragment } from 'react';

export interface Segment {
  text: string;
  hit: boolean;
}

/**
 * Text with its hits marked. Built from segments, never from HTML: whatever a document or a search contains is
 * shown as text.
 */
export function Highlighted({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.hit ? (
          <mark key={index} className="hit">
            {segment.text}
          </mark>
        ) : (
          <Fragment key={index}>{segment.text}</Fragment>
        ),
      )}
    </>
  );
}

const WORD = /[\p{L}\p{N}]+/gu;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The words of a search as the core matches them: every word whole, the last one as the start of a word (so
 * results follow the typing). Null when there is nothing to look for.
 */
export function searchPattern(query: string): RegExp | null {
  const words = query.normalize('NFC').match(WORD) ?? [];
  if (words.length === 0) return null;
  const parts = words.slice(0, 12).map((word, index, all) => {
    const escaped = escapeRegExp(word);
    return index === all.length - 1 ? `${escaped}[\\p{L}\\p{N}]*` : `${escaped}(?![\\p{L}\\p{N}])`;
  });
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})`, 'giu');
}

/** Splits text into segments, marking what the pattern finds. */
export function markMatches(text: string, pattern: RegExp | null): Segment[] {
  if (!pattern || !text) return [{ text, hit: false }];
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (match[0].length === 0) continue;
    if (start > last) segments.push({ text: text.slice(last, start), hit: false });
    segments.push({ text: match[0], hit: true });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), hit: false });
  return segments;
}

export function countMatches(text: string, pattern: RegExp | null): number {
  if (!pattern || !text) return 0;
  let count = 0;
  for (const match of text.matchAll(pattern)) if (match[0].length > 0) count += 1;
  return count;
}
