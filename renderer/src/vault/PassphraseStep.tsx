import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import type { AppError } from '../api/AppError';
import { newPassphraseProblem } from '../passphrase/rules';
import { NewPassphraseFields } from '../passphrase/NewPassphraseFields';
import { useStrength } from '../passphrase/useStrength';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { Explain } from '../ui/Explain';
import { OnboardingLayout } from './OnboardingLayout';

interface Props {
  /** Words the passphrase should not be built from (the patient's name and birth date). */
  personalWords: string[];
  busy: boolean;
  error: AppError | null;
  onBack(): void;
  onCreate(passphrase: string): void;
}

/** Choosing the passphrase that opens the vault, with strength feedback in words. */
export function PassphraseStep({ personalWords, busy, error, onBack, onCreate }: Props) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const { strength, pending } = useStrength(passphrase, personalWords);
  const problem = newPassphraseProblem(passphrase, confirm, strength);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!problem && !pending) onCreate(passphrase);
  };

  return (
    <OnboardingLayout title="Choose a passphrase" step={{ current: 2, total: 3 }}>
      <Explain term="What is a passphrase?">
        <p>
          A passphrase is a password made of several words. You will type it each time you open the app. It is never
          stored or sent anywhere, so nobody — not even us — can look it up for you. Choose something you will
          remember.
        </p>
      </Explain>
      <Form onSubmit={submit} className="stack" validationBehavior="aria">
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
          newLabel="Passphrase"
          autoFocus
        />
        <ErrorText error={error} />
        <div className="actions">
          <ActionButton type="submit" busy={busy} busyLabel="Creating your vault…">
            Create my vault
          </ActionButton>
          <ActionButton variant="quiet" onPress={onBack} isDisabled={busy}>
            Back
          </ActionButton>
        </div>
      </Form>
    </OnboardingLayout>
  );
}
