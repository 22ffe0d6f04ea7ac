import type { CliSession } from '../session';

/** One CLI command: parses its own arguments, calls the core through the session, returns the exit code. */
export interface Command {
  name: string;
  run(session: CliSession, args: string[]): Promise<number>;
}
