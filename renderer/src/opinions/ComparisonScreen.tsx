import { Fragment, useId, useState } from 'react';
import { setData } from '../api/cache';
import { documentHref } from '../library/useDocumentRoute';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { formatBytes } from '../ui/format';
import { callOpinions, useOpinionQuery, type ComparisonQuestionOut, type ComparisonResult } from './api';
import { DecisionLog } from './DecisionLog';
import { useFocusHeading } from './flash';
import { QuestionItem } from './QuestionItem';
import { go } from './route';

type Row = ComparisonResult['rows'][number];
type Status = Row['status'];
type Group = Row['group'];

const GROUPS: { id: Group; title: string }[] = [
  { id: 'diagnosis', title: 'Diagnosis' },
  { id: 'stage', title: 'Stage' },
  { id: 'receptors', title: 'Receptors and markers' },
  { id: 'treatment', title: 'Treatment' },
  { id: 'other', title: 'Other' },
];

/** Each status has its own words and symbol, so nothing depends on colour alone. */
export const STATUS_WORDS: Record<Status, { icon: string; text: string; explain: string }> = {
  same: { icon: '✓', text: 'Same', explain: 'All opinions say the same (different wording can mean the same thing).' },
  different: { icon: '≠', text: 'Different', explain: 'At least two opinions say different things.' },
  partial: { icon: '◐', text: 'Only some say', explain: 'Some opinions do not mention it; the ones that do agree.' },
  'not-stated': { icon: '–', text: 'Not stated by any', explain: 'None of the opinions mention it.' },
};

export function compareKey(ids: string[]): string {
  return `opinions.compare:${JSON.stringify({ ids })}`;
}

function StatusMark({ status }: { status: Status }) {
  const words = STATUS_WORDS[status];
  return (
    <span className={`row-status row-status-${status}`} data-testid="row-status">
      <span className="row-status-icon" aria-hidden="true">
        {words.icon}
      </span>
      {words.text}
    </span>
  );
}

/** Two to four opinions side by side, with the summary, the questions for each difference and the decision log. */
export function ComparisonScreen({ ids }: { ids: string[] }) {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const comparison = useOpinionQuery('opinions.compare', { ids });
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const [hideUnstated, setHideUnstated] = useState(false);
  const filterId = useId();
  const data = comparison.data;

  const pdf = useAction(() => callOpinions('opinions.comparisonPdf', { ids }));
  // Kept with the records, the comparison can go into a packet for a third opinion or a tumor board.
  const keep = useAction(() => callOpinions('opinions.addComparisonToRecords', { ids }));

  const replaceQuestion = (saved: ComparisonQuestionOut) => {
    if (!data) return;
    setData(compareKey(ids), { ...data, questions: data.questions.map((q) => (q.id === saved.id ? saved : q)) });
  };

  if (comparison.error) {
    return (
      <div className="screen">
        <h1 ref={heading} tabIndex={-1}>
          Compare opinions
        </h1>
        <ErrorText error={comparison.error} />
        <div className="actions">
          <ActionButton variant="secondary" onPress={comparison.reload}>
            Try again
          </ActionButton>
          <ActionButton variant="secondary" onPress={() => go({ view: 'list' })}>
            Back to opinions
          </ActionButton>
        </div>
      </div>
    );
  }

  const rows = data?.rows ?? [];
  const visible = rows.filter((row) => (onlyDifferences ? row.status === 'different' : !(hideUnstated && row.status === 'not-stated')));
  const questionsByField = new Map<string, ComparisonQuestionOut[]>();
  for (const question of data?.questions ?? []) {
    if (question.dismissed) continue;
    questionsByField.set(question.field, [...(questionsByField.get(question.field) ?? []), question]);
  }
  const columns = data?.opinions ?? [];

  return (
    <div className="screen comparison-screen">
      <p className="back-line">
        <a href="#/opinions">← Back to opinions</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {columns.length ? `Comparing ${columns.length} opinions` : 'Compare opinions'}
      </h1>
      {comparison.loading && !data ? <p className="hint">Putting the opinions side by side…</p> : null}
      {data ? (
        <>
          <section className="summary-box" aria-labelledby="cmp-summary-title" data-testid="comparison-summary">
            <h2 id="cmp-summary-title">In short</h2>
            <p>{data.summary}</p>
            <p className="hint">
              {data.differences === 0
                ? 'No point was found where the opinions say different things.'
                : `${data.differences} ${data.differences === 1 ? 'point differs' : 'points differ'}. Differences are normal and worth talking about; they do not mean one doctor is wrong.`}
            </p>
          </section>

          <div className="comparison-tools">
            <fieldset className="filter-set" aria-describedby={`${filterId}-count`}>
              <legend className="visually-hidden">What to show</legend>
              <label className="check-native">
                <input type="checkbox" checked={onlyDifferences} onChange={(event) => setOnlyDifferences(event.target.checked)} />
                <span>Show only differences</span>
              </label>
              <label className="check-native">
                <input
                  type="checkbox"
                  checked={hideUnstated}
                  disabled={onlyDifferences}
                  onChange={(event) => setHideUnstated(event.target.checked)}
                />
                <span>Hide points no opinion mentions</span>
              </label>
            </fieldset>
            <p className="hint" id={`${filterId}-count`} aria-live="polite">
              Showing {visible.length} of {rows.length} points.
            </p>
            <div className="pdf-action">
              <ActionButton variant="secondary" busy={pdf.busy} busyLabel="Writing the PDF…" onPress={() => void pdf.run()}>
                Save as PDF
              </ActionButton>
              <ActionButton variant="secondary" busy={keep.busy} busyLabel="Adding it to your records…" onPress={() => void keep.run()}>
                Add to my records
              </ActionButton>
            </div>
          </div>
          <ErrorText error={pdf.error} />
          <ErrorText error={keep.error} />
          {keep.result && !keep.busy ? (
            <StatusText tone="good">
              <p data-testid="kept-in-records">
                {keep.result.alreadyThere ? 'This comparison is already in your records' : 'The comparison is now in your records'}, so
                you can add it to a packet for a third opinion or a tumor board.{' '}
                <a href={documentHref(keep.result.documentId)}>Open it in Records</a>
              </p>
            </StatusText>
          ) : null}
          {pdf.result && !pdf.busy ? (
            <StatusText tone="good">
              <p>
                The comparison was saved as a PDF ({pdf.result.pages} {pdf.result.pages === 1 ? 'page' : 'pages'},{' '}
                {formatBytes(pdf.result.bytes)}) to:
              </p>
              <p className="path" data-testid="pdf-path">
                {pdf.result.path}
              </p>
            </StatusText>
          ) : null}

          <details className="legend-box">
            <summary>What the marks mean</summary>
            <ul className="status-legend">
              {(Object.keys(STATUS_WORDS) as Status[]).map((status) => (
                <li key={status}>
                  <StatusMark status={status} /> — {STATUS_WORDS[status].explain}
                </li>
              ))}
            </ul>
          </details>

          <div className="table-wrap comparison-wrap" role="region" aria-label="Opinions side by side" tabIndex={0}>
            <table className="comparison-table" data-testid="comparison-table">
              <caption className="visually-hidden">
                The opinions side by side, one point per row, with whether they agree
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="cmp-label-col">
                    Point
                  </th>
                  {columns.map((column) => (
                    <th scope="col" key={column.id} data-testid="comparison-column">
                      {column.label}
                    </th>
                  ))}
                  <th scope="col" className="cmp-status-col">
                    Agreement
                  </th>
                </tr>
              </thead>
              {GROUPS.map((group) => {
                const groupRows = visible.filter((row) => row.group === group.id);
                if (groupRows.length === 0) return null;
                return (
                  <tbody key={group.id}>
                    <tr className="cmp-group-row">
                      <th scope="colgroup" colSpan={columns.length + 2}>
                        {group.title}
                      </th>
                    </tr>
                    {groupRows.map((row) => (
                      <ComparisonRowView key={row.field} row={row} questions={questionsByField.get(row.field)?.length ?? 0} />
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
          {visible.length === 0 ? <p className="hint">No points to show with this filter.</p> : null}

          <QuestionsSection data={data} ids={ids} onSaved={replaceQuestion} />
          <DecisionLog
            ids={ids}
            opinions={columns}
            decisions={data.decisions}
            onRecorded={(decision) => setData(compareKey(ids), { ...data, decisions: [...data.decisions, decision] })}
          />
        </>
      ) : null}
    </div>
  );
}

function anchorFor(field: string): string {
  return `q-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function ComparisonRowView({ row, questions }: { row: Row; questions: number }) {
  return (
    <tr className={`cmp-row cmp-${row.status}`} data-testid="comparison-row" data-field={row.field} data-status={row.status}>
      <th scope="row" className="cmp-label">
        {row.label}
        {row.note ? <span className="cmp-note">{row.note}</span> : null}
        {row.status === 'different' && questions > 0 ? (
          <a className="cmp-questions-link" href={`#${anchorFor(row.field)}`} onClick={(event) => jumpTo(event, anchorFor(row.field))}>
            {questions === 1 ? '1 question to ask' : `${questions} questions to ask`}
            <span className="visually-hidden"> about {row.label}</span>
          </a>
        ) : null}
      </th>
      {row.values.map((value, index) => (
        <td key={index} className={value ? 'cmp-value' : 'cmp-value cmp-empty'}>
          {value ? (
            <>
              {value.text}
              {value.source ? (
                <details className="cmp-source">
                  <summary>From a report</summary>
                  <span className="hint">“{value.source.snippet}”</span>
                </details>
              ) : null}
            </>
          ) : (
            <span className="not-stated-cell">
              <span aria-hidden="true">○ </span>Not stated
            </span>
          )}
        </td>
      ))}
      <td className="cmp-status">
        <StatusMark status={row.status} />
      </td>
    </tr>
  );
}

function jumpTo(event: { preventDefault(): void }, id: string) {
  // The address holds the screen's route, so the jump moves focus instead of changing the hash.
  event.preventDefault();
  const target = document.getElementById(id);
  if (target) {
    target.focus();
    target.scrollIntoView?.({ block: 'start' });
  }
}

function QuestionsSection({ data, ids, onSaved }: { data: ComparisonResult; ids: string[]; onSaved(q: ComparisonQuestionOut): void }) {
  const rowsByField = new Map(data.rows.map((row) => [row.field, row]));
  const active = data.questions.filter((q) => !q.dismissed);
  const dismissed = data.questions.filter((q) => q.dismissed);
  const groups: { key: string; title: string; status: Status | null; items: ComparisonQuestionOut[] }[] = [];
  const order = (field: string) => {
    const row = rowsByField.get(field);
    if (row?.status === 'different') return 0;
    if (field === 'overall') return 2;
    return 1;
  };
  const fields = [...new Set(active.map((q) => q.field))].sort((a, b) => order(a) - order(b));
  for (const field of fields) {
    const row = rowsByField.get(field);
    groups.push({
      key: field,
      title: row ? row.label : field === 'overall' ? 'About the whole picture' : 'Other questions',
      status: row?.status ?? null,
      items: active.filter((q) => q.field === field),
    });
  }
  const planned = data.questions.filter((q) => q.inPlan && !q.dismissed).length;

  return (
    <section className="questions-section" aria-labelledby="questions-title" data-testid="questions">
      <h2 id="questions-title">Questions to ask</h2>
      <p className="hint">
        Suggested questions for each difference. Change the wording so it sounds like you, write down the answers you
        get, and tick “Bring to my next appointment” for the ones to take along.{' '}
        {planned > 0 ? `${planned} ${planned === 1 ? 'question is' : 'questions are'} marked for your next appointment.` : ''}
      </p>
      {groups.length === 0 ? <p>No questions for now.</p> : null}
      {groups.map((group) => (
        <div key={group.key} className="question-group" data-testid="question-group" data-field={group.key}>
          <h3 id={anchorFor(group.key)} tabIndex={-1}>
            {group.title}
            {group.status ? (
              <span className="question-group-status">
                {' '}
                <StatusMark status={group.status} />
              </span>
            ) : null}
          </h3>
          <ul className="question-list">
            {group.items.map((question) => (
              <QuestionItem key={question.id} ids={ids} question={question} onSaved={onSaved} />
            ))}
          </ul>
        </div>
      ))}
      {dismissed.length > 0 ? (
        <details className="dismissed-box">
          <summary>Dismissed questions ({dismissed.length})</summary>
          <ul className="question-list">
            {dismissed.map((question) => (
              <Fragment key={question.id}>
                <QuestionItem ids={ids} question={question} onSaved={onSaved} />
              </Fragment>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
