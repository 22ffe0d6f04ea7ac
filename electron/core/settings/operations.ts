import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { readSettings, writeSettings } from './store';

export const settingsHandlers: Pick<Handlers, 'settings.get' | 'settings.update'> = {
  'settings.get': async (ctx) => readSettings(requireVault(ctx)),
  'settings.update': async (ctx, input) => {
    const updated = writeSettings(requireVault(ctx), input);
    ctx.emit({ type: 'changed', what: 'settings' });
    return updated;
  },
};
