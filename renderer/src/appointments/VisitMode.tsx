import { useEffect } from 'react';
import type { AppointmentDetail } from '../../../shared/contract';
import { useVaultQuery } from '../api/useVaultQuery';
import { ErrorText } from '../ui/ErrorText';
import { refreshAppointments } from './api';
import { whenText } from './format';
import { NotesPad } from './NotesPad';
import { AnswerField, AskedBox } from './Questions';
import { useFocusHeading } from './useFocusHeading';

/**
 * Visit mode: large type, one question after another with a big "Asked" box and a quick answer note, and a free
 * notes pad. Everything is saved while typing, attached to the appointment (and through it to its opinions).
 */
export function VisitMode({ id }: { id: string }) {
  const query = useVaultQuery('appointments.get', { id });
  // Leaving visit mode: let every screen pick up the answers and notes.
  useEffect(() => () => refreshAppointments(id), [id]);
  if (!query.data) {
    return (
      <div className="screen appt-screen appt-visit">
        <h1>Visit mode</h1>
        <ErrorText error={query.error} />
        {query.loading ? <p className="hint">Loading…</p> : null}
      </div>
    );
  }
  return <VisitBody appointment={query.data} />;
}

function VisitBody({ appointment }: { appointment: AppointmentDetail }) {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const asked = appointment.questions.filter((question) => question.asked).length;
  return (
    <div className="screen appt-screen appt-visit" data-testid="visit-mode">
      <div className="appt-visit-top">
        <p className="appt-back">
          <a href={`#/appointments/${appointment.id}`}>← Leave visit mode</a>
        </p>
        <a className="appt-skip" href="#visit-notes" onClick={(event) => {
          event.preventDefault();
          document.getElementById('visit-notes')?.querySelector('textarea')?.focus();
        }}>
          Go to my notes
        </a>
      </div>
      <h1 ref={heading} tabIndex={-1}>
        Visit mode
      </h1>
      <p className="appt-visit-sub">
        {appointment.label} · {whenText(appointment)}
      </p>
      <p className="appt-visit-progress" aria-live="polite">
        {asked} of {appointment.questions.length} questions asked
      </p>
      <ol className="appt-visit-questions">
        {appointment.questions.map((question, index) => (
          <li key={question.id} className="appt-visit-question" data-testid="visit-question" data-asked={question.asked ? 'true' : 'false'}>
            <p className="appt-visit-question-text">
              <span className="appt-visit-number" aria-hidden="true">
                {index + 1}
              </span>
              {question.text}
            </p>
            <AskedBox appointmentId={appointment.id} question={question} large />
            <AnswerField appointmentId={appointment.id} question={question} label="What they said" rows={3} />
          </li>
        ))}
      </ol>
      <section id="visit-notes" className="appt-visit-notes" aria-label="My notes">
        <NotesPad appointment={appointment} rows={10} label="My notes" />
      </section>
    </div>
  );
}
