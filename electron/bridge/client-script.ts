import { OPERATION_NAMES } from '../../shared/contract';
import { FILE_PATH_MESSAGES, MAX_STAGED_FILE_BYTES } from '../../shared/files';

/**
 * The browser half of the test bridge, served as /__bridge/client.js (an external file, so the strict CSP
 * holds). It defines `window.vault` with the same shape as Electron's preload: one function per contract
 * operation, each resolving to a Result envelope, plus `onEvent`. The operation list comes from the contract.
 * It also defines `window.files` like the preload does, except that `pathForFile` uploads the file to the
 * bridge's staging folder (/__bridge/upload) and resolves with the staged copy's path, and `chooseSaveLocation`
 * asks the bridge (/__bridge/save-location), which answers with a path in a folder of its own in place of the
 * person picking a place in the system's Save dialog (null when the request is not valid).
 */
export function bridgeClientScript(): string {
  const names = JSON.stringify(OPERATION_NAMES);
  return `(() => {
  'use strict';
  const OPERATIONS = ${names};
  const MAX_UPLOAD_BYTES = ${MAX_STAGED_FILE_BYTES};
  const MESSAGES = ${JSON.stringify(FILE_PATH_MESSAGES)};
  const unreachable = () => ({
    ok: false,
    error: {
      code: 'INTERNAL',
      message: 'The app could not reach its background process. Nothing was changed. Please close the app and open it again.',
    },
  });
  const invoke = async (operation, input) => {
    try {
      const response = await fetch('/__bridge/rpc', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ operation, input: input === undefined ? {} : input }),
      });
      if (!response.ok) return unreachable();
      return await response.json();
    } catch {
      return unreachable();
    }
  };
  const listeners = new Set();
  let source = null;
  const openEvents = () => {
    if (source) return;
    source = new EventSource('/__bridge/events');
    source.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          setTimeout(() => { throw error; });
        }
      }
    };
  };
  const api = {};
  for (const name of OPERATIONS) {
    api[name] = (input) => invoke(name, input);
  }
  api.onEvent = (listener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    listeners.add(listener);
    openEvents();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  Object.defineProperty(window, 'vault', { value: Object.freeze(api), writable: false, configurable: false, enumerable: true });

  const pathForFile = async (file) => {
    if (!(file instanceof File)) throw new Error(MESSAGES.unreadable);
    if (file.size > MAX_UPLOAD_BYTES) throw new Error(MESSAGES.tooLarge);
    let response;
    try {
      response = await fetch('/__bridge/upload?name=' + encodeURIComponent(file.name), {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      });
    } catch {
      // A folder, or a file that went away after it was picked, cannot be read as bytes.
      throw new Error(MESSAGES.unreadable);
    }
    if (response.status === 413) throw new Error(MESSAGES.tooLarge);
    if (!response.ok) throw new Error(MESSAGES.unreadable);
    const answer = await response.json().catch(() => null);
    if (!answer || typeof answer.path !== 'string') throw new Error(MESSAGES.unreadable);
    return answer.path;
  };
  const chooseSaveLocation = async (request) => {
    let response;
    try {
      response = await fetch('/__bridge/save-location', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request === undefined ? null : request),
      });
    } catch {
      throw new Error('The place to save could not be chosen.');
    }
    if (!response.ok) throw new Error('The place to save could not be chosen.');
    const answer = await response.json().catch(() => null);
    return answer && typeof answer.path === 'string' && answer.path !== '' ? answer.path : null;
  };
  Object.defineProperty(window, 'files', {
    value: Object.freeze({ pathForFile, chooseSaveLocation }),
    writable: false,
    configurable: false,
    enumerable: true,
  });
})();
`;
}
