import type { ReactNode } from 'react';

/** A short plain-language explanation of a term, e.g. what a recovery key is. */
export function Explain({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="explain">
      <p className="explain-term">{term}</p>
      <div className="explain-body">{children}</div>
    </div>
  );
}
