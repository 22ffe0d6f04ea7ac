import { ChangePassphraseForm } from '../passphrase/ChangePassphraseForm';
import { ActionButton } from '../ui/ActionButton';
import { OnboardingLayout } from './OnboardingLayout';

interface Props {
  recoveryKey: string;
  onDone(): void;
}

/** After opening the vault with the recovery key: invite the person to choose a new passphrase right away. */
export function SetPassphraseAfterRecovery({ recoveryKey, onDone }: Props) {
  return (
    <OnboardingLayout title="Choose a new passphrase">
      <p className="lead">
        Your vault is open. Because you used your recovery key, please choose a new passphrase now so you can open the
        vault normally next time. Your recovery key keeps working too.
      </p>
      <ChangePassphraseForm recoveryKey={recoveryKey} submitLabel="Save new passphrase" autoFocus onChanged={onDone} />
      <div className="actions">
        <ActionButton variant="quiet" onPress={onDone}>
          Not now
        </ActionButton>
      </div>
    </OnboardingLayout>
  );
}
