import {
  LIST_PROPOSAL_FIELDS,
  applyProposals,
  opinionInput,
  type Opinion,
  type OpinionInput,
  type ProposalCore,
  type ProvenanceEntry,
} from '../../../shared/opinions';

/**
 * The editor's working copy of an opinion. It has the opinion's own shape, so "not stated" is simply a missing
 * key everywhere — in the form, in what is saved, and in what `applyProposals` fills in. Empty text, empty lists
 * and empty objects are dropped by `toInput` before anything is checked or saved.
 */
export type Draft = OpinionInput;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function segments(path: string): string[] {
  return path.split('.');
}

export function getIn(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of segments(path)) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObj(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A copy of `root` with `path` set to `value`. `undefined` removes the key (= "not stated") and removes the
 * objects around it that become empty, so clearing ER's last box makes ER "not stated" again.
 */
export function setIn<T>(root: T, path: string, value: unknown): T {
  const copy = clone(root) as unknown as Obj;
  const keys = segments(path);
  const chain: { node: Obj | unknown[]; key: string }[] = [];
  let node: Obj | unknown[] = copy;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i]!;
    const nextIsIndex = /^\d+$/.test(keys[i + 1]!);
    const current: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    let child: Obj | unknown[];
    if (Array.isArray(current) || isObj(current)) child = current;
    else {
      if (value === undefined) return root;
      child = nextIsIndex ? [] : {};
      if (Array.isArray(node)) node[Number(key)] = child;
      else node[key] = child;
    }
    chain.push({ node, key });
    node = child;
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(node)) {
    if (value === undefined) node.splice(Number(last), 1);
    else node[Number(last)] = value;
  } else if (value === undefined) delete node[last];
  else node[last] = value;
  // Prune objects left empty (not arrays: their indexes mean something), except the top level.
  for (let i = chain.length - 1; i >= 1; i--) {
    const { node: parent, key } = chain[i]!;
    const child = Array.isArray(parent) ? parent[Number(key)] : parent[key];
    if (isObj(child) && Object.keys(child).length === 0 && !Array.isArray(parent)) delete parent[key];
    else break;
  }
  const top = chain[0];
  if (top && !Array.isArray(top.node)) {
    const child = top.node[top.key];
    if (isObj(child) && Object.keys(child).length === 0) delete top.node[top.key];
  }
  return copy as unknown as T;
}

// ---------------------------------------------------------------------------------------------------------
// Cleaning: what would be saved
// ---------------------------------------------------------------------------------------------------------

const TNM_LETTER: Record<'t' | 'n' | 'm', string> = { t: 'T', n: 'N', m: 'M' };

/** 'T2', 't2', '2', 'cT2' → 'T2'; anything else is kept as typed for the check to explain. */
export function normalizeTnmPart(letter: 't' | 'n' | 'm', value: string): string {
  const upper = TNM_LETTER[letter];
  let v = value.trim().replace(/\s+/g, '');
  v = v.replace(/^(y?[cp])(?=[TNMtnm])/i, '');
  if (v === '') return '';
  if (v[0]?.toUpperCase() === upper) v = upper + v.slice(1);
  else v = upper + v;
  // Sub-letters are lower case (T1c, N1mi), X and "is" keep their usual spelling.
  const rest = v.slice(1);
  if (/^x$/i.test(rest)) return `${upper}X`;
  if (/^is$/i.test(rest)) return `${upper}is`;
  return upper + rest.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/^(\d)/, '$1');
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (Array.isArray(value)) {
    const items = value.map(cleanValue).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isObj(value)) {
    const out: Obj = {};
    for (const [key, child] of Object.entries(value)) {
      const cleaned = child === null ? null : cleanValue(child);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

function cleanTnm(value: unknown): unknown {
  if (!isObj(value)) return value;
  const out: Obj = { ...value };
  for (const letter of ['t', 'n', 'm'] as const) {
    const part = out[letter];
    if (typeof part === 'string') {
      const normal = normalizeTnmPart(letter, part);
      if (normal === '') delete out[letter];
      else out[letter] = normal;
    }
  }
  if (out.t === undefined && out.n === undefined && out.m === undefined) return undefined;
  return out;
}

/** The opinion as it would be saved: blanks removed, TNM letters tidied, provenance only for values still there. */
export function toInput(draft: Draft): OpinionInput {
  const copy = clone(draft) as Obj;
  const diagnosis = copy.diagnosis;
  if (isObj(diagnosis)) {
    for (const key of ['clinicalTnm', 'pathologicTnm']) {
      const tnm = cleanTnm(diagnosis[key]);
      if (tnm === undefined) delete diagnosis[key];
      else diagnosis[key] = tnm;
    }
    for (const key of ['genomicResults', 'germlineResults', 'otherBiomarkers']) {
      const list = diagnosis[key];
      if (Array.isArray(list)) {
        diagnosis[key] = list.filter((row) => isObj(row) && (String(row.test ?? '').trim() !== '' || String(row.result ?? '').trim() !== ''));
      }
    }
  }
  const provenance = copy.provenance;
  delete copy.provenance;
  const cleaned = (cleanValue(copy) ?? {}) as Obj;
  if (isObj(provenance)) {
    const kept: Obj = {};
    for (const [key, entry] of Object.entries(provenance)) {
      if (getIn(cleaned, key) !== undefined) kept[key] = entry;
    }
    if (Object.keys(kept).length > 0) cleaned.provenance = kept;
  }
  if (cleaned.kind === undefined) cleaned.kind = draft.kind;
  return cleaned as unknown as OpinionInput;
}

export function draftFromOpinion(opinion: Opinion): Draft {
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = opinion;
  return clone(rest);
}

// ---------------------------------------------------------------------------------------------------------
// Checking: the contract's own schema, with readable messages placed next to the fields
// ---------------------------------------------------------------------------------------------------------

export interface FieldProblem {
  /** Field path, e.g. 'diagnosis.er.percent'; '' for the opinion as a whole. */
  path: string;
  message: string;
}

interface LooseIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
  expected?: string;
}

function sentence(message: string): string {
  const trimmed = message.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

function friendly(issue: LooseIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return 'Please fill this in as well, or clear the boxes that belong with it.';
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Please write a number.';
  if (issue.code === 'too_big' && issue.origin === 'number') return `Please give a number no higher than ${String(issue.maximum)}.`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `Please give a number of at least ${String(issue.minimum)}.`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `This is too long: at most ${String(issue.maximum)} characters.`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `This list is too long: at most ${String(issue.maximum)} items.`;
  if (issue.code === 'invalid_value') return 'Please choose one of the options.';
  if (issue.code === 'unrecognized_keys') return 'This contains something the app does not know.';
  return sentence(issue.message);
}

export function checkDraft(draft: Draft): { input: OpinionInput; problems: FieldProblem[] } {
  const input = toInput(draft);
  const parsed = opinionInput.safeParse(input);
  if (parsed.success) return { input, problems: [] };
  const problems = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: friendly(issue as unknown as LooseIssue),
  }));
  return { input, problems };
}

/** Paths named by the core in an INVALID_INPUT message ("(Check: opinion.diagnosis.er.percent.)"). */
export function pathsFromCoreMessage(message: string): string[] {
  const match = /\(Check: (.*)\.\)\s*$/.exec(message);
  if (!match) return [];
  return match[1]!
    .split(', ')
    .map((path) => path.replace(/^opinion\./, ''))
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------
// Treatment steps: moving a step moves its provenance with it
// ---------------------------------------------------------------------------------------------------------

const STEP_KEY = /^recommendation\.steps\.(\d+)(\..*)?$/;

function remapStepProvenance(draft: Draft, map: (index: number) => number | null): Draft['provenance'] {
  if (!draft.provenance) return undefined;
  const out: Record<string, ProvenanceEntry> = {};
  for (const [key, entry] of Object.entries(draft.provenance)) {
    const match = STEP_KEY.exec(key);
    if (!match) {
      out[key] = entry;
      continue;
    }
    const next = map(Number(match[1]));
    if (next !== null) out[`recommendation.steps.${next}${match[2] ?? ''}`] = entry;
  }
  return Object.keys(out).length ? out : undefined;
}

function withSteps(draft: Draft, steps: NonNullable<NonNullable<Draft['recommendation']>['steps']>, provenance: Draft['provenance']): Draft {
  const next: Draft = { ...draft, recommendation: { ...draft.recommendation, steps } };
  if (provenance) next.provenance = provenance;
  else delete next.provenance;
  return next;
}

export function moveStep(draft: Draft, from: number, to: number): Draft {
  const steps = [...(draft.recommendation?.steps ?? [])];
  if (to < 0 || to >= steps.length || from === to) return draft;
  const [moved] = steps.splice(from, 1);
  steps.splice(to, 0, moved!);
  const map = (i: number): number => {
    if (i === from) return to;
    if (from < to && i > from && i <= to) return i - 1;
    if (from > to && i >= to && i < from) return i + 1;
    return i;
  };
  return withSteps(draft, steps, remapStepProvenance(draft, map));
}

export function removeStep(draft: Draft, index: number): Draft {
  const steps = (draft.recommendation?.steps ?? []).filter((_, i) => i !== index);
  return withSteps(draft, steps, remapStepProvenance(draft, (i) => (i === index ? null : i > index ? i - 1 : i)));
}

export function addStep(draft: Draft): Draft {
  const steps = [...(draft.recommendation?.steps ?? []), { kind: 'other' as const }];
  return withSteps(draft, steps, draft.provenance);
}

// ---------------------------------------------------------------------------------------------------------
// Accepting a proposal: the value goes in through applyProposals and its source is remembered
// ---------------------------------------------------------------------------------------------------------

export interface SourcedProposal {
  field: string;
  value: unknown;
  snippet: string;
  start: number;
  end: number;
}

/** The field path an accepted proposal fills (steps get their index, so the source follows the step). */
export function acceptProposal(draft: Draft, proposal: SourcedProposal, documentId: string): { draft: Draft; path: string } {
  const core = { field: proposal.field, value: proposal.value } as ProposalCore;
  let next = applyProposals(draft, [core]);
  let path = proposal.field;
  if (proposal.field === 'recommendation.steps') {
    const steps = next.recommendation?.steps ?? [];
    const index = steps.findIndex((step) => JSON.stringify(step) === JSON.stringify(proposal.value));
    path = `recommendation.steps.${index < 0 ? steps.length - 1 : index}`;
  }
  const entry: ProvenanceEntry = {
    documentId,
    snippet: proposal.snippet.slice(0, 1000) || proposal.field,
    ...(proposal.start >= 0 && proposal.end >= proposal.start ? { start: proposal.start, end: proposal.end } : {}),
  };
  next = { ...next, provenance: { ...next.provenance, [path]: entry } };
  const ids = next.documentIds ?? [];
  if (!ids.includes(documentId)) next = { ...next, documentIds: [...ids, documentId] };
  return { draft: next, path };
}

export function isListField(field: string): boolean {
  return (LIST_PROPOSAL_FIELDS as readonly string[]).includes(field);
}

/** The DOM id of a field's control, so errors and proposals can take the person to it. */
export function fieldId(path: string): string {
  return `op-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
