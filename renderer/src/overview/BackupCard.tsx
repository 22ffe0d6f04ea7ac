import type { VaultOverview } from '../../../shared/contract';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { useTaskProgress } from '../api/useTaskProgress';
import { ActionButton } from '../ui/ActionButton';
import { Card } from '../ui/Card';
import { ErrorText } from '../ui/ErrorText';
import { ProgressLine } from '../ui/ProgressLine';
import { StatusText } from '../ui/StatusText';
import { formatBytes, formatDateTime } from '../ui/format';

interface Props {
  lastBackup: VaultOverview['lastBackup'];
  onDone(): void;
}

/** When the last backup was made and where, and a button to make one now. */
export function BackupCard({ lastBackup, onDone }: Props) {
  const backup = useAction(async () => {
    const result = await call('vault.backup', {});
    onDone();
    return result;
  });

  const progress = useTaskProgress('vault.backup', backup.busy);

  return (
    <Card title="Backup">
      <p className="hint">
        A backup is one encrypted file with everything in your vault. It opens only with your passphrase or recovery
        key. Copy it to a USB stick or another computer from time to time.
      </p>
      {lastBackup ? (
        <dl className="facts">
          <div>
            <dt>Last backup</dt>
            <dd>{formatDateTime(lastBackup.at)}</dd>
          </div>
          <div>
            <dt>Saved to</dt>
            <dd className="path">{lastBackup.path}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{formatBytes(lastBackup.bytes)}</dd>
          </div>
        </dl>
      ) : (
        <p>No backup has been made yet.</p>
      )}
      <div className="actions">
        <ActionButton variant="secondary" onPress={() => void backup.run()} busy={backup.busy} busyLabel="Backing up…">
          Back up now
        </ActionButton>
      </div>
      {backup.busy ? <ProgressLine label="Writing the backup:" progress={progress} /> : null}
      <ErrorText error={backup.error} />
      {backup.result ? (
        <StatusText tone="good">
          <p>
            Backup saved ({formatBytes(backup.result.bytes)}) to:
          </p>
          <p className="path" data-testid="backup-path">
            {backup.result.path}
          </p>
        </StatusText>
      ) : null}
    </Card>
  );
}
