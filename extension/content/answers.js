// @ts-check
// An answer typed by hand: when the user posts from a reply box in a conversation whose message time
// the page shows, the local records get the answer (reply id "typed", the kind the customer's message
// reads as, the times; the companion keeps the conversation's URL only as a salted hash). Once per post:
// a site that turns its submit key into a click on its button shows the same post twice within moments:
// the same text in the same conversation within SAME_POST_MS counts once. A box the side panel inserted a
// canned reply into is the panel's answer (sidepanel/records.js records it), so its post is not counted again.
import { conversationKind } from '../conversation-kind.js';

export const TYPED_REPLY = 'typed'; // companion/records/events.py TYPED_REPLY
export const SAME_POST_MS = 5000;

/**
 * @typedef {{el: HTMLElement, spec: import('./sites/index.js').BoxSpec,
 *   adapter: {readText: (el: HTMLElement) => {text: string}}}} AnsweringBox
 */

/**
 * @param {{
 *   post: (events: import('../records-vocabulary.js').RecordEvent[]) => void,
 *   now?: () => number,
 *   pageUrl?: () => string,
 * }} deps  pageUrl: the conversation's page, as the side panel's report names it (side-panel.js)
 */
export function createAnswers({ post, now = Date.now, pageUrl = () => location.origin + location.pathname }) {
  /** boxes holding a canned reply the side panel inserted (and recorded) */
  const byPanel = new WeakSet();
  /** box -> the conversation and text it last posted, and when (in memory only, like records.js's words) */
  const last = new WeakMap();

  return {
    /** The side panel inserted a canned reply into this box. @param {HTMLElement} el */
    inserted(el) { byPanel.add(el); },
    /** The site's post goes ahead from this box (post-controls.js). @param {AnsweringBox} box */
    posted(box) {
      const text = box.adapter.readText(box.el).text;
      const postedAt = box.spec.postedAt ? box.spec.postedAt(box.el) : null;
      if (!text.trim() || !postedAt) return;
      const conversation = `${pageUrl()}#${postedAt}`; // the side panel's conversationKey: one hash for both
      const key = `${conversation}\u0000${text}`;
      const before = last.get(box.el);
      const repeat = !!before && before.key === key && now() - before.at < SAME_POST_MS;
      last.set(box.el, { key, at: now() });
      if (byPanel.has(box.el)) { byPanel.delete(box.el); return; }
      if (repeat) return;
      const message = box.spec.context ? box.spec.context(box.el) : null;
      const kind = conversationKind(message, { reviewMarkup: !!(box.spec.review && box.spec.review(box.el)) });
      post([{ event: 'reply_answered', reply_id: TYPED_REPLY, conversation, kind, posted_at: postedAt,
        answered_at: new Date(now()).toISOString() }]);
    },
  };
}

/** @typedef {ReturnType<typeof createAnswers>} Answers */
