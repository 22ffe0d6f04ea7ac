import { useCallback, useEffect, useRef, useState } from 'react';
import type { InputOf, PacketBuildResult } from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call, onVaultEvent } from '../api/client';
import type { Progress } from '../api/useTaskProgress';
import { refreshAfterBuild } from './api';

export type BuildState =
  | { phase: 'idle' }
  | { phase: 'building'; progress: Progress | null; stopping: boolean }
  | { phase: 'done'; result: PacketBuildResult }
  /** Cancelled by the person (or by a lock): the core removed everything it had written. */
  | { phase: 'stopped' }
  | { phase: 'failed'; error: AppError };

export type BuildInput = Omit<InputOf<'packets.build'>, 'taskId'>;

/**
 * Runs packets.build as a task, the way the import screens do: a task id chosen here, its progress events, Cancel
 * through tasks.cancel, and CANCELLED turned into "stopped" rather than an error. `afterBuild` runs once the packet
 * is written (e.g. to link it to an appointment); its failure is shown without hiding that the packet exists.
 */
export function usePacketBuild(afterBuild?: (result: PacketBuildResult) => Promise<void>) {
  const [state, setState] = useState<BuildState>({ phase: 'idle' });
  const [afterError, setAfterError] = useState<AppError | null>(null);
  const running = useRef(false);
  const stopRequested = useRef(false);
  const currentTask = useRef<string | null>(null);
  const mounted = useRef(true);
  const afterRef = useRef(afterBuild);
  afterRef.current = afterBuild;

  useEffect(() => {
    mounted.current = true;
    return () => {
      // Leaving the screen does not stop the build: the core finishes it and the log shows the packet.
      mounted.current = false;
    };
  }, []);

  const update = useCallback((next: BuildState | ((current: BuildState) => BuildState)) => {
    if (mounted.current) setState(next);
  }, []);

  const build = useCallback(
    async (input: BuildInput) => {
      if (running.current) return;
      running.current = true;
      stopRequested.current = false;
      setAfterError(null);
      const taskId = crypto.randomUUID();
      currentTask.current = taskId;
      update({ phase: 'building', progress: null, stopping: false });
      const stopListening = onVaultEvent((event) => {
        if (event.type !== 'progress' || event.taskId !== taskId) return;
        // Cancel may have been pressed before the core knew this task; ask again now that it does.
        if (stopRequested.current) void call('tasks.cancel', { taskId }).catch(() => undefined);
        update((current) => (current.phase === 'building' ? { ...current, progress: event } : current));
      });
      try {
        const result = await call('packets.build', { ...input, taskId });
        refreshAfterBuild();
        if (afterRef.current) {
          try {
            await afterRef.current(result);
          } catch (error) {
            if (mounted.current) setAfterError(toAppError(error));
          }
        }
        update({ phase: 'done', result });
      } catch (error) {
        const appError = toAppError(error);
        update(appError.code === 'CANCELLED' ? { phase: 'stopped' } : { phase: 'failed', error: appError });
      } finally {
        stopListening();
        currentTask.current = null;
        running.current = false;
      }
    },
    [update],
  );

  const cancel = useCallback(() => {
    if (!running.current) return;
    stopRequested.current = true;
    update((current) => (current.phase === 'building' ? { ...current, stopping: true } : current));
    const taskId = currentTask.current;
    if (taskId) void call('tasks.cancel', { taskId }).catch(() => undefined);
  }, [update]);

  const dismiss = useCallback(() => {
    if (!running.current) update({ phase: 'idle' });
  }, [update]);

  return { state, build, cancel, dismiss, afterError, busy: state.phase === 'building' };
}
