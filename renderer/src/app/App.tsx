import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { toAppError, type AppError } from '../api/AppError';
import { cacheSize, clearCache, subscribeCache } from '../api/cache';
import { call, onVaultEvent } from '../api/client';
import { AppFrame } from '../frame/AppFrame';
import { CreateVault } from '../vault/CreateVault';
import { UnlockScreen } from '../vault/UnlockScreen';
import { LoadingScreen } from '../ui/LoadingScreen';
import { forgetAnnouncements } from './forgetAnnouncements';
import { StartupError } from './StartupError';

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; error: AppError }
  | { kind: 'create' }
  | { kind: 'unlock'; notice: string | null; since: number }
  | { kind: 'open' };

let lockCount = 0;
/** A fresh unlock phase; `since` remounts the unlock screen so nothing typed before a lock survives it. */
function unlockPhase(notice: string | null): Phase {
  lockCount += 1;
  return { kind: 'unlock', notice, since: lockCount };
}

const LOCK_NOTICES = {
  user: null,
  inactivity: 'The vault was locked because the app was not used for a while. Your records are safe.',
  system: 'The vault was locked because the computer went to sleep or was locked. Your records are safe.',
} as const;

/**
 * Decides which screen shows: create a vault, unlock it, or the open app. Whenever the vault locks (button,
 * inactivity, sleep, or any LOCKED answer), everything read from it is forgotten and the unlock screen returns.
 */
export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const cached = useSyncExternalStore(subscribeCache, cacheSize);

  const start = useCallback(() => {
    setPhase({ kind: 'loading' });
    call('vault.status', {}).then(
      (status) => {
        if (status.state === 'absent') setPhase({ kind: 'create' });
        else if (status.state === 'locked') setPhase(unlockPhase(null));
        else setPhase({ kind: 'open' });
      },
      (error: unknown) => setPhase({ kind: 'failed', error: toAppError(error) }),
    );
  }, []);

  useEffect(start, [start]);

  const screen = phase.kind === 'unlock' ? `unlock-${phase.since}` : phase.kind;
  useEffect(() => {
    forgetAnnouncements();
    window.scrollTo(0, 0);
  }, [screen]);

  useEffect(
    () =>
      onVaultEvent((event) => {
        if (event.type !== 'locked') return;
        clearCache();
        // While the recovery key is on screen during setup it stays there: it is shown only once. The unlock
        // screen clears its own state on a lock (see UnlockScreen), so it is not replaced while someone types.
        setPhase((phase) =>
          phase.kind === 'create' || phase.kind === 'unlock' ? phase : unlockPhase(LOCK_NOTICES[event.reason]),
        );
      }),
    [],
  );

  const openApp = useCallback(() => {
    clearCache();
    call('vault.status', {}).then(
      (status) => setPhase(status.state === 'unlocked' ? { kind: 'open' } : unlockPhase(null)),
      (error: unknown) => setPhase({ kind: 'failed', error: toAppError(error) }),
    );
  }, []);

  return (
    <div className="app-root" data-phase={phase.kind} data-cache-entries={cached}>
      {phase.kind === 'loading' ? <LoadingScreen /> : null}
      {phase.kind === 'failed' ? <StartupError error={phase.error} onRetry={start} /> : null}
      {phase.kind === 'create' ? <CreateVault onDone={openApp} /> : null}
      {phase.kind === 'unlock' ? <UnlockScreen key={phase.since} notice={phase.notice} onUnlocked={openApp} /> : null}
      {phase.kind === 'open' ? <AppFrame /> : null}
    </div>
  );
}
