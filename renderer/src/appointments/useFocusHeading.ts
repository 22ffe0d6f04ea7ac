import { useEffect, useRef } from 'react';

/** Moves focus to a screen's heading when it opens, so keyboard and screen-reader users start at the top. */
export function useFocusHeading<T extends HTMLElement>(ready = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (ready) ref.current?.focus();
  }, [ready]);
  return ref;
}
