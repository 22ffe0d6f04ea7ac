import { useCallback, useRef } from 'react';
import type { DiscImportOutcome } from '../../../shared/contract';
import { FILE_PATH_MESSAGES } from '../../../shared/files';
import { AppError, toAppError } from '../api/AppError';
import { call } from '../api/client';
import { pathForFile } from '../api/files';
import { useStateWhileMounted, useTask } from '../api/useTask';
import type { Progress } from '../api/useTaskProgress';

export type DiscMismatch = NonNullable<DiscImportOutcome['heldBack']>['mismatches'][number];

export type DiscImportState =
  | { phase: 'idle' }
  /** Finding where the chosen disc, folder or file is (in the test bridge: copying it over). */
  | { phase: 'preparing'; name: string }
  | { phase: 'importing'; name: string; progress: Progress | null; stopping: boolean }
  /** The disc names someone else: nothing was stored; the person decides. */
  | { phase: 'held-back'; name: string; path: string; mismatches: DiscMismatch[] }
  | { phase: 'done'; name: string; outcome: DiscImportOutcome }
  /** Nothing was imported: declined, or stopped before anything was copied. */
  | { phase: 'nothing'; name: string; reason: 'declined' | 'stopped' }
  | { phase: 'failed'; name: string | null; error: AppError };

export const DISC_MESSAGES = {
  emptyFolder: 'That folder is empty. Choose the disc itself or the folder that holds its files.',
  folderNotHere:
    'A whole folder cannot be opened from this window. Choose a disc image (.iso) or a .zip file of the disc instead.',
  oneAtATime: 'Please drop one disc, folder, .iso or .zip file at a time.',
  unreadable: 'This could not be opened. Choose the disc or its folder with the button, or a disc image (.iso or .zip).',
} as const;

/** The path of a file or folder the person picked or dropped, with a message for the imaging screen if it fails. */
async function pathOf(file: File): Promise<string> {
  try {
    return await pathForFile(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw new AppError('INVALID_INPUT', message && message !== FILE_PATH_MESSAGES.unreadable ? message : DISC_MESSAGES.unreadable);
  }
}

/**
 * The folder the person chose with a folder picker (`<input webkitdirectory>`): every File carries its path relative
 * to the parent of the chosen folder ("CD/DICOM/IM1"), so the folder is the first file's path minus the rest. Only
 * possible where a File's real path is known (the app itself); elsewhere the file is a staged copy and this says so.
 */
async function folderOf(files: readonly File[]): Promise<string> {
  const inFolder = files.filter((file) => file.webkitRelativePath.includes('/'));
  if (inFolder.length === 0) throw new AppError('INVALID_INPUT', DISC_MESSAGES.emptyFolder);
  const file = inFolder.reduce((small, next) => (next.size < small.size ? next : small));
  const full = await pathOf(file);
  const parts = file.webkitRelativePath.split('/').filter(Boolean);
  const normal = full.replace(/\\/g, '/');
  if (parts.length < 2 || !normal.endsWith(`/${parts.join('/')}`)) throw new AppError('INVALID_INPUT', DISC_MESSAGES.folderNotHere);
  const inside = `/${parts.slice(1).join('/')}`; // same length whichever separator the system uses
  return full.slice(0, full.length - inside.length);
}

/**
 * Imports one imaging disc (folder, .iso or .zip) with `imaging.import`: progress by task id, Stop, the held-back
 * question when the disc names someone else, and the outcome for the summary.
 */
export function useDiscImport(onImported: () => void) {
  const [state, update] = useStateWhileMounted<DiscImportState>({ phase: 'idle' });
  const { exclusive, runTask, stop: stopTask, isRunning, isStopping } = useTask();
  const onImportedRef = useRef(onImported);
  onImportedRef.current = onImported;

  const runImport = useCallback(
    async (name: string, path: string, acceptOtherPatient: boolean) => {
      update({ phase: 'importing', name, progress: null, stopping: isStopping() });
      try {
        const outcome = await runTask(
          (taskId) => call('imaging.import', { path, acceptOtherPatient, taskId }),
          (progress) => update((current) => (current.phase === 'importing' ? { ...current, progress } : current)),
        );
        if (outcome.heldBack) {
          update(isStopping() ? { phase: 'nothing', name, reason: 'stopped' } : { phase: 'held-back', name, path, mismatches: outcome.heldBack.mismatches });
        } else {
          update({ phase: 'done', name, outcome });
          if (outcome.instances.added > 0 || outcome.documents.added > 0) onImportedRef.current();
        }
      } catch (error) {
        const appError = toAppError(error);
        update(appError.code === 'CANCELLED' ? { phase: 'nothing', name, reason: 'stopped' } : { phase: 'failed', name, error: appError });
      }
    },
    [isStopping, runTask, update],
  );

  /** Runs `locate` (which finds the path) and then the import, unless something is running already. */
  const begin = useCallback(
    (name: string, locate: () => Promise<string>) =>
      exclusive(async () => {
        try {
          update({ phase: 'preparing', name });
          const path = await locate();
          if (isStopping()) {
            update({ phase: 'nothing', name, reason: 'stopped' });
            return;
          }
          await runImport(name, path, false);
        } catch (error) {
          update({ phase: 'failed', name, error: toAppError(error) });
        }
      }),
    [exclusive, isStopping, runImport, update],
  );

  /** Files from a folder picker: the whole chosen folder is the disc. */
  const importFolder = useCallback(
    (files: readonly File[]) => {
      const top = files.find((file) => file.webkitRelativePath.includes('/'))?.webkitRelativePath.split('/')[0] ?? 'the folder';
      void begin(top, () => folderOf(files));
    },
    [begin],
  );

  /** One file (an .iso or .zip) or one dropped item (a file or, in the app, a folder). */
  const importItems = useCallback(
    (files: readonly File[]) => {
      if (isRunning()) return;
      const [first] = files;
      if (!first) return;
      if (files.length > 1) {
        update({ phase: 'failed', name: null, error: new AppError('INVALID_INPUT', DISC_MESSAGES.oneAtATime) });
        return;
      }
      void begin(first.name, () => pathOf(first));
    },
    [begin, isRunning, update],
  );

  /** "These are mine / someone I care for": import the held-back disc after all. */
  const accept = useCallback(() => {
    if (state.phase !== 'held-back') return;
    const { name, path } = state;
    void exclusive(() => runImport(name, path, true));
  }, [exclusive, runImport, state]);

  const decline = useCallback(() => {
    update((current) => (current.phase === 'held-back' ? { phase: 'nothing', name: current.name, reason: 'declined' } : current));
  }, [update]);

  const stop = useCallback(() => {
    if (stopTask()) update((current) => (current.phase === 'importing' ? { ...current, stopping: true } : current));
  }, [stopTask, update]);

  const dismiss = useCallback(() => {
    if (!isRunning()) update({ phase: 'idle' });
  }, [isRunning, update]);

  const busy = state.phase === 'preparing' || state.phase === 'importing';
  return { state, importFolder, importItems, accept, decline, stop, dismiss, busy };
}
