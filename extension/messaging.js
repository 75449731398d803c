// @ts-check
// The one way the extension's pages and content scripts send a message: to the service worker (which
// alone talks to 127.0.0.1) or, from the side panel, to a tab's content script. A reply is always
// `{ok: true, ...}` or a failure (protocol.js); a message that gets no answer or cannot be sent
// becomes a failure too, never an exception or undefined.
import { failure } from './protocol.js';

/**
 * To the service worker.
 * @param {import('./protocol.js').Request} msg
 * @returns {Promise<any>}
 */
export async function send(msg) {
  try {
    const reply = await chrome.runtime.sendMessage(msg);
    return reply ?? failure('no_reply', 'the extension did not answer');
  } catch (e) {
    // "Extension context invalidated" after an update/reload: this page's script is orphaned
    return failure('extension_gone', e instanceof Error ? e.message : String(e));
  }
}

/**
 * To the content script of a tab (the side panel's inserts, the worker's "settings changed").
 * @param {number} tabId
 * @param {import('./protocol.js').Request|{kind: string}} msg
 * @param {string} [noReceiver]  the failure's message when the tab has no content script of ours
 * @returns {Promise<any>}
 */
export async function sendToTab(tabId, msg, noReceiver = 'this tab has no page PostGuard watches') {
  try {
    const reply = await chrome.tabs.sendMessage(tabId, msg);
    return reply ?? failure('no_reply', 'no answer from the page');
  } catch {
    return failure('no_content', noReceiver);
  }
}
