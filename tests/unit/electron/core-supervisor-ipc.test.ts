import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { runHost } from '../../../electron/core/host/host';
import { createMemoryPortPair } from '../../../electron/core/host/port';
import type { ClientMessage, HostMessage } from '../../../electron/core/host/protocol';
import { silentLogger } from '../../../electron/core/log';
import { CoreSupervisor, type CoreProcess } from '../../../electron/main/core-supervisor';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc';
import type { SenderInfo } from '../../../electron/main/security';
import { ACTIVITY, CHOOSE_SAVE_LOCATION, CONTRACT_CALL, CONTRACT_EVENT } from '../../../electron/preload/channels';
import type { CoreEvent } from '../../../shared/contract';
import type { SaveLocationRequest } from '../../../shared/files';
import type { Result } from '../../../shared/result';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake core process: the real host loop over an in-memory port, with a switch to "crash" it. */
function fakeProcessFactory() {
  const processes: Array<{ exit: (code: number | null) => void; killed: boolean; core: ReturnType<typeof fakeCore> }> = [];
  const spawn = (): CoreProcess => {
    const [clientPort, hostPort] = createMemoryPortPair<ClientMessage, HostMessage>();
    const exits = new EventEmitter();
    const core = fakeCore();
    const entry = { exit: (code: number | null) => exits.emit('exit', code), killed: false, core };
    runHost(core, hostPort, { log: silentLogger, onClosed: () => setImmediate(() => entry.exit(0)) });
    processes.push(entry);
    return {
      port: clientPort,
      onExit: (listener) => exits.on('exit', listener),
      kill: () => {
        entry.killed = true;
        entry.exit(null);
      },
    };
  };
  return { spawn, processes };
}

function fakeCore() {
  const events = new EventEmitter();
  return {
    call: vi.fn(async (operation: unknown): Promise<Result<unknown>> => ({ ok: true, value: operation })),
    onEvent: (listener: (event: CoreEvent) => void) => {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    openBlob: vi.fn(async () => null),
    lock: vi.fn(async () => {}),
    close: vi.fn(async () => {}),
    events,
  };
}

describe('CoreSupervisor', () => {
  it('restarts a crashed core, tells the UI the vault is locked, and keeps working', async () => {
    const { spawn, processes } = fakeProcessFactory();
    const supervisor = new CoreSupervisor({ spawn });
    const events: CoreEvent[] = [];
    supervisor.onEvent((event) => events.push(event));
    await supervisor.ready;
    await expect(supervisor.call('vault.status', {})).resolves.toEqual({ ok: true, value: 'vault.status' });

    processes[0]!.core.call.mockImplementation(() => new Promise(() => {}));
    const pending = supervisor.call('vault.backup', {});
    await tick();
    processes[0]!.exit(1);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(events).toContainEqual({ type: 'locked', reason: 'system' });
    expect(processes).toHaveLength(2);
    await supervisor.ready;
    await expect(supervisor.call('vault.status', {})).resolves.toEqual({ ok: true, value: 'vault.status' });

    // Events of the new process reach the same listeners.
    processes[1]!.core.events.emit('event', { type: 'changed', what: 'vault' });
    await tick();
    expect(events).toContainEqual({ type: 'changed', what: 'vault' });
  });

  it('gives up after too many crashes in a short time', async () => {
    const { spawn, processes } = fakeProcessFactory();
    let now = 0;
    const onGiveUp = vi.fn();
    new CoreSupervisor({ spawn, onGiveUp, maxRestarts: 3, restartWindowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i += 1) {
      now += 1_000;
      processes.at(-1)!.exit(1);
    }
    expect(onGiveUp).not.toHaveBeenCalled();
    now += 1_000;
    processes.at(-1)!.exit(1);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(processes).toHaveLength(4);
  });

  it('close() locks via the core and does not restart it', async () => {
    const { spawn, processes } = fakeProcessFactory();
    const supervisor = new CoreSupervisor({ spawn });
    await supervisor.ready;
    await supervisor.close();
    await tick();
    expect(processes[0]!.core.close).toHaveBeenCalledTimes(1);
    expect(processes).toHaveLength(1);
  });

  it('close() kills a core that does not answer in time', async () => {
    const { spawn, processes } = fakeProcessFactory();
    const supervisor = new CoreSupervisor({ spawn, closeTimeoutMs: 20 });
    await supervisor.ready;
    processes[0]!.core.close.mockImplementation(() => new Promise(() => {}));
    await supervisor.close();
    expect(processes[0]!.killed).toBe(true);
    expect(processes).toHaveLength(1);
  });
});

/** ipcMain stand-in: records handlers and lets the test invoke them as a given sender. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: SenderInfo, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, Set<(event: SenderInfo, ...args: unknown[]) => void>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  return {
    ipcMain,
    invoke: (channel: string, event: SenderInfo, ...args: unknown[]) => Promise.resolve(handlers.get(channel)!(event, ...args)),
    send: (channel: string, event: SenderInfo, ...args: unknown[]) => {
      for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
    },
    handlers,
    listeners,
  };
}

describe('registerIpc (checklist item 4, wiring)', () => {
  const WINDOW = 3;
  const trusted: SenderInfo = { sender: { id: WINDOW }, senderFrame: { url: 'app://bundle/index.html', parent: null } };
  const iframe: SenderInfo = { sender: { id: WINDOW }, senderFrame: { url: 'app://bundle/index.html', parent: {} } };
  const otherWindow: SenderInfo = { sender: { id: 99 }, senderFrame: { url: 'app://bundle/index.html', parent: null } };

  function setup() {
    const fake = fakeIpcMain();
    const core = fakeCore();
    const sent: Array<[string, CoreEvent]> = [];
    const onActivity = vi.fn();
    const onRefused = vi.fn();
    const unregister = registerIpc({
      ipcMain: fake.ipcMain,
      core,
      expectedWebContentsId: () => WINDOW,
      sendToWindow: (channel, event) => sent.push([channel, event]),
      onActivity,
      onRefused,
    });
    return { ...fake, core, sent, onActivity, onRefused, unregister };
  }

  it('forwards trusted calls on contract:call and returns the envelope', async () => {
    const { invoke, core, onActivity } = setup();
    await expect(invoke(CONTRACT_CALL, trusted, 'vault.status', {})).resolves.toEqual({ ok: true, value: 'vault.status' });
    expect(core.call).toHaveBeenCalledWith('vault.status', {});
    expect(onActivity).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a sub-frame', iframe],
    ['another webContents', otherWindow],
    ['a file:// page', { sender: { id: WINDOW }, senderFrame: { url: 'file:///x/index.html', parent: null } }],
    ['a null frame', { sender: { id: WINDOW }, senderFrame: null }],
  ])('refuses %s without reaching the core', async (_name, sender) => {
    const { invoke, core, onRefused, onActivity } = setup();
    await expect(invoke(CONTRACT_CALL, sender as SenderInfo, 'vault.lock', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(core.call).not.toHaveBeenCalled();
    expect(onActivity).not.toHaveBeenCalled();
    expect(onRefused).toHaveBeenCalledWith(CONTRACT_CALL);
  });

  it('rejects a non-string operation name and survives a throwing core', async () => {
    const { invoke, core } = setup();
    await expect(invoke(CONTRACT_CALL, trusted, { toString: 1 }, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    core.call.mockRejectedValueOnce(new Error('x'));
    await expect(invoke(CONTRACT_CALL, trusted, 'vault.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('pushes core events on contract:event', () => {
    const { core, sent } = setup();
    core.events.emit('event', { type: 'locked', reason: 'system' });
    expect(sent).toEqual([[CONTRACT_EVENT, { type: 'locked', reason: 'system' }]]);
  });

  it('counts activity pings only from our window', () => {
    const { send, onActivity } = setup();
    send(ACTIVITY, trusted);
    send(ACTIVITY, iframe);
    send(ACTIVITY, otherWindow);
    expect(onActivity).toHaveBeenCalledTimes(1);
  });

  it('unregisters everything', () => {
    const { unregister, handlers, listeners, core, sent } = setup();
    unregister();
    expect(handlers.size).toBe(0);
    expect(listeners.get(ACTIVITY)?.size ?? 0).toBe(0);
    core.events.emit('event', { type: 'locked', reason: 'system' });
    expect(sent).toEqual([]);
  });

  it('does not handle the Save dialog channel when main gives no chooser', () => {
    const { handlers } = setup();
    expect([...handlers.keys()]).toEqual([CONTRACT_CALL]);
  });
});

describe('registerIpc: the Save dialog channel (window.files.chooseSaveLocation)', () => {
  const WINDOW = 3;
  const trusted: SenderInfo = { sender: { id: WINDOW }, senderFrame: { url: 'app://bundle/index.html', parent: null } };
  const request: SaveLocationRequest = { suggestedName: 'Second opinion packet 2025-04-02', format: 'zip' };
  const CHOSEN = '/media/usb/Second opinion packet 2025-04-02.zip';

  function setup(chooser: (request: SaveLocationRequest) => Promise<string | null> = async () => CHOSEN) {
    const fake = fakeIpcMain();
    const core = fakeCore();
    const onActivity = vi.fn();
    const onRefused = vi.fn();
    const chooseSaveLocation = vi.fn(chooser);
    const unregister = registerIpc({
      ipcMain: fake.ipcMain,
      core,
      expectedWebContentsId: () => WINDOW,
      sendToWindow: () => undefined,
      onActivity,
      onRefused,
      chooseSaveLocation,
    });
    return { ...fake, core, onActivity, onRefused, chooseSaveLocation, unregister };
  }

  it('forwards a trusted, valid request to the dialog and answers with the chosen path', async () => {
    const { invoke, chooseSaveLocation, onActivity, onRefused, core } = setup();
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBe(CHOSEN);
    expect(chooseSaveLocation).toHaveBeenCalledTimes(1);
    expect(chooseSaveLocation).toHaveBeenCalledWith(request);
    expect(onActivity).toHaveBeenCalledTimes(1);
    expect(onRefused).not.toHaveBeenCalled();
    expect(core.call).not.toHaveBeenCalled();
  });

  it('answers null when the person cancelled', async () => {
    const { invoke } = setup(async () => null);
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, { suggestedName: 'Packet', format: 'folder' })).resolves.toBeNull();
  });

  it.each([
    ['a sub-frame', { sender: { id: WINDOW }, senderFrame: { url: 'app://bundle/index.html', parent: {} } }],
    ['another webContents', { sender: { id: 99 }, senderFrame: { url: 'app://bundle/index.html', parent: null } }],
    ['a look-alike origin', { sender: { id: WINDOW }, senderFrame: { url: 'app://bundle.evil/index.html', parent: null } }],
    ['a file:// page', { sender: { id: WINDOW }, senderFrame: { url: 'file:///x/index.html', parent: null } }],
    ['a null frame', { sender: { id: WINDOW }, senderFrame: null }],
    ['no sender', { sender: null, senderFrame: { url: 'app://bundle/index.html', parent: null } }],
  ])('refuses %s: logged, answered null, no dialog', async (_name, sender) => {
    const { invoke, chooseSaveLocation, onRefused, onActivity } = setup();
    await expect(invoke(CHOOSE_SAVE_LOCATION, sender as SenderInfo, request)).resolves.toBeNull();
    expect(onRefused).toHaveBeenCalledWith(CHOOSE_SAVE_LOCATION);
    expect(chooseSaveLocation).not.toHaveBeenCalled();
    expect(onActivity).not.toHaveBeenCalled();
  });

  it('refuses a request while there is no window', async () => {
    const fake = fakeIpcMain();
    const chooseSaveLocation = vi.fn(async () => CHOSEN);
    const onRefused = vi.fn();
    registerIpc({ ipcMain: fake.ipcMain, core: fakeCore(), expectedWebContentsId: () => null, sendToWindow: () => undefined, onActivity: vi.fn(), onRefused, chooseSaveLocation });
    await expect(fake.invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
    expect(onRefused).toHaveBeenCalledWith(CHOOSE_SAVE_LOCATION);
    expect(chooseSaveLocation).not.toHaveBeenCalled();
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'packet.zip'],
    ['a path in the name', { suggestedName: '../../.ssh/authorized_keys', format: 'zip' }],
    ['a backslash', { suggestedName: '..\\Startup\\run', format: 'zip' }],
    ['a control character', { suggestedName: 'a\u0007b', format: 'zip' }],
    ['a leading dot', { suggestedName: '.bashrc', format: 'folder' }],
    ['a long name', { suggestedName: 'x'.repeat(101), format: 'zip' }],
    ['an unknown format', { suggestedName: 'Packet', format: 'exe' }],
    ['an extra field', { suggestedName: 'Packet', format: 'zip', defaultPath: '/etc/passwd' }],
  ])('answers null to an invalid request (%s) without a dialog', async (_name, bad) => {
    const { invoke, chooseSaveLocation } = setup();
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, bad)).resolves.toBeNull();
    expect(chooseSaveLocation).not.toHaveBeenCalled();
  });

  it('swallows a throwing or rejecting dialog (null), and keeps working afterwards', async () => {
    const { invoke, chooseSaveLocation } = setup();
    chooseSaveLocation.mockImplementationOnce(() => {
      throw new Error('no display');
    });
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
    chooseSaveLocation.mockRejectedValueOnce(new Error('dialog failed'));
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBe(CHOSEN);
  });

  it.each([
    ['an empty string', ''],
    ['a number', 7],
    ['an object', { filePath: CHOSEN }],
    ['a path with NUL', '/tmp/a\u0000b'],
    ['a path longer than 4096', `/${'a'.repeat(4100)}`],
  ])('answers null when the dialog gives %s', async (_name, answer) => {
    const { invoke } = setup(async () => answer as unknown as string);
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
  });

  it('shows one dialog at a time: a second request while one is open answers null', async () => {
    let finish: (value: string | null) => void = () => undefined;
    const { invoke, chooseSaveLocation } = setup(() => new Promise((resolve) => (finish = resolve)));
    const first = invoke(CHOOSE_SAVE_LOCATION, trusted, request);
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
    expect(chooseSaveLocation).toHaveBeenCalledTimes(1);
    finish(CHOSEN);
    await expect(first).resolves.toBe(CHOSEN);
    chooseSaveLocation.mockResolvedValueOnce(null);
    await expect(invoke(CHOOSE_SAVE_LOCATION, trusted, request)).resolves.toBeNull();
    expect(chooseSaveLocation).toHaveBeenCalledTimes(2);
  });

  it('removes its handler with everything else', () => {
    const { unregister, handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual([CHOOSE_SAVE_LOCATION, CONTRACT_CALL].sort());
    unregister();
    expect(handlers.size).toBe(0);
  });
});
