import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from '../api/AppError';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface Autosave {
  /** Call on every change; the latest value is saved after a short pause (and at least every `maxWait` ms). */
  change(value: string): void;
  /** Save now whatever is waiting (on leaving the screen, on blur). */
  flush(): void;
  state: SaveState;
  savedAt: Date | null;
  error: AppError | null;
}

/**
 * Saves text while the person types: a short pause after the last keystroke, or every `maxWait` ms during
 * continuous typing, sends the latest text. Saves never overlap and never run out of order (one at a time; the
 * newest waiting value goes next), and what is waiting is sent when the component goes away or the page is hidden.
 * Each save is committed by the core before it answers, so a crash loses at most the last fraction of a second.
 */
export function useAutosave(save: (value: string) => Promise<unknown>, options: { delay?: number; maxWait?: number } = {}): Autosave {
  const delay = options.delay ?? 400;
  const maxWait = options.maxWait ?? 1500;
  const saveRef = useRef(save);
  saveRef.current = save;
  const pending = useRef<{ value: string } | null>(null);
  const firstPendingAt = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  const [state, setState] = useState<SaveState>('idle');
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const flush = useCallback(() => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (inFlight.current || !pending.current) return;
    const { value } = pending.current;
    pending.current = null;
    firstPendingAt.current = null;
    inFlight.current = true;
    if (mounted.current) setState('saving');
    saveRef.current(value).then(
      () => {
        inFlight.current = false;
        if (mounted.current) {
          setSavedAt(new Date());
          setError(null);
          setState(pending.current ? 'pending' : 'saved');
        }
        if (pending.current) flush();
      },
      (caught: unknown) => {
        inFlight.current = false;
        // Keep the text to try again with the next change (or flush); nothing typed is thrown away.
        if (!pending.current) pending.current = { value };
        if (mounted.current) {
          setError(toAppError(caught));
          setState('error');
          timer.current ??= setTimeout(flush, 3000);
        }
      },
    );
  }, []);

  const change = useCallback(
    (value: string) => {
      pending.current = { value };
      firstPendingAt.current ??= Date.now();
      setState('pending');
      if (timer.current) clearTimeout(timer.current);
      const waited = Date.now() - firstPendingAt.current;
      timer.current = setTimeout(flush, Math.max(0, Math.min(delay, maxWait - waited)));
    },
    [delay, maxWait, flush],
  );

  useEffect(() => {
    mounted.current = true;
    const onHide = () => flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      mounted.current = false;
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      flush();
    };
  }, [flush]);

  return { change, flush, state, savedAt, error };
}

/** A short, calm line about the save, for a polite live region. */
export function saveStateText(autosave: Pick<Autosave, 'state' | 'savedAt'>): string {
  switch (autosave.state) {
    case 'idle':
      return 'Saved as you type.';
    case 'pending':
    case 'saving':
      return 'Saving…';
    case 'saved':
      return autosave.savedAt ? `Saved at ${autosave.savedAt.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}.` : 'Saved.';
    case 'error':
      return 'Not saved yet — the app will keep trying as you type.';
  }
}
