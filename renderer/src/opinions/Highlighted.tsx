/**
 * A snippet with one phrase marked. Rendered as text segments (never as HTML), so nothing in a report can
 * inject markup into the page.
 */
export function Highlighted({ text, phrase }: { text: string; phrase: string | null }) {
  const at = phrase ? text.toLowerCase().indexOf(phrase.toLowerCase()) : -1;
  if (!phrase || at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="snippet-mark">{text.slice(at, at + phrase.length)}</mark>
      {text.slice(at + phrase.length)}
    </>
  );
}
