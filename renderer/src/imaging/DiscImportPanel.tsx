import { useEffect, useRef } from 'react';
import { Button, Dialog, FileTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { DiscImportOutcome } from '../../../shared/contract';
import type { Progress } from '../api/useTaskProgress';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { formatBytes } from '../ui/format';
import { ProgressLine } from '../ui/ProgressLine';
import type { DiscImportState, DiscMismatch } from './useDiscImport';
import { displayDate, displayName, plainCount } from './words';

interface ChooseProps {
  disabled: boolean;
  onFolder(files: File[]): void;
  onFile(files: File[]): void;
}

/** The two ways to pick a disc, plus a word on dragging. */
export function ChooseDisc({ disabled, onFolder, onFile }: ChooseProps) {
  return (
    <section className="imaging-add" aria-labelledby="imaging-add-heading">
      <h2 id="imaging-add-heading">Add scans from a disc</h2>
      <p className="hint">
        Insert the CD, DVD or USB stick from the hospital, then choose it below, or choose a disc image (.iso) or a .zip
        file you were sent. You can also drag it onto this window. The app copies the images and any reports into your
        vault. Programs on the disc are never started.
      </p>
      <div className="actions">
        <FileTrigger acceptDirectory onSelect={(list) => list && list.length > 0 && onFolder(Array.from(list))}>
          <Button className="button button-primary" isDisabled={disabled}>
            Choose a disc or folder
          </Button>
        </FileTrigger>
        <FileTrigger acceptedFileTypes={['.iso', '.zip']} onSelect={(list) => list && list.length > 0 && onFile(Array.from(list))}>
          <Button className="button button-secondary" isDisabled={disabled}>
            Choose a disc image (.iso or .zip)
          </Button>
        </FileTrigger>
      </div>
    </section>
  );
}

const PHASE_WORDS: Record<string, string> = {
  'looking at the disc': 'Looking at what is on the disc',
  'copying into your vault': 'Copying the images into your vault',
  'making pictures of each series': 'Making a small picture of each series',
};

function progressLabel(progress: Progress | null): string {
  if (!progress) return 'Starting:';
  return `${PHASE_WORDS[progress.phase] ?? `${progress.phase.charAt(0).toUpperCase()}${progress.phase.slice(1)}`}:`;
}

interface PanelProps {
  state: DiscImportState;
  profile: { fullName: string; birthDate: string } | undefined;
  onStop(): void;
  onAccept(): void;
  onDecline(): void;
  onDismiss(): void;
}

/** Progress while a disc is read, the held-back question, then a plain summary. */
export function DiscImportPanel({ state, profile, onStop, onAccept, onDecline, onDismiss }: PanelProps) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'preparing':
    case 'importing': {
      const progress = state.phase === 'importing' ? state.progress : null;
      const stopping = state.phase === 'importing' && state.stopping;
      return (
        <section className="imaging-panel" aria-labelledby="imaging-progress-heading" data-testid="disc-progress">
          <h2 id="imaging-progress-heading">Reading the disc</h2>
          <ProgressLine label={state.phase === 'preparing' ? 'Opening it:' : progressLabel(progress)} progress={progress} />
          <div className="actions">
            <ActionButton variant="secondary" onPress={onStop} busy={stopping} busyLabel="Stopping…">
              Stop
            </ActionButton>
            <p className="hint imaging-stop-hint">Images already copied stay in your vault if you stop.</p>
          </div>
        </section>
      );
    }
    case 'held-back':
      return <HeldBackDialog mismatches={state.mismatches} profile={profile} onAccept={onAccept} onDecline={onDecline} />;
    case 'nothing':
      return (
        <section className="imaging-panel" aria-labelledby="imaging-nothing-heading" data-testid="disc-nothing">
          <Focused id="imaging-nothing-heading">Nothing was imported</Focused>
          <p>
            {state.reason === 'declined'
              ? 'You chose not to import this disc. Nothing from it was copied into your vault.'
              : 'You stopped before any images were copied. You can import the disc again at any time.'}
          </p>
          <div className="actions">
            <ActionButton variant="secondary" onPress={onDismiss}>
              Close
            </ActionButton>
          </div>
        </section>
      );
    case 'failed':
      return (
        <section className="imaging-panel" aria-labelledby="imaging-failed-heading" data-testid="disc-failed">
          <Focused id="imaging-failed-heading">The disc could not be imported</Focused>
          <ErrorText error={state.error} />
          <div className="actions">
            <ActionButton variant="secondary" onPress={onDismiss}>
              Close
            </ActionButton>
          </div>
        </section>
      );
    case 'done':
      return <DiscSummary outcome={state.outcome} onDismiss={onDismiss} />;
  }
}

/** A heading that takes focus when it appears, so keyboard and screen-reader users land on the result. */
function Focused({ id, children }: { id: string; children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 id={id} tabIndex={-1} ref={ref}>
      {children}
    </h2>
  );
}

/** One line per person named on the disc, saying what differs from the vault's profile. */
function whoIsOnTheDisc(mismatches: DiscMismatch[]): { key: string; name: string; birth: string; differs: string }[] {
  const people = new Map<string, { name: string; birth: string; fields: Set<string> }>();
  for (const mismatch of mismatches) {
    const key = `${mismatch.patientOnDisc ?? ''}|${mismatch.birthDateOnDisc ?? ''}`;
    const person = people.get(key) ?? { name: displayName(mismatch.patientOnDisc), birth: mismatch.birthDateOnDisc ? displayDate(mismatch.birthDateOnDisc) : 'not given', fields: new Set<string>() };
    person.fields.add(mismatch.field);
    people.set(key, person);
  }
  return [...people.entries()].map(([key, person]) => ({
    key,
    name: person.name,
    birth: person.birth,
    differs: person.fields.size > 1 ? 'the name and the date of birth differ' : person.fields.has('name') ? 'the name differs' : 'the date of birth differs',
  }));
}

function HeldBackDialog({ mismatches, profile, onAccept, onDecline }: { mismatches: DiscMismatch[]; profile: PanelProps['profile']; onAccept(): void; onDecline(): void }) {
  const people = whoIsOnTheDisc(mismatches);
  return (
    <ModalOverlay className="imaging-modal-overlay" isOpen isDismissable={false} onOpenChange={(open) => !open && onDecline()}>
      <Modal className="imaging-modal">
        <Dialog role="alertdialog" className="imaging-dialog" data-testid="held-back">
          <Heading slot="title">Is this disc yours?</Heading>
          <p>
            Your vault holds the records of <strong>{profile ? profile.fullName : 'one person'}</strong>
            {profile ? `, born ${displayDate(profile.birthDate)}` : ''}. This disc {people.length > 1 ? 'names these people' : 'names this person'}:
          </p>
          <ul className="imaging-people">
            {people.map((person) => (
              <li key={person.key}>
                <span className="imaging-person">{person.name}</span>, born {person.birth}{' '}
                <span className="hint">({person.differs})</span>
              </li>
            ))}
          </ul>
          <p>
            Nothing has been copied yet. Import it only if these images belong to you or to the person you care for,
            for example under an earlier name. Discs sometimes hold other people’s scans by mistake.
          </p>
          <div className="actions">
            <ActionButton onPress={onAccept}>These are mine / someone I care for — import</ActionButton>
            <ActionButton variant="secondary" onPress={onDecline} autoFocus>
              Don’t import
            </ActionButton>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function DiscSummary({ outcome, onDismiss }: { outcome: DiscImportOutcome; onDismiss(): void }) {
  const { instances, documents } = outcome;
  const heading = outcome.cancelled ? 'Import stopped' : 'Import finished';
  return (
    <section className="imaging-panel imaging-summary" aria-labelledby="imaging-summary-heading" data-testid="disc-summary">
      <Focused id="imaging-summary-heading">{heading}</Focused>
      {outcome.cancelled ? (
        <p>You stopped before everything was copied. What was copied is kept; import the disc again to finish — nothing will be copied twice.</p>
      ) : null}
      <ul className="imaging-summary-counts">
        <li data-testid="summary-images-added">
          <strong>{plainCount(instances.added, 'imaging file', 'imaging files')}</strong> added
          {outcome.bytesStored > 0 ? <span className="hint"> ({formatBytes(outcome.bytesStored)})</span> : null}
        </li>
        {instances.alreadyInVault > 0 ? (
          <li data-testid="summary-images-already">
            <strong>{plainCount(instances.alreadyInVault, 'imaging file was', 'imaging files were')}</strong> already in your vault, so not
            copied again
          </li>
        ) : null}
        {instances.conflicts > 0 ? (
          <li data-testid="summary-conflicts">
            <strong>{plainCount(instances.conflicts, 'imaging file', 'imaging files')}</strong> had the same identity as one you already had but
            different content: both copies are kept
          </li>
        ) : null}
        <li data-testid="summary-reports">
          <strong>{plainCount(documents.added, 'report', 'reports')}</strong> added to your records
          {documents.alreadyInVault > 0 ? `, ${plainCount(documents.alreadyInVault, 'report was', 'reports were')} already there` : ''}
          {documents.added > 0 ? (
            <>
              {' '}
              (<a href="#/records">see them in Records</a>)
            </>
          ) : null}
        </li>
        {outcome.softwareSkipped > 0 ? (
          <li data-testid="summary-software">
            <strong>{plainCount(outcome.softwareSkipped, 'file', 'files')}</strong> of viewer software on the disc skipped. They were
            never started.
          </li>
        ) : null}
      </ul>

      {outcome.unsupportedThumbnails.length > 0 ? (
        <div className="imaging-summary-group" data-testid="summary-unsupported">
          <h3>Pictures the app cannot draw yet: {plainCount(outcome.unsupportedThumbnails.length, 'series', 'series')}</h3>
          <p className="hint">They are imported unchanged, and your doctor’s imaging software can open them.</p>
          <ul className="imaging-reasons">
            {[...new Set(outcome.unsupportedThumbnails.map((item) => item.encoding))].map((encoding) => (
              <li key={encoding}>Stored as {encoding}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {outcome.failed.length > 0 ? (
        <div className="imaging-summary-group imaging-summary-problem" data-testid="summary-failed">
          <h3>Files that could not be read: {outcome.failed.length.toLocaleString()}</h3>
          <ReasonList items={outcome.failed} />
        </div>
      ) : null}

      {outcome.skipped.length > 0 ? (
        <details className="imaging-summary-group" data-testid="summary-skipped">
          <summary>Other files left out: {outcome.skipped.length.toLocaleString()}</summary>
          <ReasonList items={outcome.skipped} />
        </details>
      ) : null}

      {outcome.dicomdir.present && outcome.dicomdir.missingFiles > 0 ? (
        <p className="hint">
          The disc’s own index lists {plainCount(outcome.dicomdir.missingFiles, 'file', 'files')} that {outcome.dicomdir.missingFiles === 1 ? 'is' : 'are'} not on
          it. That is common and nothing to worry about; the app read every file that is there.
        </p>
      ) : null}

      <div className="actions">
        <ActionButton variant="secondary" onPress={onDismiss}>
          Close this summary
        </ActionButton>
      </div>
    </section>
  );
}

function ReasonList({ items }: { items: { path: string; reason: string }[] }) {
  const shown = items.slice(0, 200);
  return (
    <ul className="imaging-reasons">
      {shown.map((item, index) => (
        <li key={`${item.path}-${index}`}>
          <span className="path">{item.path}</span> <span className="imaging-reason">{item.reason}</span>
        </li>
      ))}
      {items.length > shown.length ? <li className="hint">…and {(items.length - shown.length).toLocaleString()} more.</li> : null}
    </ul>
  );
}
