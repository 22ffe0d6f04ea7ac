import type { AppError } from '../api/AppError';

/** A readable error next to the action that caused it, announced to screen readers. */
export function ErrorText({ error, id }: { error: AppError | string | null | undefined; id?: string }) {
  if (!error) return null;
  return (
    <p className="alert" role="alert" id={id}>
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}
