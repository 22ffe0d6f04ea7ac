import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ActionButton } from '../ui/ActionButton';
import { DateBox, TextBox } from './fields';

export interface FieldSpec<K extends string> {
  key: K;
  label: string;
  maxLength: number;
  kind?: 'text' | 'email' | 'tel' | 'date' | 'multiline';
  hint?: string;
  /** The message when it is left empty; absent for optional fields. */
  required?: string;
}

interface Props<K extends string> {
  /** Names the form for screen readers, e.g. "New medicine" or "Change Letrozole". */
  title: string;
  fields: readonly FieldSpec<K>[];
  initial: Record<K, string>;
  busy: boolean;
  submitLabel: string;
  onSubmit(values: Record<K, string>): void;
  onCancel(): void;
  /** More controls after the fields (e.g. "I still take it"). */
  extra?: ReactNode;
}

/** A small form for one item of a list: text fields, required ones checked here with a plain message. */
export function ItemForm<K extends string>({ title, fields, initial, busy, submitLabel, onSubmit, onCancel, extra }: Props<K>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const [tries, setTries] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  // After a refused save, the first field that needs something takes focus (its message is read with it).
  useEffect(() => {
    if (tries > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [tries]);
  const set = (key: K) => (value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  const submit = () => {
    const missing: Partial<Record<K, string>> = {};
    for (const field of fields) if (field.required && !values[field.key].trim()) missing[field.key] = field.required;
    setErrors(missing);
    if (Object.keys(missing).length > 0) {
      setTries((count) => count + 1);
      return;
    }
    onSubmit(values);
  };

  return (
    <form
      ref={form}
      className="packets-item-form"
      aria-label={title}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="packets-form-grid">
        {fields.map((field, index) =>
          field.kind === 'date' ? (
            <DateBox key={field.key} label={field.label} hint={field.hint} value={values[field.key]} onChange={set(field.key)} />
          ) : (
            <TextBox
              key={field.key}
              label={field.label}
              hint={field.hint}
              value={values[field.key]}
              onChange={set(field.key)}
              maxLength={field.maxLength}
              multiline={field.kind === 'multiline'}
              type={field.kind === 'email' || field.kind === 'tel' ? field.kind : 'text'}
              isRequired={Boolean(field.required)}
              error={errors[field.key] ?? null}
              autoFocus={index === 0}
              className={field.kind === 'multiline' ? 'packets-wide' : undefined}
            />
          ),
        )}
      </div>
      {extra}
      <div className="actions">
        {/* No busy state: the form closes as soon as the list is saved (a pending announcement would outlive it). */}
        <ActionButton type="submit" isDisabled={busy}>
          {submitLabel}
        </ActionButton>
        <ActionButton variant="secondary" onPress={onCancel} isDisabled={busy}>
          Cancel
        </ActionButton>
      </div>
    </form>
  );
}

/** Trimmed text, or null when empty (how the contract writes "not given"). */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}
