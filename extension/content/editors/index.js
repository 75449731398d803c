// @ts-check
// Pick the adapter by the editor's own DOM markers, not by site: LinkedIn flips between Quill and
// ProseMirror, Instagram between <textarea> and Lexical from one build to the next (Harper's
// editorUtils.ts uses the same order).
import contenteditable from './contenteditable.js';
import draft from './draft.js';
import lexical from './lexical.js';
import prosemirror from './prosemirror.js';
import quill from './quill.js';
import textarea from './textarea.js';

/**
 * @typedef {{
 *   kind: string,
 *   readText: (el: any) => import('./textmap.js').TextMap,
 *   rangeRects: (el: any, map: import('./textmap.js').TextMap, start: number, end: number, ctx?: {measure?: HTMLElement}) => DOMRect[],
 *   replace: (el: any, start: number, end: number, text: string) => Promise<string>,
 *   insertAtEnd: (el: any, text: string) => Promise<string>,
 * }} EditorAdapter
 */

/**
 * @param {Element} el
 * @returns {EditorAdapter|null}
 */
export function adapterFor(el) {
  if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') return textarea;
  if (!(el instanceof HTMLElement) || !el.isContentEditable) return null;
  if (el.closest('[data-lexical-editor="true"]')) return lexical;
  if (el.closest('.public-DraftEditor-content') || el.querySelector('[data-contents="true"]')) return draft;
  if (el.closest('.ql-editor')) return quill;
  if (el.closest('.ProseMirror')) return prosemirror;
  return contenteditable;
}
