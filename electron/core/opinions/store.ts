import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { ComparisonQuestion, Decision } from '../../../shared/contract/opinions';
import { AppError } from '../../../shared/errors';
import { opinion as opinionSchema, opinionInput, type Opinion, type OpinionInput } from '../../../shared/opinions';
import type { SuggestedQuestion } from '../../../shared/opinions';

interface OpinionRow {
  id: string;
  content: string;
  created_at: string;
  updated_at: string;
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** The same set of opinions always maps to the same key, whatever order they were picked in. */
export function comparisonKey(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}

export function createOpinion(db: Database.Database, input: OpinionInput, now: Date): Opinion {
  const id = newId();
  const at = now.toISOString();
  db.prepare('INSERT INTO opinions (id, content, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, JSON.stringify(input), at, at);
  return getOpinion(db, id);
}

export function updateOpinion(db: Database.Database, id: string, input: OpinionInput, now: Date): Opinion {
  const changed = db
    .prepare('UPDATE opinions SET content = ?, updated_at = ? WHERE id = ? AND trashed_at IS NULL')
    .run(JSON.stringify(input), now.toISOString(), id).changes;
  if (changed === 0) throw notFound();
  return getOpinion(db, id);
}

export function getOpinion(db: Database.Database, id: string, options: { includeTrashed?: boolean } = {}): Opinion {
  const trashed = options.includeTrashed ? '' : ' AND trashed_at IS NULL';
  const row = db.prepare(`SELECT id, content, created_at, updated_at FROM opinions WHERE id = ?${trashed}`).get(id) as
    | OpinionRow
    | undefined;
  if (!row) throw notFound();
  return toOpinion(row);
}

export function listOpinions(db: Database.Database, trash: 'exclude' | 'only'): Opinion[] {
  const where = trash === 'only' ? 'trashed_at IS NOT NULL' : 'trashed_at IS NULL';
  const rows = db.prepare(`SELECT id, content, created_at, updated_at FROM opinions WHERE ${where}`).all() as OpinionRow[];
  return rows
    .map(toOpinion)
    .sort((a, b) => (b.date ?? b.createdAt.slice(0, 10)).localeCompare(a.date ?? a.createdAt.slice(0, 10)));
}

export function setOpinionTrashed(db: Database.Database, id: string, at: Date | null): number {
  return at
    ? db.prepare('UPDATE opinions SET trashed_at = ? WHERE id = ? AND trashed_at IS NULL').run(at.toISOString(), id).changes
    : db.prepare('UPDATE opinions SET trashed_at = NULL WHERE id = ? AND trashed_at IS NOT NULL').run(id).changes;
}

/** Stored content is re-validated: an opinion that no longer fits the schema is damage, not something to show. */
function toOpinion(row: OpinionRow): Opinion {
  const content = opinionInput.safeParse(JSON.parse(row.content));
  if (!content.success) throw new AppError('VAULT_DAMAGED');
  return opinionSchema.parse({ ...content.data, id: row.id, createdAt: row.created_at, updatedAt: row.updated_at });
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'That opinion could not be found. It may be in the trash.');
}

interface QuestionRow {
  question_id: string;
  text: string | null;
  answer: string;
  in_plan: number;
  dismissed: number;
}

/** The app's suggestions merged with what the person did with them (edited wording, answer, plan, dismissed). */
export function questionsFor(db: Database.Database, key: string, suggested: readonly SuggestedQuestion[]): ComparisonQuestion[] {
  const rows = db
    .prepare('SELECT question_id, text, answer, in_plan, dismissed FROM opinion_questions WHERE comparison_key = ?')
    .all(key) as QuestionRow[];
  const saved = new Map(rows.map((row) => [row.question_id, row]));
  return suggested.map((question) => {
    const row = saved.get(question.id);
    return {
      id: question.id,
      field: question.field,
      topic: question.topic,
      suggestedText: question.text,
      text: row?.text ?? question.text,
      answer: row?.answer ?? '',
      inPlan: row?.in_plan === 1,
      dismissed: row?.dismissed === 1,
    };
  });
}

export interface QuestionChanges {
  text?: string;
  answer?: string;
  inPlan?: boolean;
  dismissed?: boolean;
}

export function saveQuestion(db: Database.Database, key: string, question: SuggestedQuestion, changes: QuestionChanges, now: Date): void {
  db.prepare(
    `INSERT INTO opinion_questions (comparison_key, question_id, field, topic, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(comparison_key, question_id) DO NOTHING`,
  ).run(key, question.id, question.field, question.topic, now.toISOString());
  const sets: string[] = ['updated_at = ?'];
  const values: (string | number | null)[] = [now.toISOString()];
  if (changes.text !== undefined) {
    sets.push('text = ?');
    // Saving the suggestion's own wording means "no edit", so later wording improvements still reach it.
    values.push(changes.text === question.text ? null : changes.text);
  }
  const flags: [string, string | number | undefined][] = [
    ['answer', changes.answer],
    ['in_plan', changes.inPlan === undefined ? undefined : Number(changes.inPlan)],
    ['dismissed', changes.dismissed === undefined ? undefined : Number(changes.dismissed)],
  ];
  for (const [column, value] of flags) {
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(value);
  }
  db.prepare(`UPDATE opinion_questions SET ${sets.join(', ')} WHERE comparison_key = ? AND question_id = ?`).run(
    ...values,
    key,
    question.id,
  );
}

const decisionRow = z.object({
  id: z.string(),
  opinion_ids: z.string(),
  chosen_opinion_id: z.string().nullable(),
  plan: z.string(),
  reason: z.string(),
  decided_on: z.string(),
  recorded_at: z.string(),
});

export function recordDecision(db: Database.Database, key: string, decision: Omit<Decision, 'id' | 'recordedAt'>, now: Date): Decision {
  const id = newId();
  db.prepare(
    `INSERT INTO decisions (id, comparison_key, opinion_ids, chosen_opinion_id, plan, reason, decided_on, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, key, JSON.stringify(decision.opinionIds), decision.chosenOpinionId, decision.plan, decision.reason, decision.decidedOn, now.toISOString());
  return { ...decision, id, recordedAt: now.toISOString() };
}

export function decisionsFor(db: Database.Database, key: string): Decision[] {
  const rows = db.prepare('SELECT * FROM decisions WHERE comparison_key = ? ORDER BY decided_on DESC, recorded_at DESC').all(key);
  return rows.map((raw) => {
    const row = decisionRow.parse(raw);
    return {
      id: row.id,
      opinionIds: z.array(z.string()).parse(JSON.parse(row.opinion_ids)),
      chosenOpinionId: row.chosen_opinion_id,
      plan: row.plan,
      reason: row.reason,
      decidedOn: row.decided_on,
      recordedAt: row.recorded_at,
    };
  });
}
