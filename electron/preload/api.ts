import { OPERATION_NAMES, type CoreEvent, type WindowApi } from '../../shared/contract';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { CONTRACT_CALL, CONTRACT_EVENT } from './channels';

/** The part of Electron's ipcRenderer the API uses (so tests can pass a fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as { ok?: unknown; error?: unknown };
  if (envelope.ok === true) return 'value' in envelope;
  if (envelope.ok === false) {
    const error = envelope.error as { code?: unknown; message?: unknown } | null | undefined;
    return typeof error?.code === 'string' && typeof error.message === 'string';
  }
  return false;
}

const internal = (): Result<never> => ({ ok: false, error: { code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL } });

/**
 * What the preload puts on `window.vault`: exactly one function per contract operation plus `onEvent`
 * (security checklist item 3). Each function sends its own operation name, so the renderer cannot pick
 * channels or names; ipcRenderer itself and the IPC event object never reach the page.
 */
export function buildWindowApi(ipcRenderer: IpcRendererLike): WindowApi {
  const api: Record<string, unknown> = {};
  for (const name of OPERATION_NAMES) {
    api[name] = async (input: unknown): Promise<Result<unknown>> => {
      try {
        const result = await ipcRenderer.invoke(CONTRACT_CALL, name, input);
        return isResult(result) ? result : internal();
      } catch {
        // An IPC failure (main gone, uncloneable input) still resolves to an envelope the UI can show.
        return internal();
      }
    };
  }
  api.onEvent = (listener: (event: CoreEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
    const forward = (_event: unknown, payload: unknown) => {
      listener(payload as CoreEvent);
    };
    ipcRenderer.on(CONTRACT_EVENT, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(CONTRACT_EVENT, forward);
    };
  };
  return Object.freeze(api) as unknown as WindowApi;
}
