import { useId, useState } from 'react';
import {
  REQUEST_STATUS_LABELS,
  type AppointmentDetail,
  type RecordsRequest,
  type RecordsRequestInput,
  type RequestStatus,
} from '../../../shared/contract';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { formatCalendarDate } from '../ui/format';
import { refreshAppointments } from './api';
import { requestWaitingText, todayIso } from './format';

const EVENT_WORDS: Record<RecordsRequest['log'][number]['event'], string> = {
  created: 'Written down',
  letter: 'Letter printed',
  sent: 'Sent',
  answered: 'Answered',
  cancelled: 'Cancelled',
  reopened: 'Reopened',
};

/**
 * Requests for records: a letter to print and sign for each office, with the dates it was sent and answered, and
 * a reminder when no answer came after the number of days chosen.
 */
export function Requests({ appointment }: { appointment: AppointmentDetail }) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="appt-block" aria-labelledby="appt-requests">
      <h2 id="appt-requests">Asking for records</h2>
      <p className="hint">
        Offices send records when you ask in writing. The app fills in a letter for you to print and sign, and reminds you when an office has not
        answered.
      </p>
      {appointment.requests.length > 0 ? (
        <ul className="appt-requests">
          {appointment.requests.map((request) => (
            <RequestRow key={request.id} appointment={appointment} request={request} />
          ))}
        </ul>
      ) : null}
      {adding ? (
        <RequestForm appointment={appointment} onDone={() => setAdding(false)} />
      ) : (
        <div className="actions">
          <ActionButton variant="secondary" onPress={() => setAdding(true)}>
            Ask an office for records
          </ActionButton>
        </div>
      )}
    </section>
  );
}

function RequestRow({ appointment, request }: { appointment: AppointmentDetail; request: RecordsRequest }) {
  const id = useId();
  const [on, setOn] = useState(todayIso());
  const labels = new Map(appointment.checklist.map((item) => [item.id, item.label]));
  const records = [...request.itemIds.map((itemId) => labels.get(itemId)).filter(Boolean), request.otherRecords].filter(Boolean).join(', ');
  const letter = useAction(async () => call('appointments.requestLetter', { appointmentId: appointment.id, requestId: request.id }));
  const change = useAction(async (status: RequestStatus) => {
    await call('appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { status, on: on || undefined } });
    refreshAppointments(appointment.id);
  });
  const waiting = requestWaitingText(request);
  return (
    <li className="appt-request" data-testid="records-request" data-overdue={request.overdue ? 'true' : 'false'}>
      <h3 className="appt-request-title">{request.office}</h3>
      <p>
        <strong>{REQUEST_STATUS_LABELS[request.status]}</strong>
        {records ? <span> · {records}</span> : null}
      </p>
      {waiting ? (
        request.overdue ? (
          <div className="status status-warning">
            <p>
              <span aria-hidden="true">⚠ </span>
              {waiting}
            </p>
            {request.officeContact ? <p>Their contact: {request.officeContact}</p> : null}
          </div>
        ) : (
          <p className="hint">{waiting}</p>
        )
      ) : null}
      <p className="hint">{request.log.map((entry) => `${EVENT_WORDS[entry.event]} ${formatCalendarDate(entry.on)}`).join(' · ')}</p>
      <div className="appt-request-actions">
        <ActionButton variant="secondary" onPress={() => void letter.run()} busy={letter.busy} busyLabel="Writing the letter…">
          <span>
            Print the letter (PDF)<span className="visually-hidden"> to {request.office}</span>
          </span>
        </ActionButton>
        {request.status !== 'cancelled' && request.status !== 'answered' ? (
          <>
            <div className="field appt-inline-date">
              <label className="field-label" htmlFor={`${id}-on`}>
                Date<span className="visually-hidden"> for {request.office}</span>
              </label>
              <input id={`${id}-on`} className="input appt-input-date" type="date" value={on} onChange={(event) => setOn(event.target.value)} />
            </div>
            {request.status === 'draft' ? (
              <ActionButton variant="secondary" onPress={() => void change.run('sent')}>
                <span>
                  I sent it<span className="visually-hidden"> ({request.office})</span>
                </span>
              </ActionButton>
            ) : (
              <ActionButton variant="secondary" onPress={() => void change.run('answered')}>
                <span>
                  The records came<span className="visually-hidden"> ({request.office})</span>
                </span>
              </ActionButton>
            )}
            <ActionButton variant="quiet" onPress={() => void change.run('cancelled')}>
              <span>
                Cancel this request<span className="visually-hidden"> ({request.office})</span>
              </span>
            </ActionButton>
          </>
        ) : (
          <ActionButton variant="quiet" onPress={() => void change.run('sent')}>
            <span>
              Still waiting after all<span className="visually-hidden"> ({request.office})</span>
            </span>
          </ActionButton>
        )}
      </div>
      {letter.result ? (
        <StatusText tone="good">
          Letter saved as <span className="path">{letter.result.path}</span>. Print it, sign it, and send or hand it to the office.
        </StatusText>
      ) : null}
      <ErrorText error={letter.error ?? change.error} />
    </li>
  );
}

function RequestForm({ appointment, onDone }: { appointment: AppointmentDetail; onDone(): void }) {
  const id = useId();
  const records = appointment.checklist.filter((item) => item.type === 'record');
  const [draft, setDraft] = useState({
    office: '',
    officeAddress: '',
    officeContact: '',
    itemIds: records.filter((item) => item.status === 'needed' && !item.vault?.physical).map((item) => item.id),
    otherRecords: '',
    sendTo: 'second-opinion-office' as RecordsRequestInput['sendTo'],
    recipientName: '',
    recipientAddress: '',
    neededBy: appointment.date ?? '',
    patientContact: '',
    remindAfterDays: '10',
  });
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const add = useAction(async () => {
    const text = (value: string) => (value.trim() ? value.trim() : undefined);
    await call('appointments.addRequest', {
      appointmentId: appointment.id,
      request: {
        office: draft.office.trim(),
        officeAddress: text(draft.officeAddress),
        officeContact: text(draft.officeContact),
        itemIds: draft.itemIds,
        otherRecords: text(draft.otherRecords),
        sendTo: draft.sendTo,
        recipientName: text(draft.recipientName),
        recipientAddress: text(draft.recipientAddress),
        neededBy: text(draft.neededBy),
        patientContact: text(draft.patientContact),
        remindAfterDays: Math.min(120, Math.max(1, Number.parseInt(draft.remindAfterDays, 10) || 10)),
      },
    });
    refreshAppointments(appointment.id);
    onDone();
  });
  const defaultRecipient = [appointment.clinician, appointment.institution].filter(Boolean).join(', ');
  const field = (key: 'office' | 'officeAddress' | 'officeContact' | 'otherRecords' | 'recipientName' | 'recipientAddress' | 'patientContact', label: string, options: { multiline?: boolean; hint?: string; placeholder?: string } = {}) => (
    <div className="field">
      <label className="field-label" htmlFor={`${id}-${key}`}>
        {label}
      </label>
      {options.hint ? (
        <p className="hint" id={`${id}-${key}-hint`}>
          {options.hint}
        </p>
      ) : null}
      {options.multiline ? (
        <textarea
          id={`${id}-${key}`}
          className="input appt-textarea"
          rows={2}
          value={draft[key]}
          aria-describedby={options.hint ? `${id}-${key}-hint` : undefined}
          onChange={(event) => set(key, event.target.value)}
        />
      ) : (
        <input
          id={`${id}-${key}`}
          className="input"
          type="text"
          value={draft[key]}
          aria-describedby={options.hint ? `${id}-${key}-hint` : undefined}
          onChange={(event) => set(key, event.target.value)}
        />
      )}
    </div>
  );
  return (
    <form
      className="appt-request-form stack"
      aria-label="New request for records"
      onSubmit={(event) => {
        event.preventDefault();
        void add.run();
      }}
    >
      <h3>New request for records</h3>
      {field('office', 'Which office holds the records', { hint: 'For example “Riverbend Hospital, medical records department”.' })}
      {field('officeAddress', 'Their address', { multiline: true })}
      {field('officeContact', 'Their phone or fax')}
      <fieldset className="appt-fieldset">
        <legend>Which records</legend>
        <ul className="appt-check-list">
          {records.map((item) => {
            const checked = draft.itemIds.includes(item.id);
            return (
              <li key={item.id}>
                <label className="appt-check">
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() => set('itemIds', checked ? draft.itemIds.filter((i) => i !== item.id) : [...draft.itemIds, item.id])}
                  />
                  <span>{item.label}</span>
                </label>
              </li>
            );
          })}
        </ul>
        {field('otherRecords', 'Anything else', { multiline: true })}
      </fieldset>
      <fieldset className="appt-fieldset">
        <legend>Send them to</legend>
        <div className="appt-radio-row">
          <label className="appt-radio">
            <input type="radio" name={`${id}-send`} checked={draft.sendTo === 'second-opinion-office'} onChange={() => set('sendTo', 'second-opinion-office')} />
            <span>The office of this appointment{defaultRecipient ? ` (${defaultRecipient})` : ''}</span>
          </label>
          <label className="appt-radio">
            <input type="radio" name={`${id}-send`} checked={draft.sendTo === 'patient'} onChange={() => set('sendTo', 'patient')} />
            <span>Me</span>
          </label>
        </div>
        {draft.sendTo === 'second-opinion-office'
          ? field('recipientName', 'Name on the address', { hint: defaultRecipient ? `Left empty: “${defaultRecipient}”.` : undefined })
          : null}
        {draft.sendTo === 'second-opinion-office'
          ? field('recipientAddress', 'Address', { multiline: true, hint: appointment.place ? 'Left empty: the address of the appointment.' : undefined })
          : null}
      </fieldset>
      {field('patientContact', 'How the office can reach you', { multiline: true, hint: 'Your phone number, email or address. Printed on the letter.' })}
      <div className="appt-form-grid">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-needed`}>
            Needed by
          </label>
          <input id={`${id}-needed`} className="input appt-input-date" type="date" value={draft.neededBy} onChange={(event) => set('neededBy', event.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-remind`}>
            Remind me after (days without an answer)
          </label>
          <input
            id={`${id}-remind`}
            className="input appt-input-number"
            type="number"
            min={1}
            max={120}
            value={draft.remindAfterDays}
            onChange={(event) => set('remindAfterDays', event.target.value)}
          />
        </div>
      </div>
      <ErrorText error={add.error} />
      <div className="actions">
        {/* No busy state: the form closes as soon as the request is saved (a pending announcement would outlive it). */}
        <ActionButton type="submit" isDisabled={!draft.office.trim() || add.busy}>
          Save the request
        </ActionButton>
        <ActionButton variant="secondary" onPress={onDone}>
          Cancel
        </ActionButton>
      </div>
    </form>
  );
}
