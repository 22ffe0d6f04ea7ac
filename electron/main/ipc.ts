import type { CoreEvent } from '../../shared/contract';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import { fail, type Result } from '../../shared/result';
import { ACTIVITY, CONTRACT_CALL, CONTRACT_EVENT } from '../preload/channels';
import { isTrustedSender, type SenderInfo } from './security';

/**
 * The renderer's only way into the core (security checklist items 4–5): one invoke channel whose sender is
 * checked before anything is forwarded; the core's `dispatch` validates the input itself. Core events are
 * pushed to our window on CONTRACT_EVENT. No electron import at run time: ipcMain is injected.
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
}

export const REFUSED_MESSAGE = 'This request did not come from the Second Opinion window and was refused.';

export function registerIpc(options: IpcOptions): () => void {
  const { ipcMain, core } = options;

  ipcMain.handle(CONTRACT_CALL, async (event, operation, input) => {
    if (!isTrustedSender(event, options.expectedWebContentsId())) {
      options.onRefused?.(CONTRACT_CALL);
      return fail({ code: 'PERMISSION_DENIED', message: REFUSED_MESSAGE });
    }
    options.onActivity();
    if (typeof operation !== 'string') return fail({ code: 'UNKNOWN_OPERATION', message: DEFAULT_MESSAGES.UNKNOWN_OPERATION });
    try {
      return await core.call(operation, input);
    } catch {
      return fail({ code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL });
    }
  });

  const activity = (event: SenderInfo) => {
    if (isTrustedSender(event, options.expectedWebContentsId())) options.onActivity();
    else options.onRefused?.(ACTIVITY);
  };
  ipcMain.on(ACTIVITY, activity);

  const offEvents = core.onEvent((event) => {
    try {
      options.sendToWindow(CONTRACT_EVENT, event);
    } catch {
      // The window is gone or closing; the next window asks for status itself.
    }
  });

  return () => {
    ipcMain.removeHandler(CONTRACT_CALL);
    ipcMain.removeListener(ACTIVITY, activity);
    offEvents();
  };
}
