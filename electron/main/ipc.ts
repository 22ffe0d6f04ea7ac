import type { CoreEvent } from '../../shared/contract';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import { saveLocationRequest, type SaveLocationRequest } from '../../shared/files';
import { fail, type Result } from '../../shared/result';
import { ACTIVITY, CHOOSE_SAVE_LOCATION, CONTRACT_CALL, CONTRACT_EVENT } from '../preload/channels';
import { isTrustedSender, type SenderInfo } from './security';

/**
 * The renderer's only way into the core (security checklist items 4–5): one invoke channel whose sender is
 * checked before anything is forwarded; the core's `dispatch` validates the input itself. Core events are
 * pushed to our window on CONTRACT_EVENT. Beside it, one more invoke channel for the file seam
 * (CHOOSE_SAVE_LOCATION: the system's Save dialog), with the same sender check. No electron import at run time:
 * ipcMain and the dialog are injected.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => void): unknown;
}

export interface IpcCore {
  call(operation: unknown, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

export interface IpcOptions {
  ipcMain: IpcMainLike;
  core: IpcCore;
  /** The id of our window's webContents, or null while there is no window. */
  expectedWebContentsId: () => number | null;
  /** Pushes a core event to our window (webContents.send(CONTRACT_EVENT, event)). */
  sendToWindow: (channel: typeof CONTRACT_EVENT, event: CoreEvent) => void;
  /** Someone used the window: resets auto-lock. */
  onActivity: () => void;
  /** A refused sender (logged by main without any content). */
  onRefused?: (channel: string) => void;
  /**
   * Shows the system's Save dialog for a packet and resolves with the chosen path, or null when the person
   * cancelled. Without it, CHOOSE_SAVE_LOCATION is not handled at all.
   */
  chooseSaveLocation?: (request: SaveLocationRequest) => Promise<string | null>;
}

/** Longest path accepted back from the dialog (the contract's `filePath` limit). */
const MAX_PATH_LENGTH = 4096;

export const REFUSED_MESSAGE = 'This request did not come from the Second Opinion window and was refused.';

export function registerIpc(options: IpcOptions): () => void {
  const { ipcMain, core } = options;

  /** The check every channel makes first: true for our window's main frame; a refusal is reported (no content). */
  const fromOurWindow = (event: SenderInfo, channel: string): boolean => {
    if (isTrustedSender(event, options.expectedWebContentsId())) return true;
    options.onRefused?.(channel);
    return false;
  };

  ipcMain.handle(CONTRACT_CALL, async (event, operation, input) => {
    if (!fromOurWindow(event, CONTRACT_CALL)) return fail({ code: 'PERMISSION_DENIED', message: REFUSED_MESSAGE });
    options.onActivity();
    if (typeof operation !== 'string') return fail({ code: 'UNKNOWN_OPERATION', message: DEFAULT_MESSAGES.UNKNOWN_OPERATION });
    try {
      return await core.call(operation, input);
    } catch {
      return fail({ code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL });
    }
  });

  const activity = (event: SenderInfo) => {
    if (fromOurWindow(event, ACTIVITY)) options.onActivity();
  };
  ipcMain.on(ACTIVITY, activity);

  const { chooseSaveLocation } = options;
  if (chooseSaveLocation) {
    let choosing = false;
    // Never throws to the renderer: a refusal, a malformed request, a second dialog or a failing dialog all answer null.
    ipcMain.handle(CHOOSE_SAVE_LOCATION, async (event, request) => {
      if (!fromOurWindow(event, CHOOSE_SAVE_LOCATION)) return null;
      options.onActivity();
      const parsed = saveLocationRequest.safeParse(request);
      // One dialog at a time: a second request while one is open is answered null rather than stacking dialogs.
      if (!parsed.success || choosing) return null;
      choosing = true;
      try {
        const chosen = await chooseSaveLocation(parsed.data);
        return typeof chosen === 'string' && chosen !== '' && chosen.length <= MAX_PATH_LENGTH && !chosen.includes('\u0000') ? chosen : null;
      } catch {
        return null;
      } finally {
        choosing = false;
      }
    });
  }

  const offEvents = core.onEvent((event) => {
    try {
      options.sendToWindow(CONTRACT_EVENT, event);
    } catch {
      // The window is gone or closing; the next window asks for status itself.
    }
  });

  return () => {
    ipcMain.removeHandler(CONTRACT_CALL);
    if (chooseSaveLocation) ipcMain.removeHandler(CHOOSE_SAVE_LOCATION);
    ipcMain.removeListener(ACTIVITY, activity);
    offEvents();
  };
}
