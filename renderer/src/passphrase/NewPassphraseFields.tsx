import { Checkbox } from 'react-aria-components';
import { TextInput } from '../ui/TextInput';
import { CheckMark } from '../ui/CheckMark';
import { StrengthMeter } from './StrengthMeter';
import type { Strength } from './strength';

interface Props {
  passphrase: string;
  confirm: string;
  onPassphraseChange(value: string): void;
  onConfirmChange(value: string): void;
  strength: Strength | null;
  pending: boolean;
  show: boolean;
  onShowChange(value: boolean): void;
  /** Shown under the confirm box after a submit attempt. */
  problem: string | null;
  newLabel?: string;
  autoFocus?: boolean;
}

/** A new passphrase typed twice, with live strength feedback and an option to show what was typed. */
export function NewPassphraseFields(props: Props) {
  const type = props.show ? 'text' : 'password';
  return (
    <div className="stack">
      <TextInput
        label={props.newLabel ?? 'New passphrase'}
        type={type}
        value={props.passphrase}
        onChange={props.onPassphraseChange}
        autoComplete="new-password"
        autoFocus={props.autoFocus}
        isRequired
        description="At least 10 characters. A short sentence or four unrelated words that only you would put together work well."
      />
      <StrengthMeter passphrase={props.passphrase} strength={props.strength} pending={props.pending} />
      <TextInput
        label="Type the passphrase again"
        type={type}
        value={props.confirm}
        onChange={props.onConfirmChange}
        autoComplete="new-password"
        isRequired
        error={props.problem}
      />
      <Checkbox className="checkbox" isSelected={props.show} onChange={props.onShowChange}>
        <CheckMark />
        Show what I typed
      </Checkbox>
    </div>
  );
}
