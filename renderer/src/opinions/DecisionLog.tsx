import { useId, useState } from 'react';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { formatCalendarDate, formatDateTime } from '../ui/format';
import { callOpinions, type DecisionOut } from './api';

const OTHER = 'other';

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The decision log: which plan was chosen (one of the opinions, or something else), when, and why in the
 * person's own words. Past decisions stay listed, newest first; nothing is overwritten.
 */
export function DecisionLog({
  ids,
  opinions,
  decisions,
  onRecorded,
}: {
  ids: string[];
  opinions: { id: string; label: string }[];
  decisions: DecisionOut[];
  onRecorded(decision: DecisionOut): void;
}) {
  const id = useId();
  const [choice, setChoice] = useState('');
  const [plan, setPlan] = useState('');
  const [decidedOn, setDecidedOn] = useState(today);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const record = useAction(async () => {
    const chosen = opinions.find((o) => o.id === choice);
    const planText = plan.trim() || chosen?.label || '';
    const decision = await callOpinions('opinions.recordDecision', {
      ids,
      chosenOpinionId: chosen ? chosen.id : null,
      plan: planText,
      reason,
      decidedOn,
    });
    onRecorded(decision);
    setChoice('');
    setPlan('');
    setReason('');
    setDone(`Written down: ${decision.plan}, decided on ${formatCalendarDate(decision.decidedOn)}.`);
    return decision;
  });

  const submit = () => {
    setDone(null);
    if (!choice) return setProblem('Please choose which plan you decided on.');
    if (choice === OTHER && plan.trim() === '') return setProblem('Please describe the plan in a few words.');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(decidedOn)) return setProblem('Please give the date of the decision.');
    setProblem(null);
    void record.run();
  };

  const past = [...decisions].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  const labelOf = (opinionId: string | null) => opinions.find((o) => o.id === opinionId)?.label;

  return (
    <section className="decision-section" aria-labelledby={`${id}-title`} data-testid="decisions">
      <h2 id={`${id}-title`}>Your decision</h2>
      <p className="hint">
        When you have decided, write down which plan you chose and why, in your own words. It helps later, and it can
        be shared with your doctors. You can write a new entry if you change your mind; earlier ones stay.
      </p>
      <form
        className="decision-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <fieldset className="ofield ofield-radios">
          <legend className="field-label">Which plan did you choose?</legend>
          <div className="radio-column">
            {opinions.map((opinion) => (
              <label key={opinion.id} className="radio-native">
                <input type="radio" name={`${id}-choice`} value={opinion.id} checked={choice === opinion.id} onChange={() => setChoice(opinion.id)} />
                <span>The plan of {opinion.label}</span>
              </label>
            ))}
            <label className="radio-native">
              <input type="radio" name={`${id}-choice`} value={OTHER} checked={choice === OTHER} onChange={() => setChoice(OTHER)} />
              <span>Something else</span>
            </label>
          </div>
        </fieldset>
        <div className="ofield">
          <label className="field-label" htmlFor={`${id}-plan`}>
            The plan in a few words{choice === OTHER ? '' : ' (optional)'}
          </label>
          <input id={`${id}-plan`} className="input" value={plan} maxLength={500} onChange={(event) => setPlan(event.target.value)} />
        </div>
        <div className="ofield">
          <label className="field-label" htmlFor={`${id}-date`}>
            When did you decide?
          </label>
          <input id={`${id}-date`} type="date" className="input input-date" value={decidedOn} onChange={(event) => setDecidedOn(event.target.value)} />
        </div>
        <div className="ofield">
          <label className="field-label" htmlFor={`${id}-reason`}>
            Why — in your own words
          </label>
          <textarea id={`${id}-reason`} className="input textarea" rows={4} value={reason} onChange={(event) => setReason(event.target.value)} />
        </div>
        <ErrorText error={problem} />
        <ErrorText error={record.error} />
        <div className="actions">
          <ActionButton type="submit" busy={record.busy} busyLabel="Writing it down…">
            Write down this decision
          </ActionButton>
        </div>
        {done ? <StatusText tone="good">{done}</StatusText> : null}
      </form>

      <h3>Decisions so far</h3>
      {past.length === 0 ? (
        <p className="hint">No decision written down yet.</p>
      ) : (
        <ol className="decision-list" data-testid="decision-list">
          {past.map((decision) => (
            <li key={decision.id} className="decision" data-testid="decision">
              <p className="decision-head">
                <strong>{decision.plan}</strong> — decided on {formatCalendarDate(decision.decidedOn)}
              </p>
              {decision.chosenOpinionId && labelOf(decision.chosenOpinionId) && labelOf(decision.chosenOpinionId) !== decision.plan ? (
                <p className="hint">Following the opinion of {labelOf(decision.chosenOpinionId)}</p>
              ) : null}
              {decision.chosenOpinionId === null ? <p className="hint">A plan other than the ones compared</p> : null}
              {decision.reason ? <p className="decision-reason">{decision.reason}</p> : <p className="hint">No reason written.</p>}
              <p className="hint">Written down {formatDateTime(decision.recordedAt)}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
