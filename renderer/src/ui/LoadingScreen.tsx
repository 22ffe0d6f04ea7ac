import { Label, ProgressBar } from 'react-aria-components';

/** Shown while the app asks the core whether a vault exists. */
export function LoadingScreen({ label = 'Opening Second Opinion…' }: { label?: string }) {
  return (
    <main className="centered">
      <ProgressBar isIndeterminate className="loading">
        <Label>{label}</Label>
        <div className="loading-track" aria-hidden="true">
          <div className="loading-fill" />
        </div>
      </ProgressBar>
    </main>
  );
}
