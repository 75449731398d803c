// @ts-check
// Rectangle math for underlines. Pure: plain {left, top, width, height} objects in, out.

/** @typedef {{left: number, top: number, width: number, height: number}} Box */

/**
 * Intersect each rect with the clip box; drop what is outside. Harper clips its lint boxes to the
 * editor the same way (computeLintBoxes), so text scrolled out of a box draws nothing.
 * @param {Box[]} rects
 * @param {Box} clip
 * @returns {Box[]}
 */
export function clipRects(rects, clip) {
  const cr = clip.left + clip.width;
  const cb = clip.top + clip.height;
  /** @type {Box[]} */
  const out = [];
  for (const r of rects) {
    const left = Math.max(r.left, clip.left);
    const top = Math.max(r.top, clip.top);
    const right = Math.min(r.left + r.width, cr);
    const bottom = Math.min(r.top + r.height, cb);
    if (right - left > 0.5 && bottom - top > 0.5) out.push({ left, top, width: right - left, height: bottom - top });
  }
  return out;
}

/**
 * Merge rects that sit on the same line and touch (a Range gives one rect per text node / inline
 * box): one underline per visual line segment.
 * @param {Box[]} rects
 * @param {number} [gap] max horizontal gap to bridge, px
 * @returns {Box[]}
 */
export function mergeLineRects(rects, gap = 1.5) {
  const sorted = [...rects].sort((a, b) => (a.top - b.top) || (a.left - b.left));
  /** @type {Box[]} */
  const out = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    const sameLine = last && Math.abs(last.top - r.top) < Math.max(2, Math.min(last.height, r.height) / 2);
    if (sameLine && r.left <= last.left + last.width + gap) {
      const right = Math.max(last.left + last.width, r.left + r.width);
      const top = Math.min(last.top, r.top);
      const bottom = Math.max(last.top + last.height, r.top + r.height);
      last.left = Math.min(last.left, r.left);
      last.width = right - last.left;
      last.top = top;
      last.height = bottom - top;
    } else {
      out.push({ left: r.left, top: r.top, width: r.width, height: r.height });
    }
  }
  return out;
}

/**
 * The underline strip under a text rect.
 * @param {Box} r
 * @param {number} [thickness]
 * @returns {Box}
 */
export function underlineFor(r, thickness = 2) {
  return { left: r.left, top: r.top + r.height - thickness, width: r.width, height: thickness };
}

/**
 * @param {Box[]} rects
 * @param {number} x
 * @param {number} y
 * @param {number} [slop] px of tolerance around each rect
 */
export function hitRects(rects, x, y, slop = 1) {
  return rects.some((r) => x >= r.left - slop && x <= r.left + r.width + slop && y >= r.top - slop && y <= r.top + r.height + slop);
}

/**
 * Where to put a card of size (w, h) near an anchor rect inside the viewport, never over the anchor
 * (the flagged words): below it when it fits, else above when it fits, else on the side with more
 * room with a max height (the card scrolls). Clamped horizontally.
 * @param {Box} anchor
 * @param {{width: number, height: number}} size
 * @param {{width: number, height: number}} viewport
 * @param {number} [margin]
 * @returns {{left: number, top: number, maxHeight: number|null}}
 */
export function placeCard(anchor, size, viewport, margin = 6) {
  const below = viewport.height - (anchor.top + anchor.height + margin) - margin; // room under the anchor
  const above = anchor.top - margin - margin;
  const left = Math.max(margin, Math.min(anchor.left, viewport.width - size.width - margin));
  if (size.height <= below) return { left, top: anchor.top + anchor.height + margin, maxHeight: null };
  if (size.height <= above) return { left, top: anchor.top - margin - size.height, maxHeight: null };
  if (below >= above) return { left, top: anchor.top + anchor.height + margin, maxHeight: Math.max(60, below) };
  const maxHeight = Math.max(60, above);
  return { left, top: Math.max(margin, anchor.top - margin - maxHeight), maxHeight };
}
