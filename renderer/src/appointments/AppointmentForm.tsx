import { useId, useState } from 'react';
import {
  APPOINTMENT_KIND_LABELS,
  APPOINTMENT_KINDS,
  APPOINTMENT_STATUS_LABELS,
  APPOINTMENT_STATUSES,
  VISIT_MODE_LABELS,
  VISIT_MODES,
  type AppointmentDetail,
  type AppointmentInput,
  type AppointmentKind,
  type AppointmentStatus,
  type VisitMode,
} from '../../../shared/contract';
import { opinionLabel } from '../../../shared/opinions';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { useVaultQuery } from '../api/useVaultQuery';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { Field } from '../ui/Field';
import { refreshAppointments, storeDetail } from './api';
import { go } from './route';
import { useFocusHeading } from './useFocusHeading';

interface ContactDraft {
  key: number;
  name: string;
  role: string;
  phone: string;
  email: string;
}

interface Draft {
  kind: AppointmentKind;
  status: AppointmentStatus;
  clinician: string;
  institution: string;
  date: string;
  time: string;
  mode: VisitMode;
  place: string;
  contacts: ContactDraft[];
  opinionIds: string[];
  packetId?: string;
}

let contactKey = 0;

function toDraft(detail: AppointmentDetail | null): Draft {
  return {
    kind: detail?.kind ?? 'second',
    status: detail?.status ?? 'planning',
    clinician: detail?.clinician ?? '',
    institution: detail?.institution ?? '',
    date: detail?.date ?? '',
    time: detail?.time ?? '',
    mode: detail?.mode ?? 'in-person',
    place: detail?.place ?? '',
    contacts: (detail?.contacts ?? []).map((contact) => ({
      key: (contactKey += 1),
      name: contact.name,
      role: contact.role ?? '',
      phone: contact.phone ?? '',
      email: contact.email ?? '',
    })),
    opinionIds: detail?.opinionIds ?? [],
    packetId: detail?.packetId,
  };
}

function toInput(draft: Draft): AppointmentInput {
  const text = (value: string) => (value.trim() ? value.trim() : undefined);
  return {
    kind: draft.kind,
    status: draft.status,
    clinician: text(draft.clinician),
    institution: text(draft.institution),
    date: text(draft.date),
    time: text(draft.time),
    mode: draft.mode,
    place: draft.place.trim() ? draft.place : undefined,
    contacts: draft.contacts
      .filter((contact) => contact.name.trim())
      .map((contact) => ({ name: contact.name.trim(), role: text(contact.role), phone: text(contact.phone), email: text(contact.email) })),
    opinionIds: draft.opinionIds,
    packetId: draft.packetId,
  };
}

/** Plan a new appointment, or change one: who, where, when, how, which opinions it is about, contacts. */
export function AppointmentForm({ id }: { id: string | null }) {
  return id ? <EditLoader id={id} /> : <FormBody id={null} initial={null} />;
}

function EditLoader({ id }: { id: string }) {
  const existing = useVaultQuery('appointments.get', { id });
  if (!existing.data) {
    return (
      <div className="screen appt-screen">
        <h1>Change appointment</h1>
        <ErrorText error={existing.error} />
        {existing.loading ? <p className="hint">Loading…</p> : null}
      </div>
    );
  }
  return <FormBody id={id} initial={existing.data} />;
}

function FormBody({ id, initial }: { id: string | null; initial: AppointmentDetail | null }) {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const opinions = useVaultQuery('opinions.list', { trash: 'exclude' });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const save = useAction(async () => {
    const appointment = toInput(draft);
    const detail = id ? await call('appointments.update', { id, appointment }) : await call('appointments.create', { appointment });
    storeDetail(detail);
    refreshAppointments(detail.id);
    go({ view: 'detail', id: detail.id });
  });

  const title = id ? 'Change appointment' : 'Plan an appointment';
  return (
    <div className="screen appt-screen">
      <p className="appt-back">
        <a href={id ? `#/appointments/${id}` : '#/appointments'}>{id ? '← Back to the appointment' : '← All appointments'}</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {!id ? (
        <p className="lead">
          Only the kind of appointment is needed now. The checklist and the questions are made from it; fill in the rest
          when you know it.
        </p>
      ) : null}
      <form
        className="appt-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run();
        }}
      >
        <fieldset className="appt-fieldset">
          <legend>What kind of appointment</legend>
          <div className="appt-radio-grid">
            {APPOINTMENT_KINDS.map((kind) => (
              <label key={kind} className="appt-radio">
                <input type="radio" name="kind" value={kind} checked={draft.kind === kind} onChange={() => set('kind', kind)} />
                <span>{APPOINTMENT_KIND_LABELS[kind]}</span>
              </label>
            ))}
          </div>
          {id && initial && draft.kind !== initial.kind ? (
            <p className="hint">The checklist items of the new kind will be added. Nothing already on it is removed.</p>
          ) : null}
        </fieldset>

        <div className="appt-form-grid">
          <Field label="Doctor" hint="For example “Dr. Sam Okafor, breast oncologist”.">
            {(props) => <input {...props} className="input" type="text" value={draft.clinician} onChange={(e) => set('clinician', e.target.value)} />}
          </Field>
          <Field label="Hospital or cancer center">
            {(props) => <input {...props} className="input" type="text" value={draft.institution} onChange={(e) => set('institution', e.target.value)} />}
          </Field>
          <Field label="Date">
            {(props) => <input {...props} className="input appt-input-date" type="date" value={draft.date} onChange={(e) => set('date', e.target.value)} />}
          </Field>
          <Field label="Time">
            {(props) => <input {...props} className="input appt-input-time" type="time" value={draft.time} onChange={(e) => set('time', e.target.value)} />}
          </Field>
          <Field label="Status">
            {(props) => (
              <select {...props} className="input appt-select" value={draft.status} onChange={(e) => set('status', e.target.value as AppointmentStatus)}>
                {APPOINTMENT_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {APPOINTMENT_STATUS_LABELS[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <fieldset className="appt-fieldset">
          <legend>How</legend>
          <div className="appt-radio-row">
            {VISIT_MODES.map((mode) => (
              <label key={mode} className="appt-radio">
                <input type="radio" name="mode" value={mode} checked={draft.mode === mode} onChange={() => set('mode', mode)} />
                <span>{VISIT_MODE_LABELS[mode]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={draft.mode === 'remote' ? 'How to join' : 'Address and room'} hint={draft.mode === 'remote' ? 'The link or phone number you were given.' : undefined}>
          {(props) => <textarea {...props} className="input appt-textarea" rows={3} value={draft.place} onChange={(e) => set('place', e.target.value)} />}
        </Field>

        <fieldset className="appt-fieldset">
          <legend>Contacts</legend>
          <p className="hint">The office, a nurse navigator, the records department — whoever you may need to call.</p>
          {draft.contacts.map((contact, index) => (
            <ContactRow
              key={contact.key}
              index={index}
              contact={contact}
              onChange={(next) => set('contacts', draft.contacts.map((c) => (c.key === contact.key ? next : c)))}
              onRemove={() => set('contacts', draft.contacts.filter((c) => c.key !== contact.key))}
            />
          ))}
          <div className="actions">
            <ActionButton
              variant="secondary"
              onPress={() => set('contacts', [...draft.contacts, { key: (contactKey += 1), name: '', role: '', phone: '', email: '' }])}
            >
              Add a contact
            </ActionButton>
          </div>
        </fieldset>

        <fieldset className="appt-fieldset">
          <legend>Which opinions is it about</legend>
          {opinions.data && opinions.data.items.length === 0 ? <p className="hint">No opinions recorded yet. You can link them later.</p> : null}
          {opinions.data && opinions.data.items.length > 0 ? (
            <>
              <p className="hint">When two or more linked opinions differ, questions about the differences are added to the list.</p>
              <ul className="appt-check-list">
                {opinions.data.items.map((opinion) => {
                  const checked = draft.opinionIds.includes(opinion.id);
                  return (
                    <li key={opinion.id}>
                      <label className="appt-check">
                        <input
                          type="checkbox"
                          checked={checked}
                          onChange={() =>
                            set('opinionIds', checked ? draft.opinionIds.filter((o) => o !== opinion.id) : [...draft.opinionIds, opinion.id])
                          }
                        />
                        <span>{opinionLabel(opinion)}</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </fieldset>

        <ErrorText error={save.error} />
        <div className="actions">
          {/* No busy state: the screen changes as soon as it is saved (a pending announcement would outlive it). */}
          <ActionButton type="submit" isDisabled={save.busy}>
            {id ? 'Save changes' : 'Save and make the checklist'}
          </ActionButton>
          <ActionButton variant="secondary" onPress={() => go(id ? { view: 'detail', id } : { view: 'list' })}>
            Cancel
          </ActionButton>
        </div>
      </form>
    </div>
  );
}

function ContactRow({
  index,
  contact,
  onChange,
  onRemove,
}: {
  index: number;
  contact: ContactDraft;
  onChange(next: ContactDraft): void;
  onRemove(): void;
}) {
  const id = useId();
  const fields: [keyof Omit<ContactDraft, 'key'>, string, string][] = [
    ['name', 'Name', 'text'],
    ['role', 'Role', 'text'],
    ['phone', 'Phone', 'tel'],
    ['email', 'Email', 'email'],
  ];
  return (
    <div className="appt-contact" role="group" aria-label={`Contact ${index + 1}`}>
      {fields.map(([key, label, type]) => (
        <div className="field" key={key}>
          <label className="field-label" htmlFor={`${id}-${key}`}>
            {label}
          </label>
          <input
            id={`${id}-${key}`}
            className="input"
            type={type}
            value={contact[key]}
            onChange={(event) => onChange({ ...contact, [key]: event.target.value })}
          />
        </div>
      ))}
      <ActionButton variant="quiet" onPress={onRemove}>
        <span>
          Remove<span className="visually-hidden"> contact {index + 1}</span>
        </span>
      </ActionButton>
    </div>
  );
}
