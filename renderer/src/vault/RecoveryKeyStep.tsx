import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { ActionButton } from '../ui/ActionButton';
import { CheckMark } from '../ui/CheckMark';
import { ErrorText } from '../ui/ErrorText';
import { Explain } from '../ui/Explain';
import { OnboardingLayout } from './OnboardingLayout';
import { recoveryKeyText, saveRecoveryKeyFile } from './recoveryKey';
import { RecoveryKeyPrintSheet } from './RecoveryKeyPrintSheet';
import { RecoveryKeyView } from './RecoveryKeyView';

interface Props {
  recoveryKey: string;
  patientName: string;
  onDone(): void;
}

/** Shows the recovery key once, offers print and save, and asks the person to confirm they stored it. */
export function RecoveryKeyStep({ recoveryKey, patientName, onDone }: Props) {
  const [stored, setStored] = useState(false);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);

  const finish = () => {
    setTried(true);
    if (stored) onDone();
  };

  return (
    <OnboardingLayout title="Your recovery key" step={{ current: 3, total: 3 }} wide>
      <p className="lead">Your vault is ready. Before you start, please keep a copy of this recovery key.</p>
      <Explain term="What is a recovery key?">
        <p>
          It is a second way to open your vault if you ever forget your passphrase. It is shown <strong>only this
          once</strong>. Print it or save it, and keep it somewhere safe and private — for example with your passport
          or important papers. Anyone who has it and this computer can read your records.
        </p>
      </Explain>
      <RecoveryKeyView recoveryKey={recoveryKey} id="recovery-key" testId="recovery-key" />
      <div className="actions">
        <ActionButton variant="secondary" onPress={() => window.print()}>
          Print
        </ActionButton>
        <ActionButton
          variant="secondary"
          onPress={() => {
            saveRecoveryKeyFile(recoveryKeyText(recoveryKey, patientName, new Date()));
            setSaved(true);
          }}
        >
          Save as a text file
        </ActionButton>
      </div>
      {saved ? (
        <p className="hint" role="status">
          The file “second-opinion-recovery-key.txt” was offered for download. Copy it to a USB stick or print it,
          then delete it from this computer.
        </p>
      ) : null}
      <Checkbox className="checkbox checkbox-large" isSelected={stored} onChange={setStored}>
        <CheckMark />I have printed or saved my recovery key and put it somewhere safe.
      </Checkbox>
      <ErrorText error={tried && !stored ? 'Please store your recovery key first, then tick the box above.' : null} />
      <div className="actions">
        <ActionButton onPress={finish}>Open my vault</ActionButton>
      </div>
      <RecoveryKeyPrintSheet recoveryKey={recoveryKey} patientName={patientName} />
    </OnboardingLayout>
  );
}
