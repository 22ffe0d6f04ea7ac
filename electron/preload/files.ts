import { FILE_PATH_MESSAGES, type FilesApi } from '../../shared/files';

/** The part of Electron's webUtils the files API uses (so tests can pass a fake). */
export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/**
 * What the preload puts on `window.files`: one function that turns a File the person picked or dropped into its
 * path on disk, so the page can ask the core to import it. Nothing else; webUtils itself never reaches the page.
 * A File that is not backed by a file on disk (made by a script, dragged from a web page) gets a readable refusal.
 */
export function buildFilesApi(webUtils: WebUtilsLike): FilesApi {
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
  };
  return Object.freeze(api);
}
