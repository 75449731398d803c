// @ts-check
// Keys in a compose box that reach the card: Ctrl+Shift+. (format.js isCardShortcut) opens the card
// for the finding at or after the caret, with keyboard focus on its first button (the summary when
// there is none); Escape closes an open finding/summary card.
import { isCardShortcut } from '../format.js';

/**
 * @param {{
 *   card: import('./overlay/card.js').Card,
 *   on: (t: EventTarget, type: string, fn: (e: any) => void) => void,
 *   boxOf: (t: EventTarget|null) => import('./box.js').BoxController|null,
 * }} p
 */
export function installCardKeys(p) {
  p.on(window, 'keydown', (/** @type {KeyboardEvent} */ e) => {
    if (e.isComposing || e.keyCode === 229) return;
    const box = p.boxOf(e.target);
    if (!box) return;
    if (isCardShortcut(e)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      box.dirty = true;
      box.sync();
      box.layout();
      const shown = box.shown;
      if (!shown.length) { p.card.showSummary(box, { focus: true }); return; }
      const caret = box.caretOffset() ?? 0;
      const i = shown.findIndex((f) => f.end >= caret);
      p.card.showFinding(box, i < 0 ? 0 : i, { focus: true, mode: 'pinned' });
      return;
    }
    if (e.key === 'Escape' && p.card.view && p.card.view.box === box && p.card.view.kind !== 'confirm') p.card.close(false);
  });
}
