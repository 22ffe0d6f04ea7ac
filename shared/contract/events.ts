import { z } from 'zod';

/** Events the core pushes to the UI (progress of long work, lock state changes). Never record content. */
export const coreEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    taskId: z.string(),
    operation: z.string(),
    phase: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative().nullable(),
    unit: z.enum(['files', 'bytes', 'pages', 'steps']),
  }),
  z.object({ type: z.literal('locked'), reason: z.enum(['user', 'inactivity', 'system']) }),
  z.object({ type: z.literal('changed'), what: z.enum(['vault', 'settings']) }),
]);
export type CoreEvent = z.infer<typeof coreEvent>;
