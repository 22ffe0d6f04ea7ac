const PRESSABLE_STYLE_ID = 'react-aria-pressable-style';

/**
 * react-aria's usePress adds an inline <style id="react-aria-pressable-style"> to <head> unless an element with
 * that id already exists. Our CSP (style-src 'self') blocks inline <style>, which would log a violation on
 * every start. So an empty placeholder with that id goes in first, and the same one rule ships in base.css.
 */
export function preventInlineStyleInjection(): void {
  if (document.getElementById(PRESSABLE_STYLE_ID)) return;
  const placeholder = document.createElement('meta');
  placeholder.id = PRESSABLE_STYLE_ID;
  placeholder.name = 'x-pressable-style';
  placeholder.content = 'provided by styles/base.css';
  document.head.prepend(placeholder);
}
