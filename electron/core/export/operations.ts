import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { runTask } from '../tasks/task';
import { buildPacket } from './build';
import { previewPacket } from './preview';
import { listCareTeam, listMedications, listPackets, saveCareTeam, saveMedications } from './store';

type ExportHandlers = Pick<
  Handlers,
  'medications.list' | 'medications.save' | 'careTeam.list' | 'careTeam.save' | 'packets.preview' | 'packets.build' | 'packets.list'
>;

export const exportHandlers: ExportHandlers = {
  'medications.list': async (ctx) => ({ items: listMedications(requireVault(ctx).db) }),
  'medications.save': async (ctx, input) => ({ items: saveMedications(requireVault(ctx).db, input.items, ctx.now()) }),
  'careTeam.list': async (ctx) => ({ items: listCareTeam(requireVault(ctx).db) }),
  'careTeam.save': async (ctx, input) => ({ items: saveCareTeam(requireVault(ctx).db, input.items, ctx.now()) }),
  'packets.preview': async (ctx, input) => previewPacket(requireVault(ctx).db, input),
  'packets.build': async (ctx, input) => {
    const vault = requireVault(ctx);
    const { taskId, ...rest } = input;
    return runTask(ctx, 'packets.build', taskId, (task) => buildPacket(ctx, vault, rest, task));
  },
  'packets.list': async (ctx) => ({ items: listPackets(requireVault(ctx).db) }),
};
