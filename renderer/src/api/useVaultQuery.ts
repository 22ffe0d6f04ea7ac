import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { InputOf, OperationName, OutputOf } from '../../../shared/contract';
import { toAppError, type AppError } from './AppError';
import { load, readEntry, subscribeCache } from './cache';
import { call } from './client';

export interface VaultQuery<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload(): void;
}

/** Reads one operation through the cache, so the result is shared by screens and forgotten on lock. */
export function useVaultQuery<N extends OperationName>(operation: N, input: InputOf<N>): VaultQuery<OutputOf<N>> {
  const key = `${operation}:${JSON.stringify(input)}`;
  const entry = useSyncExternalStore(subscribeCache, () => readEntry<OutputOf<N>>(key));
  const fetcher = useCallback(() => call(operation, input), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    load(key, fetcher);
  }, [key, fetcher]);
  const reload = useCallback(() => load(key, fetcher, true), [key, fetcher]);
  return {
    data: entry?.status === 'ready' ? entry.data : undefined,
    error: entry?.status === 'error' ? toAppError(entry.error) : null,
    loading: !entry || entry.status === 'loading',
    reload,
  };
}

export function cacheKey<N extends OperationName>(operation: N, input: InputOf<N>): string {
  return `${operation}:${JSON.stringify(input)}`;
}
