// @ts-check
// The site's post controls and submit keys, caught in the capture phase on window (before any site
// handler) and passed through the post guard (post-guard.js). "Post anyway" re-runs the site's own
// action once (a one-shot bypass); "Fix and post" applies the first fix, re-checks and then posts.
// Each post that goes ahead is told to `posted` (a typed answer for the local records, answers.js).
import { guardPost } from './post-guard.js';
import { emitPostedAnyway } from './override-events.js';
import { controlFor } from './sites/index.js';

/** @typedef {import('./box.js').BoxController} BoxController */

/**
 * @param {{
 *   site: import('./sites/index.js').Site,
 *   card: import('./overlay/card.js').Card,
 *   on: (t: EventTarget, type: string, fn: (e: any) => void) => void,
 *   boxOf: (t: EventTarget|null) => BoxController|null,
 *   boxForControl: (control: Element) => BoxController|null,
 *   notifyOnly: () => boolean,
 *   posted: (box: BoxController) => void,
 * }} p
 */
export function installPostControls(p) {
  /** @type {{kind: 'click', el: Element}|{kind: 'key'}|null} */
  let bypass = null;

  /** @param {Event} e @param {BoxController} box @param {Element} anchor @param {() => void} redo */
  function guard(e, box, anchor, redo) {
    if (p.notifyOnly()) { p.posted(box); return; }
    guardPost({
      event: e, box, anchor,
      redo: () => { p.posted(box); redo(); },
      fix: (f) => box.fix(f),
      postedAnyway: (items, reason) => emitPostedAnyway({
        site: p.site.id, surface: box.surface, reason, at: Date.now(),
        rules: items.map((f) => f.rule), categories: [...new Set(items.map((f) => f.category))],
        items: items.map((f) => ({ rule: f.rule, category: f.category })),
      }),
      confirm: (items, opts, answer) => p.card.showConfirm(box, anchor, items, {
        onEdit: () => { p.card.close(false); box.el.focus({ preventScroll: true }); answer({ action: 'edit' }); },
        onPost: (reason) => { p.card.close(false); answer({ action: 'post', reason }); },
        onFix: () => { p.card.close(false); box.el.focus({ preventScroll: true }); answer({ action: 'fix' }); },
      }, { ...opts, fix: opts.stale || opts.unchecked ? null : box.firstFix(items[0]) }),
    });
    if (!e.defaultPrevented) p.posted(box); // the guard let it through: the site posts now
  }

  p.on(window, 'click', (/** @type {MouseEvent} */ e) => {
    const control = e.target instanceof Element ? controlFor(p.site, e.target) : null;
    if (!control) return;
    if (bypass && bypass.kind === 'click' && bypass.el === control) { bypass = null; return; }
    const box = p.boxForControl(control);
    if (!box) return;
    guard(e, box, control, () => {
      bypass = { kind: 'click', el: control };
      try { /** @type {HTMLElement} */ (control).click(); } finally { bypass = null; }
    });
  });

  p.on(window, 'keydown', (/** @type {KeyboardEvent} */ e) => {
    if (e.isComposing || e.keyCode === 229 || (bypass && bypass.kind === 'key')) return;
    const box = p.boxOf(e.target);
    if (!box || !p.site.submitKey(e, box.surface)) return;
    guard(e, box, box.el, () => {
      bypass = { kind: 'key' };
      try {
        box.el.focus({ preventScroll: true });
        // keyCode/which in the init dict (Draft reads them); see dispatchBackspace in editors/rich.js
        box.el.dispatchEvent(new KeyboardEvent('keydown', /** @type {KeyboardEventInit} */ ({
          key: e.key, code: e.code, keyCode: e.keyCode, which: e.which,
          ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey,
          bubbles: true, cancelable: true, composed: true,
        })));
      } finally { bypass = null; }
    });
  });
}
