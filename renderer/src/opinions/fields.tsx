import { useEffect, useId, useState, type ReactNode } from 'react';
import { fieldId, getIn } from './draft';
import { useEditor } from './EditorContext';
import { TERMS } from './terms';
import type { Choice } from './vocab';

/**
 * The opinion form's fields. Every one starts as "Not stated" (the key is left out of the opinion). A stated
 * "No" or "Negative" is an ordinary choice and is saved. Fields show where a value came from when it was read
 * from a report, and any problem the check found, right under the field.
 */

export function NotStatedBadge({ stated, id }: { stated: boolean; id?: string }) {
  return stated ? null : (
    <span className="stated-badge" id={id}>
      <span aria-hidden="true" className="stated-badge-icon">
        ○
      </span>
      Not stated
    </span>
  );
}

function Hint({ path, extra, id }: { path: string; extra?: ReactNode; id: string }) {
  const term = TERMS[path];
  if (!term && !extra) return null;
  return (
    <p className="hint field-hint" id={id}>
      {term}
      {term && extra ? ' ' : null}
      {extra}
    </p>
  );
}

export function FieldNotes({ path, id }: { path: string; id: string }) {
  const { problemsAt, sourceOf } = useEditor();
  const problems = problemsAt(path);
  const source = sourceOf(path);
  return (
    <div id={id} className="field-notes">
      {problems.map((message) => (
        <p key={message} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {message}
        </p>
      ))}
      {source ? (
        <p className="source-note">
          <span className="source-note-label">From {source.title}:</span> “{source.entry.snippet}”
        </p>
      ) : null}
    </div>
  );
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => Boolean(x));
  return list.length ? list.join(' ') : undefined;
}

interface BaseProps {
  path: string;
  label: string;
  /** Extra words after the term's explanation. */
  hint?: ReactNode;
  /** Leave out the explanation (e.g. when the group above explains it). */
  noTerm?: boolean;
  className?: string;
}

/** One line of text; empty = not stated. */
export function TextRow({ path, label, hint, noTerm, className, multiline }: BaseProps & { multiline?: boolean }) {
  const { draft, set, problemsAt } = useEditor();
  const raw = getIn(draft, path);
  const value = typeof raw === 'string' ? raw : '';
  const ids = useIds();
  const stated = value.trim() !== '';
  const invalid = problemsAt(path).length > 0;
  return (
    <div className={['ofield', className].filter(Boolean).join(' ')}>
      <div className="ofield-head">
        <label className="field-label" htmlFor={fieldId(path)}>
          {label}
        </label>
        <NotStatedBadge stated={stated} id={ids.badge} />
      </div>
      {noTerm ? (hint ? <p className="hint field-hint" id={ids.hint}>{hint}</p> : null) : <Hint path={path} extra={hint} id={ids.hint} />}
      {multiline ? (
        <textarea
          id={fieldId(path)}
          className="input textarea"
          value={value}
          rows={3}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(!stated && ids.badge, ids.hint, ids.notes)}
          onChange={(event) => set(path, event.target.value === '' ? undefined : event.target.value)}
        />
      ) : (
        <input
          id={fieldId(path)}
          className="input"
          type="text"
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(!stated && ids.badge, ids.hint, ids.notes)}
          onChange={(event) => set(path, event.target.value === '' ? undefined : event.target.value)}
        />
      )}
      <FieldNotes path={path} id={ids.notes} />
    </div>
  );
}

function useIds() {
  const base = useId();
  return { badge: `${base}-badge`, hint: `${base}-hint`, notes: `${base}-notes` };
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
}

function formatNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/**
 * A number typed as text, so partial input ("2.") is kept while typing. Unreadable text is stored as NaN, which the
 * check reports next to the field ("Please write a number"). 0 is a stated value.
 */
export function NumberRow({ path, label, hint, noTerm, unit, className }: BaseProps & { unit?: string }) {
  const { draft, set, problemsAt } = useEditor();
  const value = getIn(draft, path);
  const [text, setText] = useState(() => formatNumber(value));
  useEffect(() => {
    const parsed = parseNumber(text);
    if (!Object.is(parsed, value) && !(typeof value === 'number' && Number.isNaN(value))) setText(formatNumber(value));
    // Only an outside change (a proposal accepted, a step moved) resets the text.
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  const ids = useIds();
  const stated = text.trim() !== '';
  const invalid = problemsAt(path).length > 0;
  return (
    <div className={['ofield', 'ofield-number', className].filter(Boolean).join(' ')}>
      <div className="ofield-head">
        <label className="field-label" htmlFor={fieldId(path)}>
          {label}
        </label>
        <NotStatedBadge stated={stated} id={ids.badge} />
      </div>
      {noTerm ? (hint ? <p className="hint field-hint" id={ids.hint}>{hint}</p> : null) : <Hint path={path} extra={hint} id={ids.hint} />}
      <div className="number-with-unit">
        <input
          id={fieldId(path)}
          className="input input-number"
          type="text"
          inputMode="decimal"
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(!stated && ids.badge, ids.hint, ids.notes)}
          onChange={(event) => {
            setText(event.target.value);
            set(path, parseNumber(event.target.value));
          }}
        />
        {unit ? (
          <span className="unit" aria-hidden="true">
            {unit}
          </span>
        ) : null}
      </div>
      <FieldNotes path={path} id={ids.notes} />
    </div>
  );
}

/** A drop-down whose first choice is "Not stated" (the key is left out). */
export function ChoiceRow({
  path,
  label,
  hint,
  noTerm,
  choices,
  numeric,
  className,
  notStatedLabel = 'Not stated',
}: BaseProps & { choices: Choice[]; numeric?: boolean; notStatedLabel?: string }) {
  const { draft, set, problemsAt } = useEditor();
  const value = getIn(draft, path);
  const ids = useIds();
  const invalid = problemsAt(path).length > 0;
  return (
    <div className={['ofield', className].filter(Boolean).join(' ')}>
      <div className="ofield-head">
        <label className="field-label" htmlFor={fieldId(path)}>
          {label}
        </label>
      </div>
      {noTerm ? (hint ? <p className="hint field-hint" id={ids.hint}>{hint}</p> : null) : <Hint path={path} extra={hint} id={ids.hint} />}
      <select
        id={fieldId(path)}
        className={['input', 'select-native', value === undefined ? 'is-not-stated' : ''].join(' ')}
        value={value === undefined || value === null ? '' : String(value)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(ids.hint, ids.notes)}
        onChange={(event) => {
          const next = event.target.value;
          set(path, next === '' ? undefined : numeric ? Number(next) : next);
        }}
      >
        <option value="">{notStatedLabel}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <FieldNotes path={path} id={ids.notes} />
    </div>
  );
}

/** Radio buttons with "Not stated" first, for answers where a stated "no" matters most. */
export function RadioRow({ path, label, hint, noTerm, choices, className }: BaseProps & { choices: Choice[] }) {
  const { draft, set } = useEditor();
  const value = getIn(draft, path);
  const ids = useIds();
  const name = useId();
  const current = typeof value === 'string' ? value : '';
  const all: Choice[] = [{ value: '', label: 'Not stated' }, ...choices];
  return (
    <fieldset className={['ofield', 'ofield-radios', className].filter(Boolean).join(' ')} id={fieldId(path)} aria-describedby={describedBy(ids.hint, ids.notes)}>
      <legend className="field-label">{label}</legend>
      {noTerm ? (hint ? <p className="hint field-hint" id={ids.hint}>{hint}</p> : null) : <Hint path={path} extra={hint} id={ids.hint} />}
      <div className="radio-line">
        {all.map((choice) => (
          <label key={choice.value || 'not-stated'} className={['radio-native', choice.value === '' ? 'radio-not-stated' : ''].join(' ')}>
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={current === choice.value}
              onChange={() => set(path, choice.value === '' ? undefined : choice.value)}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      <FieldNotes path={path} id={ids.notes} />
    </fieldset>
  );
}

/** A list typed one item per line; no lines = not stated. */
export function LinesRow({ path, label, hint, noTerm, className }: BaseProps) {
  const { draft, set, problemsAt } = useEditor();
  const value = getIn(draft, path);
  const list = Array.isArray(value) ? (value as unknown[]).map(String) : [];
  const [text, setText] = useState(() => list.join('\n'));
  const joined = list.join('\n');
  useEffect(() => {
    const mine = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('\n');
    if (mine !== joined) setText(joined);
  }, [joined]); // eslint-disable-line react-hooks/exhaustive-deps
  const ids = useIds();
  const stated = list.length > 0;
  const invalid = problemsAt(path).length > 0;
  return (
    <div className={['ofield', className].filter(Boolean).join(' ')}>
      <div className="ofield-head">
        <label className="field-label" htmlFor={fieldId(path)}>
          {label}
        </label>
        <NotStatedBadge stated={stated} id={ids.badge} />
      </div>
      {noTerm ? (hint ? <p className="hint field-hint" id={ids.hint}>{hint}</p> : null) : <Hint path={path} extra={hint} id={ids.hint} />}
      <textarea
        id={fieldId(path)}
        className="input textarea"
        rows={2}
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(!stated && ids.badge, ids.hint, ids.notes)}
        onChange={(event) => {
          setText(event.target.value);
          const items = event.target.value
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean);
          set(path, items.length ? items : undefined);
        }}
      />
      <FieldNotes path={path} id={ids.notes} />
    </div>
  );
}

interface TestRow {
  test: string;
  result: string;
}

/** Named tests and their results (genomic, inherited, other markers): rows that can be added and removed. */
export function TestResultsRow({ path, label }: { path: string; label: string }) {
  const { draft, set } = useEditor();
  const value = getIn(draft, path);
  const rows: TestRow[] = Array.isArray(value) ? (value as TestRow[]) : [];
  const ids = useIds();
  const update = (next: TestRow[]) => set(path, next.length ? next : undefined);
  return (
    <fieldset className="ofield ofield-tests" id={fieldId(path)} aria-describedby={describedBy(rows.length === 0 && ids.badge, ids.hint, ids.notes)}>
      <legend className="field-label">
        {label} <NotStatedBadge stated={rows.length > 0} id={ids.badge} />
      </legend>
      <Hint path={path} id={ids.hint} />
      {rows.map((row, index) => (
        <div className="test-row" key={index}>
          <div className="ofield">
            <label className="field-label-small" htmlFor={fieldId(`${path}.${index}.test`)}>
              Test {index + 1}: name
            </label>
            <input
              id={fieldId(`${path}.${index}.test`)}
              className="input"
              value={row.test ?? ''}
              onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, test: event.target.value } : r)))}
            />
            <FieldNotes path={`${path}.${index}.test`} id={`${ids.notes}-${index}-t`} />
          </div>
          <div className="ofield">
            <label className="field-label-small" htmlFor={fieldId(`${path}.${index}.result`)}>
              Test {index + 1}: result
            </label>
            <input
              id={fieldId(`${path}.${index}.result`)}
              className="input"
              value={row.result ?? ''}
              onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, result: event.target.value } : r)))}
            />
            <FieldNotes path={`${path}.${index}.result`} id={`${ids.notes}-${index}-r`} />
          </div>
          <button type="button" className="button button-quiet" onClick={() => update(rows.filter((_, i) => i !== index))}>
            Remove test {index + 1}
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button button-secondary" onClick={() => update([...rows, { test: '', result: '' }])}>
          Add a test result
        </button>
      </div>
      <FieldNotes path={path} id={ids.notes} />
    </fieldset>
  );
}
