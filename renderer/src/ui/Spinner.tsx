/** A small turning circle for busy buttons. Decorative: the button's text says what is happening. */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
