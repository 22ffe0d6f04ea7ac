/** The square of a react-aria Checkbox; its look follows the checkbox's data attributes in CSS. */
export function CheckMark() {
  return (
    <span className="checkmark" aria-hidden="true">
      <svg viewBox="0 0 18 18" focusable="false">
        <polyline points="3.5 9.5 7.5 13 14.5 5" />
      </svg>
    </span>
  );
}
