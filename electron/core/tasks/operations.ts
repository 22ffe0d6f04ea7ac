import type { Handlers } from '../dispatch';

export const taskHandlers: Pick<Handlers, 'tasks.cancel'> = {
  'tasks.cancel': async (ctx, input) => {
    const controller = ctx.tasks.get(input.taskId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  },
};
