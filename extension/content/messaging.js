// @ts-check
// The content script's only door to the service worker (which alone talks to 127.0.0.1).
import { failure } from '../protocol.js';

/**
 * @param {import('../protocol.js').Request} msg
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
