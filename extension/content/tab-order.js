// @ts-check
// The chip (and the paused chip) live in a shadow root appended to <html>, so the browser puts them
// at the very end of the page's tab order. This moves them right after their compose box: Tab out of
// a box lands on its chip, Tab from the chip goes on to where Tab would have gone, and Shift+Tab back
// from there returns to the chip. Nothing is taken from the site: the box's own Tab handling (a
// mention typeahead, say) runs first, and only a focus move the browser really made is redirected.

/**
 * @param {{
 *   on: (t: EventTarget, type: string, fn: (e: any) => void) => void,
 *   boxOf: (t: EventTarget|null) => {el: HTMLElement}|null,
 *   chipFor: (box: any) => HTMLElement|null,
 *   chipKeys: EventTarget,
 * }} p  chipFor: the visible chip button of a box, or null; chipKeys: where the chips' keydown events arrive (the shadow root)
 */
export function installChipTabOrder(p) {
  /** @type {{box: any, shift: boolean}|null} a Tab pressed in a box, or Shift+Tab right after one */
  let pending = null;
  /** @type {{box: any, next: Element}|null} the element Tab went to from a box (via its chip) */
  let after = null;

  p.on(document, 'keydown', (/** @type {KeyboardEvent} */ e) => {
    pending = null;
    if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey) return;
    const box = p.boxOf(e.target);
    if (box && !e.shiftKey) pending = { box, shift: false };
    else if (after && e.shiftKey && e.target instanceof Element && (e.target === after.next || after.next.contains(e.target))) pending = { box: after.box, shift: true };
  });
  p.on(document, 'focusin', (/** @type {FocusEvent} */ e) => {
    const t = pending;
    pending = null;
    if (!t || !(e.target instanceof Element)) return;
    const chip = p.chipFor(t.box);
    if (!chip) return;
    if (!t.shift && !t.box.el.contains(e.target)) { // Tab left the box: the chip first
      after = { box: t.box, next: e.target };
      chip.focus({ preventScroll: true });
    } else if (t.shift && t.box.el.contains(e.target)) { // Shift+Tab came back to the box: the chip first
      chip.focus({ preventScroll: true });
    }
  });
  // from the chip: Tab goes on to where Tab from the box was going, Shift+Tab back into the box
  p.chipKeys.addEventListener('keydown', (/** @type {any} */ e) => {
    if (e.key !== 'Tab' || !after || e.ctrlKey || e.altKey || e.metaKey) return;
    const chip = p.chipFor(after.box);
    if (!chip || !chip.contains(/** @type {Node} */ (e.target))) return;
    e.preventDefault();
    const dest = e.shiftKey ? after.box.el : after.next;
    if (dest && dest.isConnected) /** @type {HTMLElement} */ (dest).focus({ preventScroll: true });
  });
}
