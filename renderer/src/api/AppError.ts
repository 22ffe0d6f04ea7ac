import type { AppErrorShape, ErrorCode } from '../../../shared/errors';

/**
 * The renderer's error: the code (for the program) and the message (for people), exactly as the core sent them.
 * Screens show `message` as it is; they branch on `code` only when a different next step is needed.
 */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }

  static from(shape: AppErrorShape): AppError {
    return new AppError(shape.code, shape.message);
  }
}

const UNREACHABLE_MESSAGE =
  'The app could not reach its background process. Nothing was changed. Please close the app and open it again.';

/** Any thrown value as an AppError, so every screen has a readable message to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', UNREACHABLE_MESSAGE);
}

export function unreachable(): AppError {
  return new AppError('INTERNAL', UNREACHABLE_MESSAGE);
}
