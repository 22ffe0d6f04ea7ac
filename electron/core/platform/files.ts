import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors';

/**
 * Refuses a place inside the vault folder for anything written for the person (a packet, a backup, an extracted
 * original, a PDF): everything in that folder must stay encrypted, and these files are readable by design.
 * Links are resolved (through the nearest part of the path that exists), so a link into the vault is caught too.
 */
export async function assertOutsideVault(vaultDir: string, destination: string, what: string): Promise<void> {
  const vault = await realpathOrSelf(path.resolve(vaultDir));
  let existing = path.resolve(destination);
  const rest: string[] = [];
  while (!(await fs.lstat(existing).then(() => true, () => false))) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  const real = path.join(await realpathOrSelf(existing), ...rest);
  if (real === vault || real.startsWith(vault + path.sep)) {
    throw new AppError('INVALID_INPUT', `${what} cannot be saved inside the vault folder, where everything stays encrypted. Choose another place.`);
  }
}

async function realpathOrSelf(target: string): Promise<string> {
  return fs.realpath(target).catch(() => target);
}

/**
 * Writes a file the person asked for (an extracted original, a PDF) without ever overwriting anything and
 * without leaving a half-written file that looks complete: data goes to a hidden temp file in the same folder,
 * is flushed to disk, then hard-linked to the final name (which fails if the name is taken) and the temp removed.
 * A place inside the vault folder is refused first (`what` names the file in that message). With `renameIfExists`,
 * a taken name becomes "name (2).ext" instead of an error (for default locations).
 */
export async function writeNewFile(
  destination: string,
  data: Uint8Array | Readable,
  options: { vaultDir: string; what: string; renameIfExists?: boolean },
): Promise<string> {
  try {
    await assertOutsideVault(options.vaultDir, destination, options.what);
  } catch (error) {
    if (data instanceof Readable) data.destroy(); // never read: let its source go
    throw error;
  }
  const dir = path.dirname(destination);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(destination)}.${randomBytes(6).toString('hex')}.part`);
  const handle = await fs.open(temp, 'wx');
  try {
    if (data instanceof Readable) {
      for await (const chunk of data) await handle.write(chunk as Uint8Array);
    } else {
      await handle.writeFile(data);
    }
    await handle.sync();
    await handle.close();
    return await linkUnique(temp, destination, options.renameIfExists ?? false);
  } finally {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
  }
}

async function linkUnique(temp: string, destination: string, rename: boolean): Promise<string> {
  const { dir, name, ext } = path.parse(destination);
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const candidate = attempt === 1 ? destination : path.join(dir, `${name} (${attempt})${ext}`);
    try {
      await fs.link(temp, candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!rename) throw new AppError('DESTINATION_NOT_EMPTY', 'A file with that name already exists. Choose another name.');
    }
  }
  throw new AppError('DESTINATION_NOT_EMPTY', 'Too many files with that name already exist there. Choose another name.');
}
