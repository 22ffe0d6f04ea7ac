import type { CoreEvent, InputOf, OperationName, OutputOf, WindowApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { AppError, unreachable } from './AppError';

declare global {
  interface Window {
    /** Put here by the Electron preload (or the test bridge's client script). The renderer's only way out. */
    readonly vault?: WindowApi;
  }
}

function api(): WindowApi {
  const vault = window.vault;
  if (!vault) throw unreachable();
  return vault;
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/**
 * Calls one contract operation and unwraps its Result: resolves with the value, or throws an AppError with the
 * core's code and patient-readable message. A LOCKED answer also tells the app that the vault is locked.
 */
export async function call<N extends OperationName>(operation: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const fn = api()[operation] as unknown as (input: InputOf<N>) => Promise<unknown>;
  if (typeof fn !== 'function') throw unreachable();
  let result: unknown;
  try {
    result = await fn(input);
  } catch {
    throw unreachable();
  }
  if (!isResult(result)) throw unreachable();
  if (result.ok) return result.value as OutputOf<N>;
  const error = AppError.from(result.error);
  if (error.code === 'LOCKED') emitLocal({ type: 'locked', reason: 'system' });
  throw error;
}

type Listener = (event: CoreEvent) => void;
const listeners = new Set<Listener>();
let unsubscribeCore: (() => void) | null = null;

function emitLocal(event: CoreEvent): void {
  for (const listener of [...listeners]) listener(event);
}

/** Tells every listener that the vault is now locked (e.g. right after the Lock button's call succeeded). */
export function announceLocked(reason: 'user' | 'inactivity' | 'system'): void {
  emitLocal({ type: 'locked', reason });
}

/**
 * Subscribes to core events (progress, locked, changed). One subscription to `window.vault.onEvent` is shared by
 * every listener; it is dropped when the last listener goes.
 */
export function onVaultEvent(listener: Listener): () => void {
  listeners.add(listener);
  if (!unsubscribeCore && window.vault) {
    unsubscribeCore = window.vault.onEvent((event) => emitLocal(event));
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && unsubscribeCore) {
      unsubscribeCore();
      unsubscribeCore = null;
    }
  };
}

/** Address of a stored file: the vault:// protocol in Electron, the test bridge's /vault/ route elsewhere. */
export function blobUrl(id: string): string {
  const safeId = encodeURIComponent(id);
  return window.location.protocol === 'app:' ? `vault://blob/${safeId}` : `/vault/${safeId}`;
}
