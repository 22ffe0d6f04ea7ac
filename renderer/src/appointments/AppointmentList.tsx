import { APPOINTMENT_STATUS_LABELS, VISIT_MODE_LABELS, type AppointmentSummary } from '../../../shared/contract';
import { useAction } from '../api/useAction';
import { call } from '../api/client';
import { useVaultQuery } from '../api/useVaultQuery';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { plural } from '../ui/format';
import { refreshAppointments } from './api';
import { relativeDays, whenText } from './format';
import { go } from './route';
import { useFocusHeading } from './useFocusHeading';

/** Every appointment, soonest first, each with what is still to do; plus the trash. */
export function AppointmentList() {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const list = useVaultQuery('appointments.list', {});
  const trash = useVaultQuery('appointments.list', { trash: 'only' });
  const restore = useAction(async (id: string) => {
    await call('appointments.restore', { id });
    refreshAppointments(id);
  });
  const items = list.data?.items ?? [];
  const trashed = trash.data?.items ?? [];

  return (
    <div className="screen appt-screen">
      <h1 ref={heading} tabIndex={-1}>
        Appointments
      </h1>
      <p className="lead">
        Plan each visit: what to prepare, which records to gather, the questions to ask — and take notes during the
        visit.
      </p>
      <div className="actions">
        <ActionButton onPress={() => go({ view: 'new' })}>Plan an appointment</ActionButton>
      </div>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <p className="hint">Loading…</p> : null}
      {list.data && items.length === 0 ? (
        <div className="appt-empty">
          <p>No appointments planned yet.</p>
          <p className="hint">
            Add the second-opinion visit as soon as you think about one, even before it is booked: the checklist helps
            you get your records there in time.
          </p>
        </div>
      ) : null}
      {items.length > 0 ? (
        <ul className="appt-cards" aria-label="Your appointments">
          {items.map((item) => (
            <AppointmentCard key={item.id} item={item} />
          ))}
        </ul>
      ) : null}
      {trashed.length > 0 ? (
        <section aria-labelledby="appt-trash" className="appt-block">
          <h2 id="appt-trash">Trash</h2>
          <p className="hint">Appointments here are not deleted. Bring one back to use it again.</p>
          <ErrorText error={restore.error} />
          <ul className="appt-trash">
            {trashed.map((item) => (
              <li key={item.id}>
                <span>{item.label}</span>
                <ActionButton variant="secondary" onPress={() => void restore.run(item.id)}>
                  <span>
                    Restore<span className="visually-hidden"> {item.label}</span>
                  </span>
                </ActionButton>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function AppointmentCard({ item }: { item: AppointmentSummary }) {
  const relative = relativeDays(item.daysUntil);
  const finished = item.status === 'done' || item.status === 'cancelled';
  return (
    <li className="appt-card" data-testid="appointment-card" data-status={item.status}>
      <div className="appt-card-main">
        <h2 className="appt-card-title">
          <a href={`#/appointments/${item.id}`}>{item.label}</a>
        </h2>
        <p className="appt-card-when">
          {whenText(item)}
          {relative && !finished ? <span className="hint"> ({relative})</span> : null}
        </p>
        <p className="hint">
          {APPOINTMENT_STATUS_LABELS[item.status]} · {VISIT_MODE_LABELS[item.mode]}
        </p>
      </div>
      {!finished ? (
        <ul className="appt-badges" aria-label="Still to do">
          <li className={item.counts.openItems ? 'appt-badge' : 'appt-badge appt-badge-good'}>
            {item.counts.openItems ? plural(item.counts.openItems, 'item to do', 'items to do') : 'Checklist done'}
          </li>
          {item.counts.missingRecords ? (
            <li className="appt-badge appt-badge-warning">{plural(item.counts.missingRecords, 'record missing', 'records missing')}</li>
          ) : null}
          {item.counts.overdueRequests ? (
            <li className="appt-badge appt-badge-warning">{plural(item.counts.overdueRequests, 'request unanswered', 'requests unanswered')}</li>
          ) : null}
          <li className="appt-badge">{plural(item.counts.questions, 'question', 'questions')}</li>
        </ul>
      ) : null}
    </li>
  );
}
