import { useState } from 'react';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { PassphraseStep } from './PassphraseStep';
import { ProfileStep } from './ProfileStep';
import { emptyProfileDraft, toProfile, type ProfileDraft } from './profileDraft';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { WelcomeStep } from './WelcomeStep';

type Step = 'welcome' | 'profile' | 'passphrase';

/** Creating a vault: welcome, whose records, passphrase, then the recovery key shown once. */
export function CreateVault({ onDone }: { onDone(): void }) {
  const [step, setStep] = useState<Step>('welcome');
  const [draft, setDraft] = useState<ProfileDraft>(emptyProfileDraft);
  const create = useAction((passphrase: string) => call('vault.create', { profile: toProfile(draft), passphrase }));

  if (create.result) {
    return <RecoveryKeyStep recoveryKey={create.result.recoveryKey} patientName={draft.fullName.trim()} onDone={onDone} />;
  }
  switch (step) {
    case 'welcome':
      return <WelcomeStep onStart={() => setStep('profile')} />;
    case 'profile':
      return <ProfileStep draft={draft} onChange={setDraft} onBack={() => setStep('welcome')} onNext={() => setStep('passphrase')} />;
    case 'passphrase': {
      const personalWords = [...draft.fullName.trim().split(/\s+/), draft.birthDate?.toString() ?? ''].filter(Boolean);
      return (
        <PassphraseStep
          personalWords={personalWords}
          busy={create.busy}
          error={create.error}
          onBack={() => setStep('profile')}
          onCreate={(passphrase) => void create.run(passphrase)}
        />
      );
    }
  }
}
