import { Label, ProgressBar } from 'react-aria-components';
import type { Progress } from '../api/useTaskProgress';
import { formatBytes } from './format';

function words(progress: Progress): string {
  const { done, total, unit } = progress;
  if (unit === 'bytes') return total ? `${formatBytes(done)} of ${formatBytes(total)}` : formatBytes(done);
  return total !== null ? `${done.toLocaleString()} of ${total.toLocaleString()} ${unit}` : `${done.toLocaleString()} ${unit}`;
}

/** How far a long task has come, as a bar and in words. */
export function ProgressLine({ label, progress }: { label: string; progress: Progress | null }) {
  const known = progress && progress.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  return (
    <ProgressBar
      className="progress"
      value={known ?? undefined}
      isIndeterminate={known === null}
      valueLabel={progress ? words(progress) : 'Starting…'}
    >
      {({ valueText }) => (
        <>
          <Label className="hint">
            {label} {valueText}
          </Label>
          <div className="loading-track" aria-hidden="true">
            <div className={known === null ? 'loading-fill' : 'progress-fill'} style={known === null ? undefined : { width: `${known}%` }} />
          </div>
        </>
      )}
    </ProgressBar>
  );
}
