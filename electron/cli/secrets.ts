import { UsageError } from './usage';

/**
 * Secrets never come from argv (visible to other users in `ps`, kept in shell history). They come from the
 * environment, or from a prompt that does not echo what is typed.
 */
export async function readSecret(envName: string, prompt: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError(`No ${prompt.toLowerCase()} given. Set ${envName} or run this in a terminal to be asked.`);
  }
  return promptHidden(`${prompt}: `);
}

/** Asks twice for a new secret and insists both match. */
export async function readNewSecret(envName: string, prompt: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const first = await readSecret(envName, prompt);
  const second = await promptHidden(`${prompt} (again): `);
  if (first !== second) throw new UsageError('The two entries were not the same. Nothing was changed.');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let answer = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new UsageError('Cancelled.'));
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    stdin.on('data', onData);
  });
}
