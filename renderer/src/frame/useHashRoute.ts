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
