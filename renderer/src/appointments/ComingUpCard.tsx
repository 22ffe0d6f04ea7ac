import '../styles/appointments.css';
import { ITEM_STATUS_LABELS } from '../../../shared/contract';
import { useVaultQuery } from '../api/useVaultQuery';
import { Card } from '../ui/Card';
import { ErrorText } from '../ui/ErrorText';
import { formatCalendarDate, plural } from '../ui/format';
import { relativeDays, whenText } from './format';

/** For the home screen: the next appointments, what is still to do for them, and requests waiting too long. */
export function ComingUpCard() {
  const query = useVaultQuery('appointments.dashboard', {});
  const data = query.data;
  return (
    <Card title="Coming up" className="card-wide appt-coming-up">
      <ErrorText error={query.error} />
      {query.loading && !data ? <p className="hint">Loading…</p> : null}
      {data && data.upcoming.length === 0 ? (
        <p>
          No appointments planned. <a href="#/appointments/new">Plan the second-opinion visit</a> to get a checklist of what to prepare.
        </p>
      ) : null}
      {data && data.upcoming.length > 0 ? (
        <ul className="appt-coming-list" aria-label="Upcoming appointments">
          {data.upcoming.slice(0, 3).map((item) => {
            const relative = relativeDays(item.daysUntil);
            return (
              <li key={item.id} data-testid="coming-up-appointment">
                <a href={`#/appointments/${item.id}`}>{item.label}</a>
                <span className="hint appt-line">
                  {whenText(item)}
                  {relative ? ` (${relative})` : ''} · {plural(item.counts.openItems, 'item', 'items')} to do
                  {item.counts.missingRecords ? ` · ${plural(item.counts.missingRecords, 'record', 'records')} missing` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {data && data.overdueRequests.length > 0 ? (
        <div className="status status-warning" data-testid="overdue-requests">
          <p>
            <strong>Records requests without an answer</strong>
          </p>
          <ul className="appt-plain-list">
            {data.overdueRequests.map((request) => (
              <li key={request.requestId}>
                <a href={`#/appointments/${request.appointmentId}`}>{request.office}</a>: sent {formatCalendarDate(request.sentOn)}, no answer after{' '}
                {plural(request.daysWaiting, 'day', 'days')}.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data && data.openItems.length > 0 ? (
        <div>
          <p className="field-label">Next things to do ({data.openItemCount})</p>
          <ul className="appt-plain-list" data-testid="open-items">
            {data.openItems.map((entry) => (
              <li key={entry.item.id}>
                <a href={`#/appointments/${entry.appointmentId}`}>{entry.item.label}</a>
                <span className="hint">
                  {' '}
                  — {entry.item.type === 'record' ? ITEM_STATUS_LABELS[entry.item.status].toLowerCase() : 'to do'}
                  {entry.item.late && entry.item.dueOn ? `, late (was due ${formatCalendarDate(entry.item.dueOn)})` : ''}
                  {entry.item.missing ? ', not in your records yet' : ''}
                  {data.upcoming.length > 1 ? ` · ${entry.appointmentLabel}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
