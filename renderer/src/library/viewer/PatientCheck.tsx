import type { DocumentDetail } from '../../../../shared/contract';
import { useAction } from '../../api/useAction';
import { useVaultQuery } from '../../api/useVaultQuery';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorText } from '../../ui/ErrorText';
import { formatCalendarDate } from '../../ui/format';
import { updateDocument } from './save';

interface Props {
  detail: DocumentDetail;
  onTrash(): void;
  trashing: boolean;
}

/** Shown when a document names someone else: confirm it belongs here, or move it to the trash. */
export function PatientCheck({ detail, onTrash, trashing }: Props) {
  const overview = useVaultQuery('vault.overview', {});
  const confirm = useAction(() => updateDocument({ id: detail.id, patientConfirmed: true }));
  const owner = overview.data?.profile.fullName;
  return (
    <section className="patient-check" aria-labelledby="patient-check-heading" data-testid="patient-check">
      <h2 id="patient-check-heading">Check whose record this is</h2>
      <p>
        This document seems to be about someone other than {owner ? <strong>{owner}</strong> : 'the person these records are for'}. It
        says:
      </p>
      <ul className="plain-list">
        {detail.patientMismatches.map((mismatch, index) => (
          <li key={index}>
            {mismatch.kind === 'name' ? 'Name' : 'Date of birth'}:{' '}
            <strong>{mismatch.kind === 'birthDate' ? formatCalendarDate(mismatch.found) : mismatch.found}</strong>
          </li>
        ))}
      </ul>
      <p>
        If it is yours (for example a different spelling, or a former name), confirm it. If it is someone else’s, move it
        to the trash.
      </p>
      <ErrorText error={confirm.error} />
      <div className="actions">
        {/* Plain disabled states, not busy buttons: this panel goes away as soon as either action is done. */}
        <ActionButton onPress={() => void confirm.run()} isDisabled={confirm.busy || trashing}>
          Yes, this is my record
        </ActionButton>
        <ActionButton variant="secondary" onPress={onTrash} isDisabled={confirm.busy || trashing}>
          Not mine: move to trash
        </ActionButton>
      </div>
    </section>
  );
}
