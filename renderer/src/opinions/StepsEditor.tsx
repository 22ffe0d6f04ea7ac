import { useEffect, useRef, useState } from 'react';
import type { TreatmentStep } from '../../../shared/opinions';
import { addStep, fieldId, moveStep, removeStep } from './draft';
import { useEditor } from './EditorContext';
import { FieldNotes } from './fields';
import { STEP_KIND_CHOICES, TIMING_CHOICES, TIMING_NONE, stepKindLabel } from './vocab';

type FocusTarget = { index: number; control: 'up' | 'down' | 'remove' | 'kind' } | { index: -1; control: 'add' };

/**
 * The treatments in the order the doctor proposes them. Steps are added, removed and moved with ordinary buttons
 * (Tab to reach them, Enter or Space to press); after a move the focus stays on the step that moved.
 */
export function StepsEditor() {
  const { draft, set, update } = useEditor();
  const steps: TreatmentStep[] = draft.recommendation?.steps ?? [];
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const buttons = useRef(new Map<string, HTMLElement | null>());

  useEffect(() => {
    if (!focusTarget) return;
    const key = `${focusTarget.index}:${focusTarget.control}`;
    let element = buttons.current.get(key) ?? null;
    if (element && element instanceof HTMLButtonElement && element.disabled) {
      const other = focusTarget.control === 'up' ? 'down' : 'up';
      element = buttons.current.get(`${focusTarget.index}:${other}`) ?? null;
      if (element instanceof HTMLButtonElement && element.disabled) element = buttons.current.get(`${focusTarget.index}:remove`) ?? null;
    }
    element?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const register = (key: string) => (element: HTMLElement | null) => {
    buttons.current.set(key, element);
  };

  const describe = (step: TreatmentStep) => (step.detail ? `${stepKindLabel(step.kind)} (${step.detail})` : stepKindLabel(step.kind));

  const move = (from: number, to: number, control: 'up' | 'down') => {
    const step = steps[from];
    if (!step || to < 0 || to >= steps.length) return;
    update((d) => moveStep(d, from, to));
    setAnnouncement(`${describe(step)} is now step ${to + 1} of ${steps.length}.`);
    setFocusTarget({ index: to, control });
  };

  return (
    <div className="steps" role="group" aria-labelledby="steps-heading" id={fieldId('recommendation.steps')}>
      <h3 id="steps-heading">Treatment steps, in order</h3>
      <p className="hint">
        Before surgery is called neoadjuvant; after surgery, adjuvant. Use “Move up” and “Move down” to put the steps in
        the order the doctor suggested. No steps means the doctor’s plan is not stated here.
      </p>
      {steps.length === 0 ? (
        <p className="stated-line">
          <span className="stated-badge">
            <span aria-hidden="true" className="stated-badge-icon">
              ○
            </span>
            Not stated
          </span>{' '}
          No treatment steps yet.
        </p>
      ) : null}
      <ol className="step-list" data-testid="step-list">
        {steps.map((step, index) => {
          const base = `recommendation.steps.${index}`;
          const name = `Step ${index + 1}`;
          return (
            <li key={index} className="opinion-step" data-testid="step">
              <fieldset className="step-fieldset">
                <legend className="step-legend">
                  {name}: <span data-testid="step-summary">{describe(step)}</span>
                </legend>
                <div className="step-grid">
                  <div className="ofield">
                    <label className="field-label" htmlFor={fieldId(`${base}.kind`)}>
                      Kind of treatment
                    </label>
                    <select
                      id={fieldId(`${base}.kind`)}
                      ref={register(`${index}:kind`)}
                      className="input select-native"
                      value={step.kind}
                      onChange={(event) => set(`${base}.kind`, event.target.value)}
                    >
                      {STEP_KIND_CHOICES.map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </select>
                    <FieldNotes path={`${base}.kind`} id={`${fieldId(base)}-kind-notes`} />
                  </div>
                  <div className="ofield">
                    <label className="field-label" htmlFor={fieldId(`${base}.detail`)}>
                      What exactly
                    </label>
                    <input
                      id={fieldId(`${base}.detail`)}
                      className="input"
                      value={step.detail ?? ''}
                      aria-describedby={`${fieldId(base)}-detail-hint`}
                      onChange={(event) => set(`${base}.detail`, event.target.value === '' ? undefined : event.target.value)}
                    />
                    <p className="hint field-hint" id={`${fieldId(base)}-detail-hint`}>
                      For example lumpectomy, AC-T, whole breast, letrozole. Empty = not stated.
                    </p>
                    <FieldNotes path={`${base}.detail`} id={`${fieldId(base)}-detail-notes`} />
                  </div>
                  <div className="ofield">
                    <label className="field-label" htmlFor={fieldId(`${base}.timing`)}>
                      When
                    </label>
                    <select
                      id={fieldId(`${base}.timing`)}
                      className={['input', 'select-native', step.timing === undefined ? 'is-not-stated' : ''].join(' ')}
                      value={step.timing === undefined ? '' : step.timing === null ? TIMING_NONE : step.timing}
                      onChange={(event) => {
                        const v = event.target.value;
                        set(`${base}.timing`, v === '' ? undefined : v === TIMING_NONE ? null : v);
                      }}
                    >
                      <option value="">Not stated</option>
                      {TIMING_CHOICES.map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </select>
                    <FieldNotes path={`${base}.timing`} id={`${fieldId(base)}-timing-notes`} />
                  </div>
                  <div className="ofield">
                    <label className="field-label" htmlFor={fieldId(`${base}.duration`)}>
                      How long
                    </label>
                    <input
                      id={fieldId(`${base}.duration`)}
                      className="input"
                      value={step.duration ?? ''}
                      aria-describedby={`${fieldId(base)}-duration-hint`}
                      onChange={(event) => set(`${base}.duration`, event.target.value === '' ? undefined : event.target.value)}
                    />
                    <p className="hint field-hint" id={`${fieldId(base)}-duration-hint`}>
                      For example 4 cycles, 3 weeks, 5 years. Empty = not stated.
                    </p>
                    <FieldNotes path={`${base}.duration`} id={`${fieldId(base)}-duration-notes`} />
                  </div>
                </div>
                <FieldNotes path={base} id={`${fieldId(base)}-notes`} />
                <div className="step-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    ref={register(`${index}:up`)}
                    disabled={index === 0}
                    aria-label={`Move up, step ${index + 1}`}
                    onClick={() => move(index, index - 1, 'up')}
                  >
                    <span aria-hidden="true">↑</span> Move up
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    ref={register(`${index}:down`)}
                    disabled={index === steps.length - 1}
                    aria-label={`Move down, step ${index + 1}`}
                    onClick={() => move(index, index + 1, 'down')}
                  >
                    <span aria-hidden="true">↓</span> Move down
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    ref={register(`${index}:remove`)}
                    aria-label={`Remove step ${index + 1}`}
                    onClick={() => {
                      update((d) => removeStep(d, index));
                      setAnnouncement(`${name} (${describe(step)}) was removed.`);
                      setFocusTarget(steps.length > 1 ? { index: Math.min(index, steps.length - 2), control: 'remove' } : { index: -1, control: 'add' });
                    }}
                  >
                    Remove
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          ref={register('-1:add')}
          onClick={() => {
            update((d) => addStep(d));
            setAnnouncement(`Step ${steps.length + 1} added. Choose its kind of treatment.`);
            setFocusTarget({ index: steps.length, control: 'kind' });
          }}
        >
          Add a treatment step
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <FieldNotes path="recommendation.steps" id="steps-notes" />
    </div>
  );
}
