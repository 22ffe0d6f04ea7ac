import { Label, Meter } from 'react-aria-components';
import { MIN_PASSPHRASE_LENGTH, visibleLength } from './rules';
import type { Strength } from './strength';

const WORDS: Record<Strength['score'], { label: string; explanation: string }> = {
  0: { label: 'Very weak', explanation: 'This would be very easy to guess.' },
  1: { label: 'Weak', explanation: 'This would be easy to guess.' },
  2: { label: 'Fair', explanation: 'This is acceptable. Another word would make it stronger.' },
  3: { label: 'Good', explanation: 'This would be hard to guess.' },
  4: { label: 'Strong', explanation: 'This would be very hard to guess.' },
};

interface Props {
  passphrase: string;
  strength: Strength | null;
  pending: boolean;
}

/** Shows, in words and as a bar, how hard the new passphrase would be to guess. */
export function StrengthMeter({ passphrase, strength, pending }: Props) {
  const length = visibleLength(passphrase);
  const tooShort = length < MIN_PASSPHRASE_LENGTH;
  const score = tooShort ? Math.min(strength?.score ?? 0, 1) : (strength?.score ?? 0);
  const words = WORDS[score as Strength['score']];
  const level = length === 0 ? 'empty' : tooShort ? 'short' : `score-${score}`;

  let summary: string;
  if (length === 0) summary = `Use at least ${MIN_PASSPHRASE_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.`;
  else if (tooShort) summary = `Too short: ${MIN_PASSPHRASE_LENGTH - length} more ${MIN_PASSPHRASE_LENGTH - length === 1 ? 'character' : 'characters'} needed.`;
  else if (pending || !strength) summary = 'Checking how strong it is…';
  else summary = `${words.label}. ${words.explanation}`;

  return (
    <div className="strength" data-level={level}>
      <Meter value={length === 0 ? 0 : (score + 1) * 20} aria-valuetext={summary} className="strength-meter">
        <Label className="strength-label">Passphrase strength</Label>
        <div className="strength-track" aria-hidden="true">
          <div className="strength-fill" style={{ width: `${length === 0 ? 0 : (score + 1) * 20}%` }} />
        </div>
      </Meter>
      <p className="strength-summary" aria-live="polite">
        {summary}
      </p>
      {!tooShort && strength && !pending && (strength.warning || strength.suggestions.length > 0) ? (
        <ul className="strength-tips">
          {strength.warning ? <li>{strength.warning}</li> : null}
          {strength.suggestions.map((suggestion) => (
            <li key={suggestion}>{suggestion}</li>
          ))}
        </ul>
      ) : null}
      {!tooShort && strength && !pending && strength.score >= 2 ? (
        <p className="hint">A computer trying to guess it would need about {strength.guessTime}.</p>
      ) : null}
    </div>
  );
}
