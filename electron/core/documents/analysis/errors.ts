import { AppError, type ErrorCode } from '../../../../shared/errors';
import { toAppError } from '../../errors';

/**
 * Why a document could not be analysed. The import pipeline can branch on `problem` (for example to keep the
 * original file but mark it "could not be read"); people only ever see `message`.
 *
 * Every message says what happened and what to do next, and never contains record content (names, dates, text).
 */
export type DocumentProblem =
  | 'empty'
  | 'unsupported'
  | 'damaged'
  | 'password'
  | 'no-pages'
  | 'too-large'
  | 'unreadable'
  | 'not-found';

export const DOCUMENT_MESSAGES = {
  empty:
    'This file is empty (0 bytes), so there is nothing to import. Check that it finished downloading or copying, then try again.',
  unsupported:
    'This file is not a PDF, JPEG, PNG or TIFF, so it cannot be imported. If it is a document, save or print it as a PDF and import that.',
  heic:
    'This looks like an iPhone photo in HEIC format, which cannot be read yet. Export it as JPEG (or set the camera to “Most Compatible”) and import it again.',
  office:
    'This looks like a Word, Excel or ZIP file. Save or print it as a PDF (or unzip it) and import the PDF or the files inside.',
  dicom: 'This is a medical imaging file (DICOM), not a report. Import the whole imaging disc or folder instead.',
  otherImage: 'This picture format cannot be read. Save it as JPEG or PNG and import it again.',
  text: 'This is a plain text or web page file. Print it to a PDF and import the PDF.',
  damagedPdf:
    'This PDF is damaged or incomplete and cannot be read. If you downloaded it, download it again; otherwise ask the office that sent it for a new copy.',
  damagedImage:
    'This image is damaged or incomplete and cannot be read. If you downloaded it, download it again; otherwise scan or photograph the page again.',
  damagedUnknown:
    'This file is damaged or is not a PDF or picture, so it cannot be read. If you downloaded it, download it again; otherwise ask for a new copy.',
  password:
    'This PDF is protected by a password. Remove the password (for example by printing it to a new PDF) and import it again.',
  noPages: 'This PDF has no pages, so there is nothing to import.',
  tooManyPixels:
    'This image is too large to read safely (more than 80 megapixels). Scan or save it at a lower resolution — 300 dpi is plenty — and import it again.',
  tooManyBytes: 'This file is too large to read in one go. Split it into smaller files and import them one by one.',
  unreadable:
    'The app is not allowed to read this file. Check its permissions, or copy it to your Documents folder and import the copy.',
  notFound: 'This file is no longer there. It may have been moved or renamed, or the drive may have been removed.',
  folder: 'This is a folder, not a file. Choose the files inside it instead.',
} as const;

const CODE_FOR: Record<DocumentProblem, ErrorCode> = {
  empty: 'INVALID_INPUT',
  unsupported: 'INVALID_INPUT',
  damaged: 'INVALID_INPUT',
  password: 'INVALID_INPUT',
  'no-pages': 'INVALID_INPUT',
  'too-large': 'INVALID_INPUT',
  unreadable: 'PERMISSION_DENIED',
  'not-found': 'NOT_FOUND',
};

/** An AppError (so it crosses the contract unchanged) that also says which kind of document problem it is. */
export class DocumentError extends AppError {
  readonly problem: DocumentProblem;

  constructor(problem: DocumentProblem, message: string) {
    super(CODE_FOR[problem], message);
    this.name = 'DocumentError';
    this.problem = problem;
  }
}

export function isDocumentError(value: unknown): value is DocumentError {
  return value instanceof DocumentError;
}

/** Throws the CANCELLED AppError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED');
}

/** Turns a file-system error from opening/reading an input file into a patient-readable DocumentError. */
export function fileError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EACCES':
    case 'EPERM':
      return new DocumentError('unreadable', DOCUMENT_MESSAGES.unreadable);
    case 'ENOENT':
    case 'ENOTDIR':
      return new DocumentError('not-found', DOCUMENT_MESSAGES.notFound);
    case 'EISDIR':
      return new DocumentError('unsupported', DOCUMENT_MESSAGES.folder);
    default:
      return toAppError(error);
  }
}
