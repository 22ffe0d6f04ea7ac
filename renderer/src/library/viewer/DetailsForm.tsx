import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { DOCUMENT_TYPES, type DocumentDetail, type DocumentType } from '../../../../shared/contract';
import { useAction } from '../../api/useAction';
import { ActionButton } from '../../ui/ActionButton';
import { Card } from '../../ui/Card';
import { ErrorText } from '../../ui/ErrorText';
import { StatusText } from '../../ui/StatusText';
import { formatCalendarDate } from '../../ui/format';
import { typeLabel } from '../format';
import { updateDocument } from './save';

type Field = keyof DocumentDetail['guesses'];

interface Draft {
  type: DocumentType;
  serviceDate: string;
  facility: string;
  clinician: string;
  title: string;
}

function draftOf(detail: DocumentDetail): Draft {
  return {
    type: detail.type,
    serviceDate: detail.serviceDate ?? '',
    facility: detail.facility ?? '',
    clinician: detail.clinician ?? '',
    title: detail.title,
  };
}

const WHY: Record<Field, string> = {
  type: 'Why this type?',
  serviceDate: 'Why this date?',
  facility: 'Why this place?',
  clinician: 'Why this clinician?',
  title: 'Why this title?',
};

const NOT_FOUND: Record<Field, string> = {
  type: 'The app could not tell what kind of document this is.',
  serviceDate: 'The app found no date on this document.',
  facility: 'The app found no hospital or clinic name on this document.',
  clinician: 'The app found no clinician’s name on this document.',
  title: 'The app found no title, so the file name is used.',
};

function guessWords(field: Field, value: string | null): string {
  if (value === null) return 'nothing';
  if (field === 'type') return typeLabel(value as DocumentType);
  if (field === 'serviceDate') return formatCalendarDate(value);
  return value;
}

/**
 * What the app guessed about the document (type, date, place, clinician, title), each with the reason, and the
 * person's corrections. A correction can be undone with "Use the app's guess again".
 */
export function DetailsForm({ detail }: { detail: DocumentDetail }) {
  const [message, setMessage] = useState<string | null>(null);
  // The fields start from the saved values; after each save they start again from what was saved.
  return (
    <Card title="About this document" className="details-card">
      <DetailsFields key={detail.id} detail={detail} onMessage={setMessage} />
      {message ? <StatusText tone="good">{message}</StatusText> : null}
    </Card>
  );
}

function DetailsFields({ detail, onMessage }: { detail: DocumentDetail; onMessage(message: string | null): void }) {
  const saved = draftOf(detail);
  const savedKey = JSON.stringify(saved);
  const [draft, setDraft] = useState<Draft>(saved);
  // After a save (or a reset to the guess) the fields start again from what is now saved.
  const [shownKey, setShownKey] = useState(savedKey);
  if (shownKey !== savedKey) {
    setShownKey(savedKey);
    setDraft(saved);
  }
  const [problem, setProblem] = useState<string | null>(null);
  const set = (change: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...change }));
    onMessage(null);
  };

  const save = useAction(async () => {
    const corrections: Record<string, string | null> = {};
    if (draft.type !== saved.type) corrections.type = draft.type;
    if (draft.serviceDate !== saved.serviceDate) corrections.serviceDate = draft.serviceDate;
    for (const field of ['facility', 'clinician', 'title'] as const) {
      if (draft[field].trim() !== saved[field]) corrections[field] = draft[field].trim();
    }
    if (Object.keys(corrections).length === 0) return 'Nothing to save: no changes were made.';
    await updateDocument({ id: detail.id, corrections });
    return 'Saved. Your changes are kept even if the app looks at this document again.';
  });

  const resetField = useAction(async (field: Field) => {
    await updateDocument({ id: detail.id, corrections: { [field]: null } });
    onMessage('The app’s guess is used again.');
    return field;
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!draft.title.trim()) {
      setProblem('Please give the document a title.');
      return;
    }
    if (draft.serviceDate === '' && saved.serviceDate !== '') {
      setProblem('Please enter a date, or use the app’s guess again.');
      return;
    }
    onMessage(null);
    const result = await save.run();
    if (result) onMessage(result);
  };

  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  return (
    <>
      <form className="details-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <div className="details-field">
          <Select
            className="field"
            selectedKey={draft.type}
            onSelectionChange={(key) => {
              if (typeof key === 'string') set({ type: key as DocumentType });
            }}
          >
            <Label className="field-label">Type</Label>
            <Button className="button button-secondary select-button">
              <SelectValue />
              <span aria-hidden="true" className="select-chevron">
                ▾
              </span>
            </Button>
            <Popover className="popover">
              <ListBox className="listbox" items={DOCUMENT_TYPES.map((type) => ({ id: type, label: typeLabel(type) }))}>
                {(item) => (
                  <ListBoxItem id={item.id} className="listbox-item" textValue={item.label}>
                    {item.label}
                  </ListBoxItem>
                )}
              </ListBox>
            </Popover>
          </Select>
          <GuessNote field="type" detail={detail} onReset={(field) => void resetField.run(field)} busy={resetField.busy} />
        </div>

        <PlainField label="Date" type="date" value={draft.serviceDate} onChange={(serviceDate) => set({ serviceDate })}>
          <GuessNote field="serviceDate" detail={detail} onReset={(field) => void resetField.run(field)} busy={resetField.busy} />
        </PlainField>
        <PlainField label="Hospital or clinic" value={draft.facility} onChange={(facility) => set({ facility })} maxLength={200}>
          <GuessNote field="facility" detail={detail} onReset={(field) => void resetField.run(field)} busy={resetField.busy} />
        </PlainField>
        <PlainField label="Clinician" value={draft.clinician} onChange={(clinician) => set({ clinician })} maxLength={200}>
          <GuessNote field="clinician" detail={detail} onReset={(field) => void resetField.run(field)} busy={resetField.busy} />
        </PlainField>
        <PlainField label="Title" value={draft.title} onChange={(title) => set({ title })} maxLength={300}>
          <GuessNote field="title" detail={detail} onReset={(field) => void resetField.run(field)} busy={resetField.busy} />
        </PlainField>

        <ErrorText error={problem} />
        <ErrorText error={save.error ?? resetField.error} />
        <div className="actions">
          <ActionButton type="submit" busy={save.busy} busyLabel="Saving…" isDisabled={!dirty && !save.busy}>
            Save changes
          </ActionButton>
          {dirty ? (
            <ActionButton variant="quiet" onPress={() => setDraft(saved)}>
              Undo my edits
            </ActionButton>
          ) : null}
        </div>
      </form>
    </>
  );
}

function PlainField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'date';
  maxLength?: number;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="details-field">
      <div className="field">
        <label className="field-label" htmlFor={id}>
          {props.label}
        </label>
        <input
          id={id}
          className={props.type === 'date' ? 'input date-filter' : 'input'}
          type={props.type ?? 'text'}
          value={props.value}
          maxLength={props.maxLength}
          min={props.type === 'date' ? '1900-01-01' : undefined}
          max={props.type === 'date' ? '2100-12-31' : undefined}
          spellCheck={false}
          onChange={(event) => props.onChange(event.currentTarget.value)}
        />
      </div>
      {props.children}
    </div>
  );
}

/** Where a value came from: the app's guess (with "Why?") or the person (with the way back to the guess). */
function GuessNote({ field, detail, onReset, busy }: { field: Field; detail: DocumentDetail; onReset(field: Field): void; busy: boolean }) {
  const guess = detail.guesses[field];
  const [open, setOpen] = useState(false);
  const id = useId();
  if (guess.source === 'user') {
    return (
      <div className="guess-note" data-testid={`guess-${field}`}>
        <span>
          You changed this. The app’s guess was: <strong>{guessWords(field, guess.value)}</strong>.
        </span>{' '}
        <button type="button" className="link-button" disabled={busy} onClick={() => onReset(field)}>
          Use the app’s guess again
        </button>
      </div>
    );
  }
  if (guess.value === null && !guess.reason) {
    return (
      <p className="guess-note hint" data-testid={`guess-${field}`}>
        {NOT_FOUND[field]}
      </p>
    );
  }
  return (
    <div className="guess-note" data-testid={`guess-${field}`}>
      <button type="button" className="link-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {WHY[field]}
      </button>
      <p id={id} className="guess-reason" hidden={!open}>
        {guess.reason ?? (field === 'title' ? 'Taken from a heading near the top of the document, or from its type when there is none.' : 'The app did not note a reason.')}
      </p>
    </div>
  );
}
