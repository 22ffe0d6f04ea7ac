import { useEffect, useState } from 'react';
import type { CoreEvent } from '../../../shared/contract';
import { onVaultEvent } from './client';

export type Progress = Extract<CoreEvent, { type: 'progress' }>;

/** The latest progress event of `operation` while `active` (e.g. while a backup runs); null otherwise. */
export function useTaskProgress(operation: string, active: boolean): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    if (!active) {
      setProgress(null);
      return;
    }
    return onVaultEvent((event) => {
      if (event.type === 'progress' && event.operation === operation) setProgress(event);
    });
  }, [operation, active]);
  return active ? progress : null;
}
