import { useId, useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { QUESTION_SOURCE_LABELS, type AppointmentDetail, type AppointmentQuestion } from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { CheckMark } from '../ui/CheckMark';
import { ErrorText } from '../ui/ErrorText';
import { patchDetail, refreshAppointments } from './api';
import { saveStateText, useAutosave } from './useAutosave';

function patchQuestion(appointmentId: string, saved: AppointmentQuestion): void {
  patchDetail(appointmentId, (detail) => ({
    ...detail,
    questions: detail.questions.map((question) => (question.id === saved.id ? saved : question)),
  }));
}

/** Marks a question asked (or not), at once. */
export function AskedBox({ appointmentId, question, large }: { appointmentId: string; question: AppointmentQuestion; large?: boolean }) {
  const [error, setError] = useState<AppError | null>(null);
  return (
    <>
      <Checkbox
        className={large ? 'checkbox checkbox-large appt-asked' : 'checkbox appt-asked'}
        isSelected={question.asked}
        onChange={async (asked) => {
          patchQuestion(appointmentId, { ...question, asked });
          try {
            patchQuestion(appointmentId, await call('appointments.saveQuestion', { appointmentId, questionId: question.id, asked }));
            setError(null);
          } catch (caught) {
            patchQuestion(appointmentId, question);
            setError(toAppError(caught));
          }
        }}
      >
        <CheckMark />
        Asked<span className="visually-hidden">: {question.text}</span>
      </Checkbox>
      <ErrorText error={error} />
    </>
  );
}

/** The answer to one question, saved while typing. */
export function AnswerField({
  appointmentId,
  question,
  label = 'Answer',
  rows = 2,
  className,
}: {
  appointmentId: string;
  question: AppointmentQuestion;
  label?: string;
  rows?: number;
  className?: string;
}) {
  const id = useId();
  const [answer, setAnswer] = useState(question.answer);
  const autosave = useAutosave(async (value) => {
    patchQuestion(appointmentId, await call('appointments.saveQuestion', { appointmentId, questionId: question.id, answer: value }));
  });
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
        <span className="visually-hidden">: {question.text}</span>
      </label>
      <textarea
        id={id}
        className="input appt-textarea"
        rows={rows}
        value={answer}
        onChange={(event) => {
          setAnswer(event.target.value);
          autosave.change(event.target.value);
        }}
        onBlur={autosave.flush}
      />
      <p className="hint appt-save-state" data-state={autosave.state}>
        {autosave.state === 'idle' ? '' : saveStateText(autosave)}
      </p>
      <ErrorText error={autosave.state === 'error' ? autosave.error : null} />
    </div>
  );
}

/** The question list of an appointment: reorder, mark asked, write the answers, add your own. */
export function Questions({ appointment }: { appointment: AppointmentDetail }) {
  const [error, setError] = useState<AppError | null>(null);
  const questions = appointment.questions;
  const move = async (index: number, by: -1 | 1) => {
    const order = questions.map((question) => question.id);
    const target = index + by;
    if (target < 0 || target >= order.length) return;
    [order[index], order[target]] = [order[target]!, order[index]!];
    try {
      const { questions: reordered } = await call('appointments.reorderQuestions', { appointmentId: appointment.id, order });
      patchDetail(appointment.id, (detail) => ({ ...detail, questions: reordered }));
      setError(null);
      // Keep the keyboard on the question that moved.
      window.requestAnimationFrame(() => document.getElementById(`move-${by < 0 ? 'up' : 'down'}-${questions[index]!.id}`)?.closest('button')?.focus());
    } catch (caught) {
      setError(toAppError(caught));
      refreshAppointments(appointment.id);
    }
  };
  const remove = async (question: AppointmentQuestion) => {
    try {
      await call('appointments.removeQuestion', { appointmentId: appointment.id, questionId: question.id });
      patchDetail(appointment.id, (detail) => ({ ...detail, questions: detail.questions.filter((q) => q.id !== question.id) }));
      refreshAppointments(appointment.id);
    } catch (caught) {
      setError(toAppError(caught));
    }
  };
  return (
    <section className="appt-block" aria-labelledby="appt-questions">
      <h2 id="appt-questions">Questions to ask</h2>
      <p className="hint">
        {appointment.counts.asked} of {questions.length} asked. Put the most important ones first; the order is kept on the prep sheet and in visit
        mode.
      </p>
      <ErrorText error={error} />
      <ol className="appt-questions">
        {questions.map((question, index) => (
          <li key={question.id} className="appt-question" data-testid="question">
            <p className="appt-question-text">{question.text}</p>
            <p className="hint appt-question-source">{QUESTION_SOURCE_LABELS[question.source]}</p>
            <div className="appt-question-controls">
              <AskedBox appointmentId={appointment.id} question={question} />
              <div className="appt-question-move">
                <ActionButton variant="quiet" isDisabled={index === 0} onPress={() => void move(index, -1)} className="appt-icon-button">
                  <span id={`move-up-${question.id}`}>
                    Move up<span className="visually-hidden">: {question.text}</span>
                  </span>
                </ActionButton>
                <ActionButton variant="quiet" isDisabled={index === questions.length - 1} onPress={() => void move(index, 1)} className="appt-icon-button">
                  <span id={`move-down-${question.id}`}>
                    Move down<span className="visually-hidden">: {question.text}</span>
                  </span>
                </ActionButton>
                <ActionButton variant="quiet" onPress={() => void remove(question)} className="appt-icon-button">
                  <span>
                    Remove<span className="visually-hidden">: {question.text}</span>
                  </span>
                </ActionButton>
              </div>
            </div>
            <AnswerField appointmentId={appointment.id} question={question} />
          </li>
        ))}
      </ol>
      <AddQuestion appointmentId={appointment.id} />
    </section>
  );
}

function AddQuestion({ appointmentId }: { appointmentId: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const add = useAction(async () => {
    const question = await call('appointments.addQuestion', { appointmentId, text: text.trim() });
    patchDetail(appointmentId, (detail) => ({ ...detail, questions: [...detail.questions, question] }));
    refreshAppointments(appointmentId);
    setText('');
  });
  return (
    <form
      className="appt-add"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void add.run();
      }}
    >
      <div className="field appt-add-wide">
        <label className="field-label" htmlFor={id}>
          Your own question
        </label>
        <input id={id} className="input" type="text" value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <ActionButton type="submit" variant="secondary" isDisabled={!text.trim()} busy={add.busy} busyLabel="Adding…">
        Add question
      </ActionButton>
      <ErrorText error={add.error} />
    </form>
  );
}
