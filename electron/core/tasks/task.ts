import { randomUUID } from 'node:crypto';
import type { CoreEvent } from '../../shared/contract';
import type { CoreContext } from './context';

type ProgressUnit = Extract<CoreEvent, { type: 'progress' }>['unit'];

export interface Progress {
  readonly taskId: string;
  report(phase: string, done: number, total: number | null, unit: ProgressUnit): void;
}

/** Minimum gap between progress events, so a fast loop does not flood the UI. The final report always goes out. */
const MIN_INTERVAL_MS = 100;

/** Progress reporting for a long operation: each call site gets a task id and a throttled `report`. */
export function startProgress(ctx: CoreContext, operation: string): Progress {
  const taskId = randomUUID();
  let last = 0;
  return {
    taskId,
    report(phase, done, total, unit) {
      const now = Date.now();
      const finished = total !== null && done >= total;
      if (!finished && now - last < MIN_INTERVAL_MS) return;
      last = now;
      ctx.emit({ type: 'progress', taskId, operation, phase, done, total, unit });
    },
  };
}
