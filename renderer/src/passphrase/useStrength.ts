import { useEffect, useState } from 'react';
import { estimateStrength, type Strength } from './strength';

/** Strength of `passphrase`, recomputed shortly after typing stops. Null while empty or not yet known. */
export function useStrength(passphrase: string, userInputs: string[]): { strength: Strength | null; pending: boolean } {
  const [state, setState] = useState<{ for: string; strength: Strength } | null>(null);
  const inputsKey = userInputs.join('\u0000');

  useEffect(() => {
    if (!passphrase) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      estimateStrength(passphrase, inputsKey ? inputsKey.split('\u0000') : [])
        .then((strength) => {
          if (!cancelled) setState({ for: passphrase, strength });
        })
        .catch(() => {
          /* The estimate is advice only; the length rule still applies without it. */
        });
    }, 150);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [passphrase, inputsKey]);

  if (!passphrase) return { strength: null, pending: false };
  const current = state?.for === passphrase ? state.strength : null;
  return { strength: current, pending: current === null };
}
