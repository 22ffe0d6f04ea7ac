import { describe, expect, it } from 'vitest';
import { BASE_QUESTIONS, type OpinionInput } from '../../../shared/opinions';
import { must } from '../../helpers/core';
import { clockCore } from './helpers';

const FIRST = {
  kind: 'first',
  clinician: 'Dr. Ana Rivera',
  institution: 'City Cancer Center',
  date: '2025-03-04',
  diagnosis: { histology: 'IDC', clinicalTnm: { t: 'T2', n: 'N1', m: 'M0' }, er: { status: 'positive', percent: 95 } },
  recommendation: {
    steps: [
      { kind: 'chemotherapy', detail: 'AC-T', timing: 'neoadjuvant' },
      { kind: 'surgery', detail: 'lumpectomy', timing: null },
    ],
  },
} as OpinionInput;

const SECOND = {
  kind: 'second',
  clinician: 'Dr. Sam Okafor',
  institution: 'University Hospital',
  date: '2025-03-20',
  diagnosis: { histology: 'invasive ductal carcinoma', clinicalTnm: { t: 'T2', n: 'N0', m: 'M0' }, er: { status: 'positive', percent: 90 } },
  recommendation: {
    steps: [
      { kind: 'surgery', detail: 'mastectomy', timing: null },
      { kind: 'chemotherapy', detail: 'AC-T', timing: 'adjuvant' },
    ],
  },
} as OpinionInput;

describe('appointment questions', () => {
  it('start from the built-in set; own questions, reorder, asked, answers and removal stick', async () => {
    const { core } = await clockCore();
    const { id, questions } = await must(core, 'appointments.create', { appointment: { kind: 'second' } });
    expect(questions.map((q) => q.text)).toEqual(BASE_QUESTIONS.map((q) => q.text));
    expect(questions.every((q) => q.source === 'base' && !q.asked && q.answer === '')).toBe(true);

    const own = await must(core, 'appointments.addQuestion', { appointmentId: id, text: 'Can I keep working during treatment?' });
    expect(own).toMatchObject({ source: 'own', suggestedText: null, position: questions.length + 1 });

    const order = [own.id, ...questions.map((q) => q.id).reverse()];
    const reordered = await must(core, 'appointments.reorderQuestions', { appointmentId: id, order });
    expect(reordered.questions.map((q) => q.id)).toEqual(order);
    const partial = await core.call('appointments.reorderQuestions', { appointmentId: id, order: order.slice(1) });
    expect(partial).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const first = questions[0]!;
    const answered = await must(core, 'appointments.saveQuestion', { appointmentId: id, questionId: first.id, asked: true, answer: 'About 200 patients a year.' });
    expect(answered).toMatchObject({ asked: true, answer: 'About 200 patients a year.' });
    const reworded = await must(core, 'appointments.saveQuestion', { appointmentId: id, questionId: first.id, text: 'How many people like me do you see?' });
    expect(reworded).toMatchObject({ text: 'How many people like me do you see?', suggestedText: first.text, answer: 'About 200 patients a year.' });

    const last = questions.at(-1)!;
    expect(await must(core, 'appointments.removeQuestion', { appointmentId: id, questionId: last.id })).toEqual({ count: 1 });
    const detail = await must(core, 'appointments.get', { id });
    // A removed suggestion is not suggested again; the order and answers are kept.
    expect(detail.questions.map((q) => q.id)).toEqual(order.filter((qid) => qid !== last.id));
    expect(detail.questions.find((q) => q.id === first.id)).toMatchObject({ asked: true, text: 'How many people like me do you see?' });
    expect(detail.counts).toMatchObject({ questions: questions.length, asked: 1, answered: 1 });

    const followUp = await must(core, 'appointments.create', { appointment: { kind: 'follow-up' } });
    expect(followUp.questions.length).toBeLessThan(BASE_QUESTIONS.length);
    expect(followUp.questions.map((q) => q.text)).toContain(BASE_QUESTIONS.find((q) => q.id === 'base-wait')!.text);
  });

  it('add the difference questions when the linked opinions differ, and questions carried from any comparison', async () => {
    const { core } = await clockCore();
    const a = await must(core, 'opinions.create', { opinion: FIRST });
    const b = await must(core, 'opinions.create', { opinion: SECOND });
    const comparison = await must(core, 'opinions.compare', { ids: [a.id, b.id] });
    const differenceTexts = comparison.questions.filter((q) => !q.id.startsWith('ask-unstated:')).map((q) => q.text);
    expect(differenceTexts.length).toBeGreaterThan(2);

    // A third opinion about the two that differ: built-in questions plus the differences.
    const third = await must(core, 'appointments.create', { appointment: { kind: 'third', opinionIds: [a.id, b.id] } });
    expect(third.opinions.map((o) => o.id)).toEqual([a.id, b.id]);
    const differences = third.questions.filter((q) => q.source === 'difference');
    expect(differences.map((q) => q.text)).toEqual(differenceTexts);

    // An appointment not about these opinions gets only what the person carried into the plan.
    const followUp = await must(core, 'appointments.create', { appointment: { kind: 'follow-up' } });
    expect(followUp.questions.some((q) => q.source !== 'base')).toBe(false);
    const carried = comparison.questions[0]!;
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: carried.id, inPlan: true, text: 'Why surgery first?' });
    const dismissed = comparison.questions[1]!;
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: dismissed.id, dismissed: true });

    const withPlan = await must(core, 'appointments.get', { id: followUp.id });
    const inPlan = withPlan.questions.filter((q) => q.source === 'comparison');
    expect(inPlan.map((q) => q.text)).toEqual(['Why surgery first?']);

    const thirdAgain = await must(core, 'appointments.get', { id: third.id });
    expect(thirdAgain.questions.find((q) => q.text === 'Why surgery first?')?.source).toBe('comparison');
    expect(thirdAgain.questions.map((q) => q.text)).not.toContain(dismissed.text);
    expect(thirdAgain.questions.filter((q) => q.text === 'Why surgery first?')).toHaveLength(1);

    // Answered here, the question stays even when it leaves the plan; an untouched one goes.
    const kept = inPlan[0]!;
    await must(core, 'appointments.saveQuestion', { appointmentId: followUp.id, questionId: kept.id, answer: 'To know the margins first.' });
    const other = comparison.questions[2]!;
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: other.id, inPlan: true });
    expect((await must(core, 'appointments.get', { id: followUp.id })).questions.filter((q) => q.source === 'comparison')).toHaveLength(2);
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: carried.id, inPlan: false });
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: other.id, inPlan: false });
    const after = await must(core, 'appointments.get', { id: followUp.id });
    expect(after.questions.filter((q) => q.source !== 'base').map((q) => q.answer)).toEqual(['To know the margins first.']);

    // A finished appointment is left as it was.
    await must(core, 'appointments.update', { id: followUp.id, appointment: { kind: 'follow-up', status: 'done' } });
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: other.id, inPlan: true });
    const done = await must(core, 'appointments.get', { id: followUp.id });
    expect(done.questions.length).toBe(after.questions.length);

    // Appointments about an opinion can be listed from it.
    expect((await must(core, 'appointments.list', { opinionId: a.id })).items.map((item) => item.id)).toEqual([third.id]);
  });
});
