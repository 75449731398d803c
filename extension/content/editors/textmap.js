// @ts-check
// Read a contenteditable into the exact text sent to the companion, with a map from UTF-16 offsets
// in that text back to DOM text nodes. Lines are the editor's leaf blocks (p, div, li...) joined by
// "\n"; a <br> inside a line is "\n" unless it is the trailing caret helper every editor keeps at the
// end of a line (Draft/Lexical/Quill/ProseMirror render an empty line as <br> only). The idea comes
// from the prototype and Harper's getRangeForTextSpan (lint-framework/src/lint/domUtils.ts).
//
// Only standard Node fields are used (nodeType, nodeName, firstChild, nextSibling, parentNode, data),
// so node's test runner drives it with tiny fake trees.

/**
 * @typedef {{node: Text, start: number, end: number, nodeOffset: number}} Segment
 *   text.slice(start, end) came from node.data.slice(nodeOffset, nodeOffset + end - start)
 * @typedef {{text: string, segments: Segment[], root: Node}} TextMap
 * @typedef {{
 *   skip?: (el: Element) => boolean,
 *   textRange?: (node: Text) => [number, number],
 * }} Profile  skip: elements that are not text (caret guards, widgets); textRange: the part of a
 *   text node that is text (e.g. Draft's extra trailing "\n")
 */

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR',
  'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT',
  'TH', 'THEAD', 'TR', 'UL',
]);
const NEVER_TEXT = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IMG', 'SVG', 'VIDEO', 'AUDIO', 'CANVAS', 'IFRAME', 'BUTTON', 'INPUT', 'TEXTAREA', 'SELECT']);

/** @param {Node} n */
const isBlock = (n) => BLOCKS.has(n.nodeName.toUpperCase());

/**
 * @param {Node} root
 * @param {Profile} [profile]
 * @returns {TextMap}
 */
export function readTree(root, profile = {}) {
  /** @type {string[]} */
  const parts = [];
  /** @type {Segment[]} */
  const segments = [];
  let pos = 0;
  let lines = 0;
  let inLine = false;

  /** @param {string} s */
  const push = (s) => { parts.push(s); pos += s.length; };
  const openLine = () => {
    if (inLine) return;
    if (lines > 0) push('\n');
    lines += 1;
    inLine = true;
  };
  /** @param {Text} t */
  const range = (t) => (profile.textRange ? profile.textRange(t) : [0, t.data.length]);
  /** @param {Element} el */
  const skipped = (el) => NEVER_TEXT.has(el.nodeName.toUpperCase()) || (profile.skip ? profile.skip(el) : false);

  /**
   * Does anything that counts as text follow `node` inside its line?
   * @param {Node} node
   */
  const contentFollows = (node) => {
    for (let n = /** @type {Node|null} */ (node); n && n !== root && !isBlock(n); n = n.parentNode) {
      for (let s = n.nextSibling; s; s = s.nextSibling) if (hasContent(s)) return true;
    }
    return false;
  };
  /** @param {Node} n @returns {boolean} */
  const hasContent = (n) => {
    if (n.nodeType === 3) { const [a, b] = range(/** @type {Text} */ (n)); return b > a; }
    if (n.nodeType !== 1 || skipped(/** @type {Element} */ (n))) return false;
    if (n.nodeName.toUpperCase() === 'BR' || isBlock(n)) return true;
    for (let c = n.firstChild; c; c = c.nextSibling) if (hasContent(c)) return true;
    return false;
  };

  /** @param {Node} parent @returns {boolean} whether a block was met inside */
  const walk = (parent) => {
    let sawBlock = false;
    for (let n = parent.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        const t = /** @type {Text} */ (n);
        const [a, b] = range(t);
        if (b <= a) continue;
        openLine();
        segments.push({ node: t, start: pos, end: pos + b - a, nodeOffset: a });
        push(t.data.slice(a, b).replace(/\u00a0/g, ' ')); // NBSP -> space: same length, matchers see words
      } else if (n.nodeType === 1) {
        const el = /** @type {Element} */ (n);
        if (skipped(el)) continue;
        if (el.nodeName.toUpperCase() === 'BR') {
          openLine();
          if (contentFollows(el)) push('\n');
        } else if (isBlock(el)) {
          sawBlock = true;
          inLine = false;
          const before = lines;
          const nested = walk(el);
          if (!nested && lines === before) openLine(); // an empty line still counts
          inLine = false;
        } else if (walk(el)) {
          sawBlock = true;
        }
      }
    }
    return sawBlock;
  };

  walk(root);
  return { text: parts.join(''), segments, root };
}

/**
 * Find the DOM point for a UTF-16 offset.
 * bias 'start': a span starting here (an offset on a block break goes to the next line's start);
 * bias 'end': a span ending here (goes to the previous line's end).
 * @param {TextMap} map
 * @param {number} offset
 * @param {'start'|'end'} bias
 * @returns {{node: Text, offset: number}|null}
 */
export function pointAt(map, offset, bias) {
  const segs = map.segments;
  if (!segs.length) return null;
  // first segment whose end >= offset (binary search)
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].end < offset) lo = mid + 1; else hi = mid;
  }
  let i = lo;
  if (bias === 'start') {
    // skip a segment that ends exactly at offset when the next one starts there or later
    while (i < segs.length && segs[i].end === offset && segs[i].end > segs[i].start && i + 1 < segs.length) i += 1;
    if (i >= segs.length) i = segs.length - 1;
    const s = segs[i];
    const at = Math.min(Math.max(offset, s.start), s.end);
    return { node: s.node, offset: s.nodeOffset + at - s.start };
  }
  // bias 'end': last segment whose start < offset
  if (i >= segs.length || segs[i].start >= offset) i -= 1;
  while (i > 0 && segs[i].start >= offset) i -= 1;
  if (i < 0) i = 0;
  const s = segs[i];
  const at = Math.min(Math.max(offset, s.start), s.end);
  return { node: s.node, offset: s.nodeOffset + at - s.start };
}

/**
 * The UTF-16 offset of a DOM point that lies in one of the map's text nodes, or null (a point on an
 * element, or in a node the map skipped).
 * @param {TextMap} map
 * @param {Node|null} node
 * @param {number} offset  the DOM offset within `node`
 * @returns {number|null}
 */
export function offsetAt(map, node, offset) {
  const seg = map.segments.find((s) => s.node === node);
  return seg ? seg.start + Math.max(0, Math.min(offset - seg.nodeOffset, seg.end - seg.start)) : null;
}

/**
 * Clamp a span to the text and keep it off the middle of a surrogate pair.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {[number, number]}
 */
export function clampSpan(text, start, end) {
  const low = (/** @type {number} */ i) => i > 0 && i < text.length
    && /[\uDC00-\uDFFF]/.test(text[i]) && /[\uD800-\uDBFF]/.test(text[i - 1]);
  let a = Math.max(0, Math.min(start, text.length));
  let b = Math.max(a, Math.min(end, text.length));
  if (low(a)) a -= 1;
  if (low(b)) b += 1;
  return [a, b];
}
