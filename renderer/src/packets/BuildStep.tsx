import type { ReactNode } from 'react';
import type { PacketPreview } from '../../../shared/contract';
import { ActionButton } from '../ui/ActionButton';
import { formatCalendarDate, plural } from '../ui/format';
import { BuildPanel } from './BuildPanel';
import { toRecipient, type PacketDraft } from './draft';
import { ProblemList } from './PreviewPanel';
import { go } from './route';
import { ChosenPlaceWords, EXPORTS_FOLDER_WORDS } from './SaveLocation';
import type { usePacketBuild } from './usePacketBuild';
import { FORMAT_WORDS, previewLine, PROFILE_WORDS, recipientName } from './words';

interface Props {
  draft: PacketDraft;
  preview: PacketPreview;
  /** Whether the preview answers the current choice. */
  current: boolean;
  builder: ReturnType<typeof usePacketBuild>;
  onBuild(): void;
  onGoTo(step: number): void;
  onNewPacket(): void;
  /** A line under the report, e.g. that the appointment now points at the packet. */
  reportExtra?: ReactNode;
}

/** Errors of packets.build that are about the place it was to be written (electron/core/export/build.ts). */
const PLACE_PROBLEMS: ReadonlySet<string> = new Set(['DESTINATION_NOT_EMPTY', 'PERMISSION_DENIED', 'DISK_FULL']);

/** Step 5: one look at everything, then the build with progress and Cancel, and the report. */
export function BuildStep({ draft, preview, current, builder, onBuild, onGoTo, onNewPacket, reportExtra }: Props) {
  const idle = builder.state.phase === 'idle';
  const recipient = toRecipient(draft.recipient);
  const questions = draft.questions.filter((q) => q.text.trim()).length;
  const hasImages = preview.studies.some((study) => study.selected);
  const profile = draft.profile ?? preview.profile.chosen;
  const destination = draft.destination && draft.destination.format === draft.format ? draft.destination : null;
  // The place could not take the packet (a name already there, no permission, full, or a chosen place inside the
  // vault, which the core refuses as invalid input): offer to choose another.
  const failedCode = builder.state.phase === 'failed' ? builder.state.error.code : null;
  const placeProblem = failedCode !== null && (PLACE_PROBLEMS.has(failedCode) || (destination !== null && failedCode === 'INVALID_INPUT'));

  const row = (term: string, value: ReactNode, step: number, what: string) => (
    <div>
      <dt>{term}</dt>
      <dd>
        {value}
        {idle ? (
          <>
            {' '}
            <button type="button" className="packets-link" onClick={() => onGoTo(step)} aria-label={`Change ${what}`}>
              Change
            </button>
          </>
        ) : null}
      </dd>
    </div>
  );

  return (
    <div className="packets-step-body">
      {/* Once the packet is made, the report says all of this about the packet itself. */}
      <dl className="facts packets-facts packets-review" data-testid="packet-review" hidden={builder.state.phase === 'done'}>
        {row('For', recipientName(recipient) ?? 'No one named (the cover letter is addressed “To the doctor”)', 0, 'who it is for')}
        {recipient?.appointmentDate ? row('Appointment', formatCalendarDate(recipient.appointmentDate), 0, 'the appointment date') : null}
        {row('Records', previewLine(preview), 1, 'what to send')}
        {row(
          'Cover letter',
          `${plural(draft.includeMedications ? preview.medications : 0, 'medicine', 'medicines')}, ${plural(draft.includeCareTeam ? preview.careTeam : 0, 'care team member', 'care team members')}, ${plural(questions, 'question', 'questions')}`,
          2,
          'the medicines, care team and questions',
        )}
        {row('Saved as', `${FORMAT_WORDS[draft.format].name}${hasImages && profile ? `, images for a ${PROFILE_WORDS[profile].name}` : ''}`, 3, 'how it is saved')}
        {row('Where', destination ? <ChosenPlaceWords destination={destination} /> : EXPORTS_FOLDER_WORDS, 3, 'where it is saved')}
      </dl>

      {preview.problems.length > 0 && idle ? (
        <>
          <ProblemList problems={preview.problems} />
          <p>Sort this out first (the “Change” links above lead there), then come back to make the packet.</p>
        </>
      ) : null}
      {preview.problems.length === 0 && idle ? (
        <div className="actions">
          <ActionButton onPress={onBuild} isDisabled={!current}>
            Make the packet
          </ActionButton>
          <p className="hint packets-inline-hint">It takes a few seconds, longer with many images. The app checks the packet after writing it.</p>
        </div>
      ) : null}

      <BuildPanel state={builder.state} afterError={builder.afterError} reportExtra={reportExtra} onCancel={builder.cancel} onRetry={onBuild}>
        {placeProblem ? (
          <ActionButton variant="secondary" onPress={() => onGoTo(3)}>
            Choose another place
          </ActionButton>
        ) : null}
        <ActionButton variant="secondary" onPress={() => go({ view: 'log' })}>
          See the packets you sent
        </ActionButton>
        {builder.state.phase === 'done' ? (
          <ActionButton variant="secondary" onPress={onNewPacket}>
            Make another packet
          </ActionButton>
        ) : null}
      </BuildPanel>
    </div>
  );
}
