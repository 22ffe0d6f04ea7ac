import '../styles/appointments.css';
import { useState } from 'react';
import { TIMELINE_KINDS, type TimelineItem, type TimelineKind } from '../../../shared/contract';
import { useVaultQuery } from '../api/useVaultQuery';
import { ErrorText } from '../ui/ErrorText';
import { formatCalendarDate, plural } from '../ui/format';

const KIND_LABELS: Record<TimelineKind, string> = {
  document: 'Document',
  study: 'Imaging study',
  opinion: 'Opinion',
  appointment: 'Appointment',
  request: 'Records request',
  packet: 'Packet',
};

const FILTER_LABELS: Record<TimelineKind, string> = {
  document: 'Documents',
  study: 'Imaging studies',
  opinion: 'Opinions',
  appointment: 'Appointments',
  request: 'Records requests',
  packet: 'Packets',
};

/** Where an item opens, when it has its own screen. */
function hrefOf(item: TimelineItem): string | null {
  switch (item.kind) {
    case 'document':
      return `#/records/${encodeURIComponent(item.id)}`;
    case 'opinion':
      return `#/opinions/edit/${encodeURIComponent(item.id)}`;
    case 'appointment':
    case 'request':
    case 'packet':
      return item.appointmentId ? `#/appointments/${encodeURIComponent(item.appointmentId)}` : null;
    default:
      return null;
  }
}

function monthOf(date: string | null): string {
  if (!date) return 'Without a date';
  const match = /^(\d{4})-(\d{2})/.exec(date);
  if (!match) return 'Without a date';
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** One timeline of everything: documents, imaging studies, opinions, appointments, records requests and packets. */
export function TimelineScreen() {
  const query = useVaultQuery('timeline.list', {});
  const [shown, setShown] = useState<Set<TimelineKind>>(() => new Set(TIMELINE_KINDS));
  const items = (query.data?.items ?? []).filter((item) => shown.has(item.kind));
  const months: { month: string; items: TimelineItem[] }[] = [];
  for (const item of items) {
    const month = monthOf(item.date);
    const last = months.at(-1);
    if (last && last.month === month) last.items.push(item);
    else months.push({ month, items: [item] });
  }
  return (
    <div className="screen appt-screen">
      <h1>Timeline</h1>
      <p className="lead">Everything in your vault in date order, newest first: reports, scans, opinions, appointments and what was sent.</p>
      <fieldset className="appt-fieldset appt-timeline-filter">
        <legend>Show</legend>
        <div className="appt-radio-row">
          {TIMELINE_KINDS.map((kind) => (
            <label key={kind} className="appt-check">
              <input
                type="checkbox"
                checked={shown.has(kind)}
                onChange={() =>
                  setShown((current) => {
                    const next = new Set(current);
                    if (next.has(kind)) next.delete(kind);
                    else next.add(kind);
                    return next;
                  })
                }
              />
              <span>{FILTER_LABELS[kind]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorText error={query.error} />
      {query.loading && !query.data ? <p className="hint">Loading…</p> : null}
      {query.data ? <p className="hint" aria-live="polite">{plural(items.length, 'entry', 'entries')} shown.</p> : null}
      {query.data && query.data.total === 0 ? <p>Nothing in your vault yet. Documents, opinions and appointments appear here as you add them.</p> : null}
      {months.map((group) => (
        <section key={group.month} className="appt-timeline-month" aria-label={group.month}>
          <h2>{group.month}</h2>
          <ol className="appt-timeline">
            {group.items.map((item) => {
              const href = hrefOf(item);
              return (
                <li key={`${item.kind}:${item.id}`} className="appt-timeline-item" data-kind={item.kind} data-testid="timeline-item">
                  <span className="appt-timeline-date">
                    {item.date ? formatCalendarDate(item.date) : 'No date'}
                    {item.dateKind === 'added' ? <span className="hint"> (added)</span> : null}
                  </span>
                  <span className="appt-timeline-kind">{KIND_LABELS[item.kind]}</span>
                  <span className="appt-timeline-title">
                    {href ? <a href={href}>{item.title}</a> : item.title}
                    {item.detail ? <span className="hint appt-line"> {item.detail}</span> : null}
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      {query.data && query.data.total > query.data.items.length ? (
        <p className="hint">Showing the newest {query.data.items.length.toLocaleString()} of {query.data.total.toLocaleString()} entries.</p>
      ) : null}
    </div>
  );
}
