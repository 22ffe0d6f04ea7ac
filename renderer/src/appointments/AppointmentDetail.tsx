import { useState, type RefObject } from 'react';
import { APPOINTMENT_STATUS_LABELS, VISIT_MODE_LABELS, type AppointmentDetail } from '../../../shared/contract';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { useVaultQuery } from '../api/useVaultQuery';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { refreshAppointments } from './api';
import { Checklist } from './Checklist';
import { relativeDays, whenText } from './format';
import { NotesPad } from './NotesPad';
import { Questions } from './Questions';
import { Requests } from './Requests';
import { go } from './route';
import { useFocusHeading } from './useFocusHeading';

/** One appointment: its details, checklist, records requests, questions and notes; visit mode and the prep sheet. */
export function AppointmentDetailScreen({ id }: { id: string }) {
  const query = useVaultQuery('appointments.get', { id });
  const heading = useFocusHeading<HTMLHeadingElement>(Boolean(query.data));
  if (!query.data) {
    return (
      <div className="screen appt-screen">
        <p className="appt-back">
          <a href="#/appointments">← All appointments</a>
        </p>
        <h1>Appointment</h1>
        <ErrorText error={query.error} />
        {query.loading ? <p className="hint">Loading…</p> : null}
      </div>
    );
  }
  return <DetailBody appointment={query.data} heading={heading} />;
}

function DetailBody({ appointment, heading }: { appointment: AppointmentDetail; heading: RefObject<HTMLHeadingElement | null> }) {
  const [trashed, setTrashed] = useState(false);
  const sheet = useAction(async () => call('appointments.prepSheet', { id: appointment.id }));
  const trash = useAction(async () => {
    await call('appointments.trash', { id: appointment.id });
    refreshAppointments();
    setTrashed(true);
    go({ view: 'list' });
  });
  const relative = relativeDays(appointment.daysUntil);
  const finished = appointment.status === 'done' || appointment.status === 'cancelled';
  return (
    <div className="screen appt-screen">
      <p className="appt-back">
        <a href="#/appointments">← All appointments</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {appointment.label}
      </h1>
      <dl className="facts appt-facts">
        <div>
          <dt>When</dt>
          <dd>
            {whenText(appointment)}
            {relative && !finished ? <span className="hint"> ({relative})</span> : null}
          </dd>
        </div>
        <div>
          <dt>How</dt>
          <dd>{VISIT_MODE_LABELS[appointment.mode]}</dd>
        </div>
        {appointment.place ? (
          <div>
            <dt>{appointment.mode === 'remote' ? 'How to join' : 'Where'}</dt>
            <dd className="appt-preline">{appointment.place}</dd>
          </div>
        ) : null}
        <div>
          <dt>Status</dt>
          <dd>{APPOINTMENT_STATUS_LABELS[appointment.status]}</dd>
        </div>
        {appointment.opinions.length > 0 ? (
          <div>
            <dt>About</dt>
            <dd>{appointment.opinions.map((opinion) => opinion.label).join('; ')}</dd>
          </div>
        ) : null}
        {appointment.contacts.map((contact, index) => (
          <div key={`${contact.name}-${index}`}>
            <dt>{contact.role ?? 'Contact'}</dt>
            <dd>{[contact.name, contact.phone, contact.email].filter(Boolean).join(' · ')}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <ActionButton onPress={() => go({ view: 'visit', id: appointment.id })}>Start visit mode</ActionButton>
        <ActionButton variant="secondary" onPress={() => void sheet.run()} busy={sheet.busy} busyLabel="Writing the prep sheet…">
          Print the prep sheet (PDF)
        </ActionButton>
        <ActionButton variant="secondary" onPress={() => go({ view: 'edit', id: appointment.id })}>
          Change details
        </ActionButton>
        {/* The packet wizard takes the office, doctor, date and open questions from here, and links the packet back. */}
        <ActionButton
          variant="secondary"
          onPress={() => {
            window.location.hash = `#/packets/new/${appointment.id}`;
          }}
        >
          Make a packet of records
        </ActionButton>
        <ActionButton variant="quiet" onPress={() => void trash.run()} isDisabled={trashed}>
          Move to trash
        </ActionButton>
      </div>
      {sheet.result ? (
        <StatusText tone="good">
          Prep sheet saved as <span className="path">{sheet.result.path}</span> ({sheet.result.pages} {sheet.result.pages === 1 ? 'page' : 'pages'}). Open
          it to print, and bring it along.
        </StatusText>
      ) : null}
      <ErrorText error={sheet.error ?? trash.error} />
      <Checklist appointment={appointment} />
      <Requests appointment={appointment} />
      <Questions appointment={appointment} />
      <section className="appt-block" aria-labelledby="appt-notes">
        <h2 id="appt-notes">Notes</h2>
        <NotesPad appointment={appointment} rows={6} />
      </section>
    </div>
  );
}
