import { useEffect, useRef, type ReactNode } from 'react';
import type { PacketBuildResult } from '../../../shared/contract';
import type { AppError } from '../api/AppError';
import type { Progress } from '../api/useTaskProgress';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { ProgressLine } from '../ui/ProgressLine';
import { formatBytes, plural } from '../ui/format';
import type { BuildState } from './usePacketBuild';
import { FORMAT_WORDS, NEXT_STEPS } from './words';

interface Props {
  state: BuildState;
  /** Shown once the packet is written but a follow-up (linking it to the appointment) failed. */
  afterError?: AppError | null;
  /** Extra lines under the report, e.g. that the appointment now points at this packet. */
  reportExtra?: ReactNode;
  onCancel(): void;
  onRetry(): void;
  /** Buttons under the report or the "not made" message. */
  children?: ReactNode;
}

/** The build as it happens (progress and Cancel), then what came of it: the report, "stopped", or the error. */
export function BuildPanel({ state, afterError, reportExtra, onCancel, onRetry, children }: Props) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'building':
      return (
        <section className="packets-panel" aria-labelledby="packets-building-heading" data-testid="packet-progress">
          <h3 id="packets-building-heading">Making your packet</h3>
          <ProgressLine label={progressLabel(state.progress)} progress={state.progress} />
          <div className="actions">
            <ActionButton variant="secondary" onPress={onCancel} busy={state.stopping} busyLabel="Cancelling…">
              Cancel
            </ActionButton>
            <p className="hint packets-inline-hint">If you cancel, nothing is kept: no half-made packet is left behind.</p>
          </div>
        </section>
      );
    case 'stopped':
      return (
        <section className="packets-panel" aria-labelledby="packets-stopped-heading" data-testid="packet-stopped">
          <FocusedHeading id="packets-stopped-heading">The packet was not made</FocusedHeading>
          <p>You cancelled, so nothing was saved and nothing was left behind. You can make the packet again at any time.</p>
          <div className="actions">
            <ActionButton onPress={onRetry}>Make the packet</ActionButton>
            {children}
          </div>
        </section>
      );
    case 'failed':
      return (
        <section className="packets-panel" aria-labelledby="packets-failed-heading" data-testid="packet-failed">
          <FocusedHeading id="packets-failed-heading">The packet could not be made</FocusedHeading>
          <ErrorText error={state.error} />
          <div className="actions">
            <ActionButton onPress={onRetry}>Try again</ActionButton>
            {children}
          </div>
        </section>
      );
    case 'done':
      return (
        <BuildReport result={state.result} afterError={afterError ?? null} extra={reportExtra}>
          {children}
        </BuildReport>
      );
  }
}

/** The core's phases are already plain words ("Merging the records"); only the colon is added. */
function progressLabel(progress: Progress | null): string {
  return progress ? `${progress.phase}:` : 'Getting ready:';
}

/** A heading that takes focus when it appears, so keyboard and screen-reader users land on the outcome. */
function FocusedHeading({ id, children }: { id: string; children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Focus alone scrolls it only just into view, under the bar at the bottom: bring the outcome to the top.
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <h3 id={id} tabIndex={-1} ref={ref}>
      {children}
    </h3>
  );
}

function BuildReport({ result, afterError, extra, children }: { result: PacketBuildResult; afterError: AppError | null; extra: ReactNode; children: ReactNode }) {
  const contents = [
    result.documents > 0 ? `${plural(result.documents, 'document', 'documents')} (${plural(result.recordsPages, 'page', 'pages')} in RECORDS.PDF)` : null,
    result.studies > 0 ? `${plural(result.studies, 'scan', 'scans')} (${plural(result.instances, 'image file', 'image files')})` : null,
    `a cover letter of ${plural(result.coverPages, 'page', 'pages')}`,
  ].filter(Boolean);
  return (
    <section className="packets-panel packets-report" aria-labelledby="packets-report-heading" data-testid="packet-report">
      <FocusedHeading id="packets-report-heading">{result.check.ok ? 'Your packet is ready' : 'The packet was written, but its check found problems'}</FocusedHeading>
      <dl className="facts packets-facts">
        <div>
          <dt>Saved as</dt>
          <dd className="path" data-testid="report-path">
            {result.path}
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {FORMAT_WORDS[result.format].name}
            {result.profileName ? `, images as DICOM ${result.profileName}` : ''}
          </dd>
        </div>
        <div>
          <dt>Holds</dt>
          <dd>{contents.join(', ')}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd data-testid="report-size">
            {plural(result.files, 'file', 'files')}, {formatBytes(result.bytes)}
          </dd>
        </div>
        <div>
          <dt>Check</dt>
          <dd data-testid="report-check">
            {result.check.ok
              ? `Passed: the app read every file back (${plural(result.check.files, 'file', 'files')}) and each matched its fingerprint.`
              : 'Failed: some files did not read back as written.'}
          </dd>
        </div>
        <div>
          <dt>Fingerprint</dt>
          <dd>
            <span className="path packets-fingerprint" data-testid="report-fingerprint">
              {result.manifestSha256}
            </span>
            <span className="hint packets-fingerprint-hint">
              The SHA-256 of MANIFEST.JSN, which lists every file with its own fingerprint. The office can use it to check nothing was damaged on the way.
            </span>
          </dd>
        </div>
      </dl>
      {result.check.problems.length > 0 ? (
        <ul className="packets-problems">
          {result.check.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {extra}
      <ErrorText error={afterError} />
      <p className="hint">{NEXT_STEPS[result.format]}</p>
      {children ? <div className="actions">{children}</div> : null}
    </section>
  );
}
