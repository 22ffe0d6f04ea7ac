import { useParsedHash } from '../frame/useHashRoute';

/** Where the person is inside the Opinions section, read from the address (#/opinions/…), so Back works. */
export type OpinionRoute =
  | { view: 'list' }
  | { view: 'new' }
  | { view: 'edit'; id: string }
  | { view: 'compare'; ids: string[] };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

export function parseRoute(hash: string): OpinionRoute {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== 'opinions') return { view: 'list' };
  if (parts[1] === 'new') return { view: 'new' };
  if (parts[1] === 'edit' && parts[2] && ID.test(parts[2])) return { view: 'edit', id: parts[2] };
  if (parts[1] === 'compare' && parts[2]) {
    const ids = parts[2].split('+').filter((id) => ID.test(id));
    if (ids.length >= 2 && ids.length <= 4) return { view: 'compare', ids };
  }
  return { view: 'list' };
}

export function routeHash(route: OpinionRoute): string {
  switch (route.view) {
    case 'list':
      return '#/opinions';
    case 'new':
      return '#/opinions/new';
    case 'edit':
      return `#/opinions/edit/${route.id}`;
    case 'compare':
      return `#/opinions/compare/${route.ids.join('+')}`;
  }
}

export function go(route: OpinionRoute): void {
  window.location.hash = routeHash(route);
}

export function useOpinionRoute(): OpinionRoute {
  return useParsedHash(parseRoute);
}
