import type { ReactNode } from 'react';

/** A calm confirmation or result line, announced politely. */
export function StatusText({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'good' | 'warning' }) {
  return (
    <div className={`status status-${tone}`} role="status">
      {children}
    </div>
  );
}
