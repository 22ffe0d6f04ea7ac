import { announceLocked, call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';

/** Locks the vault now: the core forgets the key and the app forgets everything it showed. */
export function LockButton() {
  const lock = useAction(async () => {
    await call('vault.lock', {});
    announceLocked('user');
  });
  return (
    <div className="lock">
      <ActionButton variant="secondary" onPress={() => void lock.run()} busy={lock.busy} busyLabel="Locking…">
        <LockIcon />
        Lock
      </ActionButton>
      <ErrorText error={lock.error} />
    </div>
  );
}

function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <rect x="4" y="9" width="12" height="8" rx="1.5" />
      <path d="M7 9V6.5a3 3 0 0 1 6 0V9" />
    </svg>
  );
}
