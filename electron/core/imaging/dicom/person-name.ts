/**
 * DICOM person names (PS3.5 §6.2 PN): up to three component groups separated by '=' (alphabetic, ideographic,
 * phonetic), each 'FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX'.
 */

export interface PersonNameParts {
  family: string;
  given: string;
  middle: string;
  prefix: string;
  suffix: string;
}

export function personNameGroups(pn: string): string[] {
  return pn
    .split('=')
    .map((g) => g.trim())
    .filter((g) => g.replace(/\^/g, '').trim() !== '');
}

export function personNameParts(group: string): PersonNameParts {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^').map((p) => p.trim());
  return { family, given, middle, prefix, suffix };
}

/** 'DOE^JOHN^Q^DR^JR' → 'DR JOHN Q DOE JR' (reading order, case kept). Uses the first non-empty group. */
export function formatPersonName(pn: string): string {
  const group = personNameGroups(pn)[0];
  if (!group) return '';
  if (!group.includes('^')) return group;
  const p = personNameParts(group);
  return [p.prefix, p.given, p.middle, p.family, p.suffix].filter((s) => s !== '').join(' ');
}

/**
 * A comparison form of one name token: lower case, accents removed, ß → ss, and the German/Nordic transliterations
 * ae/oe/ue folded to a/o/u (so 'MUELLER' from an ASCII-only system matches 'Müller').
 */
export function nameToken(token: string): string {
  return token
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/đ/g, 'd')
    .replace(/([aou])e/g, '$1')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export function nameTokens(name: string): string[] {
  return name
    .split(/[\s^,.'’\-_]+/u)
    .map(nameToken)
    .filter((t) => t !== '');
}

function tokenMatches(a: string, b: string): boolean {
  if (a === b) return true;
  // An initial on one side ('J') matches a full token on the other.
  return (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
}

/**
 * Tolerant name equality: same tokens in any order (so 'DOE^JOHN' equals 'John Doe'), ignoring case, accents and
 * punctuation; one side may lack tokens of the other (a middle name, a second family name) as long as at least two
 * full tokens match; initials match full tokens. A lone family name does not match a full name (it is reported).
 */
export function namesMatch(a: string, b: string): boolean {
  if (a.includes('=') || b.includes('=')) {
    // Person names with several component groups (alphabetic=ideographic=phonetic): any pair may match.
    const ga = personNameGroups(a);
    const gb = personNameGroups(b);
    return ga.some((x) => gb.some((y) => groupsMatch(x, y)));
  }
  return groupsMatch(a, b);
}

function groupsMatch(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const [small, large] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const pool = [...large];
  let full = 0;
  for (const t of small) {
    const exact = pool.findIndex((u) => u === t);
    const index = exact >= 0 ? exact : pool.findIndex((u) => tokenMatches(t, u));
    if (index < 0) return false;
    if (pool[index]!.length > 1 && t.length > 1) full += 1;
    pool.splice(index, 1);
  }
  return small.length === large.length ? full >= 1 : full >= 2;
}
