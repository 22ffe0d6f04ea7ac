import { AppError } from '../../../shared/errors';

/**
 * Patient-readable errors of the imaging reader. Like every AppError message they say what happened and what to do,
 * and never contain record content (names, dates) — at most the kind of problem.
 */
export const imagingErrors = {
  udfOnly: () =>
    new AppError(
      'INVALID_INPUT',
      'This disc image uses only the UDF format, which the app cannot read yet. Open the image on your computer ' +
        '(double-click it, or insert the disc), copy all of its files into a folder, and import that folder instead.',
    ),
  notASource: () =>
    new AppError(
      'INVALID_INPUT',
      'This file is not a disc image (.iso) or a .zip archive that the app can read. Choose the disc itself, a folder ' +
        'with the disc’s files, an .iso image or a .zip file.',
    ),
  singleDicomFile: () =>
    new AppError(
      'INVALID_INPUT',
      'This is a single imaging file, not a whole disc. Choose the folder that contains it, or the disc itself, so ' +
        'all images of the study are imported together.',
    ),
  otherArchive: () =>
    new AppError(
      'INVALID_INPUT',
      'This archive format cannot be opened by the app. Extract it with your computer’s archive tool and import the ' +
        'folder, or use a .zip file.',
    ),
  damagedIso: () =>
    new AppError(
      'INVALID_INPUT',
      'This disc image is damaged or incomplete, so its list of files cannot be read. Nothing was imported from it. ' +
        'If you have the disc, import the disc itself or copy its files into a folder and import that.',
    ),
  damagedZip: () =>
    new AppError(
      'INVALID_INPUT',
      'This .zip archive is damaged or incomplete, so its list of files cannot be read. Try downloading or copying it ' +
        'again.',
    ),
  onlyUnsafePaths: () =>
    new AppError(
      'INVALID_INPUT',
      'This archive contains unsafe paths (files that would be placed outside the archive’s own folder), and ' +
        'nothing else. Nothing was imported from it. Ask the sender for a new copy.',
    ),
  archiveTooLarge: () =>
    new AppError(
      'INVALID_INPUT',
      'This archive unpacks to far more data than the app accepts from one import. Extract it with your computer’s ' +
        'archive tool and import the folder.',
    ),
  sourceClosed: () => new AppError('IO_ERROR', 'The disc or archive was closed while it was still being read. Please try again.'),
  notADirectory: () =>
    new AppError('INVALID_INPUT', 'This is not a folder, a disc image (.iso) or a .zip archive. Choose one of those.'),
};

/** Per-entry problem messages (the entry is skipped; the import goes on). */
export const problemMessages = {
  'unsafe-path':
    'This archive contains an unsafe path (a file that would be placed outside the archive’s folder); that file was skipped.',
  symlink: 'A link to another file was skipped: links are never followed out of the disc or archive.',
  'escapes-root': 'A link pointing outside the chosen folder was skipped.',
  'special-file': 'A special file (device, pipe or socket) was skipped.',
  'too-large': 'A file inside the archive is larger than the app accepts and was skipped.',
  'suspicious-compression':
    'A file inside the archive unpacks to far more data than it takes up (a possible “zip bomb”) and was skipped.',
  encrypted: 'A password-protected file inside the archive was skipped. Ask the sender for an archive without a password.',
  'unsupported-compression': 'A file inside the archive uses a compression method the app cannot unpack and was skipped.',
  damaged: 'A file could not be located in the disc image or archive (the image may be damaged or incomplete); it was skipped.',
  unreadable: 'A file or folder could not be read and was skipped. Check that the drive is still connected.',
  loop: 'A folder of the disc image refers back to itself; it was read only once.',
  'limit-reached': 'The disc holds more files or deeper folders than the app reads in one import; the rest was skipped.',
  'duplicate-path': 'The archive lists the same file name twice; only the first copy was read.',
  'unsupported-layout': 'A file is stored in a way the app cannot read (interleaved) and was skipped.',
} as const;

export type SourceProblemReason = keyof typeof problemMessages;

/** Errors raised while streaming an entry (the stream is destroyed with one of these). */
export const streamErrors = {
  bomb: () =>
    new AppError(
      'INVALID_INPUT',
      'A file inside the archive unpacks to more data than the archive says (a possible “zip bomb”); it was not read.',
    ),
  damagedEntry: () =>
    new AppError('INVALID_INPUT', 'A file inside the archive is damaged and could not be unpacked.'),
  outsideImage: () =>
    new AppError('INVALID_INPUT', 'A file lies beyond the end of the disc image (the image is incomplete); it could not be read.'),
};
