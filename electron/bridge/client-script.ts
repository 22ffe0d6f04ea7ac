import { OPERATION_NAMES } from '../../shared/contract';

/**
 * The browser half of the test bridge, served as /__bridge/client.js (an external file, so the strict CSP
 * holds). It defines `window.vault` with the same shape as Electron's preload: one function per contract
 * operation, each resolving to a Result envelope, plus `onEvent`. The operation list comes from the contract.
 */
export function bridgeClientScript(): string {
  const names = JSON.stringify(OPERATION_NAMES);
  return `(() => {
  'use strict';
  const OPERATIONS = ${names};
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
})();
`;
}
