import { useId, useState } from 'react';
import type { AppointmentDetail } from '../../../shared/contract';
import { call } from '../api/client';
import { ErrorText } from '../ui/ErrorText';
import { patchDetail } from './api';
import { saveStateText, useAutosave } from './useAutosave';

/**
 * The free-notes pad of an appointment. Saved while typing (every short pause, and at least every 1.5 seconds of
 * continuous typing); each save is on disk before the app moves on, so closing or a crash loses almost nothing.
 */
export function NotesPad({ appointment, rows = 8, className, label = 'Notes from the visit' }: { appointment: AppointmentDetail; rows?: number; className?: string; label?: string }) {
  const id = useId();
  const [text, setText] = useState(appointment.notes.text);
  const autosave = useAutosave(async (value) => {
    const notes = await call('appointments.saveNotes', { appointmentId: appointment.id, text: value });
    patchDetail(appointment.id, (detail) => ({ ...detail, notes }));
  });
  return (
    <div className={['field', 'appt-notes', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <p className="hint" id={`${id}-hint`}>
        Anything worth keeping: what the doctor said, words to look up, next steps. It is saved as you type.
      </p>
      <textarea
        id={id}
        className="input appt-textarea"
        rows={rows}
        value={text}
        aria-describedby={`${id}-hint`}
        data-testid="visit-notes"
        onChange={(event) => {
          setText(event.target.value);
          autosave.change(event.target.value);
        }}
        onBlur={autosave.flush}
      />
      <p className="hint appt-save-state" data-testid="notes-save-state" data-state={autosave.state}>
        {saveStateText(autosave)}
      </p>
      <ErrorText error={autosave.state === 'error' ? autosave.error : null} />
    </div>
  );
}
