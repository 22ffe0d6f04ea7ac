import { useEffect, useRef, useState } from 'react';
import { Label, Radio, RadioGroup, Text } from 'react-aria-components';
import { PACKET_FORMATS, PACKET_PROFILES, type PacketFormat, type PacketPreview, type PacketProfile } from '../../../shared/contract';
import { ActionButton } from '../ui/ActionButton';
import type { ChosenDestination } from './draft';
import { ProblemList } from './PreviewPanel';
import { SaveLocation } from './SaveLocation';
import { FORMAT_WORDS, PROFILE_WORDS, studyTitle } from './words';

interface Props {
  preview: PacketPreview;
  format: PacketFormat;
  /** The person's choice; null = the app's. */
  profile: PacketProfile | null;
  onFormat(format: PacketFormat): void;
  onProfile(profile: PacketProfile): void;
  /** Where the person chose to save the packet; null = the app's exports folder. */
  destination: ChosenDestination | null;
  onDestination(destination: ChosenDestination | null): void;
  /** To step 2, to leave out images that fit no disc format. */
  onChooseContents(): void;
}

/**
 * Step 4: a folder, a .zip or an .iso, where to save it, and which DICOM media profile the images follow (never
 * converted).
 */
export function FormatStep({ preview, format, profile, onFormat, onProfile, destination, onDestination, onChooseContents }: Props) {
  const hasImages = preview.studies.some((study) => study.selected);
  const [notice, setNotice] = useState<string | null>(null);
  // A place chosen for one format has the wrong ending for another: changing the format sets it aside, and says so.
  const [clearedPlace, setClearedPlace] = useState<ChosenDestination | null>(null);
  const profileGroup = useRef<HTMLDivElement>(null);
  const shown = profile ?? preview.profile.chosen;
  // Only when the preview answers the current choice (it lags a moment behind a click).
  const mismatch = profile && preview.profile.requested === profile ? profileMismatch(preview, format) : null;
  const otherProblems = preview.problems.filter((problem) => problem.kind !== 'profile' || !mismatch);

  // After the one-click switch the button that was pressed is gone: focus the profile now chosen instead.
  useEffect(() => {
    if (notice) profileGroup.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
  }, [notice]);

  const changeFormat = (next: PacketFormat) => {
    if (destination && destination.format !== next) {
      setClearedPlace(destination);
      onDestination(null);
    }
    onFormat(next);
  };

  const switchTo = (next: PacketProfile) => {
    onProfile(next);
    setNotice(`Changed to ${PROFILE_WORDS[next].name}: the images go in exactly as they are stored.`);
  };

  return (
    <div className="packets-step-body">
      <RadioGroup className="field packets-choice" value={format} onChange={(value) => changeFormat(value as PacketFormat)}>
        <Label className="field-label">How should the packet be saved?</Label>
        <Text slot="description" className="hint">
          Every kind holds the same files. Ask the office which they prefer; a folder or a .zip is easiest to check.
        </Text>
        <div className="packets-options">
          {PACKET_FORMATS.map((value) => (
            <Radio key={value} value={value} className="radio packets-option">
              <span className="radio-dot" aria-hidden="true" />
              <span>
                <span className="packets-option-name">{FORMAT_WORDS[value].name}</span>
                <span className="hint packets-option-plain">{FORMAT_WORDS[value].plain}</span>
              </span>
            </Radio>
          ))}
        </div>
      </RadioGroup>

      <SaveLocation
        format={format}
        destination={destination}
        onDestination={onDestination}
        cleared={clearedPlace}
        onClearedSeen={() => setClearedPlace(null)}
      />

      {hasImages ? (
        <div ref={profileGroup}>
          <RadioGroup
            className="field packets-choice"
            value={shown}
            onChange={(value) => {
              setNotice(null);
              onProfile(value as PacketProfile);
            }}
          >
            <Label className="field-label">Which kind of imaging disc should the pictures follow?</Label>
            <Text slot="description" className="hint">
              Hospitals read imaging from CDs, DVDs and USB sticks by a standard (DICOM). The app never changes or
              compresses your images, so it picks the kind they fit as they are.
              {preview.profile.name ? ` Now: ${preview.profile.name}.` : ''}
            </Text>
            <div className="packets-options">
              {PACKET_PROFILES.map((value) => (
                <Radio key={value} value={value} className="radio packets-option">
                  <span className="radio-dot" aria-hidden="true" />
                  <span>
                    <span className="packets-option-name">{PROFILE_WORDS[value].name}</span>
                    <span className="hint packets-option-plain">{PROFILE_WORDS[value].plain}</span>
                  </span>
                </Radio>
              ))}
            </div>
          </RadioGroup>
        </div>
      ) : (
        <p className="hint">No imaging is chosen, so the kind of imaging disc does not matter for this packet.</p>
      )}

      {notice && !mismatch ? (
        <p className="status status-good" role="status" data-testid="profile-notice">
          {notice}
        </p>
      ) : null}
      {mismatch ? <ProfileMismatch mismatch={mismatch} onSwitch={switchTo} /> : null}
      {otherProblems.length > 0 ? (
        <>
          <ProblemList problems={otherProblems} />
          <div className="actions">
            <ActionButton variant="secondary" onPress={onChooseContents}>
              Choose what to send
            </ActionButton>
          </div>
        </>
      ) : null}
    </div>
  );
}

interface Mismatch {
  requested: PacketProfile;
  fits: PacketProfile[];
  /** The selected studies that do not fit the requested profile. */
  studies: string[];
  compressed: boolean;
  message: string;
}

/** The chosen profile cannot take the selected images, but another one can (else it is not this case). */
function profileMismatch(preview: PacketPreview, format: PacketFormat): Mismatch | null {
  const { requested, fits } = preview.profile;
  const problem = preview.problems.find((p) => p.kind === 'profile');
  if (!problem || !requested || fits.length === 0 || fits.includes(requested)) return null;
  const misfits = preview.studies.filter((study) => study.selected && !study.fits.includes(requested));
  // A disc image is burned onto a DVD; a folder or a .zip usually travels on a USB stick.
  const preferred: PacketProfile = format === 'iso' ? 'dvd' : 'usb';
  return {
    requested,
    fits: [...fits].sort((a, b) => Number(b === preferred) - Number(a === preferred)),
    studies: misfits.map(studyTitle),
    compressed: misfits.some((study) => study.encodings.some((encoding) => /jpeg/i.test(encoding.name))),
    message: problem.message,
  };
}

function ProfileMismatch({ mismatch, onSwitch }: { mismatch: Mismatch; onSwitch(profile: PacketProfile): void }) {
  const wanted = PROFILE_WORDS[mismatch.requested].name;
  const box = useRef<HTMLDivElement>(null);
  // It appears below the choices, often under the bar at the bottom: bring it into sight (it is also announced).
  // (A block body: newer browsers return a promise from scrollIntoView, which React would take for a cleanup.)
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div className="status status-warning packets-mismatch" role="alert" data-testid="profile-mismatch" ref={box}>
      <p>
        <strong>These images do not fit on a {wanted}.</strong>{' '}
        {mismatch.compressed
          ? `${mismatch.studies.length === 1 ? 'One study is' : 'Some studies are'} stored compressed, and a ${wanted} packet can only hold uncompressed images.`
          : `${mismatch.studies.length === 1 ? 'One study does' : 'Some studies do'} not meet the ${wanted} rules.`}{' '}
        The app never changes your images, but {mismatch.fits.map((p) => PROFILE_WORDS[p].name).join(' or ')} takes them exactly as they are.
      </p>
      {mismatch.studies.length > 0 ? (
        <ul className="packets-problems">
          {mismatch.studies.map((title, index) => (
            <li key={`${title}-${index}`}>{title}</li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        {mismatch.fits.map((profile, index) => (
          <ActionButton key={profile} variant={index === 0 ? 'primary' : 'secondary'} onPress={() => onSwitch(profile)}>
            Use {PROFILE_WORDS[profile].name} instead
          </ActionButton>
        ))}
      </div>
      <details className="packets-technical">
        <summary>Technical details</summary>
        <p>{mismatch.message}</p>
      </details>
    </div>
  );
}
