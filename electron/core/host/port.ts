import type { MessagePortLike } from './protocol';

/**
 * Adapters that turn the message channels the core can be hosted on into one shape:
 * `{ postMessage(message), on('message', message => …) }`.
 */

/** Electron's utilityProcess side: `process.parentPort`, whose listeners receive `{ data }` events. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export function fromParentPort<Out>(parentPort: ParentPortLike): MessagePortLike<unknown, Out> {
  return {
    postMessage: (message) => parentPort.postMessage(message),
    on: (_event, listener) => parentPort.on('message', (event) => listener(event?.data)),
  };
}

/**
 * Node's child_process side (`child_process.fork(..., { serialization: 'advanced' })`), used by scripts and
 * tests that host the core without Electron. 'advanced' serialization keeps Uint8Array chunks binary.
 */
export interface ChildProcessLike {
  send?: (message: unknown) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export function fromChildProcess<Out>(proc: ChildProcessLike): MessagePortLike<unknown, Out> {
  const send = proc.send;
  if (typeof send !== 'function') throw new Error('This process has no IPC channel to its parent.');
  return {
    postMessage: (message) => {
      send.call(proc, message);
    },
    on: (_event, listener) => proc.on('message', listener),
  };
}

/**
 * Two connected in-memory ports. Messages are structured-cloned and delivered on a later macrotask, like a
 * real process boundary, so tests see the same ordering and copying behaviour.
 */
export function createMemoryPortPair<A, B>(): [MessagePortLike<B, A>, MessagePortLike<A, B>] {
  type Listener<T> = (message: T) => void;
  const leftListeners: Listener<B>[] = [];
  const rightListeners: Listener<A>[] = [];
  const deliver = <T>(listeners: Listener<T>[], message: T) => {
    const copy = structuredClone(message);
    setImmediate(() => {
      for (const listener of listeners) listener(copy);
    });
  };
  const left: MessagePortLike<B, A> = {
    postMessage: (message: A) => deliver(rightListeners, message),
    on: (_event, listener) => leftListeners.push(listener),
  };
  const right: MessagePortLike<A, B> = {
    postMessage: (message: B) => deliver(leftListeners, message),
    on: (_event, listener) => rightListeners.push(listener),
  };
  return [left, right];
}
