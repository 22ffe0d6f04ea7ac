import { useEffect, useState } from 'react';

function readHash(): string {
  return window.location.hash.replace(/^#\/?/, '').split('/')[0] ?? '';
}

/** The current section id from the address (#/overview), so Back and Forward work as expected. */
export function useHashRoute(validIds: readonly string[], fallback: string): string {
  const [id, setId] = useState(readHash);
  useEffect(() => {
    const onChange = () => setId(readHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return validIds.includes(id) ? id : fallback;
}

/**
 * A section's own route, parsed from the address by `parse` and read again whenever the address changes. Each
 * section keeps its route shape and parser in its route.ts; this is the one listener they share.
 */
export function useParsedHash<T>(parse: (hash: string) => T): T {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [parse]);
  return route;
}
