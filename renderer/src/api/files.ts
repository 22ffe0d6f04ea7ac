import { FILE_PATH_MESSAGES, type FilesApi, type SaveLocationRequest } from '../../../shared/files';

declare global {
  interface Window {
    /**
     * Put here by the Electron preload (or the test bridge's client script), next to `window.vault`: turns a File
     * the person picked or dropped into a path the core can import, and asks where to save a packet.
     * See shared/files.ts.
     */
    readonly files?: FilesApi;
  }
}

/** Whether this window can turn picked files into paths (false only if the preload did not run). */
export function canImportFiles(): boolean {
  return typeof window.files?.pathForFile === 'function';
}

/**
 * The path on disk of a picked or dropped file. Rejects with an Error whose message can be shown as it is.
 */
export async function pathForFile(file: File): Promise<string> {
  const files = window.files;
  if (!files) throw new Error(FILE_PATH_MESSAGES.unreadable);
  try {
    const result = await files.pathForFile(file);
    if (typeof result !== 'string' || result === '') throw new Error(FILE_PATH_MESSAGES.unreadable);
    return result;
  } catch (error) {
    const message = error instanceof Error && error.message ? error.message : FILE_PATH_MESSAGES.unreadable;
    // Only the seam's own plain-language messages reach the screen; anything else gets the general one.
    const known = (Object.values(FILE_PATH_MESSAGES) as string[]).includes(message);
    throw new Error(known ? message : FILE_PATH_MESSAGES.unreadable);
  }
}

/** Whether this window can ask the person where to save (false only if the preload did not run, or is older). */
export function canChooseSaveLocation(): boolean {
  return typeof window.files?.chooseSaveLocation === 'function';
}

/**
 * Asks the person where to save (the system's Save dialog in the app). Resolves with the absolute path they chose,
 * or null when they cancelled, the window cannot ask, or asking failed: the caller then keeps the default place.
 */
export async function chooseSaveLocation(request: SaveLocationRequest): Promise<string | null> {
  const files = window.files;
  if (!files || typeof files.chooseSaveLocation !== 'function') return null;
  try {
    const chosen = await files.chooseSaveLocation(request);
    return typeof chosen === 'string' && chosen !== '' ? chosen : null;
  } catch {
    return null;
  }
}
