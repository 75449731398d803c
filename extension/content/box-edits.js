// @ts-check
// Edits to a box's text through its editor adapter, each verified: the text is read again each frame
// for at least 10 frames and a second (a busy machine renders late) and must be exactly what was
// meant; otherwise the text is put back as it was and editing is switched off on the site for the
// session (site-editing.js). Suggestions, "Fix and post", referral links and the side panel's inserts.
import { isActionable } from '../format.js';
import { applyEdit, diffRegion, padded, planEdit } from './edits.js';
import { nextFrame } from './frames.js';
import { offsetAt } from './editors/textmap.js';
import { t } from '../i18n.js';

/** An edit has this long to show in the editor's text before PostGuard calls it failed. */
const VERIFY_FRAMES = 10;
const VERIFY_MS = 1000;

/** @typedef {import('./box.js').BoxController} BoxController */
/** @typedef {import('./box.js').Finding} Finding */

/**
 * Apply an edit and verify it landed exactly.
 * @param {BoxController} box
 * @param {() => import('./edits.js').Edit|null} plan
 * @param {Finding|null} finding  the finding whose span the edit uses (checked still in place)
 * @returns {Promise<boolean>} whether the edit landed (verified)
 */
export async function perform(box, plan, finding) {
  const { adapter, el, env } = box;
  if (box.busy || !box.insertionAllowed) return false;
  const before = adapter.readText(el).text;
  const edit = plan();
  if (!edit) return false;
  if (finding && finding._slice !== undefined && before.slice(finding.start, finding.end) !== finding._slice) {
    env.layer.announce(t('editTextChanged'));
    box.markDirty();
    return false;
  }
  box.busy = true;
  let landed = false;
  try {
    landed = await editAndVerify(adapter, el, before, edit, env.stats);
    if (!landed) await putBack(box, before, edit);
  } finally {
    box.busy = false;
  }
  box.markDirty();
  if (!landed) env.editing.markUnsafe(`${adapter.kind} edit did not verify`);
  else env.layer.announce(t('editApplied'));
  return landed;
}

/**
 * Make one edit through the adapter and wait until the editor's text is exactly the result.
 * @param {import('./editors/index.js').EditorAdapter} adapter @param {HTMLElement} el
 * @param {string} before  the text the edit was planned on @param {import('./edits.js').Edit} edit
 * @param {{lastEditPath?: string}} [stats]
 */
async function editAndVerify(adapter, el, before, edit, stats) {
  const expected = applyEdit(before, edit);
  try {
    const path = edit.start === before.length && edit.end === before.length
      ? await adapter.insertAtEnd(el, edit.text)
      : await adapter.replace(el, edit.start, edit.end, edit.text);
    if (stats) stats.lastEditPath = path;
  } catch (e) {
    return false; // the adapter refused before editing (its selection did not hold)
  }
  const since = performance.now();
  for (let k = 0; k < VERIFY_FRAMES || performance.now() - since < VERIFY_MS; k += 1) {
    await nextFrame();
    if (adapter.readText(el).text === expected) return true;
  }
  return false;
}

/**
 * An edit that did not land as planned may still have changed the text (a paste at the wrong place):
 * undo it with one more verified edit of the changed region, so the user's words are never left
 * scrambled. Only when the change is exactly the edit's own text: anything else may be the user typing
 * meanwhile, which is theirs to keep. Says so either way.
 * @param {BoxController} box @param {string} before @param {import('./edits.js').Edit} edit
 */
async function putBack(box, before, edit) {
  const { adapter, el, env } = box;
  const now = adapter.readText(el).text;
  if (now === before) return;
  const d = diffRegion(now, before);
  const ours = now.slice(d.start, d.oldEnd) === edit.text;
  const undo = { start: d.start, end: d.oldEnd, text: before.slice(d.start, d.newEnd) };
  const restored = ours && await editAndVerify(adapter, el, now, undo);
  env.layer.announce(t(restored ? 'editPutBack' : 'editLeftChanged'));
}

/** @param {BoxController} box @param {Finding} finding @param {number} i  index into its suggestions */
export function applySuggestion(box, finding, i) {
  const s = finding.suggestions[i];
  if (!s) return Promise.resolve(false);
  return perform(box, () => planEdit(box.adapter.readText(box.el).text, finding, s), finding);
}

/**
 * The edit the confirm card offers as "Fix and post": the finding's first suggestion that changes
 * the text, when PostGuard may edit on this site.
 * @param {BoxController} box @param {import('../protocol.js').Finding} f
 * @returns {{label: string, index: number}|null}
 */
export function firstFix(box, f) {
  if (!box.insertionAllowed || !f) return null;
  const index = f.suggestions.findIndex((s) => isActionable(s));
  return index < 0 ? null : { label: f.suggestions[index].label, index };
}

/** @param {BoxController} box @param {import('../protocol.js').Referral} r */
export function insertReferral(box, r) {
  return perform(box, () => planEdit(box.adapter.readText(box.el).text, { start: 0, end: 0 }, { label: r.title, insert: ` ${r.url}` }), null);
}

/** UTF-16 offset of the caret in the box's text, or null. @param {BoxController} box */
export function caretOffset(box) {
  const el = /** @type {any} */ (box.el);
  if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') return el.selectionStart;
  const sel = getSelection();
  if (!sel || !sel.rangeCount || !box.map) return null;
  return offsetAt(box.map, sel.focusNode, sel.focusOffset);
}

/**
 * Insert text at the caret (the side panel's canned replies and referral links). No caret in the
 * box: at the end. A space goes between it and text right before or after the caret, so a reply
 * never sticks to what is already there ("Thanks Priya! Hi Priya, …", not "Thanks Priya!Hi Priya, …").
 * @param {BoxController} box @param {string} text
 */
export function insertAtCaret(box, text) {
  return perform(box, () => {
    const before = box.adapter.readText(box.el).text;
    const caret = caretOffset(box);
    const at = caret === null || caret < 0 || caret > before.length ? before.length : caret;
    return { start: at, end: at, text: padded(text, before.slice(0, at), before.slice(at)) };
  }, null);
}
