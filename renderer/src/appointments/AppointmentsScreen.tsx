import '../styles/appointments.css';
import { AppointmentDetailScreen } from './AppointmentDetail';
import { AppointmentForm } from './AppointmentForm';
import { AppointmentList } from './AppointmentList';
import { useAppointmentRoute } from './route';
import { VisitMode } from './VisitMode';

/** The Appointments section: the list, the planning form, one appointment, and visit mode. */
export function AppointmentsScreen() {
  const route = useAppointmentRoute();
  switch (route.view) {
    case 'list':
      return <AppointmentList />;
    case 'new':
      return <AppointmentForm key="new" id={null} />;
    case 'edit':
      return <AppointmentForm key={`edit-${route.id}`} id={route.id} />;
    case 'detail':
      return <AppointmentDetailScreen key={route.id} id={route.id} />;
    case 'visit':
      return <VisitMode key={route.id} id={route.id} />;
  }
}
