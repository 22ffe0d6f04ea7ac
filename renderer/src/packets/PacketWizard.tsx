import { useCallback, useEffect, useRef, useState } from 'react';
import type { PacketBuildResult } from '../../../shared/contract';
import { call } from '../api/client';
import { refreshAppointments, storeDetail } from '../appointments/api';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';
import { plural } from '../ui/format';
import { usePacketPreview } from './api';
import { BuildStep } from './BuildStep';
import { appointmentWithPacket, emptyDraft, toBuildInput, toRequest, type PacketDraft } from './draft';
import { FormatStep } from './FormatStep';
import { ListsStep } from './ListsStep';
import { RecipientStep } from './RecipientStep';
import { go } from './route';
import { SelectionStep } from './SelectionStep';
import { usePacketBuild } from './usePacketBuild';
import { previewLine } from './words';

const STEPS = [
  { short: 'Recipient', title: 'Who the packet is for' },
  { short: 'Records', title: 'What to send' },
  { short: 'Medicines, questions', title: 'Medicines, care team and questions' },
  { short: 'Format', title: 'How to save it' },
  { short: 'Make it', title: 'Make the packet' },
] as const;
const LAST = STEPS.length - 1;

interface Props {
  initial: PacketDraft;
  /** "Second opinion with Dr. …" when the packet is for an appointment. */
  appointmentLabel: string | null;
}

/**
 * The packet builder: five steps a person can go through at their own pace, with Back and Next at the bottom and
 * a running count of what goes in. Everything has a sensible default, so Next alone makes a useful packet.
 */
export function PacketWizard({ initial, appointmentLabel }: Props) {
  const [draft, setDraft] = useState(initial);
  const [step, setStep] = useState(0);
  const [linked, setLinked] = useState<string | null>(null);
  const preview = usePacketPreview(toRequest(draft, false));
  const update = (change: Partial<PacketDraft>) => setDraft((current) => ({ ...current, ...change }));

  // Once the packet exists, the appointment it was made for points at it (its checklist then shows what was sent).
  const appointmentId = draft.appointmentId;
  const linkToAppointment = useCallback(
    async (result: PacketBuildResult) => {
      if (!appointmentId) return;
      const detail = await call('appointments.get', { id: appointmentId });
      const updated = await call('appointments.update', { id: appointmentId, appointment: appointmentWithPacket(detail, result.packetId) });
      storeDetail(updated);
      refreshAppointments(appointmentId);
      setLinked(updated.label);
    },
    [appointmentId],
  );
  const builder = usePacketBuild(appointmentId ? linkToAppointment : undefined);

  const title = useRef<HTMLHeadingElement>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    title.current?.focus();
  }, []);
  // A new step: its heading takes focus, so keyboard and screen-reader users start at its top and hear its name.
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    stepHeading.current?.focus();
  }, [step]);

  const goTo = (next: number) => {
    if (builder.busy) return;
    // A report stays with the packet it describes: changing anything starts a new one.
    builder.dismiss();
    setStep(Math.max(0, Math.min(LAST, next)));
  };
  const startOver = () => {
    builder.dismiss();
    setLinked(null);
    if (appointmentId) {
      go({ view: 'new', appointmentId: null });
      return;
    }
    setDraft(emptyDraft());
    setStep(0);
  };

  const current = STEPS[step] ?? STEPS[0];
  return (
    <div className="screen packets-screen packets-wizard">
      <p className="packets-back">
        <a href="#/packets">← Packets you sent</a>
      </p>
      <h1 ref={title} tabIndex={-1}>
        Make a packet of your records
      </h1>
      {appointmentLabel ? <p className="lead">For your appointment: {appointmentLabel}</p> : null}
      <StepNav step={step} disabled={builder.busy} onGoTo={goTo} />
      <section className="packets-step" aria-labelledby="packets-step-heading">
        <h2 id="packets-step-heading" ref={stepHeading} tabIndex={-1}>
          Step {step + 1} of {STEPS.length}: {current.title}
        </h2>
        {preview.preview && preview.error ? <ErrorText error={preview.error} /> : null}
        {step === 0 ? (
          <RecipientStep recipient={draft.recipient} onChange={(recipient) => update({ recipient })} />
        ) : step === 2 ? (
          <ListsStep
            includeMedications={draft.includeMedications}
            includeCareTeam={draft.includeCareTeam}
            questions={draft.questions}
            onInclude={update}
            onQuestions={(questions) => update({ questions })}
            onListsSaved={preview.reload}
          />
        ) : !preview.preview ? (
          <PreviewLoading error={preview.error} onRetry={preview.reload} />
        ) : step === 1 ? (
          <SelectionStep
            preview={preview.preview}
            current={preview.current}
            documentIds={draft.documentIds}
            studyUids={draft.studyUids}
            onDocuments={(documentIds) => update({ documentIds })}
            onStudies={(studyUids) => update({ studyUids })}
          />
        ) : step === 3 ? (
          <FormatStep
            preview={preview.preview}
            format={draft.format}
            profile={draft.profile}
            onFormat={(format) => update({ format })}
            onProfile={(profile) => update({ profile })}
            destination={draft.destination}
            onDestination={(destination) => update({ destination })}
            onChooseContents={() => goTo(1)}
          />
        ) : (
          <BuildStep
            draft={draft}
            preview={preview.preview}
            current={preview.current}
            builder={builder}
            onBuild={() => void builder.build(toBuildInput(draft))}
            onGoTo={goTo}
            onNewPacket={startOver}
            reportExtra={linked ? <StatusText tone="good">This packet is now linked to your appointment: {linked}.</StatusText> : null}
          />
        )}
      </section>
      <WizardBar step={step} preview={preview} busy={builder.busy} onGoTo={goTo} />
    </div>
  );
}

/** Where the person is among the steps; any other step is one press away (except while the packet is being made). */
function StepNav({ step, disabled, onGoTo }: { step: number; disabled: boolean; onGoTo(step: number): void }) {
  return (
    <nav className="packets-steps-nav" aria-label="Steps">
      <ol className="packets-steps">
        {STEPS.map((item, index) => (
          <li key={item.short} className="packets-steps-item" data-state={index < step ? 'before' : index === step ? 'current' : 'after'}>
            {index === step ? (
              <span className="packets-steps-link" aria-current="step">
                <span className="packets-steps-number" aria-hidden="true">
                  {index + 1}
                </span>
                {item.short}
              </span>
            ) : (
              <button type="button" className="packets-steps-link" disabled={disabled} onClick={() => onGoTo(index)}>
                <span className="packets-steps-number" aria-hidden="true">
                  {index + 1}
                </span>
                {item.short}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Stays at the bottom of the window: what goes in so far (announced as it changes), Back and Next. */
function WizardBar({ step, preview, busy, onGoTo }: { step: number; preview: ReturnType<typeof usePacketPreview>; busy: boolean; onGoTo(step: number): void }) {
  const data = preview.preview;
  const problems = data?.problems.length ?? 0;
  const next = STEPS[step + 1];
  return (
    <div className="packets-bar">
      <p className="packets-bar-line" role="status" data-testid="packet-summary">
        <span className="packets-bar-label">In the packet: </span>
        {data ? `${previewLine(data)}${problems > 0 ? ` · ${plural(problems, 'problem', 'problems')} to sort out` : ''}` : 'looking at your records…'}
      </p>
      <div className="actions packets-bar-actions">
        {step > 0 ? (
          <ActionButton variant="secondary" onPress={() => onGoTo(step - 1)} isDisabled={busy}>
            Back
          </ActionButton>
        ) : null}
        {next ? <ActionButton onPress={() => onGoTo(step + 1)}>Next: {next.short}</ActionButton> : null}
      </div>
    </div>
  );
}

function PreviewLoading({ error, onRetry }: { error: ReturnType<typeof usePacketPreview>['error']; onRetry(): void }) {
  if (!error) return <p className="hint">Looking at your records…</p>;
  return (
    <div className="stack">
      <ErrorText error={error} />
      <div className="actions">
        <ActionButton variant="secondary" onPress={onRetry}>
          Try again
        </ActionButton>
      </div>
    </div>
  );
}
