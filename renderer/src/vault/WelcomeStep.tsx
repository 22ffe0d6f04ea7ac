import { ActionButton } from '../ui/ActionButton';
import { Explain } from '../ui/Explain';
import { OnboardingLayout } from './OnboardingLayout';

/** First screen of a new installation: what the app does with records, in a few sentences. */
export function WelcomeStep({ onStart }: { onStart(): void }) {
  return (
    <OnboardingLayout title="Welcome to Second Opinion">
      <p className="lead">
        This app helps you gather your medical records and prepare for a second opinion. Everything stays on this
        computer. Nothing is sent anywhere.
      </p>
      <Explain term="What is a vault?">
        <p>
          Your records are kept in a <strong>vault</strong>: a folder on this computer whose contents are locked
          (encrypted). Only someone with your passphrase, or your recovery key, can open it.
        </p>
      </Explain>
      <p>Setting it up takes about two minutes. You will:</p>
      <ol className="plain-list">
        <li>tell us whose records these are,</li>
        <li>choose a passphrase, and</li>
        <li>keep a recovery key somewhere safe.</li>
      </ol>
      <div className="actions">
        <ActionButton onPress={onStart} autoFocus>
          Set up my vault
        </ActionButton>
      </div>
    </OnboardingLayout>
  );
}
