import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextArea, TextField } from 'react-aria-components';
import { Field } from '../ui/Field';

interface TextProps {
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: ReactNode;
  /** The contract's limit, so the core never refuses what was typed. */
  maxLength: number;
  multiline?: boolean;
  type?: 'text' | 'email' | 'tel';
  error?: string | null;
  isRequired?: boolean;
  autoFocus?: boolean;
  className?: string;
}

/** A labelled text box (or a multi-line one) with an optional hint and error, on react-aria's TextField. */
export function TextBox(props: TextProps) {
  return (
    <TextField
      className={['field', props.className].filter(Boolean).join(' ')}
      value={props.value}
      onChange={props.onChange}
      maxLength={props.maxLength}
      type={props.multiline ? undefined : (props.type ?? 'text')}
      isRequired={props.isRequired}
      isInvalid={Boolean(props.error)}
      autoFocus={props.autoFocus}
      validationBehavior="aria"
    >
      <Label className="field-label">{props.label}</Label>
      {props.hint ? (
        <Text slot="description" className="hint">
          {props.hint}
        </Text>
      ) : null}
      {props.multiline ? <TextArea className="input packets-textarea" rows={3} /> : <Input className="input" spellCheck={false} />}
      <FieldError className="field-error">{props.error}</FieldError>
    </TextField>
  );
}

/**
 * A date the person picks with the computer's own date field (as the appointment form does): it takes typing,
 * arrows and a calendar, and gives YYYY-MM-DD or '' for none.
 */
export function DateBox({ label, value, onChange, hint }: { label: string; value: string; onChange(value: string): void; hint?: string }) {
  return (
    <Field label={label} hint={hint}>
      {(props) => <input {...props} className="input packets-date" type="date" value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}
