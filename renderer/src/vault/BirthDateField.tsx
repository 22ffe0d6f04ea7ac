import { DateField, DateInput, DateSegment, FieldError, Label, Text, type DateValue } from 'react-aria-components';

interface Props {
  value: DateValue | null;
  onChange(value: DateValue | null): void;
  error: string | null;
}

/** Birth date typed in the computer's usual order (for example month/day/year), one part at a time. */
export function BirthDateField({ value, onChange, error }: Props) {
  return (
    <DateField
      className="field"
      value={value}
      onChange={onChange}
      granularity="day"
      isRequired
      isInvalid={Boolean(error)}
      validationBehavior="aria"
    >
      <Label className="field-label">Date of birth</Label>
      <Text slot="description" className="hint">
        Type the numbers; the cursor moves on by itself.
      </Text>
      <DateInput className="input date-input">{(segment) => <DateSegment segment={segment} className="date-segment" />}</DateInput>
      <FieldError className="field-error">{error}</FieldError>
    </DateField>
  );
}
