import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { compareOpinions, proposeFromText, suggestQuestions, type Comparison } from '../../../shared/opinions';
import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { pdfBytesToDocument } from '../documents/from-bytes';
import { saveDocument } from '../documents/save';
import { documentText } from '../documents/store';
import { writeNewFile } from '../platform/files';
import { readProfile } from '../vault/profile';
import { comparisonPdf } from './comparison-pdf';
import {
  comparisonKey,
  createOpinion,
  decisionsFor,
  getOpinion,
  listOpinions,
  questionsFor,
  recordDecision,
  saveQuestion,
  setOpinionTrashed,
  updateOpinion,
} from './store';

type OpinionHandlers = Pick<
  Handlers,
  | 'opinions.create'
  | 'opinions.update'
  | 'opinions.list'
  | 'opinions.get'
  | 'opinions.trash'
  | 'opinions.restore'
  | 'opinions.propose'
  | 'opinions.compare'
  | 'opinions.saveQuestion'
  | 'opinions.recordDecision'
  | 'opinions.comparisonPdf'
  | 'opinions.addComparisonToRecords'
>;

export const opinionHandlers: OpinionHandlers = {
  'opinions.create': async (ctx, input) => {
    const db = requireVault(ctx).db;
    assertDocumentsExist(db, input.opinion.documentIds ?? []);
    return createOpinion(db, input.opinion, ctx.now());
  },
  'opinions.update': async (ctx, input) => {
    const db = requireVault(ctx).db;
    assertDocumentsExist(db, input.opinion.documentIds ?? []);
    return updateOpinion(db, input.id, input.opinion, ctx.now());
  },
  'opinions.list': async (ctx, input) => ({ items: listOpinions(requireVault(ctx).db, input.trash) }),
  'opinions.get': async (ctx, input) => getOpinion(requireVault(ctx).db, input.id),
  'opinions.trash': async (ctx, input) => ({ count: setOpinionTrashed(requireVault(ctx).db, input.id, ctx.now()) }),
  'opinions.restore': async (ctx, input) => ({ count: setOpinionTrashed(requireVault(ctx).db, input.id, null) }),

  'opinions.propose': async (ctx, input) => {
    const pages = documentText(requireVault(ctx).db, input.documentId);
    const text = pages.map((page) => page.text).join('\n\n');
    return { documentId: input.documentId, proposals: proposeFromText(text) };
  },

  'opinions.compare': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const { comparison, key } = compare(db, input.ids);
    return {
      ...comparison,
      questions: questionsFor(db, key, suggestQuestions(comparison)),
      decisions: decisionsFor(db, key),
    };
  },

  'opinions.saveQuestion': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const { comparison, key } = compare(db, input.ids);
    const suggested = suggestQuestions(comparison).find((question) => question.id === input.questionId);
    if (!suggested) throw new AppError('NOT_FOUND', 'That question no longer applies to these opinions.');
    const { text, answer, inPlan, dismissed } = input;
    saveQuestion(db, key, suggested, { text, answer, inPlan, dismissed }, ctx.now());
    const saved = questionsFor(db, key, [suggested])[0];
    if (!saved) throw new AppError('INTERNAL');
    return saved;
  },

  'opinions.recordDecision': async (ctx, input) => {
    const db = requireVault(ctx).db;
    const { key } = compare(db, input.ids);
    if (input.chosenOpinionId && !input.ids.includes(input.chosenOpinionId)) {
      throw new AppError('INVALID_INPUT', 'The chosen plan must be one of the opinions being compared.');
    }
    return recordDecision(
      db,
      key,
      { opinionIds: input.ids, chosenOpinionId: input.chosenOpinionId, plan: input.plan, reason: input.reason, decidedOn: input.decidedOn },
      ctx.now(),
    );
  },

  'opinions.comparisonPdf': async (ctx, input) => {
    const { bytes, pages, today } = await renderComparison(ctx, input.ids);
    const destination = input.destination
      ? path.resolve(input.destination)
      : path.join(ctx.exportDir, `Comparison of opinions ${today}.pdf`);
    const written = await writeNewFile(destination, bytes, { vaultDir: ctx.vaultDir, what: 'The comparison', renameIfExists: !input.destination });
    return { path: written, bytes: bytes.length, pages };
  },

  'opinions.addComparisonToRecords': async (ctx, input) => {
    const vault = requireVault(ctx);
    const { bytes, today } = await renderComparison(ctx, input.ids);
    const { pages, thumbnail } = await pdfBytesToDocument(bytes);
    const saved = await saveDocument(ctx, vault, {
      original: bytes,
      originalName: `Comparison of opinions ${today}.pdf`,
      kind: 'pdf',
      mimeType: 'application/pdf',
      pages,
      thumbnail,
      known: {
        type: { value: 'consultation', reason: 'Made by Second Opinion from your comparison of opinions.' },
        serviceDate: { value: today, reason: 'The day the comparison was saved.' },
        title: { value: `Comparison of opinions (${today})`, reason: null },
      },
    });
    return { documentId: saved.documentId, alreadyThere: saved.status === 'duplicate' };
  },
};

/** The comparison PDF and its text, as the person would print it today. */
async function renderComparison(ctx: Parameters<Handlers['opinions.compare']>[0], ids: readonly string[]) {
  const db = requireVault(ctx).db;
  const { comparison, key } = compare(db, ids);
  const today = ctx.now().toISOString().slice(0, 10);
  const pdf = await comparisonPdf({
    patientName: readProfile(db).fullName,
    comparison,
    questions: questionsFor(db, key, suggestQuestions(comparison)),
    decisions: decisionsFor(db, key),
    createdOn: today,
  });
  return { ...pdf, comparison, today };
}

function compare(db: Parameters<typeof getOpinion>[0], ids: readonly string[]): { comparison: Comparison; key: string } {
  if (new Set(ids).size !== ids.length) throw new AppError('INVALID_INPUT', 'Choose different opinions to compare.');
  const opinions = ids.map((id) => getOpinion(db, id));
  return { comparison: compareOpinions(opinions), key: comparisonKey(ids) };
}

function assertDocumentsExist(db: Parameters<typeof getOpinion>[0], ids: readonly string[]): void {
  const exists = db.prepare('SELECT 1 FROM documents WHERE id = ?');
  for (const id of ids) {
    if (!exists.get(id)) throw new AppError('NOT_FOUND', 'One of the linked documents could not be found.');
  }
}

