import { useRef } from 'react';
import type { InputOf, OperationName, PacketPreview, PacketRequest } from '../../../shared/contract';
import type { AppError } from '../api/AppError';
import { load, readEntry } from '../api/cache';
import { call } from '../api/client';
import { cacheKey, useVaultQuery } from '../api/useVaultQuery';

export interface PreviewState {
  /** The latest preview, kept on screen while the next one loads so the counts never blink away. */
  preview: PacketPreview | undefined;
  /** Whether `preview` is for the current choice (false while a newer one is on its way). */
  current: boolean;
  error: AppError | null;
  reload(): void;
}

/** What the packet would hold for this request (packets.preview reads the database only: it is quick). */
export function usePacketPreview(request: PacketRequest): PreviewState {
  const query = useVaultQuery('packets.preview', request);
  const last = useRef<PacketPreview | undefined>(undefined);
  if (query.data) last.current = query.data;
  return { preview: query.data ?? last.current, current: Boolean(query.data), error: query.error, reload: query.reload };
}

function reloadIfCached<N extends OperationName>(operation: N, input: InputOf<N>): void {
  const key = cacheKey(operation, input);
  if (readEntry(key)) load(key, () => call(operation, input), true);
}

/** After a packet was written: the log and the timeline show it. */
export function refreshAfterBuild(): void {
  reloadIfCached('packets.list', {});
  reloadIfCached('timeline.list', {});
}
