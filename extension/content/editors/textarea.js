// @ts-check
// <textarea>/<input> (Instagram comments): the text is the value (an identity offset map). A
// textarea has no text nodes, so no Range: rects come from an invisible mirror div with the field's
// computed text styles, laid over the field (Harper's TextFieldRange technique). The mirror lives in
// the overlay's shadow root, never in the page.
// Insertion: execCommand('insertText') keeps the undo stack and fires a trusted input event React
// sees; fallback the native value setter + input (React ignores plain `el.value = v`).
import { clipRects } from '../overlay/rects.js';

/** @typedef {import('./textmap.js').TextMap} TextMap */

const COPIED = [
  'boxSizing', 'width', 'height', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
  'borderTopStyle', 'borderRightStyle', 'borderBottomStyle', 'borderLeftStyle',
  'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'fontKerning',
  'fontFeatureSettings', 'lineHeight', 'letterSpacing', 'wordSpacing', 'textTransform', 'textIndent',
  'textAlign', 'tabSize', 'direction', 'wordBreak', 'overflowWrap', 'hyphens',
];

/** @type {WeakMap<Element, HTMLDivElement>} */
const mirrors = new WeakMap();

/** @param {HTMLTextAreaElement|HTMLInputElement} el */
const readText = (el) => /** @type {TextMap} */ ({ text: el.value, segments: [], root: el });

/**
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 * @param {TextMap} _map
 * @param {number} start
 * @param {number} end
 * @param {{measure?: HTMLElement}} [ctx] measure: where the mirror may live (the overlay's shadow root)
 * @returns {DOMRect[]}
 */
function rangeRects(el, _map, start, end, ctx = {}) {
  const parent = ctx.measure;
  if (!parent || start >= end) return [];
  let m = mirrors.get(el);
  if (!m || m.parentNode !== parent) {
    m = document.createElement('div');
    m.setAttribute('aria-hidden', 'true');
    parent.appendChild(m);
    mirrors.set(el, m);
  }
  const cs = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const s = m.style;
  for (const p of COPIED) /** @type {any} */ (s)[p] = /** @type {any} */ (cs)[p];
  Object.assign(s, {
    position: 'fixed', left: `${box.left}px`, top: `${box.top}px`, visibility: 'hidden', pointerEvents: 'none',
    overflow: 'hidden', whiteSpace: el.tagName === 'INPUT' ? 'pre' : 'pre-wrap', margin: '0',
    borderColor: 'transparent', color: 'transparent', background: 'none',
  });
  if (el.scrollHeight > el.clientHeight && el.tagName === 'TEXTAREA') s.overflowY = 'scroll';
  const text = el.value;
  const mark = document.createElement('span');
  mark.textContent = text.slice(start, end);
  m.replaceChildren(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(`${text.slice(end)}\u200b`));
  const dx = el.scrollLeft;
  const dy = el.scrollTop;
  const rects = [...mark.getClientRects()]
    .filter((r) => r.width > 0.5)
    .map((r) => new DOMRect(r.left - dx, r.top - dy, r.width, r.height));
  const content = new DOMRect(
    box.left + el.clientLeft, box.top + el.clientTop, el.clientWidth, el.clientHeight,
  );
  return clipRects(rects, content).map((r) => new DOMRect(r.left, r.top, r.width, r.height));
}

/**
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 * @param {string} value
 */
function setNative(el, value) {
  const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(proto, 'value')).set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 * @param {number} start
 * @param {number} end
 * @param {string} text
 */
async function replace(el, start, end, text) {
  if (document.activeElement !== el) el.focus({ preventScroll: true });
  const before = el.value;
  const expected = before.slice(0, start) + text + before.slice(end);
  el.setSelectionRange(start, end);
  if (text === '') document.execCommand('delete');
  else document.execCommand('insertText', false, text);
  if (el.value === before && expected !== before) { // execCommand did nothing: React-aware setter
    setNative(el, expected);
    el.setSelectionRange(start + text.length, start + text.length);
    return 'native-setter';
  }
  return text === '' ? 'execCommand-delete' : 'execCommand-insertText';
}

export default {
  kind: 'textarea',
  readText,
  rangeRects,
  replace,
  /** @param {HTMLTextAreaElement|HTMLInputElement} el @param {string} text */
  insertAtEnd: (el, text) => replace(el, el.value.length, el.value.length, text),
};
