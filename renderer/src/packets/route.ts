import { useParsedHash } from '../frame/useHashRoute';

export const SECTION_ID = 'packets';

/**
 * Where the person is inside "Send records", read from the address so Back works: the log of packets sent
 * (#/packets), the wizard (#/packets/new), or the wizard filled in from an appointment (#/packets/new/<id>).
 */
export type PacketRoute = { view: 'log' } | { view: 'new'; appointmentId: string | null };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

export function parseRoute(hash: string): PacketRoute {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== SECTION_ID || parts[1] !== 'new') return { view: 'log' };
  const id = parts[2];
  return { view: 'new', appointmentId: id && ID.test(id) ? id : null };
}

export function routeHash(route: PacketRoute): string {
  if (route.view === 'log') return `#/${SECTION_ID}`;
  return route.appointmentId ? `#/${SECTION_ID}/new/${route.appointmentId}` : `#/${SECTION_ID}/new`;
}

export function go(route: PacketRoute): void {
  window.location.hash = routeHash(route);
}

export function usePacketRoute(): PacketRoute {
  return useParsedHash(parseRoute);
}
