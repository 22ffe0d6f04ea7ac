import { useCallback, useEffect, useRef, useState } from 'react';
import { call, onVaultEvent } from './client';
import type { Progress } from './useTaskProgress';

type Update<S> = (next: S | ((current: S) => S)) => void;

/**
 * Like useState, but updates after the component has gone are dropped: a long task (an import, a packet build) goes
 * on when the person leaves the screen, and finishes into nothing.
 */
export function useStateWhileMounted<S>(initial: S): [S, Update<S>] {
  const [state, setState] = useState<S>(initial);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const update = useCallback<Update<S>>((next) => {
    if (mounted.current) setState(next);
  }, []);

  return [state, update];
}

function cancelTask(taskId: string): void {
  void call('tasks.cancel', { taskId }).catch(() => undefined);
}

/**
 * The plumbing shared by long core tasks that the person can stop (disc and document imports, packet builds): one
 * run at a time, a task id chosen here for each core call so its progress events can be followed, and Stop through
 * `tasks.cancel`. What the run does and how it is shown stays with the caller.
 */
export function useTask() {
  const running = useRef(false);
  const stopRequested = useRef(false);
  const currentTask = useRef<string | null>(null);

  /** Runs `work` unless a run is under way; a new run forgets an earlier Stop. */
  const exclusive = useCallback(async (work: () => Promise<void>): Promise<void> => {
    if (running.current) return;
    running.current = true;
    stopRequested.current = false;
    try {
      await work();
    } finally {
      running.current = false;
    }
  }, []);

  /** Calls the core with a fresh task id and hands its progress events to `onProgress` until the call settles. */
  const runTask = useCallback(async <T>(work: (taskId: string) => Promise<T>, onProgress: (event: Progress) => void): Promise<T> => {
    const taskId = crypto.randomUUID();
    currentTask.current = taskId;
    const stopListening = onVaultEvent((event) => {
      if (event.type !== 'progress' || event.taskId !== taskId) return;
      // Stop may have been pressed before the core knew this task; ask again now that it does.
      if (stopRequested.current) cancelTask(taskId);
      onProgress(event);
    });
    try {
      return await work(taskId);
    } finally {
      stopListening();
      currentTask.current = null;
    }
  }, []);

  /** Asks the running task to stop; false (and nothing asked) when nothing runs. */
  const stop = useCallback((): boolean => {
    if (!running.current) return false;
    stopRequested.current = true;
    const taskId = currentTask.current;
    if (taskId) cancelTask(taskId);
    return true;
  }, []);

  const isRunning = useCallback(() => running.current, []);
  const isStopping = useCallback(() => stopRequested.current, []);

  return { exclusive, runTask, stop, isRunning, isStopping };
}
