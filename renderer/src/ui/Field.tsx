import { useId, type ReactNode } from 'react';

/** What a field's control needs to be tied to its label and hint. */
export interface FieldProps {
  id: string;
  'aria-describedby'?: string;
}

/**
 * A label, an optional hint and one native control (input, select, textarea) tied to both: the control is given
 * by `children` from the props it must spread.
 */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (props: FieldProps) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({ id, 'aria-describedby': hint ? `${id}-hint` : undefined })}
    </div>
  );
}
