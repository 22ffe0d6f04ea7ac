import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('electron/cli/bin.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `second-opinion` executable in a child process, as a script would. Secrets go through
 * the environment, as the CLI requires; a cheap KDF keeps the tests fast.
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: input ?? '',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SECOND_OPINION_TEST_FAST_KDF: '1',
      ...env,
    },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
