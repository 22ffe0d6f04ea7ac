import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextField } from 'react-aria-components';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'password';
  description?: ReactNode;
  /** A readable problem with this field; shown under it and announced. */
  error?: string | null;
  autoComplete?: string;
  autoFocus?: boolean;
  isRequired?: boolean;
  isDisabled?: boolean;
  className?: string;
  inputClassName?: string;
}

/** A labelled text box with an optional hint and error, built on react-aria's TextField. */
export function TextInput(props: Props) {
  return (
    <TextField
      className={['field', props.className].filter(Boolean).join(' ')}
      value={props.value}
      onChange={props.onChange}
      type={props.type ?? 'text'}
      autoComplete={props.autoComplete}
      autoFocus={props.autoFocus}
      isRequired={props.isRequired}
      isDisabled={props.isDisabled}
      isInvalid={Boolean(props.error)}
      validationBehavior="aria"
    >
      <Label className="field-label">{props.label}</Label>
      {props.description ? (
        <Text slot="description" className="hint">
          {props.description}
        </Text>
      ) : null}
      <Input className={['input', props.inputClassName].filter(Boolean).join(' ')} spellCheck={false} />
      <FieldError className="field-error">{props.error}</FieldError>
    </TextField>
  );
}
