// @ts-check
// Underline boxes for one editor: position:fixed divs in the shadow root, reused between frames.
import { h } from './layer.js';

/**
 * @typedef {{left: number, top: number, width: number, height: number}} Box
 * @typedef {{id: string, severity: string, rects: Box[], active: boolean, stale?: boolean}} MarkGroup  stale: greyed (not re-checked)
 */

/** @param {import('./layer.js').Layer} layer */
export function createMarks(layer) {
  const group = h('div');
  layer.marks.append(group);
  /** @type {HTMLElement[]} */
  const pool = [];

  return {
    /** @param {MarkGroup[]} groups */
    render(groups) {
      let i = 0;
      for (const g of groups) {
        for (const r of g.rects) {
          let el = pool[i];
          if (!el) { el = h('div'); pool.push(el); group.append(el); }
          el.className = `mark ${g.severity}${g.stale ? ' stale' : ''}${g.active ? ' active' : ''}`;
          const s = el.style;
          s.left = `${r.left}px`;
          s.top = `${r.top}px`;
          s.width = `${r.width}px`;
          s.height = `${r.height}px`;
          el.hidden = false;
          i += 1;
        }
      }
      for (; i < pool.length; i += 1) pool[i].hidden = true;
    },
    remove() { group.remove(); },
  };
}
