import { useParsedHash } from '../frame/useHashRoute';

/** Where the person is inside the Appointments section, read from the address (#/appointments/…), so Back works. */
export type AppointmentRoute =
  | { view: 'list' }
  | { view: 'new' }
  | { view: 'detail'; id: string }
  | { view: 'edit'; id: string }
  | { view: 'visit'; id: string };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

export function parseRoute(hash: string): AppointmentRoute {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== 'appointments') return { view: 'list' };
  if (parts[1] === 'new') return { view: 'new' };
  const id = parts[1];
  if (!id || !ID.test(id)) return { view: 'list' };
  if (parts[2] === 'edit') return { view: 'edit', id };
  if (parts[2] === 'visit') return { view: 'visit', id };
  return { view: 'detail', id };
}

export function routeHash(route: AppointmentRoute): string {
  switch (route.view) {
    case 'list':
      return '#/appointments';
    case 'new':
      return '#/appointments/new';
    case 'detail':
      return `#/appointments/${route.id}`;
    case 'edit':
      return `#/appointments/${route.id}/edit`;
    case 'visit':
      return `#/appointments/${route.id}/visit`;
  }
}

export function go(route: AppointmentRoute): void {
  window.location.hash = routeHash(route);
}

export function useAppointmentRoute(): AppointmentRoute {
  return useParsedHash(parseRoute);
}
