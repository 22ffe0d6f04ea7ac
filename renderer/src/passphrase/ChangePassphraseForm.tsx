import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { TextInput } from '../ui/TextInput';
import { formatDateTime } from '../ui/format';
import { NewPassphraseFields } from './NewPassphraseFields';
import { newPassphraseProblem } from './rules';
import { useStrength } from './useStrength';

interface Props {
  /** When set, the recovery key proves who is asking and no current passphrase is asked for. */
  recoveryKey?: string;
  personalWords?: string[];
  submitLabel?: string;
  autoFocus?: boolean;
  onChanged?(changedAt: string): void;
}

/** Sets a new passphrase, proven by the current passphrase or by the recovery key just used. */
export function ChangePassphraseForm({ recoveryKey, personalWords = [], submitLabel = 'Change passphrase', autoFocus, onChanged }: Props) {
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const { strength, pending } = useStrength(passphrase, personalWords);
  const problem = newPassphraseProblem(passphrase, confirm, strength);
  const currentProblem = !recoveryKey && !current ? 'Please type your current passphrase.' : null;

  const change = useAction(async (newPassphrase: string) => {
    const proof = recoveryKey ? { recoveryKey } : { passphrase: current };
    const { changedAt } = await call('vault.changePassphrase', { proof, newPassphrase });
    setCurrent('');
    setPassphrase('');
    setConfirm('');
    setSubmitted(false);
    onChanged?.(changedAt);
    return changedAt;
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    change.reset();
    if (!problem && !currentProblem && !pending) void change.run(passphrase);
  };

  return (
    <Form onSubmit={submit} className="stack" validationBehavior="aria">
      {recoveryKey ? null : (
        <TextInput
          label="Current passphrase"
          type={show ? 'text' : 'password'}
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
          autoFocus={autoFocus}
          isRequired
          error={submitted ? currentProblem : null}
        />
      )}
      <NewPassphraseFields
        passphrase={passphrase}
        confirm={confirm}
        onPassphraseChange={setPassphrase}
        onConfirmChange={setConfirm}
        strength={strength}
        pending={pending}
        show={show}
        onShowChange={setShow}
        problem={submitted ? problem : null}
        autoFocus={autoFocus && Boolean(recoveryKey)}
      />
      <ErrorText error={change.error} />
      {change.result ? (
        <StatusText tone="good">
          Your passphrase was changed on {formatDateTime(change.result)}. Use the new one next time you unlock.
        </StatusText>
      ) : null}
      <div className="actions">
        <ActionButton type="submit" busy={change.busy} busyLabel="Changing passphrase…">
          {submitLabel}
        </ActionButton>
      </div>
    </Form>
  );
}
