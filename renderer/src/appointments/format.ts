import {
  ITEM_STATUS_LABELS,
  type AppointmentSummary,
  type ChecklistItem,
  type RecordsRequest,
} from '../../../shared/contract';
import { formatCalendarDate } from '../ui/format';

/** "Thursday, March 20, 2025 at 09:30", or "No date yet". */
export function whenText(appointment: Pick<AppointmentSummary, 'date' | 'time'>): string {
  if (!appointment.date) return 'No date yet';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(appointment.date);
  const day = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toLocaleDateString(undefined, {
        weekday: 'long',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        timeZone: 'UTC',
      })
    : appointment.date;
  return appointment.time ? `${day} at ${appointment.time}` : day;
}

/** "today", "tomorrow", "in 5 days", "3 days ago". */
export function relativeDays(days: number | null): string | null {
  if (days === null) return null;
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}

/** An item's state in words, with the date that goes with it. */
export function itemStatusText(item: ChecklistItem): string {
  const date =
    item.status === 'requested' ? item.requestedOn : item.status === 'received' ? item.receivedOn : item.status === 'sent' ? item.sentOn : null;
  const base = ITEM_STATUS_LABELS[item.status];
  return date ? `${base} ${formatCalendarDate(date)}` : base;
}

export function requestWaitingText(request: RecordsRequest): string | null {
  if (request.status !== 'sent' || request.daysWaiting === null) return null;
  if (request.overdue) return `No answer after ${request.daysWaiting} ${request.daysWaiting === 1 ? 'day' : 'days'}. It may be time to call them.`;
  return `Waiting ${request.daysWaiting} ${request.daysWaiting === 1 ? 'day' : 'days'} so far${request.remindOn ? `; the app will remind you on ${formatCalendarDate(request.remindOn)}` : ''}.`;
}

/** Today's date on this computer, YYYY-MM-DD (for date fields' defaults). */
export function todayIso(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
