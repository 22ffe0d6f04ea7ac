import { useId, useState, type FormEvent } from 'react';
import type { DocumentDetail } from '../../../../shared/contract';
import { useAction } from '../../api/useAction';
import { ActionButton } from '../../ui/ActionButton';
import { Card } from '../../ui/Card';
import { ErrorText } from '../../ui/ErrorText';
import { StatusText } from '../../ui/StatusText';
import { updateDocument } from './save';

const MAX_TAGS = 50;

/** The person's own notes and tags (both searchable; tags also filter the list). */
export function NotesAndTags({ detail }: { detail: DocumentDetail }) {
  return (
    <Card title="Your notes and tags" className="notes-card">
      <Notes key={detail.id} detail={detail} />
      <Tags detail={detail} />
    </Card>
  );
}

function Notes({ detail }: { detail: DocumentDetail }) {
  const id = useId();
  const [notes, setNotes] = useState(detail.notes);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    await updateDocument({ id: detail.id, notes });
    setSaved(true);
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <form className="stack notes-form" onSubmit={onSubmit}>
      <div className="field">
        <label className="field-label" htmlFor={id}>
          Notes
        </label>
        <textarea
          id={id}
          className="input textarea"
          rows={4}
          maxLength={20_000}
          value={notes}
          onChange={(event) => {
            setNotes(event.currentTarget.value);
            setSaved(false);
          }}
        />
      </div>
      <ErrorText error={save.error} />
      <div className="actions">
        <ActionButton type="submit" variant="secondary" busy={save.busy} busyLabel="Saving…" isDisabled={notes === detail.notes && !save.busy}>
          Save notes
        </ActionButton>
      </div>
      {saved && notes === detail.notes ? <StatusText tone="good">Notes saved.</StatusText> : null}
    </form>
  );
}

function Tags({ detail }: { detail: DocumentDetail }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = useAction(async (tags: string[]) => {
    await updateDocument({ id: detail.id, tags });
  });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const tag = text.trim().replace(/\s+/g, ' ');
    setProblem(null);
    if (!tag) return;
    if (tag.length > 60) {
      setProblem('A tag can be at most 60 characters long.');
      return;
    }
    if (detail.tags.some((existing) => existing.toLocaleLowerCase() === tag.toLocaleLowerCase())) {
      setProblem(`This document already has the tag “${tag}”.`);
      return;
    }
    if (detail.tags.length >= MAX_TAGS) {
      setProblem(`A document can have at most ${MAX_TAGS} tags.`);
      return;
    }
    await change.run([...detail.tags, tag]);
    setText('');
  };

  return (
    <div className="stack tags">
      <h3 className="tags-heading">Tags</h3>
      {detail.tags.length === 0 ? (
        <p className="hint">No tags yet. Tags help you find documents later, for example “surgery” or “for Dr. Lee”.</p>
      ) : (
        <ul className="tag-list" data-testid="tag-list">
          {detail.tags.map((tag) => (
            <li key={tag} className="tag">
              <span>{tag}</span>
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove the tag ${tag}`}
                disabled={change.busy}
                onClick={() => void change.run(detail.tags.filter((existing) => existing !== tag))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="tag-add" onSubmit={(event) => void add(event)}>
        <div className="field">
          <label className="field-label" htmlFor={id}>
            Add a tag
          </label>
          <input id={id} className="input" value={text} maxLength={80} onChange={(event) => setText(event.currentTarget.value)} />
        </div>
        <ActionButton type="submit" variant="secondary" busy={change.busy} busyLabel="Saving…">
          Add tag
        </ActionButton>
      </form>
      <ErrorText error={problem ?? change.error} />
    </div>
  );
}
