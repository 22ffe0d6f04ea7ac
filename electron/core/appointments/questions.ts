import type Database from 'better-sqlite3-multiple-ciphers';
import type { Appointment, AppointmentQuestion, QuestionSource } from '../../../shared/contract/appointments';
import { BASE_QUESTIONS, compareOpinions, suggestQuestions, type Opinion } from '../../../shared/opinions';
import { comparisonKey, getOpinion, questionsFor } from '../opinions/store';
import { insertQuestion, readQuestionRows, type QuestionRow } from './store';
import { FOLLOW_UP_BASE_IDS } from './templates';

/**
 * An appointment's question list, kept in step with where its questions come from:
 *   - the built-in questions for any opinion (BASE_QUESTIONS; a shorter set for a follow-up with the main doctor),
 *   - when the appointment's own opinions differ, the questions about those differences (unless dismissed in the
 *     comparison),
 *   - every question the person carried into the plan from any comparison (opinion_questions.in_plan),
 *   - the person's own.
 * Suggestions are added once (by source key) and never re-added after the person removes them. A suggestion that
 * no longer applies is dropped only while untouched (not asked, no answer, no edit). Finished appointments are
 * left exactly as they were.
 */

interface Candidate {
  key: string;
  source: Exclude<QuestionSource, 'own'>;
  topic: string | null;
  text: string;
}

export function syncQuestions(db: Database.Database, appointment: Appointment, now: Date): void {
  if (appointment.trashedAt || appointment.status === 'done' || appointment.status === 'cancelled') return;
  const candidates = candidatesFor(db, appointment);
  const rows = readQuestionRows(db, appointment.id, { includeRemoved: true });
  const byKey = new Map(rows.map((row) => [row.source_key, row]));
  const wanted = new Set(candidates.map((candidate) => candidate.key));
  const refresh = db.prepare('UPDATE appointment_questions SET source = ?, suggested_text = ?, topic = ? WHERE id = ?');
  const drop = db.prepare('DELETE FROM appointment_questions WHERE id = ?');
  db.transaction(() => {
    for (const candidate of candidates) {
      const existing = byKey.get(candidate.key);
      if (!existing) {
        insertQuestion(db, appointment.id, { source: candidate.source, sourceKey: candidate.key, topic: candidate.topic, suggestedText: candidate.text, text: null }, now);
      } else if (existing.suggested_text !== candidate.text || existing.source !== candidate.source || existing.topic !== candidate.topic) {
        refresh.run(candidate.source, candidate.text, candidate.topic, existing.id);
      }
    }
    for (const row of rows) {
      if (row.source === 'own' || row.source === 'base' || wanted.has(row.source_key)) continue;
      if (untouched(row)) drop.run(row.id);
    }
  })();
}

function untouched(row: QuestionRow): boolean {
  return row.asked === 0 && row.answer === '' && row.text === null && row.removed === 0;
}

function candidatesFor(db: Database.Database, appointment: Appointment): Candidate[] {
  const out: Candidate[] = [];
  const base = appointment.kind === 'follow-up' ? BASE_QUESTIONS.filter((q) => FOLLOW_UP_BASE_IDS.has(q.id)) : BASE_QUESTIONS;
  for (const question of base) out.push({ key: `base:${question.id}`, source: 'base', topic: question.topic, text: question.text });

  const seen = new Set<string>();
  const fromComparison = (ids: readonly string[], onlyInPlan: boolean) => {
    const opinions = liveOpinions(db, ids);
    if (opinions.length < 2 || opinions.length !== ids.length) return;
    const key = comparisonKey(ids);
    const suggested = suggestQuestions(compareOpinions(opinions)).filter((question) => !question.id.startsWith('ask-unstated:'));
    for (const question of questionsFor(db, key, suggested)) {
      if (question.dismissed || (onlyInPlan && !question.inPlan)) continue;
      const candidateKey = `cmp:${key}:${question.id}`;
      if (seen.has(candidateKey)) continue;
      seen.add(candidateKey);
      out.push({ key: candidateKey, source: question.inPlan ? 'comparison' : 'difference', topic: question.topic, text: question.text });
    }
  };

  // Differences between this appointment's own opinions (the first four that still exist).
  const own = liveOpinions(db, appointment.opinionIds).slice(0, 4).map((opinion) => opinion.id);
  if (own.length >= 2) fromComparison(own, false);

  // Questions carried into the plan from any comparison.
  const keys = db
    .prepare('SELECT DISTINCT comparison_key FROM opinion_questions WHERE in_plan = 1 AND dismissed = 0 ORDER BY comparison_key')
    .all() as { comparison_key: string }[];
  for (const { comparison_key: key } of keys) {
    const ids = key.split(',').filter(Boolean);
    if (ids.length >= 2 && ids.length <= 4) fromComparison(ids, true);
  }
  return out;
}

function liveOpinions(db: Database.Database, ids: readonly string[]): Opinion[] {
  const out: Opinion[] = [];
  for (const id of new Set(ids)) {
    try {
      out.push(getOpinion(db, id));
    } catch {
      // Trashed or gone: its questions no longer apply.
    }
  }
  return out;
}

export function toQuestion(row: QuestionRow): AppointmentQuestion {
  return {
    id: row.id,
    source: row.source,
    topic: row.topic,
    text: row.text ?? row.suggested_text ?? '',
    suggestedText: row.suggested_text,
    asked: row.asked === 1,
    answer: row.answer,
    position: row.position,
  };
}
