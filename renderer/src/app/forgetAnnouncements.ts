/**
 * react-aria announces some changes to screen readers through hidden live regions at the top of <body>
 * (`[data-live-announcer]`), e.g. the year typed into a date field. They are emptied after a few seconds, but a
 * lock must not leave any of it behind, so the app empties them whenever the screen changes.
 */
export function forgetAnnouncements(): void {
  for (const log of document.querySelectorAll('[data-live-announcer] [role="log"]')) log.replaceChildren();
}

/**
 * Removes pending announcements that point at an element by id (react-aria's Button announces its busy state
 * as `aria-labelledby` = its own id). Called when that element goes away, so no announcement is left pointing
 * at nothing.
 */
export function forgetAnnouncementsAbout(id: string): void {
  for (const node of document.querySelectorAll('[data-live-announcer] [aria-labelledby]')) {
    if ((node.getAttribute('aria-labelledby') ?? '').split(/\s+/).includes(id)) node.remove();
  }
}
