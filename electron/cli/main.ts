import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { createCore, testKdfFromEnv } from '../core/core';
import { createLogger, silentLogger } from '../core/log';
import { defaultVaultDir } from '../core/platform/paths';
import { appointmentCommands } from './commands/appointments';
import type { Command } from './commands/command';
import { documentCommands } from './commands/documents';
import { exportCommands } from './commands/export';
import { opinionCommands } from './commands/opinions';
import { vaultCommands } from './commands/vault';
import { EXIT, exitCodeFor } from './exit-codes';
import { createSession } from './session';
import { HELP, UsageError } from './usage';

const COMMANDS = new Map<string, Command>([...vaultCommands, ...documentCommands, ...opinionCommands, ...exportCommands, ...appointmentCommands].map((command) => [command.name, command]));

/** Runs one CLI invocation and returns its exit code. Exported for tests; `bin.mjs` calls it via this module. */
export async function runCli(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseGlobal(argv);
  } catch (error) {
    return reportError(error);
  }
  if (parsed.help || !parsed.command) {
    process.stdout.write(HELP);
    return parsed.help ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.get(parsed.command);
  if (!command) return reportError(new UsageError(`Unknown command “${parsed.command}”. Run second-opinion --help.`));

  const core = createCore({
    vaultDir: parsed.vault,
    log: process.env.SECOND_OPINION_LOG === 'stderr' ? createLogger() : silentLogger,
    kdf: testKdfFromEnv(),
  });
  try {
    return await command.run(createSession(core, parsed.json), parsed.rest);
  } catch (error) {
    return reportError(error);
  } finally {
    await core.close();
  }
}

interface GlobalOptions {
  vault: string;
  json: boolean;
  help: boolean;
  command: string | undefined;
  rest: string[];
}

/** Global options may come before the command; everything after the command belongs to it. */
function parseGlobal(argv: string[]): GlobalOptions {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      vault: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  const commandIndex = first?.kind === 'positional' ? first.index : argv.length;
  const before = parseArgs({
    args: argv.slice(0, commandIndex),
    options: { vault: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
  const rest = argv.slice(commandIndex + 1).filter((arg) => arg !== '--json');
  const vault = before.vault ?? process.env.SECOND_OPINION_VAULT ?? defaultVaultDir();
  return {
    vault: path.resolve(vault),
    json: Boolean(before.json ?? values.json) || argv.slice(commandIndex + 1).includes('--json'),
    help: Boolean(before.help),
    command: argv[commandIndex],
    rest,
  };
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`second-opinion: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof AppError) {
    process.stderr.write(`second-opinion: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  if (error instanceof TypeError && /ERR_PARSE_ARGS/.test(String((error as NodeJS.ErrnoException).code))) {
    process.stderr.write(`second-opinion: ${error.message}. Run second-opinion --help.\n`);
    return EXIT.usage;
  }
  process.stderr.write('second-opinion: Something went wrong inside the app. Nothing in the vault was changed.\n');
  return EXIT.failure;
}
