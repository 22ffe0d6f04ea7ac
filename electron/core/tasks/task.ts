import { randomUUID } from 'node:crypto';
import type { CoreEvent } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';

type ProgressUnit = Extract<CoreEvent, { type: 'progress' }>['unit'];

/** A long operation in progress: throttled progress events and a cancellation signal. */
export interface Task {
  readonly taskId: string;
  readonly signal: AbortSignal;
  report(phase: string, done: number, total: number | null, unit: ProgressUnit): void;
  /** Throws CANCELLED if the person (or a lock) asked to stop. Call between units of work. */
  throwIfCancelled(): void;
}

/** Running tasks by id, so `tasks.cancel` and locking can stop them. */
export type TaskRegistry = Map<string, AbortController>;

/** Minimum gap between progress events, so a fast loop does not flood the UI. The final report always goes out. */
const MIN_INTERVAL_MS = 100;

/**
 * Runs `work` as a cancellable task with progress events. The caller may choose the task id (so the UI can show
 * progress and offer "Stop" before the call returns); otherwise one is made up.
 */
export async function runTask<T>(
  ctx: CoreContext,
  operation: string,
  taskId: string | undefined,
  work: (task: Task) => Promise<T>,
): Promise<T> {
  const id = taskId ?? randomUUID();
  if (ctx.tasks.has(id)) throw new AppError('BUSY');
  const controller = new AbortController();
  ctx.tasks.set(id, controller);
  let last = 0;
  const task: Task = {
    taskId: id,
    signal: controller.signal,
    report(phase, done, total, unit) {
      const now = Date.now();
      const finished = total !== null && done >= total;
      if (!finished && now - last < MIN_INTERVAL_MS) return;
      last = now;
      ctx.emit({ type: 'progress', taskId: id, operation, phase, done, total, unit });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new AppError('CANCELLED');
    },
  };
  try {
    return await work(task);
  } finally {
    ctx.tasks.delete(id);
  }
}

/** Asks every running task to stop (used before locking: nothing may write once keys are wiped). */
export function cancelAllTasks(ctx: CoreContext): void {
  for (const controller of ctx.tasks.values()) controller.abort();
}
