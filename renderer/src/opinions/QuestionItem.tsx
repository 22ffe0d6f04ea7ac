import { useEffect, useId, useState } from 'react';
import { useAction } from '../api/useAction';
import { ErrorText } from '../ui/ErrorText';
import { callOpinions, type ComparisonQuestionOut, type OpIn } from './api';

type Change = Omit<OpIn<'opinions.saveQuestion'>, 'ids' | 'questionId'>;

/**
 * One suggested question: its wording can be changed, the answer written down, it can be carried into the list
 * for the next appointment, or dismissed (and brought back). Each change is saved at once.
 */
export function QuestionItem({
  ids,
  question,
  onSaved,
}: {
  ids: string[];
  question: ComparisonQuestionOut;
  onSaved(question: ComparisonQuestionOut): void;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [wording, setWording] = useState(question.text);
  const [answer, setAnswer] = useState(question.answer);
  const [saved, setSaved] = useState<string | null>(null);
  // Shown at once when ticked; the saved value replaces it when the core answers (or puts it back on failure).
  const [inPlan, setInPlan] = useState(question.inPlan);
  useEffect(() => setInPlan(question.inPlan), [question.inPlan]);

  const save = useAction(async (change: Change, message: string) => {
    const result = await callOpinions('opinions.saveQuestion', { ids, questionId: question.id, ...change });
    onSaved(result);
    setSaved(message);
    return result;
  });

  const answerChanged = answer !== question.answer;
  const reworded = question.text !== question.suggestedText;

  return (
    <li className={['question', inPlan ? 'question-in-plan' : '', question.dismissed ? 'question-dismissed' : ''].join(' ')} data-testid="question" data-question-id={question.id}>
      {editing ? (
        <div className="ofield">
          <label className="field-label" htmlFor={`${id}-wording`}>
            Your wording of the question
          </label>
          <textarea id={`${id}-wording`} className="input textarea" rows={3} value={wording} onChange={(event) => setWording(event.target.value)} />
          <div className="actions">
            <button
              type="button"
              className="button button-primary button-small"
              disabled={wording.trim() === '' || save.busy}
              onClick={() =>
                void save.run({ text: wording.trim() }, 'New wording saved.').then((result) => {
                  if (result) setEditing(false);
                })
              }
            >
              Save wording
            </button>
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => {
                setWording(question.text);
                setEditing(false);
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <p className="question-text" id={`${id}-text`} data-testid="question-text">
          {question.text}
        </p>
      )}
      {reworded && !editing ? <p className="hint">Your wording. The app suggested: “{question.suggestedText}”</p> : null}

      {!question.dismissed ? (
        <>
          <div className="ofield">
            <label className="field-label-small" htmlFor={`${id}-answer`}>
              Answer or notes
            </label>
            <textarea
              id={`${id}-answer`}
              className="input textarea"
              rows={2}
              value={answer}
              aria-describedby={`${id}-text`}
              onChange={(event) => {
                setAnswer(event.target.value);
                setSaved(null);
              }}
            />
          </div>
          <div className="actions question-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={!answerChanged || save.busy}
              aria-describedby={`${id}-text`}
              onClick={() => void save.run({ answer }, 'Answer saved.')}
            >
              Save answer
            </button>
            <label className="check-native">
              <input
                type="checkbox"
                checked={inPlan}
                aria-describedby={`${id}-text`}
                onChange={(event) => {
                  const next = event.target.checked;
                  setInPlan(next);
                  void save
                    .run({ inPlan: next }, next ? 'Added to your next appointment.' : 'Taken off your next appointment.')
                    .then((result) => {
                      if (!result) setInPlan(question.inPlan);
                    });
                }}
              />
              <span>Bring to my next appointment</span>
            </label>
            {!editing ? (
              <button
                type="button"
                className="button button-quiet button-small"
                aria-describedby={`${id}-text`}
                onClick={() => {
                  setWording(question.text);
                  setEditing(true);
                }}
              >
                Change wording
              </button>
            ) : null}
            <button
              type="button"
              className="button button-quiet button-small"
              aria-describedby={`${id}-text`}
              onClick={() => void save.run({ dismissed: true }, 'Dismissed.')}
            >
              Dismiss
            </button>
          </div>
        </>
      ) : (
        <div className="actions question-actions">
          <button
            type="button"
            className="button button-secondary button-small"
            aria-describedby={`${id}-text`}
            onClick={() => void save.run({ dismissed: false }, 'Brought back.')}
          >
            Bring back
          </button>
        </div>
      )}
      <p className="hint saved-line" role="status">
        {saved && !save.busy ? saved : ''}
      </p>
      <ErrorText error={save.error} />
    </li>
  );
}
