import { z } from 'zod';
import { packetFormat, type PacketFormat } from './contract/export';

/**
 * The file-path seam. `documents.import` takes paths on the person's disk, but a web page only ever sees `File`
 * objects (from a file picker or a drop); and a packet goes to a path the person chooses, which a web page cannot
 * ask for either. So next to `window.vault` there is a second, separate global, `window.files`, with exactly two
 * functions:
 *
 * - `pathForFile`: in Electron the preload answers with the file's real path (`webUtils.getPathForFile`); nothing
 *   is copied. In the test bridge (dev/test only) the bytes are uploaded into a staging folder of that bridge and
 *   the staged copy's path is returned. It rejects with an Error whose message a patient can read (e.g. the file
 *   is not saved on this computer).
 * - `chooseSaveLocation`: in Electron main shows the system's "Save" dialog, opening in the exports folder with the
 *   suggested name; in the test bridge the bridge answers with a path in a folder of its own. It resolves with the
 *   absolute path the person chose (nothing exists there yet: the core writes it) or null when they cancelled, and
 *   rejects only when the request itself is malformed. It is only a convenience: the core still refuses a
 *   destination that exists or lies inside the vault.
 */
export interface FilesApi {
  pathForFile(file: File): Promise<string>;
  chooseSaveLocation(request: SaveLocationRequest): Promise<string | null>;
}

/** The keys of `window.files`, for the tests that check nothing else is exposed. */
export const FILES_API_KEYS = ['pathForFile', 'chooseSaveLocation'] as const;

/** Characters a suggested name may not hold: path separators (/, \ and the drive colon) and control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NOT_IN_A_NAME = /[/\\:\u0000-\u001f\u007f]/;

/**
 * What the page asks for when the person wants to choose where a packet goes: the name to suggest (one path
 * segment, no extension: the format decides it) and the packet's format (folder, .zip or .iso).
 */
export const saveLocationRequest = z.strictObject({
  suggestedName: z
    .string()
    .min(1)
    .max(100)
    .refine((name) => !NOT_IN_A_NAME.test(name), 'must not contain path separators or control characters')
    .refine((name) => !name.startsWith('.'), 'must not start with a dot'),
  format: packetFormat,
});
export type SaveLocationRequest = z.infer<typeof saveLocationRequest>;

/** The file name ending each packet format gets, in a save dialog and in the exports folder alike. */
export const PACKET_EXTENSIONS: Readonly<Record<PacketFormat, string>> = { folder: '', zip: '.zip', iso: '.iso' };

/** The name a save dialog offers first: the suggested name with the format's ending. */
export function suggestedFileName(request: SaveLocationRequest): string {
  return `${request.suggestedName}${PACKET_EXTENSIONS[request.format]}`;
}

/** Largest file the test bridge accepts for staging. */
export const MAX_STAGED_FILE_BYTES = 200 * 1024 * 1024;

/** Patient-readable reasons the seam gives when it cannot provide a path. */
export const FILE_PATH_MESSAGES = {
  notOnDisk:
    'This file is not saved on this computer (for example, it came straight from a web page or an email). Save it to a folder first, then add it.',
  tooLarge: 'This file is larger than 200 MB, which is more than the app can take in one piece.',
  unreadable: 'This file could not be read. If it is a folder, open it and choose the files inside.',
} as const;
