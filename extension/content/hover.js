// @ts-check
// The card follows the mouse: hovering an underline opens its finding after 120 ms (at once when a
// card is already open), leaving both underline and card closes a hover card after 350 ms, and a
// click elsewhere closes any card but the confirm card (that one is answered with its buttons).

/**
 * @param {{
 *   on: (t: EventTarget, type: string, fn: (e: any) => void) => void,
 *   card: import('./overlay/card.js').Card,
 *   layer: import('./overlay/layer.js').Layer,
 *   boxes: () => Iterable<import('./box.js').BoxController>,
 * }} p
 */
export function installHover(p) {
  const { card } = p;
  let mx = -1;
  let my = -1;
  let hoverFrame = 0;
  let openTimer = /** @type {any} */ (null);
  let closeTimer = /** @type {any} */ (null);

  p.on(document, 'mousemove', (e) => {
    mx = e.clientX;
    my = e.clientY;
    hoverFrame ||= requestAnimationFrame(hoverCheck);
  });

  function hoverCheck() {
    hoverFrame = 0;
    const view = card.view;
    if (view && view.mode === 'pinned') return;
    if (card.contains(mx, my)) { clearTimeout(closeTimer); closeTimer = null; return; }
    for (const box of p.boxes()) {
      const i = box.findingAt(mx, my);
      if (i < 0) continue;
      clearTimeout(closeTimer);
      closeTimer = null;
      if (view && view.box === box && view.index === i) return;
      clearTimeout(openTimer);
      openTimer = setTimeout(() => card.showFinding(box, i, { mode: 'hover' }), view ? 0 : 120);
      return;
    }
    clearTimeout(openTimer);
    if (view && !closeTimer) closeTimer = setTimeout(() => { closeTimer = null; if (card.view?.mode === 'hover') card.close(false); }, 350);
  }

  p.on(document, 'mousedown', (e) => {
    if (card.view && e.target !== p.layer.host && !card.contains(e.clientX, e.clientY)) {
      if (card.view.kind === 'confirm') return; // answered with its buttons or Escape
      card.close(false);
    }
  });
}
