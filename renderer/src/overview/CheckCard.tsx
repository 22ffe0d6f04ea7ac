import type { VaultOverview, VerifyReport } from '../../../shared/contract';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { useTaskProgress } from '../api/useTaskProgress';
import { ActionButton } from '../ui/ActionButton';
import { Card } from '../ui/Card';
import { ErrorText } from '../ui/ErrorText';
import { ProgressLine } from '../ui/ProgressLine';
import { StatusText } from '../ui/StatusText';
import { formatBytes, formatDateTime, plural } from '../ui/format';

interface Props {
  lastCheck: VaultOverview['lastCheck'];
  onDone(): void;
}

/** Checks that everything in the vault can still be read, and says so in plain words. */
export function CheckCard({ lastCheck, onDone }: Props) {
  const verify = useAction(async () => {
    const report = await call('vault.verify', {});
    onDone();
    return report;
  });

  const progress = useTaskProgress('vault.verify', verify.busy);

  return (
    <Card title="Vault check">
      <p className="hint">
        The check opens every stored file and compares it with the fingerprint taken when it was added, so you know
        nothing was damaged on the disk.
      </p>
      <p>
        {lastCheck
          ? `Last checked ${formatDateTime(lastCheck.at)}: ${lastCheck.ok ? 'everything was fine.' : 'problems were found.'}`
          : 'The vault has not been checked yet.'}
      </p>
      <div className="actions">
        <ActionButton variant="secondary" onPress={() => void verify.run()} busy={verify.busy} busyLabel="Checking…">
          Check vault
        </ActionButton>
      </div>
      {verify.busy ? <ProgressLine label="Checking:" progress={progress} /> : null}
      <ErrorText error={verify.error} />
      {verify.result ? <CheckResult report={verify.result} /> : null}
    </Card>
  );
}

function CheckResult({ report }: { report: VerifyReport }) {
  const files = `${plural(report.checkedFiles, 'stored file', 'stored files')} (${formatBytes(report.checkedBytes)})`;
  if (report.ok) {
    return (
      <StatusText tone="good">
        <p data-testid="check-result">
          Everything is fine. The records database and {files} were read and are intact.
        </p>
      </StatusText>
    );
  }
  return (
    <StatusText tone="warning">
      <p data-testid="check-result">
        Some problems were found. {report.databaseOk ? 'The records database is fine.' : 'The records database has a problem.'}{' '}
        {files} were checked.
      </p>
      <ul>
        {report.problems.map((problem, index) => (
          <li key={`${problem.item}-${index}`}>{problem.message}</li>
        ))}
      </ul>
      <p>Nothing has been changed. If you have a backup, restoring it is the safest next step.</p>
    </StatusText>
  );
}
