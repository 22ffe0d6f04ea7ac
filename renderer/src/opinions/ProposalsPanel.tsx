import { useId, useState } from 'react';
import { DOCUMENT_TYPE_LABELS, type DocumentSummary } from '../../../shared/contract/documents';
import { call } from '../api/client';
import { useAction } from '../api/useAction';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { formatCalendarDate } from '../ui/format';
import { callOpinions, type ProposalOut } from './api';
import { getIn, isListField, type Draft } from './draft';
import { Highlighted } from './Highlighted';
import { fieldLabel } from './labels';

type Decision = 'accepted' | 'edited' | 'rejected';

interface Found {
  documentId: string;
  title: string;
  proposals: ProposalOut[];
  phrases: (string | null)[];
}

const PREFERRED: readonly string[] = ['pathology', 'consultation', 'treatment-plan', 'genetic', 'radiology', 'operative'];

export function documentLabel(doc: DocumentSummary): string {
  const parts = [doc.title, DOCUMENT_TYPE_LABELS[doc.type]];
  if (doc.serviceDate) parts.push(formatCalendarDate(doc.serviceDate));
  return parts.join(' — ');
}

function unify(text: string): string {
  return text.replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\r\n?/g, (m) => (m.length === 2 ? ' \n' : '\n'));
}

/**
 * The phrase a proposal was read from. The core gives its offsets in the document's text; the text is joined
 * from the pages, so a few usual joins are tried and a phrase is used only if it really is inside the snippet.
 */
function phraseOf(proposal: ProposalOut, pages: string[]): string | null {
  if (proposal.end <= proposal.start) return null;
  for (const join of ['\n\n', '\n', '\f', '\n\f\n', ' ', '']) {
    const text = unify(pages.join(join));
    const phrase = text.slice(proposal.start, proposal.end).trim();
    if (phrase && proposal.snippet.toLowerCase().includes(phrase.toLowerCase())) return phrase;
  }
  return null;
}

interface Props {
  documents: DocumentSummary[];
  draft: Draft;
  /** Puts the value into the form; `edit` also takes the person to the field to change it. */
  onAccept(proposal: ProposalOut, documentId: string, title: string, edit: boolean): void;
}

/**
 * "Fill in from a report": the core reads a document and suggests values, each shown with the sentence it came
 * from. Nothing reaches the form until the person accepts it (or chooses Edit, which fills it in and opens the field).
 */
export function ProposalsPanel({ documents, draft, onAccept }: Props) {
  const selectId = useId();
  const ordered = [...documents].sort(
    (a, b) => rank(a.type) - rank(b.type) || (b.serviceDate ?? '').localeCompare(a.serviceDate ?? ''),
  );
  const [documentId, setDocumentId] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [decisions, setDecisions] = useState<Record<number, Decision>>({});

  const propose = useAction(async (id: string) => {
    const [result, detail] = await Promise.all([
      callOpinions('opinions.propose', { documentId: id }),
      call('documents.get', { id }).catch(() => null),
    ]);
    const pages = detail ? detail.pages.map((page) => page.text) : [];
    const doc = documents.find((d) => d.id === id);
    setDecisions({});
    setFound({
      documentId: id,
      title: doc?.title ?? 'the report',
      proposals: result.proposals,
      phrases: result.proposals.map((p) => phraseOf(p, pages)),
    });
  });

  const decide = (index: number, decision: Decision | null) =>
    setDecisions((current) => {
      const next = { ...current };
      if (decision) next[index] = decision;
      else delete next[index];
      return next;
    });

  const counts = found
    ? {
        accepted: Object.values(decisions).filter((d) => d !== 'rejected').length,
        rejected: Object.values(decisions).filter((d) => d === 'rejected').length,
        open: found.proposals.length - Object.keys(decisions).length,
      }
    : null;

  return (
    <section className="form-section proposals" aria-labelledby="proposals-heading" data-testid="proposals">
      <h2 id="proposals-heading">Fill in from a report</h2>
      <p className="hint">
        The app can read a report from your library and suggest values for this form. Nothing is filled in until you
        accept it. Check each suggestion against the sentence it came from — the marked words are what was read.
      </p>
      {documents.length === 0 ? (
        <p className="hint">Your library has no documents yet. Add a pathology report or a clinic letter under Records first.</p>
      ) : (
        <div className="proposal-picker">
          <div className="ofield">
            <label className="field-label" htmlFor={selectId}>
              Report to read
            </label>
            <select id={selectId} className="input select-native" value={documentId} onChange={(event) => setDocumentId(event.target.value)}>
              <option value="">Choose a document…</option>
              {ordered.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {documentLabel(doc)}
                </option>
              ))}
            </select>
          </div>
          <ActionButton
            variant="secondary"
            isDisabled={!documentId}
            busy={propose.busy}
            busyLabel="Reading the report…"
            onPress={() => void propose.run(documentId)}
          >
            Find values in this report
          </ActionButton>
        </div>
      )}
      <ErrorText error={propose.error} />

      {found ? (
        <div className="proposal-results">
          <h3>
            Suggestions from {found.title}
          </h3>
          {found.proposals.length === 0 ? (
            <p>No values were found in this report. You can type them into the form below.</p>
          ) : (
            <p className="hint" role="status">
              {found.proposals.length} suggestion{found.proposals.length === 1 ? '' : 's'}: {counts?.accepted} accepted,{' '}
              {counts?.rejected} not used, {counts?.open} still to decide.
            </p>
          )}
          <ul className="proposal-list" data-testid="proposal-list">
            {found.proposals.map((proposal, index) => (
              <ProposalItem
                key={index}
                proposal={proposal}
                phrase={found.phrases[index] ?? null}
                decision={decisions[index] ?? null}
                hasValue={!isListField(proposal.field) && getIn(draft, proposal.field) !== undefined}
                onAccept={(edit) => {
                  onAccept(proposal, found.documentId, found.title, edit);
                  decide(index, edit ? 'edited' : 'accepted');
                }}
                onReject={() => decide(index, 'rejected')}
                onReconsider={() => decide(index, null)}
              />
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function rank(type: string): number {
  const i = PREFERRED.indexOf(type);
  return i < 0 ? PREFERRED.length : i;
}

interface ItemProps {
  proposal: ProposalOut;
  phrase: string | null;
  decision: Decision | null;
  hasValue: boolean;
  onAccept(edit: boolean): void;
  onReject(): void;
  onReconsider(): void;
}

function ProposalItem({ proposal, phrase, decision, hasValue, onAccept, onReject, onReconsider }: ItemProps) {
  const id = useId();
  return (
    <li className={['proposal', decision ? `proposal-${decision}` : ''].join(' ')} data-testid="proposal" aria-labelledby={`${id}-value`}>
      <p className="proposal-value" id={`${id}-value`}>
        {proposal.display}
      </p>
      <p className="hint proposal-target" id={`${id}-target`}>
        Goes into: {fieldLabel(proposal.field)}
        {isListField(proposal.field) ? ' (added to the list)' : ''}
        {hasValue && !decision ? '. The form already has a value here; accepting changes it.' : ''}
      </p>
      <figure className="snippet">
        <figcaption className="hint">From the report:</figcaption>
        <blockquote className="snippet-text" data-testid="proposal-snippet">
          <Highlighted text={proposal.snippet} phrase={phrase} />
        </blockquote>
      </figure>
      {decision === null ? (
        <div className="actions proposal-actions">
          <button type="button" className="button button-primary button-small" aria-describedby={`${id}-value ${id}-target`} onClick={() => onAccept(false)}>
            Accept
          </button>
          <button type="button" className="button button-secondary button-small" aria-describedby={`${id}-value ${id}-target`} onClick={() => onAccept(true)}>
            Edit
          </button>
          <button type="button" className="button button-quiet button-small" aria-describedby={`${id}-value`} onClick={onReject}>
            Reject
          </button>
        </div>
      ) : (
        <div className="actions proposal-actions">
          <p className="proposal-decision" data-testid="proposal-decision">
            {decision === 'rejected' ? (
              <>
                <span aria-hidden="true">✕ </span>Not used
              </>
            ) : (
              <>
                <span aria-hidden="true">✓ </span>
                {decision === 'edited' ? 'In the form, ready for your changes' : 'Accepted — now in the form'}
              </>
            )}
          </p>
          {decision === 'rejected' ? (
            <button type="button" className="button button-quiet button-small" aria-describedby={`${id}-value`} onClick={onReconsider}>
              Reconsider
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}
