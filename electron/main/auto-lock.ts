/**
 * Locks the vault when nobody has used the computer for a while, and at once when it sleeps or its screen
 * is locked (security checklist item 17). Electron is injected (powerMonitor, timers, clock), so the policy
 * is unit-tested with fakes.
 *
 * "Inactivity" means: for N minutes our window saw no input (renderer `activity` pings) and, where the OS
 * reports it reliably, the computer saw no input either (`powerMonitor.getSystemIdleTime()`), as password
 * managers do. The OS idle time is only trusted once it has shown it works (reported ≥ 60 s at least once):
 * on some Linux and Windows setups it is stuck at 0 (electron/electron#34826, #30126), which would otherwise
 * keep the vault open forever. Our own pings always count, so a wrongly large OS idle time (reported for
 * keyboard-only use on Wayland, electron/electron#27912) never locks someone who is typing in the app.
 */
export type AutoLockReason = 'inactivity' | 'system';

/** What AutoLock needs of Electron's powerMonitor: its events and the OS idle time in seconds. */
export interface PowerMonitorLike {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
  off(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
  getSystemIdleTime(): number;
}

export interface AutoLockTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface AutoLockOptions {
  powerMonitor: PowerMonitorLike;
  /** Asks the core to lock. Errors are swallowed: a failed lock must not crash main. */
  lock: (reason: AutoLockReason) => unknown;
  /** Minutes of inactivity before locking (default 10). */
  minutes?: number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  timers?: AutoLockTimers;
  /** How often idleness is checked (default 15 s). */
  checkEveryMs?: number;
}

export const DEFAULT_AUTO_LOCK_MINUTES = 10;
const MIN_MINUTES = 1;
const MAX_MINUTES = 240;
const SYSTEM_LOCK_EVENTS = ['suspend', 'lock-screen'] as const;
const TRUST_SYSTEM_IDLE_AFTER_SECONDS = 60;

const defaultTimers: AutoLockTimers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export class AutoLock {
  private minutesValue: number;
  private lastActivity: number;
  /** Set once an idle lock fired, so one idle stretch locks once; activity clears it. */
  private firedForIdle = false;
  private systemIdleTrusted = false;
  private interval: unknown = null;
  private readonly now: () => number;
  private readonly timers: AutoLockTimers;
  private readonly checkEveryMs: number;
  private readonly onSystemLock = () => this.fire('system');

  constructor(private readonly options: AutoLockOptions) {
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? defaultTimers;
    this.checkEveryMs = options.checkEveryMs ?? 15_000;
    this.minutesValue = clampMinutes(options.minutes ?? DEFAULT_AUTO_LOCK_MINUTES);
    this.lastActivity = this.now();
  }

  get minutes(): number {
    return this.minutesValue;
  }

  /** Begins watching: idle checks and the powerMonitor's suspend / lock-screen events. */
  start(): void {
    if (this.interval !== null) return;
    this.lastActivity = this.now();
    this.firedForIdle = false;
    for (const name of SYSTEM_LOCK_EVENTS) this.options.powerMonitor.on(name, this.onSystemLock);
    this.interval = this.timers.setInterval(() => this.check(), this.checkEveryMs);
  }

  stop(): void {
    if (this.interval === null) return;
    this.timers.clearInterval(this.interval);
    this.interval = null;
    for (const name of SYSTEM_LOCK_EVENTS) this.options.powerMonitor.off(name, this.onSystemLock);
  }

  /** A renderer activity ping (keyboard, pointer, wheel in our window). */
  activity(): void {
    this.lastActivity = this.now();
    this.firedForIdle = false;
  }

  /** From settings (vault.status / settings.get → autoLockMinutes). Out-of-range values are clamped. */
  setMinutes(minutes: number): void {
    if (!Number.isFinite(minutes)) return;
    this.minutesValue = clampMinutes(minutes);
  }

  /** Milliseconds without activity: since our last ping, shortened by the OS idle time once it is trusted. */
  idleMs(): number {
    const sinceActivity = Math.max(0, this.now() - this.lastActivity);
    let seconds: number;
    try {
      seconds = this.options.powerMonitor.getSystemIdleTime();
    } catch {
      return sinceActivity;
    }
    if (!Number.isFinite(seconds) || seconds < 0) return sinceActivity;
    if (seconds >= TRUST_SYSTEM_IDLE_AFTER_SECONDS) this.systemIdleTrusted = true;
    return this.systemIdleTrusted ? Math.min(sinceActivity, seconds * 1000) : sinceActivity;
  }

  /** Runs one idle check (the interval calls this; tests may too). */
  check(): void {
    if (this.firedForIdle) {
      // One idle stretch locks once; input seen by the OS (someone came back) re-arms it like a ping.
      if (this.idleMs() < this.thresholdMs()) this.firedForIdle = false;
      return;
    }
    if (this.idleMs() >= this.thresholdMs()) {
      this.firedForIdle = true;
      this.fire('inactivity');
    }
  }

  private thresholdMs(): number {
    return this.minutesValue * 60_000;
  }

  private fire(reason: AutoLockReason) {
    try {
      const pending = this.options.lock(reason);
      if (pending && typeof (pending as Promise<unknown>).catch === 'function') (pending as Promise<unknown>).catch(() => {});
    } catch {
      // Locking failed; the next check or event tries again.
    }
  }
}

function clampMinutes(minutes: number): number {
  return Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, Math.round(minutes)));
}

/**
 * Reads the auto-lock setting through the contract (vault.status needs no unlock and reports autoLockMinutes)
 * and applies it. Called at start and whenever the core reports changed settings.
 */
export async function syncAutoLockMinutes(
  call: (operation: string, input: unknown) => Promise<{ ok: boolean; value?: unknown }>,
  autoLock: Pick<AutoLock, 'setMinutes'>,
): Promise<void> {
  const result = await call('vault.status', {});
  if (!result.ok) return;
  const minutes = (result.value as { autoLockMinutes?: unknown } | undefined)?.autoLockMinutes;
  if (typeof minutes === 'number') autoLock.setMinutes(minutes);
}
