import { Label, Radio, RadioGroup, Text } from 'react-aria-components';
import type { PatientProfile } from '../../../shared/contract';

export type SexChoice = NonNullable<PatientProfile['sex']> | 'unstated';

const CHOICES: { value: SexChoice; label: string }[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unstated', label: 'Prefer not to say' },
];

/** Optional sex as recorded by hospitals; used only to spot records of another person. */
export function SexField({ value, onChange }: { value: SexChoice; onChange(value: SexChoice): void }) {
  return (
    <RadioGroup
      className="field radio-group"
      value={value}
      onChange={(next) => onChange(next as SexChoice)}
      orientation="horizontal"
    >
      <Label className="field-label">Sex on medical records (optional)</Label>
      <Text slot="description" className="hint">
        As written on hospital letters. It helps tell records apart when names are similar.
      </Text>
      <div className="radio-row">
        {CHOICES.map((choice) => (
          <Radio key={choice.value} value={choice.value} className="radio">
            <span className="radio-dot" aria-hidden="true" />
            {choice.label}
          </Radio>
        ))}
      </div>
    </RadioGroup>
  );
}
