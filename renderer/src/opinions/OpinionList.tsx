import { useState } from 'react';
import { opinionLabel, type Opinion } from '../../../shared/opinions';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { formatCalendarDate, formatDateTime } from '../ui/format';
import { callOpinions, refreshOpinionQueries, useOpinionQuery } from './api';
import { takeFlash, useFocusHeading } from './flash';
import { go } from './route';
import { KIND_LABELS } from './vocab';

const MIN = 2;
const MAX = 4;

function whoText(opinion: Opinion): string {
  return opinion.clinician ?? (opinion.kind === 'tumor-board' ? 'Tumor board' : 'Doctor not named');
}

/** The recorded opinions: open one, record a new one, move to the trash (and back), choose 2–4 to compare. */
export function OpinionList() {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const list = useOpinionQuery('opinions.list', { trash: 'exclude' });
  const trash = useOpinionQuery('opinions.list', { trash: 'only' });
  const [chosen, setChosen] = useState<string[]>([]);
  const [flash] = useState(takeFlash);
  const [notice, setNotice] = useState<{ text: string; undoId?: string } | null>(null);

  const moveToTrash = useAction(async (opinion: Opinion) => {
    await callOpinions('opinions.trash', { id: opinion.id });
    setChosen((ids) => ids.filter((id) => id !== opinion.id));
    refreshOpinionQueries('opinions.list');
    setNotice({ text: `“${opinionLabel(opinion)}” was moved to the trash. Nothing is deleted: you can bring it back.`, undoId: opinion.id });
  });
  const restore = useAction(async (opinion: Opinion) => {
    await callOpinions('opinions.restore', { id: opinion.id });
    refreshOpinionQueries('opinions.list');
    setNotice({ text: `“${opinionLabel(opinion)}” is back in your opinions.` });
  });

  const items = list.data?.items ?? [];
  const trashed = trash.data?.items ?? [];
  const count = chosen.length;
  const canCompare = count >= MIN && count <= MAX;

  return (
    <div className="screen opinions-screen">
      <h1 ref={heading} tabIndex={-1}>
        Opinions
      </h1>
      <p className="lead">
        Write down what each doctor or tumor board told you, then put two to four opinions side by side to see where
        they agree and where they differ.
      </p>
      {flash ? <StatusText tone="good">{flash}</StatusText> : null}
      <div className="actions opinions-top-actions">
        <ActionButton onPress={() => go({ view: 'new' })}>Record an opinion</ActionButton>
      </div>

      <ErrorText error={list.error} />
      {list.loading && !list.data ? <p className="hint">Loading…</p> : null}

      {notice ? (
        <div className="status status-neutral notice-row" role="status">
          <span>{notice.text}</span>
          {notice.undoId ? (
            <ActionButton
              variant="secondary"
              isDisabled={restore.busy}
              onPress={() => {
                const opinion = trashed.find((o) => o.id === notice.undoId) ?? items.find((o) => o.id === notice.undoId);
                if (opinion) void restore.run(opinion);
              }}
            >
              Undo
            </ActionButton>
          ) : null}
        </div>
      ) : null}
      <ErrorText error={moveToTrash.error ?? restore.error} />

      {list.data && items.length === 0 ? (
        <div className="empty-state">
          <p>No opinions recorded yet.</p>
          <p className="hint">
            Start with the opinion you already have — for example your first oncologist’s plan — and add the second one
            when you get it. You can fill many values in from a pathology report or a clinic letter in your library.
          </p>
        </div>
      ) : null}

      {items.length > 0 ? (
        <section aria-labelledby="opinions-recorded" className="opinions-block">
          <h2 id="opinions-recorded">Recorded opinions</h2>
          <div className="table-wrap">
            <table className="opinion-table" data-testid="opinion-table">
              <thead>
                <tr>
                  <th scope="col">Compare</th>
                  <th scope="col">Which opinion</th>
                  <th scope="col">Doctor</th>
                  <th scope="col">Hospital or clinic</th>
                  <th scope="col">Date</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((opinion) => {
                  const checked = chosen.includes(opinion.id);
                  return (
                    <tr key={opinion.id} data-testid="opinion-row">
                      <td>
                        <input
                          type="checkbox"
                          className="checkbox-native"
                          checked={checked}
                          aria-label={`Choose for comparison: ${opinionLabel(opinion)}`}
                          onChange={() =>
                            setChosen((ids) => (checked ? ids.filter((id) => id !== opinion.id) : [...ids, opinion.id]))
                          }
                        />
                      </td>
                      <td>{KIND_LABELS[opinion.kind]}</td>
                      <td>
                        {whoText(opinion)}
                        {opinion.role ? <span className="hint block">{opinion.role}</span> : null}
                      </td>
                      <td>{opinion.institution ?? <span className="hint">Not stated</span>}</td>
                      <td>{opinion.date ? formatCalendarDate(opinion.date) : <span className="hint">Not stated</span>}</td>
                      <td className="row-actions">
                        <ActionButton variant="secondary" onPress={() => go({ view: 'edit', id: opinion.id })}>
                          <span>
                            Open<span className="visually-hidden"> {opinionLabel(opinion)}</span>
                          </span>
                        </ActionButton>
                        <ActionButton variant="quiet" onPress={() => void moveToTrash.run(opinion)}>
                          <span>
                            Move to trash<span className="visually-hidden"> ({opinionLabel(opinion)})</span>
                          </span>
                        </ActionButton>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="compare-bar">
            <p className="hint" id="compare-hint" aria-live="polite">
              {count === 0
                ? 'Tick two to four opinions to compare them.'
                : count === 1
                  ? '1 opinion chosen. Choose at least one more.'
                  : count > MAX
                    ? `${count} opinions chosen. Up to ${MAX} fit side by side: untick ${count - MAX}.`
                    : `${count} opinions chosen.`}
            </p>
            <ActionButton
              isDisabled={!canCompare}
              aria-describedby="compare-hint"
              onPress={() => {
                const kindOrder = ['first', 'second', 'third', 'tumor-board'];
                const ordered = items
                  .filter((o) => chosen.includes(o.id))
                  .sort(
                    (a, b) =>
                      kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
                      (a.date ?? a.createdAt).localeCompare(b.date ?? b.createdAt),
                  );
                go({ view: 'compare', ids: ordered.map((o) => o.id) });
              }}
            >
              Compare
            </ActionButton>
          </div>
        </section>
      ) : null}

      {trashed.length > 0 ? (
        <section aria-labelledby="opinions-trash" className="opinions-block">
          <h2 id="opinions-trash">Trash</h2>
          <p className="hint">Opinions here are not deleted. Bring one back to use it again.</p>
          <ul className="trash-list" data-testid="opinion-trash">
            {trashed.map((opinion) => (
              <li key={opinion.id}>
                <span>
                  {opinionLabel(opinion)}
                  <span className="hint"> — recorded {formatDateTime(opinion.createdAt)}</span>
                </span>
                <ActionButton variant="secondary" onPress={() => void restore.run(opinion)}>
                  <span>
                    Restore<span className="visually-hidden"> {opinionLabel(opinion)}</span>
                  </span>
                </ActionButton>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
