import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { InputOf, OperationName, OutputOf } from '../../../shared/contract';
import { toAppError } from '../api/AppError';
import { load, readEntry, setData, subscribeCache } from '../api/cache';
import { call } from '../api/client';
import { cacheKey, type VaultQuery } from '../api/useVaultQuery';

/**
 * Library reads go through the app's cache (so locking forgets them), but the library also changes: imports,
 * corrections, trash. Each change bumps a revision; a cached answer fetched before the latest change is fetched
 * again when shown (keeping the old answer on screen meanwhile, so nothing flickers). Answers are stamped in a
 * WeakMap, so the stamps go when the cache forgets the answers.
 */
let revision = 0;
const revisionListeners = new Set<() => void>();
const fetchedIn = new WeakMap<object, number>();

function subscribeRevision(listener: () => void): () => void {
  revisionListeners.add(listener);
  return () => revisionListeners.delete(listener);
}

const currentRevision = () => revision;

/** Call after anything that changes documents: every library view shown from now on is read again. */
export function libraryChanged(): void {
  revision += 1;
  // The overview's counts change with the library; fetch them again if they were read.
  const overviewKey = cacheKey('vault.overview', {});
  if (readEntry(overviewKey)) load(overviewKey, () => call('vault.overview', {}), true);
  for (const listener of [...revisionListeners]) listener();
}

/**
 * Records what a change returned (e.g. the document after an update) as the current answer for `operation` and
 * `input`, after telling every other library view to read again.
 */
export function storeLibraryAnswer<N extends OperationName>(operation: N, input: InputOf<N>, data: OutputOf<N>): void {
  libraryChanged();
  if (typeof data === 'object' && data !== null) fetchedIn.set(data, revision);
  setData(cacheKey(operation, input), data);
}

/** Like useVaultQuery, but fresh after every libraryChanged(). `enabled: false` reads nothing. */
export function useLibraryQuery<N extends OperationName>(
  operation: N,
  input: InputOf<N>,
  enabled = true,
): VaultQuery<OutputOf<N>> {
  const key = cacheKey(operation, input);
  const rev = useSyncExternalStore(subscribeRevision, currentRevision);
  const entry = useSyncExternalStore(subscribeCache, () => (enabled ? readEntry<OutputOf<N>>(key) : undefined));
  const fetcher = useCallback(async () => {
    const startedIn = revision;
    const data = await call(operation, input);
    if (typeof data === 'object' && data !== null) fetchedIn.set(data, startedIn);
    return data;
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const data = entry?.status === 'ready' ? entry.data : undefined;
  const stale = data !== undefined && typeof data === 'object' && data !== null && (fetchedIn.get(data) ?? -1) < rev;

  useEffect(() => {
    if (!enabled) return;
    load(key, fetcher, stale);
  }, [enabled, key, fetcher, stale, rev]);

  const reload = useCallback(() => load(key, fetcher, true), [key, fetcher]);
  return {
    data,
    error: entry?.status === 'error' ? toAppError(entry.error) : null,
    loading: enabled && (!entry || entry.status === 'loading'),
    reload,
  };
}
