import fs from 'node:fs/promises';
import path from 'node:path';
import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { runTask } from '../tasks/task';
import { renderFrame } from './frame';
import { importDisc } from './import-disc';
import { detectSourceKind } from './sources/open';
import { isDicom } from './dicom/sniff';
import { listStudies, seriesDetail } from './queries';

export const imagingHandlers: Pick<
  Handlers,
  'imaging.import' | 'imaging.studies' | 'imaging.series' | 'imaging.detect' | 'imaging.frame'
> = {
  'imaging.import': async (ctx, input) => {
    const vault = requireVault(ctx);
    return runTask(ctx, 'imaging.import', input.taskId, (task) => importDisc(ctx, vault, input.path, input.acceptOtherPatient, task));
  },
  'imaging.studies': async (ctx) => ({ patients: listStudies(requireVault(ctx).db) }),
  'imaging.series': async (ctx, input) => seriesDetail(requireVault(ctx).db, input.uid),
  // Decoding runs here, in the core's own process (never in the renderer).
  'imaging.frame': async (ctx, input) => renderFrame(requireVault(ctx), input),
  'imaging.detect': async (ctx, input) => {
    requireVault(ctx);
    return { kind: await looksLikeDisc(path.resolve(input.path)) ? 'disc' : 'documents' };
  },
};

/** How many files of a folder are looked at to decide whether it is an imaging disc. */
const FILES_TO_SAMPLE = 200;

/**
 * A disc image or archive is always treated as a disc (its reports become documents too); a folder is a disc
 * when it has a DICOMDIR or DICOM files near the top. Anything else is a set of documents.
 */
async function looksLikeDisc(target: string): Promise<boolean> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) return false;
  if (stat.isFile()) {
    const kind = await detectSourceKind(target).catch(() => null);
    return kind === 'iso' || kind === 'zip';
  }
  if (!stat.isDirectory()) return false;
  let seen = 0;
  const queue = [target];
  while (queue.length > 0 && seen < FILES_TO_SAMPLE) {
    const dir = queue.shift()!;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.toUpperCase() === 'DICOMDIR') return true;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      if (!entry.isFile() || seen >= FILES_TO_SAMPLE) continue;
      seen += 1;
      if (await startsLikeDicom(full)) return true;
    }
  }
  return false;
}

async function startsLikeDicom(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isDicom(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
