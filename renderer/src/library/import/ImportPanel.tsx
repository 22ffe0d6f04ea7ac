import { useEffect, useRef } from 'react';
import type { Progress } from '../../api/useTaskProgress';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorText } from '../../ui/ErrorText';
import { ProgressLine } from '../../ui/ProgressLine';
import { plural } from '../../ui/format';
import { typeLabel } from '../format';
import type { ImportState, ImportSummary } from './useImport';

interface Props {
  state: ImportState;
  onStop(): void;
  onDismiss(): void;
  onOpen(documentId: string): void;
}

/** Progress while files are added, then a plain summary of what happened to each one. */
export function ImportPanel({ state, onStop, onDismiss, onOpen }: Props) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'done') return <Summary summary={state.summary} onDismiss={onDismiss} onOpen={onOpen} />;
  const stopping = state.stopping;
  return (
    <section className="import-panel" aria-labelledby="import-heading" data-testid="import-progress">
      <h2 id="import-heading" className="import-title">
        Adding your documents
      </h2>
      {state.phase === 'preparing' ? (
        <ProgressLine
          label="Getting the files ready:"
          progress={{ type: 'progress', taskId: '', operation: 'prepare', phase: 'preparing', done: state.done, total: state.total, unit: 'files' }}
        />
      ) : (
        <>
          <ProgressLine label={state.parts > 1 ? `Part ${state.part} of ${state.parts}:` : 'Reading and filing:'} progress={state.files} />
          <p className="hint import-phase" data-testid="import-phase">
            {phaseWords(state.progress)}
          </p>
        </>
      )}
      <div className="actions">
        <ActionButton variant="secondary" onPress={onStop} busy={stopping} busyLabel="Stopping…">
          Stop
        </ActionButton>
        <p className="hint import-stop-hint">Documents already added stay in your records if you stop.</p>
      </div>
    </section>
  );
}

function phaseWords(progress: Progress | null): string {
  if (!progress) return 'Starting…';
  if (progress.phase === 'done') return 'Finishing…';
  const phase = progress.phase;
  return `${phase.charAt(0).toUpperCase()}${phase.slice(1)}…`;
}

function Summary({ summary, onDismiss, onOpen }: { summary: ImportSummary; onDismiss(): void; onOpen(documentId: string): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const { imported, duplicates, skipped, failed } = summary;
  const nothing = imported.length + duplicates.length + skipped.length + failed.length === 0;
  return (
    <section className="import-panel import-summary" aria-labelledby="import-summary-heading" data-testid="import-summary">
      <h2 id="import-summary-heading" className="import-title" tabIndex={-1} ref={heading}>
        {summary.stopped ? 'Adding stopped' : 'Adding finished'}
      </h2>
      <ErrorText error={summary.error} />
      {summary.stopped ? (
        <p>
          You stopped before every file was looked at.
          {summary.notLookedAt > 0 ? ` ${plural(summary.notLookedAt, 'file was', 'files were')} not added; you can add them again later.` : ''}{' '}
          Documents added before you stopped are kept.
        </p>
      ) : null}
      {nothing && !summary.stopped && !summary.error ? <p>No files were added.</p> : null}

      {imported.length > 0 ? (
        <div className="summary-group summary-good" data-testid="summary-imported">
          <h3>Added to your records: {imported.length.toLocaleString()}</h3>
          <ul className="summary-list">
            {imported.map((item) => (
              <li key={item.documentId}>
                <button type="button" className="link-button" onClick={() => onOpen(item.documentId)}>
                  {item.title}
                </button>{' '}
                <span className="hint">
                  {typeLabel(item.type)} · from {item.name}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {duplicates.length > 0 ? (
        <div className="summary-group" data-testid="summary-duplicates">
          <h3>Already in your records: {duplicates.length.toLocaleString()}</h3>
          <p className="hint">These files were added before, so they were not added a second time.</p>
          <ul className="summary-list">
            {duplicates.map((item, index) => (
              <li key={`${item.documentId}-${index}`}>
                {item.name}{' '}
                <button type="button" className="link-button" onClick={() => onOpen(item.documentId)}>
                  Open the copy you have
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {skipped.length > 0 ? (
        <div className="summary-group" data-testid="summary-skipped">
          <h3>Not a kind of file the app can add: {skipped.length.toLocaleString()}</h3>
          <p className="hint">The app takes PDF files and pictures (JPEG, PNG, TIFF).</p>
          <ReasonList items={skipped} />
        </div>
      ) : null}

      {failed.length > 0 ? (
        <div className="summary-group summary-problem" data-testid="summary-failed">
          <h3>Could not be read: {failed.length.toLocaleString()}</h3>
          <ReasonList items={failed} />
        </div>
      ) : null}

      <div className="actions">
        <ActionButton variant="secondary" onPress={onDismiss}>
          Close this summary
        </ActionButton>
      </div>
    </section>
  );
}

function ReasonList({ items }: { items: { name: string; reason: string }[] }) {
  return (
    <ul className="summary-list">
      {items.map((item, index) => (
        <li key={`${item.name}-${index}`}>
          <span className="summary-name">{item.name}</span>
          <span className="summary-reason">{item.reason}</span>
        </li>
      ))}
    </ul>
  );
}
