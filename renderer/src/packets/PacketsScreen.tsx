import '../styles/packets.css';
import { useVaultQuery } from '../api/useVaultQuery';
import { ErrorText } from '../ui/ErrorText';
import { draftFromAppointment, emptyDraft } from './draft';
import { PacketLog } from './PacketLog';
import { PacketWizard } from './PacketWizard';
import { usePacketRoute } from './route';

/** "Send records": the log of packets made so far, and the wizard that makes a new one. */
export function PacketsScreen() {
  const route = usePacketRoute();
  if (route.view === 'log') return <PacketLog />;
  if (route.appointmentId) return <ForAppointment key={route.appointmentId} id={route.appointmentId} />;
  return <PacketWizard key="new" initial={emptyDraft()} appointmentLabel={null} />;
}

/** The wizard filled in from an appointment: the office, doctor, date and the questions not asked yet. */
function ForAppointment({ id }: { id: string }) {
  const appointment = useVaultQuery('appointments.get', { id });
  if (!appointment.data) {
    return (
      <div className="screen packets-screen">
        <p className="packets-back">
          <a href="#/packets">← Packets you sent</a>
        </p>
        <h1>Make a packet of your records</h1>
        <ErrorText error={appointment.error} />
        {appointment.loading ? <p className="hint">Loading the appointment…</p> : null}
      </div>
    );
  }
  return <PacketWizard initial={draftFromAppointment(appointment.data)} appointmentLabel={appointment.data.label} />;
}
