import { useCallback } from 'react';
import type { DocumentType, ImportOutcome } from '../../../../shared/contract';
import { toAppError, type AppError } from '../../api/AppError';
import { call } from '../../api/client';
import { pathForFile } from '../../api/files';
import { useStateWhileMounted, useTask } from '../../api/useTask';
import type { Progress } from '../../api/useTaskProgress';
import { fileNameOf } from '../format';
import { libraryChanged } from '../useLibraryQuery';

/** What the person sees after an import, in their own file names. */
export interface ImportSummary {
  imported: { name: string; documentId: string; title: string; type: DocumentType }[];
  duplicates: { name: string; documentId: string }[];
  skipped: { name: string; reason: string }[];
  failed: { name: string; reason: string }[];
  /** Stopped by the person (or by a lock) before every file was looked at. */
  stopped: boolean;
  /** Picked files that were not looked at because of the stop. */
  notLookedAt: number;
  /** The import could not run at all (e.g. the vault locked); what was done before is still listed. */
  error: AppError | null;
}

export type ImportState =
  | { phase: 'idle' }
  /** Getting each file's path (in the test bridge: copying it over). */
  | { phase: 'preparing'; done: number; total: number; stopping: boolean }
  /** `progress` is the latest event (its phase words); `files` the latest count of whole files. */
  | { phase: 'importing'; progress: Progress | null; files: Progress | null; part: number; parts: number; stopping: boolean }
  | { phase: 'done'; summary: ImportSummary };

/** The contract takes at most this many paths per call. */
const PATHS_PER_CALL = 1000;

function emptySummary(): ImportSummary {
  return { imported: [], duplicates: [], skipped: [], failed: [], stopped: false, notLookedAt: 0, error: null };
}

function merge(summary: ImportSummary, outcome: ImportOutcome, nameOf: (path: string) => string): void {
  summary.imported.push(...outcome.imported.map((item) => ({ name: nameOf(item.path), documentId: item.documentId, title: item.title, type: item.type })));
  summary.duplicates.push(...outcome.duplicates.map((item) => ({ name: nameOf(item.path), documentId: item.documentId })));
  summary.skipped.push(...outcome.skipped.map((item) => ({ name: nameOf(item.path), reason: item.reason })));
  summary.failed.push(...outcome.failed.map((item) => ({ name: nameOf(item.path), reason: item.reason })));
  if (outcome.cancelled) summary.stopped = true;
}

/**
 * Imports picked or dropped files: each File becomes a path through window.files, then `documents.import` runs
 * with a task id chosen here, so its progress events can be shown and Stop can cancel it.
 */
export function useImport() {
  // Leaving the screen does not stop an import: the core finishes it and the library shows the result.
  const [state, update] = useStateWhileMounted<ImportState>({ phase: 'idle' });
  const { exclusive, runTask, stop: stopTask, isRunning, isStopping } = useTask();

  const start = useCallback(
    async (files: readonly File[]) => {
      if (files.length === 0) return;
      await exclusive(async () => {
        const summary = emptySummary();
        const names = new Map<string, string>();
        const nameOf = (path: string) => names.get(path) ?? fileNameOf(path);
        const paths: string[] = [];
        try {
          update({ phase: 'preparing', done: 0, total: files.length, stopping: false });
          for (const [index, file] of files.entries()) {
            if (isStopping()) {
              summary.stopped = true;
              break;
            }
            try {
              const path = await pathForFile(file);
              names.set(path, file.name);
              paths.push(path);
            } catch (error) {
              summary.failed.push({ name: file.name, reason: error instanceof Error ? error.message : String(error) });
            }
            update((current) => (current.phase === 'preparing' ? { ...current, done: index + 1 } : current));
          }

          const parts = Math.ceil(paths.length / PATHS_PER_CALL);
          for (let part = 0; part < parts && !isStopping(); part += 1) {
            update({ phase: 'importing', progress: null, files: null, part: part + 1, parts, stopping: false });
            const outcome = await runTask(
              (taskId) => call('documents.import', { paths: paths.slice(part * PATHS_PER_CALL, (part + 1) * PATHS_PER_CALL), taskId }),
              (progress) =>
                update((current) =>
                  current.phase === 'importing' ? { ...current, progress, files: progress.unit === 'files' ? progress : current.files } : current,
                ),
            );
            merge(summary, outcome, nameOf);
          }
          if (isStopping()) summary.stopped = true;
          if (summary.stopped) {
            const lookedAt = summary.imported.length + summary.duplicates.length + summary.skipped.length + summary.failed.length;
            summary.notLookedAt = Math.max(0, files.length - lookedAt);
          }
        } catch (error) {
          summary.error = toAppError(error);
        } finally {
          if (summary.imported.length > 0) libraryChanged();
          update({ phase: 'done', summary });
        }
      });
    },
    [exclusive, isStopping, runTask, update],
  );

  const stop = useCallback(() => {
    if (stopTask()) update((current) => (current.phase === 'preparing' || current.phase === 'importing' ? { ...current, stopping: true } : current));
  }, [stopTask, update]);

  const dismiss = useCallback(() => {
    if (!isRunning()) update({ phase: 'idle' });
  }, [isRunning, update]);

  return { state, start, stop, dismiss, busy: state.phase === 'preparing' || state.phase === 'importing' };
}
