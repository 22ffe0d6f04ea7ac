import { useEffect, useRef } from 'react';

/** One short message carried from one screen to the next (e.g. "Opinion saved." after the editor closes). */
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}

/** Moves focus to the screen's heading when it opens, so keyboard and screen-reader users start at the top. */
export function useFocusHeading<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
