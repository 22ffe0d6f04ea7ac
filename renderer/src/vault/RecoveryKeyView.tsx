import { recoveryKeyGroups } from './recoveryKey';

/** The recovery key, large and in numbered groups so it is easy to copy by hand and check. */
export function RecoveryKeyView({ recoveryKey, id, testId }: { recoveryKey: string; id?: string; testId?: string }) {
  const groups = recoveryKeyGroups(recoveryKey);
  return (
    <div className="recovery-key" id={id}>
      <p className="visually-hidden">Recovery key, in {groups.length} groups:</p>
      <ol className="recovery-key-groups" data-testid={testId}>
        {groups.map((group, index) => (
          <li key={index} className="recovery-key-group">
            <span className="recovery-key-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="recovery-key-text">{group}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
