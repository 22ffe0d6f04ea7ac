import { AppError } from '../../shared/errors';

/**
 * Turns anything thrown inside the core into an AppError. Operating-system errors become the matching
 * patient-readable code; everything else becomes INTERNAL, whose message says nothing about the input.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('DISK_FULL');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError('PERMISSION_DENIED');
    case 'ENOENT':
      return new AppError('NOT_FOUND', 'A file or folder the app needed is not there. Check that the drive is connected.');
    case 'EIO':
    case 'EBUSY':
    case 'EMFILE':
    case 'ENFILE':
      return new AppError('IO_ERROR');
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new AppError('VAULT_DAMAGED');
    case 'SQLITE_FULL':
      return new AppError('DISK_FULL');
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new AppError('BUSY');
    default:
      return new AppError('INTERNAL');
  }
}
