import { useEffect, useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { call, onVaultEvent } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { Explain } from '../ui/Explain';
import { StatusText } from '../ui/StatusText';
import { TextInput } from '../ui/TextInput';
import { OnboardingLayout } from './OnboardingLayout';
import { SetPassphraseAfterRecovery } from './SetPassphraseAfterRecovery';

interface Props {
  /** Why the vault is locked, when it was not the person's own choice (e.g. inactivity). */
  notice: string | null;
  onUnlocked(): void;
}

type Mode = 'passphrase' | 'recoveryKey';

/** Opening the vault: passphrase, or the recovery key with a prompt to choose a new passphrase afterwards. */
export function UnlockScreen({ notice, onUnlocked }: Props) {
  const [mode, setMode] = useState<Mode>('passphrase');
  const [secret, setSecret] = useState('');
  const [recoveredWith, setRecoveredWith] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);

  const unlock = useAction(async (value: string, how: Mode) => {
    if (how === 'passphrase') {
      await call('vault.unlock', { passphrase: value });
      onUnlocked();
    } else {
      const key = value.trim();
      await call('vault.unlock', { recoveryKey: key });
      setRecoveredWith(key);
    }
  });

  // A lock while the "new passphrase" prompt is open (the vault was open then) forgets the recovery key.
  useEffect(
    () =>
      onVaultEvent((event) => {
        if (event.type === 'locked') setRecoveredWith(null);
      }),
    [],
  );

  if (recoveredWith) return <SetPassphraseAfterRecovery recoveryKey={recoveredWith} onDone={onUnlocked} />;

  const switchMode = (next: Mode) => {
    setMode(next);
    setSecret('');
    setEmpty(false);
    unlock.reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!secret.trim()) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    void unlock.run(secret, mode);
  };

  const isPassphrase = mode === 'passphrase';
  return (
    <OnboardingLayout title={isPassphrase ? 'Unlock your vault' : 'Unlock with your recovery key'}>
      {notice ? <StatusText>{notice}</StatusText> : null}
      {isPassphrase ? (
        <p className="lead">Type your passphrase to open your records.</p>
      ) : (
        <Explain term="Your recovery key">
          <p>
            This is the key you printed or saved when you set up the vault, in groups of letters and numbers. Type
            it exactly as written; dashes and spaces between groups do not matter.
          </p>
        </Explain>
      )}
      <Form onSubmit={submit} className="stack" validationBehavior="aria" key={mode}>
        <TextInput
          label={isPassphrase ? 'Passphrase' : 'Recovery key'}
          type={isPassphrase ? 'password' : 'text'}
          value={secret}
          onChange={setSecret}
          autoComplete={isPassphrase ? 'current-password' : 'off'}
          autoFocus
          isRequired
          inputClassName={isPassphrase ? undefined : 'input-mono'}
          error={empty ? (isPassphrase ? 'Please type your passphrase.' : 'Please type your recovery key.') : null}
        />
        <ErrorText error={unlock.error} />
        <div className="actions">
          <ActionButton type="submit" busy={unlock.busy} busyLabel="Unlocking…">
            Unlock
          </ActionButton>
        </div>
      </Form>
      <div className="actions actions-secondary">
        {isPassphrase ? (
          <ActionButton variant="quiet" onPress={() => switchMode('recoveryKey')}>
            Forgot your passphrase? Use recovery key instead
          </ActionButton>
        ) : (
          <ActionButton variant="quiet" onPress={() => switchMode('passphrase')}>
            Use my passphrase instead
          </ActionButton>
        )}
      </div>
    </OnboardingLayout>
  );
}
