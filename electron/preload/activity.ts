/**
 * Forwards "someone is using this window" to main for auto-lock: keyboard, pointer, wheel and touch input,
 * at most one ping per interval. Lives in the preload only; nothing about it is exposed on window.vault.
 */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
export const ACTIVITY_PING_INTERVAL_MS = 10_000;

export interface ActivityTarget {
  addEventListener(type: string, listener: () => void, options: { capture: boolean; passive: boolean }): void;
  removeEventListener(type: string, listener: () => void, options: { capture: boolean }): void;
}

export function forwardActivity(
  target: ActivityTarget,
  ping: () => void,
  options: { now?: () => number; intervalMs?: number } = {},
): () => void {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? ACTIVITY_PING_INTERVAL_MS;
  let last = Number.NEGATIVE_INFINITY;
  const listener = () => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    try {
      ping();
    } catch {
      // Main is gone; nothing to tell.
    }
  };
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, listener, { capture: true, passive: true });
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, listener, { capture: true });
  };
}
