import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import type { CareTeamMemberInput, MedicationInput } from '../../../shared/contract';
import { setData } from '../api/cache';
import { call } from '../api/client';
import { cacheKey, useVaultQuery } from '../api/useVaultQuery';
import { CheckMark } from '../ui/CheckMark';
import { ErrorText } from '../ui/ErrorText';
import { formatCalendarDate } from '../ui/format';
import { LIMITS, newQuestion, type Question } from './draft';
import { EditableList, type ItemFormProps } from './EditableList';
import { ItemForm, orNull, type FieldSpec } from './ItemForm';

interface Props {
  includeMedications: boolean;
  includeCareTeam: boolean;
  questions: Question[];
  onInclude(change: { includeMedications?: boolean; includeCareTeam?: boolean }): void;
  onQuestions(questions: Question[]): void;
  /** The lists live in the vault: the preview's counts must be asked again after a save. */
  onListsSaved(): void;
}

/** Step 3: the medication list and the care team (kept in the vault, used by every packet) and this packet's questions. */
export function ListsStep(props: Props) {
  return (
    <div className="packets-step-body">
      <p className="hint">
        These go on the cover letter, so the doctor sees them first. The medicines and the care team are kept in your
        vault for next time; the questions belong to this packet.
      </p>
      <section className="packets-block" aria-labelledby="packets-meds-heading">
        <h3 id="packets-meds-heading">Medicines you take</h3>
        <Medications onSaved={props.onListsSaved} />
        <Checkbox className="checkbox" isSelected={props.includeMedications} onChange={(selected) => props.onInclude({ includeMedications: selected })}>
          <CheckMark />
          Put the medicines I still take in this packet
        </Checkbox>
      </section>
      <section className="packets-block" aria-labelledby="packets-team-heading">
        <h3 id="packets-team-heading">Your care team</h3>
        <CareTeam onSaved={props.onListsSaved} />
        <Checkbox className="checkbox" isSelected={props.includeCareTeam} onChange={(selected) => props.onInclude({ includeCareTeam: selected })}>
          <CheckMark />
          Put my care team in this packet
        </Checkbox>
      </section>
      <section className="packets-block" aria-labelledby="packets-questions-heading">
        <h3 id="packets-questions-heading">Questions for the doctor</h3>
        <EditableList<Question>
          noun="question"
          items={props.questions}
          keyOf={(question) => question.key}
          nameOf={(question) => shorten(question.text)}
          renderSummary={(question) => <span className="packets-question">{question.text}</span>}
          renderForm={(form) => <QuestionForm {...form} />}
          onSave={async (items) => props.onQuestions(items)}
          addLabel="Add a question"
          max={LIMITS.questions}
          emptyText="No questions yet. Writing them down now means none get forgotten at the visit."
          testId="questions"
        />
      </section>
    </div>
  );
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

type MedicationKey = 'name' | 'dose' | 'frequency' | 'route' | 'startDate' | 'reason' | 'prescriber';
const MEDICATION_FIELDS: FieldSpec<MedicationKey>[] = [
  { key: 'name', label: 'Name of the medicine', maxLength: 200, required: 'Write the name of the medicine.' },
  { key: 'dose', label: 'Dose', maxLength: 120, hint: 'For example 2.5 mg.' },
  { key: 'frequency', label: 'How often', maxLength: 120, hint: 'For example once a day.' },
  { key: 'route', label: 'How you take it', maxLength: 60, hint: 'For example by mouth.' },
  { key: 'startDate', label: 'Taking it since', maxLength: 10, kind: 'date' },
  { key: 'reason', label: 'What it is for', maxLength: 200 },
  { key: 'prescriber', label: 'Prescribed by', maxLength: 200 },
];

function Medications({ onSaved }: { onSaved(): void }) {
  const query = useVaultQuery('medications.list', {});
  if (!query.data) return query.error ? <ErrorText error={query.error} /> : <p className="hint">Loading…</p>;
  return (
    <EditableList<MedicationInput>
      noun="medicine"
      items={query.data.items}
      keyOf={(item, index) => item.id ?? `new-${index}`}
      nameOf={(item) => item.name}
      renderSummary={(item) => (
        <>
          <span className="packets-row-name">{item.name}</span>{' '}
          <span className="hint">
            {[item.dose, item.route, item.frequency, item.startDate ? `since ${formatCalendarDate(item.startDate)}` : null, item.reason ? `for ${item.reason}` : null]
              .filter(Boolean)
              .join(' · ')}
          </span>
          {item.current === false ? <span className="packets-tag">Stopped: not sent</span> : null}
        </>
      )}
      renderForm={(form) => <MedicationForm {...form} />}
      // The app keeps medicines still taken before stopped ones (only current ones go in a packet).
      canSwap={(a, b) => (a.current ?? true) === (b.current ?? true)}
      onSave={async (items) => {
        const saved = await call('medications.save', { items });
        setData(cacheKey('medications.list', {}), saved);
        onSaved();
      }}
      addLabel="Add a medicine"
      max={200}
      emptyText="No medicines listed yet. Medicines you stopped can stay in the list: they are kept after the others and not sent."
      testId="medications"
    />
  );
}

function MedicationForm({ initial, busy, onSubmit, onCancel }: ItemFormProps<MedicationInput>) {
  const [current, setCurrent] = useState(initial?.current ?? true);
  const text = (value: string | null | undefined) => value ?? '';
  return (
    <ItemForm<MedicationKey>
      title={initial ? `Change ${initial.name}` : 'New medicine'}
      fields={MEDICATION_FIELDS}
      initial={{
        name: text(initial?.name),
        dose: text(initial?.dose),
        frequency: text(initial?.frequency),
        route: text(initial?.route),
        startDate: text(initial?.startDate),
        reason: text(initial?.reason),
        prescriber: text(initial?.prescriber),
      }}
      busy={busy}
      submitLabel={initial ? 'Save changes' : 'Add this medicine'}
      onCancel={onCancel}
      onSubmit={(values) =>
        onSubmit({
          ...initial,
          name: values.name.trim(),
          dose: orNull(values.dose),
          frequency: orNull(values.frequency),
          route: orNull(values.route),
          startDate: /^\d{4}-\d{2}-\d{2}$/.test(values.startDate) ? values.startDate : null,
          reason: orNull(values.reason),
          prescriber: orNull(values.prescriber),
          current,
        })
      }
      extra={
        <Checkbox className="checkbox" isSelected={current} onChange={setCurrent}>
          <CheckMark />I still take it
        </Checkbox>
      }
    />
  );
}

type MemberKey = 'name' | 'role' | 'organization' | 'phone' | 'email';
const MEMBER_FIELDS: FieldSpec<MemberKey>[] = [
  { key: 'name', label: 'Name', maxLength: 200, required: 'Write the person’s name.' },
  { key: 'role', label: 'Role', maxLength: 120, required: 'Write what they do for you.', hint: 'For example medical oncologist, breast surgeon, nurse navigator.' },
  { key: 'organization', label: 'Hospital or practice', maxLength: 200 },
  { key: 'phone', label: 'Phone', maxLength: 60, kind: 'tel' },
  { key: 'email', label: 'Email', maxLength: 200, kind: 'email' },
];

function CareTeam({ onSaved }: { onSaved(): void }) {
  const query = useVaultQuery('careTeam.list', {});
  if (!query.data) return query.error ? <ErrorText error={query.error} /> : <p className="hint">Loading…</p>;
  return (
    <EditableList<CareTeamMemberInput>
      noun="person"
      items={query.data.items}
      keyOf={(item, index) => item.id ?? `new-${index}`}
      nameOf={(item) => item.name}
      renderSummary={(item) => (
        <>
          <span className="packets-row-name">{item.name}</span>{' '}
          <span className="hint">{[item.role, item.organization, item.phone, item.email].filter(Boolean).join(' · ')}</span>
        </>
      )}
      renderForm={(form) => <MemberForm {...form} />}
      onSave={async (items) => {
        const saved = await call('careTeam.save', { items });
        setData(cacheKey('careTeam.list', {}), saved);
        onSaved();
      }}
      addLabel="Add someone"
      max={100}
      emptyText="No one listed yet: your oncologist, surgeon, nurse navigator, family doctor."
      testId="care-team"
    />
  );
}

function MemberForm({ initial, busy, onSubmit, onCancel }: ItemFormProps<CareTeamMemberInput>) {
  const text = (value: string | null | undefined) => value ?? '';
  return (
    <ItemForm<MemberKey>
      title={initial ? `Change ${initial.name}` : 'New member of your care team'}
      fields={MEMBER_FIELDS}
      initial={{ name: text(initial?.name), role: text(initial?.role), organization: text(initial?.organization), phone: text(initial?.phone), email: text(initial?.email) }}
      busy={busy}
      submitLabel={initial ? 'Save changes' : 'Add this person'}
      onCancel={onCancel}
      onSubmit={(values) =>
        onSubmit({
          ...initial,
          name: values.name.trim(),
          role: values.role.trim(),
          organization: orNull(values.organization),
          phone: orNull(values.phone),
          email: orNull(values.email),
        })
      }
    />
  );
}

const QUESTION_FIELDS: FieldSpec<'text'>[] = [
  { key: 'text', label: 'Question', maxLength: LIMITS.question, kind: 'multiline', required: 'Write the question, or press Cancel.' },
];

function QuestionForm({ initial, busy, onSubmit, onCancel }: ItemFormProps<Question>) {
  return (
    <ItemForm<'text'>
      title={initial ? 'Change the question' : 'New question'}
      fields={QUESTION_FIELDS}
      initial={{ text: initial?.text ?? '' }}
      busy={busy}
      submitLabel={initial ? 'Save changes' : 'Add this question'}
      onCancel={onCancel}
      onSubmit={(values) => onSubmit(initial ? { ...initial, text: values.text.trim() } : newQuestion(values.text.trim()))}
    />
  );
}
