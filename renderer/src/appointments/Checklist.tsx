import { useId, useState } from 'react';
import { Checkbox } from 'react-aria-components';
import {
  CHECKLIST_GROUP_LABELS,
  CHECKLIST_GROUPS,
  ITEM_STATUS_LABELS,
  RECORD_STATUSES,
  type AppointmentDetail,
  type ChecklistItem,
  type ItemChanges,
  type VaultMatch,
} from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { CheckMark } from '../ui/CheckMark';
import { ErrorText } from '../ui/ErrorText';
import { formatCalendarDate, plural } from '../ui/format';
import { patchDetail, refreshAppointments } from './api';
import { itemStatusText } from './format';
import { saveStateText, useAutosave } from './useAutosave';

/**
 * The preparation checklist, by group. Tasks are ticked; records move from needed to requested, received and sent.
 * Each record says whether the vault holds a copy ("Not in your records yet" otherwise) and can be linked to the
 * documents and studies that satisfy it.
 */
export function Checklist({ appointment }: { appointment: AppointmentDetail }) {
  // Not useAction: several items may be ticked in quick succession, and each change must go through.
  const [error, setError] = useState<AppError | null>(null);
  const update = async (item: ChecklistItem, changes: ItemChanges) => {
    try {
      const saved = await call('appointments.updateItem', { appointmentId: appointment.id, itemId: item.id, changes });
      setError(null);
      patchItem(appointment.id, saved);
      refreshAppointments(appointment.id);
    } catch (caught) {
      setError(toAppError(caught));
    }
  };
  const open = appointment.counts.openItems;
  const missing = appointment.checklist.filter((item) => item.vault?.missing);
  return (
    <section className="appt-block" aria-labelledby="appt-checklist">
      <h2 id="appt-checklist">Checklist</h2>
      <p className="hint">
        {open === 0 ? 'Everything on the checklist is done.' : `${plural(open, 'item', 'items')} still to do.`} Tick what is done; open “Details”
        to write down answers, who holds a record, or a due date.
      </p>
      {missing.length > 0 ? (
        <div className="status status-warning" data-testid="missing-records">
          <p>
            <strong>Not in your records yet:</strong> {missing.map((item) => item.label).join(', ')}.
          </p>
          <p className="hint">Add them in Records when they arrive, or link them to the item.</p>
        </div>
      ) : null}
      <ErrorText error={error} />
      {CHECKLIST_GROUPS.map((group) => {
        const items = appointment.checklist.filter((item) => item.group === group);
        if (items.length === 0) return null;
        return (
          <div key={group} className="appt-group">
            <h3>{CHECKLIST_GROUP_LABELS[group]}</h3>
            <ul className="appt-items">
              {items.map((item) => (
                <ItemRow key={item.id} appointmentId={appointment.id} item={item} onChange={(changes) => void update(item, changes)} />
              ))}
            </ul>
          </div>
        );
      })}
      <AddItem appointmentId={appointment.id} />
    </section>
  );
}

function ItemRow({ appointmentId, item, onChange }: { appointmentId: string; item: ChecklistItem; onChange(changes: ItemChanges): void }) {
  const [expanded, setExpanded] = useState(false);
  const panelId = useId();
  const statusId = useId();
  return (
    <li className="appt-item" data-testid="checklist-item" data-open={item.open ? 'true' : 'false'}>
      <div className="appt-item-head">
        {item.type === 'task' ? (
          <Checkbox
            className="checkbox appt-item-check"
            isSelected={item.status === 'done'}
            onChange={(selected) => onChange({ status: selected ? 'done' : 'open' })}
          >
            <CheckMark />
            <span className={item.status === 'not-needed' ? 'appt-item-label appt-struck' : 'appt-item-label'}>{item.label}</span>
          </Checkbox>
        ) : (
          <div className="appt-record">
            <label className="appt-item-label" htmlFor={statusId}>
              {item.label}
            </label>
            <select
              id={statusId}
              className="input appt-select appt-status-select"
              value={item.status}
              onChange={(event) => onChange({ status: event.target.value as ChecklistItem['status'] })}
            >
              {RECORD_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {ITEM_STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          </div>
        )}
        <button
          type="button"
          className="appt-disclosure"
          aria-label={`Details: ${item.label}`}
          aria-expanded={expanded}
          aria-controls={expanded ? panelId : undefined}
          onClick={() => setExpanded((value) => !value)}
        >
          Details
        </button>
      </div>
      <ItemBadges item={item} />
      {expanded ? (
        <div id={panelId} className="appt-item-panel">
          <ItemDetails appointmentId={appointmentId} item={item} onChange={onChange} />
        </div>
      ) : null}
    </li>
  );
}

function ItemBadges({ item }: { item: ChecklistItem }) {
  const badges: { text: string; tone: 'warning' | 'good' | 'plain' }[] = [];
  if (item.type === 'record' && item.status !== 'needed' && item.status !== 'not-needed') badges.push({ text: itemStatusText(item), tone: 'plain' });
  if (item.status === 'not-needed' && item.type === 'task') badges.push({ text: 'Not needed', tone: 'plain' });
  if (item.late && item.dueOn) badges.push({ text: `Late: was due ${formatCalendarDate(item.dueOn)}`, tone: 'warning' });
  else if (item.open && item.dueOn) badges.push({ text: `Due by ${formatCalendarDate(item.dueOn)}`, tone: 'plain' });
  if (item.vault?.physical) badges.push({ text: 'Physical item: the app tracks it, it is not stored', tone: 'plain' });
  else if (item.vault?.missing) badges.push({ text: 'Not in your records yet', tone: 'warning' });
  else if (item.vault && item.vault.matches.length > 0) {
    const count = item.vault.matches.length + item.vault.more;
    badges.push({ text: `In your records: ${count}`, tone: 'good' });
  }
  if (item.vault?.inPacket) badges.push({ text: 'In the packet', tone: 'good' });
  if (item.holder) badges.push({ text: `Held by ${item.holder}`, tone: 'plain' });
  if (badges.length === 0) return null;
  return (
    <ul className="appt-badges appt-item-badges">
      {badges.map((badge) => (
        <li key={badge.text} className={badge.tone === 'plain' ? 'appt-badge' : `appt-badge appt-badge-${badge.tone}`}>
          {badge.tone === 'warning' ? <span aria-hidden="true">⚠ </span> : null}
          {badge.text}
        </li>
      ))}
    </ul>
  );
}

function ItemDetails({ appointmentId, item, onChange }: { appointmentId: string; item: ChecklistItem; onChange(changes: ItemChanges): void }) {
  const id = useId();
  const [note, setNote] = useState(item.note);
  const [holder, setHolder] = useState(item.holder);
  const saveNote = useAutosave(async (value) => {
    const saved = await call('appointments.updateItem', { appointmentId, itemId: item.id, changes: { note: value } });
    patchItem(appointmentId, saved);
  });
  const saveHolder = useAutosave(async (value) => {
    const saved = await call('appointments.updateItem', { appointmentId, itemId: item.id, changes: { holder: value.trim() } });
    patchItem(appointmentId, saved);
  });
  const remove = useAction(async () => {
    await call('appointments.removeItem', { appointmentId, itemId: item.id });
    refreshAppointments(appointmentId);
  });
  const toggleLink = (match: VaultMatch) => {
    if (match.kind === 'document') {
      const ids = match.linked ? item.documentIds.filter((d) => d !== match.id) : [...item.documentIds, match.id];
      onChange({ documentIds: ids });
    } else {
      const uids = match.linked ? item.studyUids.filter((u) => u !== match.id) : [...item.studyUids, match.id];
      onChange({ studyUids: uids });
    }
  };
  return (
    <div className="stack appt-details">
      {item.hint ? <p className="hint">{item.hint}</p> : null}
      <div className="field">
        <label className="field-label" htmlFor={`${id}-note`}>
          Note
        </label>
        <textarea
          id={`${id}-note`}
          className="input appt-textarea"
          rows={2}
          value={note}
          onChange={(event) => {
            setNote(event.target.value);
            saveNote.change(event.target.value);
          }}
          onBlur={saveNote.flush}
        />
        <p className="hint" aria-live="polite">
          {saveNote.state === 'idle' ? '' : saveStateText(saveNote)}
        </p>
      </div>
      {item.type === 'record' ? (
        <div className="field">
          <label className="field-label" htmlFor={`${id}-holder`}>
            Who holds it
          </label>
          <input
            id={`${id}-holder`}
            className="input"
            type="text"
            value={holder}
            onChange={(event) => {
              setHolder(event.target.value);
              saveHolder.change(event.target.value);
            }}
            onBlur={saveHolder.flush}
          />
        </div>
      ) : null}
      <div className="field">
        <label className="field-label" htmlFor={`${id}-due`}>
          Due by
        </label>
        <input
          id={`${id}-due`}
          className="input appt-input-date"
          type="date"
          defaultValue={item.dueOn ?? ''}
          onBlur={(event) => {
            const value = event.target.value || null;
            if (value !== item.dueOn) onChange({ dueOn: value });
          }}
        />
      </div>
      {item.type === 'record' && item.vault ? (
        <div>
          <p className="field-label">In your records</p>
          {item.vault.physical ? <p className="hint">Slides and tissue blocks are shipped by the lab; mark their status above.</p> : null}
          {!item.vault.physical && item.vault.matches.length === 0 ? <p className="hint">Nothing of this kind is in your records yet.</p> : null}
          {item.vault.matches.length > 0 ? (
            <ul className="appt-check-list">
              {item.vault.matches.map((match) =>
                match.kind === 'list' ? (
                  <li key={match.id}>{match.title}</li>
                ) : (
                  <li key={match.id}>
                    <label className="appt-check">
                      <input type="checkbox" checked={match.linked} onChange={() => toggleLink(match)} />
                      <span>
                        {match.title}
                        {match.date ? <span className="hint"> · {formatCalendarDate(match.date)}</span> : null}
                        <span className="hint"> — {match.linked ? 'linked to this item' : 'found by its type; tick to link it'}</span>
                      </span>
                    </label>
                  </li>
                ),
              )}
            </ul>
          ) : null}
          {item.vault.more > 0 ? <p className="hint">And {plural(item.vault.more, 'more', 'more')} of this kind.</p> : null}
        </div>
      ) : null}
      <ErrorText error={saveNote.error ?? saveHolder.error ?? remove.error} />
      <div className="actions">
        {item.type === 'task' ? (
          <ActionButton variant="secondary" onPress={() => onChange({ status: item.status === 'not-needed' ? 'open' : 'not-needed' })}>
            {item.status === 'not-needed' ? 'Needed after all' : 'Not needed for me'}
          </ActionButton>
        ) : null}
        <ActionButton variant="quiet" onPress={() => void remove.run()}>
          Remove from the checklist
        </ActionButton>
      </div>
    </div>
  );
}

function patchItem(appointmentId: string, saved: ChecklistItem): void {
  patchDetail(appointmentId, (detail) => ({ ...detail, checklist: detail.checklist.map((item) => (item.id === saved.id ? saved : item)) }));
}

function AddItem({ appointmentId }: { appointmentId: string }) {
  const id = useId();
  const [label, setLabel] = useState('');
  const [type, setType] = useState<'task' | 'record'>('task');
  const add = useAction(async () => {
    await call('appointments.addItem', { appointmentId, label: label.trim(), type });
    setLabel('');
    refreshAppointments(appointmentId);
  });
  return (
    <form
      className="appt-add"
      onSubmit={(event) => {
        event.preventDefault();
        if (label.trim()) void add.run();
      }}
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-label`}>
          Add your own item
        </label>
        <input id={`${id}-label`} className="input" type="text" value={label} onChange={(event) => setLabel(event.target.value)} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-type`}>
          Kind
        </label>
        <select id={`${id}-type`} className="input appt-select" value={type} onChange={(event) => setType(event.target.value as 'task' | 'record')}>
          <option value="task">Something to do</option>
          <option value="record">A record to gather</option>
        </select>
      </div>
      <ActionButton type="submit" variant="secondary" isDisabled={!label.trim()} busy={add.busy} busyLabel="Adding…">
        Add
      </ActionButton>
      <ErrorText error={add.error} />
    </form>
  );
}
