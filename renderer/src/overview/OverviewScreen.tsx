import { ComingUpCard } from '../appointments/ComingUpCard';
import { useVaultQuery } from '../api/useVaultQuery';
import { ErrorText } from '../ui/ErrorText';
import { ActionButton } from '../ui/ActionButton';
import { AutoLockCard } from './AutoLockCard';
import { BackupCard } from './BackupCard';
import { CheckCard } from './CheckCard';
import { ContentsCard } from './ContentsCard';
import { PassphraseCard } from './PassphraseCard';
import { ProfileCard } from './ProfileCard';

/** The home screen: whose vault this is, what it holds, and how safe it is (backup, check, lock, passphrase). */
export function OverviewScreen() {
  const overview = useVaultQuery('vault.overview', {});
  const status = useVaultQuery('vault.status', {});

  return (
    <div className="screen">
      <h1>Overview</h1>
      {overview.error ? (
        <div className="stack">
          <ErrorText error={overview.error} />
          <div className="actions">
            <ActionButton variant="secondary" onPress={overview.reload}>
              Try again
            </ActionButton>
          </div>
        </div>
      ) : null}
      {overview.loading && !overview.data ? <p className="hint">Loading…</p> : null}
      {overview.data ? (
        <div className="card-grid">
          <ComingUpCard />
          <ProfileCard profile={overview.data.profile} createdAt={overview.data.createdAt} location={status.data?.location} />
          <ContentsCard counts={overview.data.counts} storedBytes={overview.data.storedBytes} />
          <BackupCard lastBackup={overview.data.lastBackup} onDone={overview.reload} />
          <CheckCard lastCheck={overview.data.lastCheck} onDone={overview.reload} />
          <AutoLockCard />
          <PassphraseCard personalWords={[...overview.data.profile.fullName.split(/\s+/), overview.data.profile.birthDate]} />
        </div>
      ) : null}
    </div>
  );
}
