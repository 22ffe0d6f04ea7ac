import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from './AppError';

export interface Action<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  busy: boolean;
  error: AppError | null;
  result: T | undefined;
  reset(): void;
}

/**
 * Runs one async action for a button or form: tracks busy state, keeps the last result, and turns failures into
 * a readable AppError to show next to the action. A second run while busy is ignored.
 */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): Action<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<T | undefined>(undefined);
  const busyRef = useRef(false);
  const mounted = useRef(true);
  const actionRef = useRef(action);
  actionRef.current = action;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    if (busyRef.current) return undefined;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      const value = await actionRef.current(...args);
      if (mounted.current) setResult(() => value);
      return value;
    } catch (caught) {
      if (mounted.current) setError(toAppError(caught));
      return undefined;
    } finally {
      busyRef.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);

  const reset = useCallback(() => {
    setError(null);
    setResult(undefined);
  }, []);

  return { run, busy, error, result, reset };
}
