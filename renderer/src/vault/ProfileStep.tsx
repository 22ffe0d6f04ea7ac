import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { ActionButton } from '../ui/ActionButton';
import { Explain } from '../ui/Explain';
import { TextInput } from '../ui/TextInput';
import { BirthDateField } from './BirthDateField';
import { OnboardingLayout } from './OnboardingLayout';
import { profileProblems, type ProfileDraft } from './profileDraft';
import { SexField } from './SexField';

interface Props {
  draft: ProfileDraft;
  onChange(draft: ProfileDraft): void;
  onBack(): void;
  onNext(): void;
}

/** Whose records these are: name, birth date and (optionally) sex, with why we ask. */
export function ProfileStep({ draft, onChange, onBack, onNext }: Props) {
  const [submitted, setSubmitted] = useState(false);
  const problems = profileProblems(draft);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!problems.fullName && !problems.birthDate) onNext();
  };

  return (
    <OnboardingLayout title="Whose records are these?" step={{ current: 1, total: 3 }}>
      <Explain term="Why we ask">
        <p>
          Hospitals print the patient’s name and date of birth on every record. The app compares them with what you
          enter here, so it can warn you if a letter or scan seems to belong to someone else. These details stay in
          your vault on this computer.
        </p>
      </Explain>
      <Form onSubmit={submit} className="stack" validationBehavior="aria">
        <TextInput
          label="Full name of the patient"
          description="As it appears on hospital letters."
          value={draft.fullName}
          onChange={(fullName) => onChange({ ...draft, fullName })}
          autoComplete="off"
          autoFocus
          isRequired
          error={submitted ? problems.fullName : null}
        />
        <BirthDateField
          value={draft.birthDate}
          onChange={(birthDate) => onChange({ ...draft, birthDate })}
          error={submitted ? problems.birthDate : null}
        />
        <SexField value={draft.sex} onChange={(sex) => onChange({ ...draft, sex })} />
        <div className="actions">
          <ActionButton type="submit">Continue</ActionButton>
          <ActionButton variant="quiet" onPress={onBack}>
            Back
          </ActionButton>
        </div>
      </Form>
    </OnboardingLayout>
  );
}
