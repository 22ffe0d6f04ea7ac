import { z } from 'zod';

export const taskOperations = {
  'tasks.cancel': {
    summary: 'Ask a running long task (import, check, backup, export) to stop at the next safe point.',
    needsUnlock: false,
    input: z.strictObject({ taskId: z.string().uuid() }),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const;
