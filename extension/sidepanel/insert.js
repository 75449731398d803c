// @ts-check
// Putting text into the page: the active tab's content script inserts it at the caret of its compose
// box (through the editor's own paths, verified), or the clipboard where inserting is off.
import { CONTENT_KIND } from '../protocol.js';
import { sendToTab } from '../messaging.js';
import { platformLabel } from '../vocabulary.js';
import { $ } from '../dom.js';
import { t } from '../i18n.js';

/**
 * Ask the tab's content script to insert at the caret of its compose box.
 * @param {import('./state.js').PanelState} state
 * @param {string} text @param {boolean} spaced  a link: keep a space between it and the text before
 * @param {string} what  "Reply", "Repairs link"... for the status line
 * @param {() => Promise<void>} onUnsafe  the page says editing is off there: read its report again
 * @param {boolean} [canned]  a canned reply (the panel records its answer; the page does not again on post)
 * @returns {Promise<boolean>} inserted
 */
export async function insertText(state, text, spaced, what, onUnsafe, canned = false) {
  const status = $('insert-status');
  if (state.tabId === null) { status.textContent = t('panelNoTab'); return false; }
  const r = await sendToTab(state.tabId, { kind: CONTENT_KIND.insertText, text, spaced, canned },
    t('panelTabNoBox'));
  if (r.ok) {
    status.textContent = t('panelInserted', what, state.report ? platformLabel(state.report.platform) : '');
    status.dataset.result = 'inserted';
    return true;
  }
  status.dataset.result = 'failed';
  status.textContent = t('panelNotInserted', r.error.message);
  if (r.error.code === 'unsafe') { await onUnsafe(); $('copy').focus(); }
  return false;
}

/** @param {string} text @param {string} what */
export async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    $('insert-status').textContent = t('panelCopied', what);
  } catch {
    $('insert-status').textContent = t('panelCopyFailed', what.toLowerCase());
  }
}
