/**
 * Passphrase strength, estimated on this computer with zxcvbn-ts (nothing is sent anywhere). The dictionaries are
 * large, so they load only when someone first types a new passphrase.
 */
export interface Strength {
  /** 0 (very weak) to 4 (strong), as zxcvbn scores it. */
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's warning in plain English, if any. */
  warning: string | null;
  suggestions: string[];
  /** How long a determined attacker with a strong computer would need, e.g. "3 centuries". */
  guessTime: string;
}

interface Checker {
  check(password: string, userInputs?: (string | number)[]): {
    score: number;
    feedback: { warning: string | null; suggestions: string[] };
    crackTimes: { offlineSlowHashingXPerSecond: { display: string } };
  };
}

let checkerPromise: Promise<Checker> | null = null;

function loadChecker(): Promise<Checker> {
  checkerPromise ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, en]) => {
    return new core.ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
      useLevenshteinDistance: true,
    });
  });
  checkerPromise.catch(() => {
    checkerPromise = null;
  });
  return checkerPromise;
}

export async function estimateStrength(passphrase: string, userInputs: string[] = []): Promise<Strength> {
  const checker = await loadChecker();
  const result = checker.check(passphrase.slice(0, 256), userInputs);
  const score = Math.max(0, Math.min(4, Math.round(result.score))) as Strength['score'];
  return {
    score,
    warning: result.feedback.warning || null,
    suggestions: result.feedback.suggestions,
    guessTime: result.crackTimes.offlineSlowHashingXPerSecond.display,
  };
}
