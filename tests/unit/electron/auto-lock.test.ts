import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AutoLock, DEFAULT_AUTO_LOCK_MINUTES, syncAutoLockMinutes, type AutoLockTimers } from '../../../electron/main/auto-lock';

// Security checklist item 17 (U): fake clock, fake timers, fake powerMonitor, fake activity pings.
const MINUTE = 60_000;

function setup(options: { minutes?: number; systemIdleSeconds?: () => number } = {}) {
  let now = 1_000_000;
  const intervals = new Map<number, { callback: () => void; ms: number; next: number }>();
  let nextHandle = 1;
  const timers: AutoLockTimers = {
    setInterval: (callback, ms) => {
      const handle = nextHandle++;
      intervals.set(handle, { callback, ms, next: now + ms });
      return handle;
    },
    clearInterval: (handle) => {
      intervals.delete(handle as number);
    },
  };
  const powerMonitor = Object.assign(new EventEmitter(), {
    getSystemIdleTime: vi.fn(() => (options.systemIdleSeconds ? options.systemIdleSeconds() : 0)),
  });
  const lock = vi.fn(async () => {});
  const autoLock = new AutoLock({ powerMonitor, lock, minutes: options.minutes, now: () => now, timers, checkEveryMs: 15_000 });
  /** Moves the fake clock, firing interval callbacks on the way. */
  const advance = (ms: number) => {
    const target = now + ms;
    for (;;) {
      const due = [...intervals.values()].filter((timer) => timer.next <= target).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.ms;
      due.callback();
    }
    now = target;
  };
  return { autoLock, powerMonitor, lock, advance, intervals, getNow: () => now };
}

describe('AutoLock', () => {
  it('defaults to 10 minutes and locks once at the threshold', () => {
    const { autoLock, lock, advance } = setup();
    expect(autoLock.minutes).toBe(DEFAULT_AUTO_LOCK_MINUTES);
    expect(DEFAULT_AUTO_LOCK_MINUTES).toBe(10);
    autoLock.start();
    advance(10 * MINUTE - 15_001);
    expect(lock).not.toHaveBeenCalled();
    advance(15_001);
    expect(lock).toHaveBeenCalledTimes(1);
    expect(lock).toHaveBeenCalledWith('inactivity');
    advance(30 * MINUTE);
    expect(lock).toHaveBeenCalledTimes(1); // one idle stretch locks once
  });

  it('activity pings reset the countdown', () => {
    const { autoLock, lock, advance } = setup({ minutes: 5 });
    autoLock.start();
    for (let i = 0; i < 6; i += 1) {
      advance(4 * MINUTE);
      autoLock.activity();
    }
    expect(lock).not.toHaveBeenCalled();
    advance(5 * MINUTE);
    expect(lock).toHaveBeenCalledTimes(1);
    autoLock.activity();
    advance(5 * MINUTE);
    expect(lock).toHaveBeenCalledTimes(2); // re-armed by activity
  });

  it('suspend and lock-screen lock at once', () => {
    const { autoLock, powerMonitor, lock } = setup();
    autoLock.start();
    powerMonitor.emit('suspend');
    expect(lock).toHaveBeenLastCalledWith('system');
    powerMonitor.emit('lock-screen');
    expect(lock).toHaveBeenCalledTimes(2);
    expect(lock).toHaveBeenLastCalledWith('system');
  });

  it('uses the configured minutes (settings) and clamps nonsense', () => {
    const { autoLock, lock, advance } = setup();
    autoLock.setMinutes(2);
    autoLock.start();
    advance(2 * MINUTE);
    expect(lock).toHaveBeenCalledTimes(1);
    autoLock.setMinutes(0);
    expect(autoLock.minutes).toBe(1);
    autoLock.setMinutes(100_000);
    expect(autoLock.minutes).toBe(240);
    autoLock.setMinutes(Number.NaN);
    expect(autoLock.minutes).toBe(240);
  });

  it('once the OS idle time has proven itself, input elsewhere on the computer keeps the vault open', () => {
    let systemIdle = 0;
    const { autoLock, lock, advance } = setup({ minutes: 5, systemIdleSeconds: () => systemIdle });
    autoLock.start();
    systemIdle = 90; // the counter works: it has gone above 60 s
    advance(15_000);
    systemIdle = 3; // then the person uses another app, not ours
    advance(20 * MINUTE);
    expect(lock).not.toHaveBeenCalled();
    systemIdle = 5 * 60; // and walks away
    advance(15_000);
    expect(lock).toHaveBeenCalledWith('inactivity');
  });

  it('ignores an OS idle time stuck at 0 (broken platforms) and still locks', () => {
    const { autoLock, lock, advance, powerMonitor } = setup({ minutes: 3, systemIdleSeconds: () => 0 });
    autoLock.start();
    advance(3 * MINUTE);
    expect(powerMonitor.getSystemIdleTime).toHaveBeenCalled();
    expect(lock).toHaveBeenCalledWith('inactivity');
  });

  it('a large OS idle time never locks someone typing in the app', () => {
    const { autoLock, lock, advance } = setup({ minutes: 3, systemIdleSeconds: () => 3600 });
    autoLock.start();
    for (let i = 0; i < 10; i += 1) {
      advance(MINUTE);
      autoLock.activity();
    }
    expect(lock).not.toHaveBeenCalled();
  });

  it('survives a throwing idle-time probe and a failing lock', () => {
    const { autoLock, lock, advance, powerMonitor } = setup({ minutes: 1 });
    powerMonitor.getSystemIdleTime.mockImplementation(() => {
      throw new Error('unsupported');
    });
    lock.mockRejectedValueOnce(new Error('core gone'));
    autoLock.start();
    expect(() => advance(MINUTE)).not.toThrow();
    expect(lock).toHaveBeenCalledTimes(1);
  });

  it('stop() removes its timer and powerMonitor listeners', () => {
    const { autoLock, powerMonitor, lock, intervals } = setup();
    autoLock.start();
    autoLock.start();
    expect(intervals.size).toBe(1);
    expect(powerMonitor.listenerCount('suspend')).toBe(1);
    autoLock.stop();
    expect(intervals.size).toBe(0);
    expect(powerMonitor.listenerCount('suspend')).toBe(0);
    expect(powerMonitor.listenerCount('lock-screen')).toBe(0);
    powerMonitor.emit('suspend');
    expect(lock).not.toHaveBeenCalled();
  });

  it('reads the minutes from vault.status', async () => {
    const { autoLock } = setup();
    const call = vi.fn(async () => ({ ok: true, value: { state: 'unlocked', location: '/v', unlockedWith: null, autoLockMinutes: 25 } }));
    await syncAutoLockMinutes(call, autoLock);
    expect(call).toHaveBeenCalledWith('vault.status', {});
    expect(autoLock.minutes).toBe(25);
    await syncAutoLockMinutes(async () => ({ ok: false }), autoLock);
    expect(autoLock.minutes).toBe(25);
  });
});
