import type { AppointmentDetail, InputOf, OperationName } from '../../../shared/contract';
import { load, readEntry, setData } from '../api/cache';
import { call } from '../api/client';
import { cacheKey } from '../api/useVaultQuery';

/**
 * After a change, reloads every cached read that shows appointments (the list, the home-screen card, the
 * timeline and the open appointment), so no screen shows a stale checklist or count.
 */
export function refreshAppointments(id?: string): void {
  reloadIfCached('appointments.list', {});
  reloadIfCached('appointments.list', { trash: 'only' });
  reloadIfCached('appointments.dashboard', {});
  reloadIfCached('timeline.list', {});
  if (id) reloadIfCached('appointments.get', { id });
}

function reloadIfCached<N extends OperationName>(operation: N, input: InputOf<N>): void {
  const key = cacheKey(operation, input);
  if (readEntry(key)) load(key, () => call(operation, input), true);
}

/** Puts a freshly returned appointment into the cache (after create or update), so its screen shows it at once. */
export function storeDetail(detail: AppointmentDetail): void {
  setData(cacheKey('appointments.get', { id: detail.id }), detail);
}

/** Changes the cached appointment in place after a small save (an answer, a note), without reloading it. */
export function patchDetail(id: string, change: (detail: AppointmentDetail) => AppointmentDetail): void {
  const key = cacheKey('appointments.get', { id });
  const entry = readEntry<AppointmentDetail>(key);
  if (entry?.status === 'ready') setData(key, change(entry.data));
}
