import { useCallback, useRef } from 'react';
import type { InputOf, PacketBuildResult } from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call } from '../api/client';
import { useStateWhileMounted, useTask } from '../api/useTask';
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
  // Leaving the screen does not stop the build: the core finishes it and the log shows the packet.
  const [state, update] = useStateWhileMounted<BuildState>({ phase: 'idle' });
  const [afterError, setAfterError] = useStateWhileMounted<AppError | null>(null);
  const { exclusive, runTask, stop, isRunning } = useTask();
  const afterRef = useRef(afterBuild);
  afterRef.current = afterBuild;

  const build = useCallback(
    (input: BuildInput) =>
      exclusive(async () => {
        setAfterError(null);
        update({ phase: 'building', progress: null, stopping: false });
        try {
          const result = await runTask(
            (taskId) => call('packets.build', { ...input, taskId }),
            (progress) => update((current) => (current.phase === 'building' ? { ...current, progress } : current)),
          );
          refreshAfterBuild();
          if (afterRef.current) {
            try {
              await afterRef.current(result);
            } catch (error) {
              setAfterError(toAppError(error));
            }
          }
          update({ phase: 'done', result });
        } catch (error) {
          const appError = toAppError(error);
          update(appError.code === 'CANCELLED' ? { phase: 'stopped' } : { phase: 'failed', error: appError });
        }
      }),
    [exclusive, runTask, setAfterError, update],
  );

  const cancel = useCallback(() => {
    if (stop()) update((current) => (current.phase === 'building' ? { ...current, stopping: true } : current));
  }, [stop, update]);

  const dismiss = useCallback(() => {
    if (!isRunning()) update({ phase: 'idle' });
  }, [isRunning, update]);

  return { state, build, cancel, dismiss, afterError, busy: state.phase === 'building' };
}
