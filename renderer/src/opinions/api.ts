import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { z } from 'zod';
import type { opinionOperations } from '../../../shared/contract/opinions';
import { toAppError, type AppError } from '../api/AppError';
import { load, readEntry, subscribeCache } from '../api/cache';
import { call } from '../api/client';

/**
 * Typed calls for the opinion operations (shared/contract/opinions.ts). They go through the same `call` as every
 * other operation (window.vault, Result unwrapping, LOCKED handling); this file only adds the opinion types, so
 * the screens do not depend on how the contract index groups its operations.
 */
type OpinionOps = typeof opinionOperations;
export type OpinionOpName = keyof OpinionOps;
export type OpIn<N extends OpinionOpName> = z.input<OpinionOps[N]['input']>;
export type OpOut<N extends OpinionOpName> = z.output<OpinionOps[N]['output']>;

export type ComparisonResult = OpOut<'opinions.compare'>;
export type ComparisonQuestionOut = ComparisonResult['questions'][number];
export type DecisionOut = ComparisonResult['decisions'][number];
export type ProposalOut = OpOut<'opinions.propose'>['proposals'][number];

type LooseCall = (operation: string, input: unknown) => Promise<unknown>;

export function callOpinions<N extends OpinionOpName>(operation: N, input: OpIn<N>): Promise<OpOut<N>> {
  return (call as unknown as LooseCall)(operation, input) as Promise<OpOut<N>>;
}

/** Fetchers of the keys read so far, so a change can reload every screen's copy (see `refreshOpinionQueries`). */
const fetchers = new Map<string, () => Promise<unknown>>();

function keyOf(operation: string, input: unknown): string {
  return `${operation}:${JSON.stringify(input)}`;
}

export interface OpinionQuery<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Reads one opinion operation through the app's cache (so it is forgotten on lock, like everything else read
 * from the vault). Pass `null` as input to read nothing yet.
 */
export function useOpinionQuery<N extends OpinionOpName>(operation: N, input: OpIn<N> | null): OpinionQuery<OpOut<N>> {
  const key = input === null ? null : keyOf(operation, input);
  const entry = useSyncExternalStore(subscribeCache, () => (key ? readEntry<OpOut<N>>(key) : undefined));
  const fetcher = useCallback(
    () => (input === null ? Promise.reject(new Error('no input')) : callOpinions(operation, input)),
    [key], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => {
    if (!key) return;
    fetchers.set(key, fetcher);
    load(key, fetcher);
  }, [key, fetcher]);
  const reload = useCallback(() => {
    if (key) load(key, fetcher, true);
  }, [key, fetcher]);
  return {
    data: entry?.status === 'ready' ? entry.data : undefined,
    error: entry?.status === 'error' ? toAppError(entry.error) : null,
    loading: key !== null && (!entry || entry.status === 'loading'),
    reload,
  };
}

/** Reloads every cached read of the given operations (after a save, a trash or a restore). */
export function refreshOpinionQueries(...operations: string[]): void {
  for (const [key, fetcher] of fetchers) {
    if (operations.some((operation) => key.startsWith(`${operation}:`)) && readEntry(key)) load(key, fetcher, true);
  }
}
