import { describe, expect, it, vi } from 'vitest';
import { forwardActivity, ACTIVITY_EVENTS } from '../../../electron/preload/activity';
import { buildWindowApi, type IpcRendererLike } from '../../../electron/preload/api';
import { CONTRACT_CALL, CONTRACT_EVENT } from '../../../electron/preload/channels';
import { OPERATION_NAMES, type CoreEvent } from '../../../shared/contract';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer(reply: (channel: string, ...args: unknown[]) => unknown = () => ({ ok: true, value: null })) {
  const listeners = new Map<string, Set<Listener>>();
  const fake = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => reply(channel, ...args)),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return fake;
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return fake;
    }),
    send: vi.fn(),
    sendSync: vi.fn(),
    emit(channel: string, ...args: unknown[]) {
      const ipcEvent = { sender: fake, senderId: 0, ports: [] };
      for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, ...args);
    },
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  return fake;
}

describe('buildWindowApi (checklist item 3)', () => {
  it('exposes exactly the contract operations plus onEvent', () => {
    const api = buildWindowApi(fakeIpcRenderer());
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onEvent'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('never hands out the ipcRenderer or its methods', () => {
    const ipc = fakeIpcRenderer();
    const api = buildWindowApi(ipc) as unknown as Record<string, unknown>;
    const forbidden = new Set<unknown>([ipc, ipc.invoke, ipc.on, ipc.removeListener, ipc.send, ipc.sendSync]);
    for (const value of Object.values(api)) expect(forbidden.has(value)).toBe(false);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'on', 'removeListener', 'sendSync']) expect(api[name]).toBeUndefined();
  });

  it('sends each function’s own operation name on contract:call and resolves the Result envelope', async () => {
    const ipc = fakeIpcRenderer((_channel, operation) => ({ ok: true, value: { echoed: operation } }));
    const api = buildWindowApi(ipc);
    for (const name of OPERATION_NAMES) {
      const fn = (api as unknown as Record<string, (input: unknown) => Promise<unknown>>)[name]!;
      await expect(fn({})).resolves.toEqual({ ok: true, value: { echoed: name } });
      expect(ipc.invoke).toHaveBeenLastCalledWith(CONTRACT_CALL, name, {});
    }
  });

  it('passes error envelopes through and turns IPC failures or junk into INTERNAL envelopes', async () => {
    const error = { ok: false, error: { code: 'LOCKED', message: 'The vault is locked.' } };
    const replies: unknown[] = [error, 'junk'];
    const ipc = fakeIpcRenderer(() => {
      if (replies.length === 0) throw new Error('An object could not be cloned.');
      return replies.shift();
    });
    const api = buildWindowApi(ipc);
    await expect(api['vault.overview']({})).resolves.toEqual(error);
    await expect(api['vault.overview']({})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await expect(api['vault.overview']({})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('onEvent hands listeners the payload only and unsubscribes', () => {
    const ipc = fakeIpcRenderer();
    const api = buildWindowApi(ipc);
    const received: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => received.push(args));
    const event: CoreEvent = { type: 'locked', reason: 'inactivity' };
    ipc.emit(CONTRACT_EVENT, event);
    expect(received).toEqual([[event]]);
    expect(ipc.count(CONTRACT_EVENT)).toBe(1);
    off();
    off();
    expect(ipc.count(CONTRACT_EVENT)).toBe(0);
    ipc.emit(CONTRACT_EVENT, event);
    expect(received).toHaveLength(1);
  });

  it('onEvent refuses a non-function listener', () => {
    const api = buildWindowApi(fakeIpcRenderer());
    expect(() => api.onEvent('x' as unknown as () => void)).toThrow(TypeError);
  });

  it('accepts the shape of a real ipcRenderer (type-level)', () => {
    const ipc: IpcRendererLike = fakeIpcRenderer();
    expect(typeof buildWindowApi(ipc).onEvent).toBe('function');
  });
});

describe('forwardActivity (auto-lock pings from the preload)', () => {
  it('pings at most once per interval for keyboard/pointer/wheel/touch input and detaches', () => {
    const target = new EventTarget();
    let now = 0;
    const ping = vi.fn();
    const stop = forwardActivity(target, ping, { now: () => now, intervalMs: 10_000 });
    target.dispatchEvent(new Event('keydown'));
    target.dispatchEvent(new Event('pointermove'));
    expect(ping).toHaveBeenCalledTimes(1);
    now = 9_999;
    target.dispatchEvent(new Event('wheel'));
    expect(ping).toHaveBeenCalledTimes(1);
    now = 10_000;
    target.dispatchEvent(new Event('touchstart'));
    expect(ping).toHaveBeenCalledTimes(2);
    now = 30_000;
    target.dispatchEvent(new Event('click'));
    expect(ping).toHaveBeenCalledTimes(2);
    stop();
    for (const type of ACTIVITY_EVENTS) target.dispatchEvent(new Event(type));
    expect(ping).toHaveBeenCalledTimes(2);
  });
});
