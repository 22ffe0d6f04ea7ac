import { FILE_PATH_MESSAGES, saveLocationRequest, type FilesApi, type SaveLocationRequest } from '../../shared/files';
import { CHOOSE_SAVE_LOCATION } from './channels';

/** The part of Electron's webUtils the files API uses (so tests can pass a fake). */
export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/** The part of Electron's ipcRenderer the files API uses (so tests can pass a fake). */
export interface FilesIpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

/** Refusal of a malformed request (a programming error in the page, never the person's doing). */
export const BAD_SAVE_LOCATION_REQUEST = 'The request to choose where to save was not valid.';

/**
 * What the preload puts on `window.files`: two functions. `pathForFile` turns a File the person picked or dropped
 * into its path on disk, so the page can ask the core to import it; a File that is not backed by a file on disk
 * (made by a script, dragged from a web page) gets a readable refusal. `chooseSaveLocation` asks main to show the
 * system's Save dialog and resolves with the chosen path or null (cancelled, or no answer that is a path). Nothing else: webUtils and
 * ipcRenderer themselves never reach the page, and the channel is fixed here.
 */
export function buildFilesApi(webUtils: WebUtilsLike, ipc: FilesIpcLike): FilesApi {
  const api: FilesApi = {
    pathForFile: async (file: File): Promise<string> => {
      let filePath = '';
      try {
        filePath = webUtils.getPathForFile(file);
      } catch {
        throw new Error(FILE_PATH_MESSAGES.unreadable);
      }
      if (typeof filePath !== 'string' || filePath === '') throw new Error(FILE_PATH_MESSAGES.notOnDisk);
      return filePath;
    },
    chooseSaveLocation: async (request: SaveLocationRequest): Promise<string | null> => {
      const parsed = saveLocationRequest.safeParse(request);
      if (!parsed.success) throw new Error(BAD_SAVE_LOCATION_REQUEST);
      // Only the validated copy crosses: no extra fields, getters or prototypes from the page.
      // A failed invoke (main not listening) is treated like a cancel: Electron's own error text never reaches the page.
      const answer = await ipc.invoke(CHOOSE_SAVE_LOCATION, { suggestedName: parsed.data.suggestedName, format: parsed.data.format }).catch(() => null);
      return typeof answer === 'string' && answer !== '' ? answer : null;
    },
  };
  return Object.freeze(api);
}
