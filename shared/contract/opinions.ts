import { z } from 'zod';
import { opinion, opinionInput, provenanceEntry } from '../opinions/schema';
import { filePath, isoDate, isoInstant, multilineText, opaqueId, text } from './common';

const opinionIds = z.array(opaqueId).min(2).max(4);

export const comparisonRow = z.object({
  field: z.string(),
  group: z.enum(['diagnosis', 'stage', 'receptors', 'treatment', 'other']),
  label: z.string(),
  phrase: z.string(),
  values: z.array(z.object({ text: z.string(), key: z.string(), source: provenanceEntry.optional() }).nullable()),
  status: z.enum(['same', 'different', 'partial', 'not-stated']),
  note: z.string().optional(),
  dependsOn: z.string().optional(),
});
export type ComparisonRowOutput = z.infer<typeof comparisonRow>;

/** A question about a difference: suggested by the app, possibly edited and answered by the person. */
export const comparisonQuestion = z.object({
  /** The suggestion's stable id (template:field). */
  id: z.string(),
  field: z.string(),
  topic: z.string(),
  text: z.string(),
  suggestedText: z.string(),
  answer: z.string(),
  /** Carried into the question list for the next appointment. */
  inPlan: z.boolean(),
  dismissed: z.boolean(),
});
export type ComparisonQuestion = z.infer<typeof comparisonQuestion>;

export const decision = z.object({
  id: opaqueId,
  opinionIds: z.array(opaqueId),
  chosenOpinionId: opaqueId.nullable(),
  plan: z.string(),
  reason: z.string(),
  decidedOn: isoDate,
  recordedAt: isoInstant,
});
export type Decision = z.infer<typeof decision>;

export const proposalOutput = z.object({
  field: z.string(),
  /** In the opinion schema's shape for that field; validated again when the opinion is saved. */
  value: z.unknown(),
  display: z.string(),
  snippet: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});

export const opinionOperations = {
  'opinions.create': {
    summary: 'Record an opinion (who, when, diagnosis, recommendation). Fields left out mean "not stated".',
    needsUnlock: true,
    input: z.strictObject({ opinion: opinionInput }),
    output: opinion,
  },
  'opinions.update': {
    summary: 'Replace an opinion’s content.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId, opinion: opinionInput }),
    output: opinion,
  },
  'opinions.list': {
    summary: 'All recorded opinions, newest first.',
    needsUnlock: true,
    input: z.strictObject({ trash: z.enum(['exclude', 'only']).default('exclude') }),
    output: z.object({ items: z.array(opinion) }),
  },
  'opinions.get': {
    summary: 'One opinion.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: opinion,
  },
  'opinions.trash': {
    summary: 'Move an opinion to the trash (it can be restored).',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'opinions.restore': {
    summary: 'Bring an opinion back from the trash.',
    needsUnlock: true,
    input: z.strictObject({ id: opaqueId }),
    output: z.object({ count: z.number().int() }),
  },
  'opinions.propose': {
    summary: 'Values found in a document’s text, each with its snippet, for the person to accept, edit or reject.',
    needsUnlock: true,
    input: z.strictObject({ documentId: opaqueId }),
    output: z.object({ documentId: opaqueId, proposals: z.array(proposalOutput) }),
  },
  'opinions.compare': {
    summary: 'Two to four opinions side by side: rows, a plain summary, questions and decisions.',
    needsUnlock: true,
    input: z.strictObject({ ids: opinionIds }),
    output: z.object({
      opinions: z.array(z.object({ id: opaqueId, label: z.string() })),
      rows: z.array(comparisonRow),
      summary: z.string(),
      differences: z.number().int(),
      questions: z.array(comparisonQuestion),
      decisions: z.array(decision),
    }),
  },
  'opinions.saveQuestion': {
    summary: 'Edit, answer, dismiss or carry into the appointment plan a question from a comparison.',
    needsUnlock: true,
    input: z.strictObject({
      ids: opinionIds,
      questionId: z.string().min(1).max(200),
      text: text(1000).optional(),
      answer: multilineText(5000).optional(),
      inPlan: z.boolean().optional(),
      dismissed: z.boolean().optional(),
    }),
    output: comparisonQuestion,
  },
  'opinions.recordDecision': {
    summary: 'Write down which plan was chosen, when, and why, in the patient’s own words.',
    needsUnlock: true,
    input: z.strictObject({
      ids: opinionIds,
      chosenOpinionId: opaqueId.nullable(),
      plan: text(500).pipe(z.string().min(1)),
      reason: multilineText(5000),
      decidedOn: isoDate,
    }),
    output: decision,
  },
  'opinions.comparisonPdf': {
    summary: 'Write the comparison as a PDF to bring to the follow-up visit (default: the exports folder).',
    needsUnlock: true,
    input: z.strictObject({ ids: opinionIds, destination: filePath.optional() }),
    output: z.object({ path: z.string(), bytes: z.number().int(), pages: z.number().int() }),
  },
  'opinions.addComparisonToRecords': {
    summary: 'Keep the comparison PDF with the records, so it can go into a packet for a third opinion or a tumor board.',
    needsUnlock: true,
    input: z.strictObject({ ids: opinionIds }),
    output: z.object({ documentId: opaqueId, alreadyThere: z.boolean() }),
  },
} as const;
