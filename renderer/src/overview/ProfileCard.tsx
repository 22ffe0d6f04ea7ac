import type { PatientProfile } from '../../../shared/contract';
import { Card } from '../ui/Card';
import { formatCalendarDate, formatDateTime } from '../ui/format';

const SEX_WORDS: Record<NonNullable<PatientProfile['sex']>, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Not known',
};

interface Props {
  profile: PatientProfile;
  createdAt: string;
  location: string | undefined;
}

/** The patient this vault belongs to. Records with another name or birth date will be flagged later. */
export function ProfileCard({ profile, createdAt, location }: Props) {
  return (
    <Card title="Patient">
      <dl className="facts">
        <div>
          <dt>Name</dt>
          <dd data-testid="profile-name">{profile.fullName}</dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{formatCalendarDate(profile.birthDate)}</dd>
        </div>
        {profile.sex ? (
          <div>
            <dt>Sex on records</dt>
            <dd>{SEX_WORDS[profile.sex]}</dd>
          </div>
        ) : null}
        <div>
          <dt>Vault created</dt>
          <dd>{formatDateTime(createdAt)}</dd>
        </div>
        {location ? (
          <div>
            <dt>Vault folder</dt>
            <dd className="path">{location}</dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}
