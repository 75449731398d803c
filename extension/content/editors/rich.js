// @ts-check
// Shared operations for contenteditable editors: select a span, paste into it through the editor's
// own paste handler, delete it through the editor's own Backspace handler, get its rectangles.
// Why: these editors keep their own model of the text; a DOM edit behind their back is undone or
// desynchronises them, while a paste or a Backspace goes through their handlers (tested per editor in
// tests/e2e/test_extension_sites.py).
import { nextFrame } from '../frames.js';
import { readTree, pointAt, offsetAt } from './textmap.js';

/** @typedef {import('./textmap.js').TextMap} TextMap */
/** @typedef {import('./textmap.js').Profile} Profile */

/**
 * A DOM Range for a span of the text map (null when the text is empty).
 * @param {TextMap} map
 * @param {number} start
 * @param {number} end
 */
export function spanRange(map, start, end) {
  const a = pointAt(map, start, start === end ? 'end' : 'start');
  const b = start === end ? a : pointAt(map, end, 'end');
  if (!a || !b) return null;
  const r = document.createRange();
  r.setStart(a.node, a.offset);
  r.setEnd(b.node, b.offset);
  return r;
}

/**
 * Client rects of a span. Zero-width rects (line ends, collapsed breaks) are dropped.
 * @param {TextMap} map
 * @param {number} start
 * @param {number} end
 * @returns {DOMRect[]}
 */
export function richRangeRects(map, start, end) {
  const r = spanRange(map, start, end);
  if (!r) return [];
  return [...r.getClientRects()].filter((x) => x.width > 0.5 && x.height > 0.5);
}

/**
 * A caret at the end of the last leaf; never directly under the editor root (a cold Lexical insert
 * was lost that way; failure 5 in the notes).
 * @param {HTMLElement} el
 * @param {TextMap} map
 * @returns {Range}
 */
function caretAtEnd(el, map) {
  const r = document.createRange();
  const last = map.segments[map.segments.length - 1];
  if (last) {
    r.setStart(last.node, last.nodeOffset + last.end - last.start);
  } else {
    let leaf = /** @type {Element} */ (el);
    while (leaf.lastElementChild && leaf.lastElementChild.tagName !== 'BR') leaf = leaf.lastElementChild;
    r.setStart(leaf, 0);
  }
  r.collapse(true);
  return r;
}

/** How long to wait for the browser to report a selection change (Firefox reports it late when busy). */
const SELECTION_EVENT_MS = 500;

/** The next `selectionchange` on the document, or `ms` without one. */
function nextSelectionChange(ms = SELECTION_EVENT_MS) {
  return new Promise((resolve) => {
    const done = () => { document.removeEventListener('selectionchange', done); clearTimeout(timer); resolve(undefined); };
    const timer = setTimeout(done, ms);
    document.addEventListener('selectionchange', done);
  });
}

/** A range's ends as offsets in the map's text (null where a point is on an element). @param {TextMap} map @param {Range} r */
const offsetsOf = (map, r) => [offsetAt(map, r.startContainer, r.startOffset), offsetAt(map, r.endContainer, r.endOffset)];

/**
 * Is the document's selection still the range PostGuard set? Compared as offsets in the text, since
 * an editor may move the same point to a neighbouring node; as selected text where a point is on an
 * element.
 * @param {TextMap} map @param {Range} want
 */
function selectionHolds(map, want) {
  const sel = getSelection();
  if (!sel || !sel.rangeCount) return false;
  const got = sel.getRangeAt(0);
  const [a, b] = offsetsOf(map, want);
  const [c, d] = offsetsOf(map, got);
  if (a !== null && b !== null && c !== null && d !== null) return a === c && b === d;
  const words = (/** @type {string} */ x) => x.replace(/\s+/g, ' ');
  return words(got.toString()) === words(want.toString());
}

/**
 * Select text[start:end] (a caret when start === end) and wait until the editor has seen it: the
 * editors take their own selection from the document's `selectionchange` event, and a paste or a
 * Backspace before that lands where the old selection was (a Firefox run under load pasted a
 * suggestion at the start of the box). Throws when the selection does not hold, so nothing is edited.
 * @param {HTMLElement} el
 * @param {TextMap} map
 * @param {number} start
 * @param {number} end
 */
async function select(el, map, start, end) {
  if (document.activeElement !== el) {
    el.focus({ preventScroll: true });
    await nextFrame(); // let the editor sync its own selection first (Lexical)
  }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const seen = nextSelectionChange();
    const span = start === end && end >= map.text.length ? null : spanRange(map, start, end);
    const want = span ?? caretAtEnd(el, map);
    const sel = /** @type {Selection} */ (getSelection());
    sel.removeAllRanges();
    sel.addRange(want);
    await seen; // the editors' own listeners ran first: they were added before ours
    await nextFrame(); // Quill reads it on a timer
    if (selectionHolds(map, want)) return;
  }
  throw new Error('the selection did not hold');
}

/**
 * Synthetic paste with a DataTransfer: Draft, Lexical, Quill and ProseMirror handle it (also into
 * an empty, never-focused box). Returns whether the editor took it (preventDefault).
 * @param {HTMLElement} el
 * @param {string} text
 */
export function dispatchPaste(el, text) {
  const dt = new DataTransfer();
  dt.setData('text/plain', text);
  const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
  // Firefox gives the event a DataTransfer of its own and copies nothing from `dt`, and data a content
  // script sets is unreadable to the page: set it through the page's view of the event
  // (`wrappedJSObject`, Firefox content scripts only). In Chromium this sets `dt` again, to the same text.
  (/** @type {any} */ (ev).wrappedJSObject ?? ev).clipboardData?.setData('text/plain', text);
  el.dispatchEvent(ev);
  return ev.defaultPrevented;
}

/**
 * Synthetic Backspace keydown: every editor here deletes a non-collapsed selection in its own
 * keydown handler (Draft keyCommandPlainBackspace, Lexical KEY_BACKSPACE_COMMAND, Quill keyboard
 * module, ProseMirror baseKeymap) and calls preventDefault. Draft reads keyCode/which.
 * @param {HTMLElement} el
 */
export function dispatchBackspace(el) {
  // keyCode/which go in the init dict: a property defined on this (isolated-world) event object
  // would be invisible to the page's own JS wrapper of the same event.
  const ev = new KeyboardEvent('keydown', /** @type {KeyboardEventInit} */ ({
    key: 'Backspace', code: 'Backspace', keyCode: 8, which: 8, bubbles: true, cancelable: true, composed: true,
  }));
  el.dispatchEvent(ev);
  return ev.defaultPrevented;
}

/**
 * Build the adapter of a contenteditable editor kind. replace/insertAtEnd resolve with the path
 * they took ('paste', 'keydown-Backspace', or an execCommand fallback), for diagnostics.
 * @param {string} kind
 * @param {Profile} profile
 * @param {{pasteLines?: boolean}} [opts] pasteLines: paste multi-line text one line at a time
 *   (ProseMirror's plain-text clipboard parser merges runs of newlines into one paragraph break)
 */
export function richAdapter(kind, profile, opts = {}) {
  /** @param {HTMLElement} el */
  const readText = (el) => readTree(el, profile);

  /**
   * @param {HTMLElement} el
   * @param {string} text
   */
  async function paste(el, text) {
    const chunks = opts.pasteLines ? text.split(/(\n)/).filter(Boolean) : [text];
    let path = 'paste';
    for (let i = 0; i < chunks.length; i += 1) {
      if (i > 0) await nextFrame();
      if (!dispatchPaste(el, chunks[i])) { // nobody handled it: a plain contenteditable
        document.execCommand('insertText', false, chunks[i]);
        path = 'execCommand-insertText';
      }
    }
    return path;
  }

  return {
    kind,
    readText,
    /** @param {HTMLElement} _el @param {TextMap} map @param {number} start @param {number} end */
    rangeRects: (_el, map, start, end) => richRangeRects(map, start, end),
    /**
     * Replace text[start:end] with `text` through the editor's own paths.
     * @param {HTMLElement} el @param {number} start @param {number} end @param {string} text
     */
    async replace(el, start, end, text) {
      await select(el, readText(el), start, end);
      if (text !== '') return paste(el, text);
      if (dispatchBackspace(el)) return 'keydown-Backspace';
      document.execCommand('delete');
      return 'execCommand-delete';
    },
    /** @param {HTMLElement} el @param {string} text */
    async insertAtEnd(el, text) {
      const map = readText(el);
      await select(el, map, map.text.length, map.text.length);
      return paste(el, text);
    },
  };
}
