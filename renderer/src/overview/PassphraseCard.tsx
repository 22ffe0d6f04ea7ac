import { ChangePassphraseForm } from '../passphrase/ChangePassphraseForm';
import { Card } from '../ui/Card';

/** Changing the passphrase. Only the lock on the vault's key changes; records are not re-encrypted. */
export function PassphraseCard({ personalWords }: { personalWords: string[] }) {
  return (
    <Card title="Passphrase" className="card-wide">
      <p className="hint">Choose a new passphrase at any time. Your recovery key stays the same.</p>
      <ChangePassphraseForm personalWords={personalWords} />
    </Card>
  );
}
