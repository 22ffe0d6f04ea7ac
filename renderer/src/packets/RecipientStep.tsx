import type { RecipientDraft } from './draft';
import { LIMITS } from './draft';
import { DateBox, TextBox } from './fields';

interface Props {
  recipient: RecipientDraft;
  onChange(next: RecipientDraft): void;
}

/** Step 1: who the packet is for. Everything is optional; it goes on the cover letter and into the log. */
export function RecipientStep({ recipient, onChange }: Props) {
  const set = (key: keyof RecipientDraft) => (value: string) => onChange({ ...recipient, [key]: value });
  return (
    <div className="packets-step-body">
      <p className="hint">
        All of this is optional, but it helps the office see at once who the records are for. It goes on the cover
        letter, and the app remembers it so you can later see what you sent to whom.
      </p>
      <div className="packets-form-grid">
        <TextBox label="Hospital or cancer center" value={recipient.organization} onChange={set('organization')} maxLength={LIMITS.organization} hint="The office giving the second opinion." />
        <TextBox label="Doctor" value={recipient.doctor} onChange={set('doctor')} maxLength={LIMITS.doctor} hint="As on the appointment letter." />
        <TextBox label="Phone, fax or email of the office" value={recipient.contact} onChange={set('contact')} maxLength={LIMITS.contact} />
        <DateBox label="Date of the appointment" value={recipient.appointmentDate} onChange={set('appointmentDate')} hint="Leave empty if it is not booked yet." />
      </div>
      <TextBox label="Address of the office" value={recipient.address} onChange={set('address')} maxLength={LIMITS.address} multiline className="packets-wide" />
      <TextBox
        label="Why you are asking for a second opinion"
        value={recipient.reason}
        onChange={set('reason')}
        maxLength={LIMITS.reason}
        multiline
        className="packets-wide"
        hint="In your own words, for example: “I would like another view of my pathology results and of chemotherapy before surgery.”"
      />
    </div>
  );
}
