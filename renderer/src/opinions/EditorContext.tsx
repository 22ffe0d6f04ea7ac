import { createContext, useContext } from 'react';
import type { ProvenanceEntry } from '../../../shared/opinions';
import type { Draft } from './draft';

export interface EditorContextValue {
  draft: Draft;
  /** Sets one field; `undefined` makes it "not stated" again. */
  set(path: string, value: unknown): void;
  /** Changes the draft as a whole (moving steps, accepting a proposal). */
  update(change: (draft: Draft) => Draft): void;
  /** Problems found by the check, by field path (shown only after the person tried to save). */
  problemsAt(path: string): string[];
  /** Where a value was read from, when it came from a report. */
  sourceOf(path: string): { entry: ProvenanceEntry; title: string } | null;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditor outside the opinion editor');
  return value;
}
