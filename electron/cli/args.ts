import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { UsageError } from './usage';

/** The one positional argument a command takes (a file or an id); anything else is a usage error. */
export function singleArgument(args: string[], usage: string): string {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`usage: second-opinion ${usage}`);
  return positionals[0];
}

/** A JSON file given on the command line; unreadable or malformed files are clear errors, not crashes. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `Cannot read ${file}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON.`);
  }
}
