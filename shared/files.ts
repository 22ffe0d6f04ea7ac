/**
 * The file-path seam. `documents.import` takes paths on the person's disk, but a web page only ever sees `File`
 * objects (from a file picker or a drop). So next to `window.vault` there is a second, separate global,
 * `window.files`, with exactly one function:
 *
 * - In Electron the preload answers with the file's real path (`webUtils.getPathForFile`); nothing is copied.
 * - In the test bridge (dev/test only) the bytes are uploaded into a staging folder of that bridge and the
 *   staged copy's path is returned.
 *
 * It rejects with an Error whose message a patient can read (e.g. the file is not saved on this computer).
 */
export interface FilesApi {
  pathForFile(file: File): Promise<string>;
}

/** The keys of `window.files`, for the tests that check nothing else is exposed. */
export const FILES_API_KEYS = ['pathForFile'] as const;

/** Largest file the test bridge accepts for staging. */
export const MAX_STAGED_FILE_BYTES = 200 * 1024 * 1024;

/** Patient-readable reasons the seam gives when it cannot provide a path. */
export const FILE_PATH_MESSAGES = {
  notOnDisk:
    'This file is not saved on this computer (for example, it came straight from a web page or an email). Save it to a folder first, then add it.',
  tooLarge: 'This file is larger than 200 MB, which is more than the app can take in one piece.',
  unreadable: 'This file could not be read. If it is a folder, open it and choose the files inside.',
} as const;
