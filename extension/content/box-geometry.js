// @ts-check
// Where a box's findings are on screen: the underline rects (cut by the viewport and the scrolling
// ancestors that clip the box), the chip's place, the card's anchor, the finding under the pointer.
import { chipModel } from './box-status.js';
import { clipRects, mergeLineRects } from './overlay/rects.js';

/** @typedef {import('./box.js').BoxController} BoxController */

/** Where the box is visible: its rect cut by the viewport and scrolling ancestors. @param {BoxController} box */
export function visibleRect(box) {
  const r = box.el.getBoundingClientRect();
  let clip = { left: r.left, top: r.top, width: r.width, height: r.height };
  const now = performance.now();
  if (!box.clippers || now - box.clippersAt > 2000) {
    box.clippers = [];
    for (let p = box.el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') box.clippers.push(p);
    }
    box.clippersAt = now;
  }
  for (const p of box.clippers) {
    const pr = p.getBoundingClientRect();
    clip = clipRects([clip], { left: pr.left, top: pr.top, width: pr.width, height: pr.height })[0] ?? { left: 0, top: 0, width: 0, height: 0 };
  }
  return clipRects([clip], { left: 0, top: 0, width: innerWidth, height: innerHeight })[0] ?? null;
}

/** Recompute underline rects and the chip (every frame something moved). @param {BoxController} box */
export function layout(box) {
  const map = box.map;
  const visible = visibleRect(box);
  box.groups = [];
  if (map && visible && box.text === map.text) {
    for (const f of box.shown) {
      const raw = box.adapter.rangeRects(box.el, map, f.start, f.end, { measure: box.env.layer.measure });
      const rects = clipRects(mergeLineRects(raw), visible);
      box.groups.push({ id: f.id, severity: f.severity, rects, active: f.id === box.activeId, stale: box.stale });
    }
  }
  box.marks.render(box.groups);
  box.chip.update(chipModel(box));
  const focused = document.activeElement === box.el || box.el.contains(document.activeElement);
  box.chip.place(visible && (box.text.trim() !== '' || focused) ? box.el.getBoundingClientRect() : null);
}

/** @param {BoxController} box @param {import('../protocol.js').Finding|null} f */
export function anchorRect(box, f) {
  const g = f && box.groups.find((x) => x.id === f.id);
  if (!g || !g.rects.length) return null;
  // all its lines: a term wrapped over two lines must not have its second line under the card
  const left = Math.min(...g.rects.map((r) => r.left));
  const top = Math.min(...g.rects.map((r) => r.top));
  const right = Math.max(...g.rects.map((r) => r.left + r.width));
  const bottom = Math.max(...g.rects.map((r) => r.top + r.height));
  return new DOMRect(left, top, right - left, bottom - top);
}

/**
 * The finding under a viewport point.
 * @param {BoxController} box @param {number} x @param {number} y
 * @returns {number} index into box.shown, or -1
 */
export function findingAt(box, x, y) {
  const shown = box.shown;
  for (let i = 0; i < shown.length; i += 1) {
    const g = box.groups.find((gr) => gr.id === shown[i].id);
    if (g && g.rects.some((r) => x >= r.left - 1 && x <= r.left + r.width + 1 && y >= r.top - 1 && y <= r.top + r.height + 3)) return i;
  }
  return -1;
}
