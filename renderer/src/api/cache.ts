/**
 * The renderer's only store of data read from the vault. Everything a screen shows from the vault goes through
 * here, so locking can forget all of it at once with `clearCache()`.
 */
export type Entry<T> =
  | { status: 'loading'; promise: Promise<void> }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: unknown };

const entries = new Map<string, Entry<unknown>>();
const subscribers = new Set<() => void>();
let generation = 0;

function notify(): void {
  for (const subscriber of [...subscribers]) subscriber();
}

export function subscribeCache(subscriber: () => void): () => void {
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}

export function readEntry<T>(key: string): Entry<T> | undefined {
  return entries.get(key) as Entry<T> | undefined;
}

export function cacheSize(): number {
  return entries.size;
}

/** Starts loading `key` unless it is loaded or loading already. Results that arrive after a clear are dropped. */
export function load<T>(key: string, fetcher: () => Promise<T>, force = false): void {
  const current = entries.get(key);
  if (!force && current && current.status !== 'error') return;
  const startedIn = generation;
  const promise = fetcher().then(
    (data) => {
      if (startedIn !== generation) return;
      entries.set(key, { status: 'ready', data });
      notify();
    },
    (error: unknown) => {
      if (startedIn !== generation) return;
      entries.set(key, { status: 'error', error });
      notify();
    },
  );
  if (!current || current.status !== 'ready') entries.set(key, { status: 'loading', promise });
  notify();
}

/** Replaces the data of `key`, e.g. with what an update returned. */
export function setData<T>(key: string, data: T): void {
  entries.set(key, { status: 'ready', data });
  notify();
}

/** Forgets everything read from the vault. Called on every lock. */
export function clearCache(): void {
  generation += 1;
  entries.clear();
  notify();
}
