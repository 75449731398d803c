// @ts-check
// The card's "Send to <owner>" (issue 16), in the worker: the content script names the escalation
// topic and gives the customer's words (and the draft only when the user ticked it); the worker finds
// the matrix row in the loaded pack, builds the same pre-filled mailto: or chat link as the side panel
// (../handoff.js) and opens it in a new tab (a content script cannot open mailto: safely on every
// site: the page could see or block it). Nothing is sent: the user's mail or chat program opens with
// the message. The hand-off is counted in the local records by topic.
import { failure } from '../protocol.js';
import { LIMITS } from '../vocabulary.js';
import { TEAM_TOPIC, handoffUrl, teamRow } from '../handoff.js';

/** The conversation's address without query or fragment (they can carry tracking or session ids). @param {string|undefined} url */
export function conversationUrl(url) {
  try {
    const u = new URL(String(url));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin + u.pathname : null;
  } catch {
    return null;
  }
}

/**
 * @param {{
 *   client: {pack: () => Promise<any>},
 *   openUrl?: (url: string) => Promise<unknown>,
 *   records?: {add: (events: unknown) => number},
 *   now: () => number,
 * }} deps
 * @returns {(msg: any, sender: chrome.runtime.MessageSender) => Promise<any>}
 */
export function handOffHandler(deps) {
  return async (msg, sender) => {
    if (typeof msg.topic !== 'string' || !msg.topic) return failure('bad_request', 'topic is required');
    if (!deps.openUrl) return failure('unsupported', 'this browser cannot open the hand-off from here');
    const text = customerText;
    let pack;
    try {
      pack = await deps.client.pack();
    } catch (e) {
      return failure('companion', e instanceof Error ? e.message : String(e), /** @type {any} */ (e)?.state);
    }
    // The text model's escalation names no topic: it goes to the pack's default contact.
    const row = msg.topic === TEAM_TOPIC
      ? teamRow(pack?.social_media_team)
      : (pack?.escalation_matrix ?? []).find((/** @type {any} */ r) => r.topic === msg.topic);
    if (!row) return failure('unknown_topic', `the policy pack has no escalation row for ${msg.topic}`);
    return openHandoff({ openUrl: deps.openUrl, records: deps.records }, row, {
      url: conversationUrl(sender.tab?.url ?? sender.url),
      customerWords: text(msg.replyingTo),
      time: new Date(deps.now()),
      draft: msg.includeDraft === true ? text(msg.draft) : null, // only what the user ticked
    });
  };
}

/** The customer's words as the hand-off takes them: a non-empty string, cut like the post being answered. @param {unknown} v */
export function customerText(v) {
  return typeof v === 'string' && v.trim() ? v.slice(0, LIMITS.replyingTo) : null;
}

/**
 * Open the pre-filled message for `row` and count it in the local records by topic (the card's
 * "Send to <owner>" and the context menu's "Report this post" both end here).
 * @param {{openUrl: (url: string) => Promise<unknown>, records?: {add: (events: unknown) => number}}} deps
 * @param {import('../handoff.js').MatrixRow} row @param {import('../handoff.js').HandoffFacts} facts
 */
export async function openHandoff(deps, row, facts) {
  await deps.openUrl(handoffUrl(row, facts));
  deps.records?.add([{ event: 'handoff', topic: row.topic }]);
  return { ok: true, owner: row.owner };
}
