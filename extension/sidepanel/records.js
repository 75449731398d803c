// @ts-check
// The side panel's part of the local records: a canned reply inserted into a compose box, by id,
// and, when it answers a conversation whose time the page shows, the answer (companion hashes the URL).
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';

/** @param {string} replyId */
export function recordReplyUsed(replyId) {
  send({ kind: KIND.record, events: [{ event: 'reply_used', reply_id: replyId }] });
}

/**
 * @param {string} replyId @param {string} conversation  the page's URL with the message's time
 * @param {string} kind  the clock's kind @param {string} postedAt  ISO 8601 @param {number} answeredAt  ms
 */
export function recordReplyAnswered(replyId, conversation, kind, postedAt, answeredAt) {
  send({ kind: KIND.record, events: [{ event: 'reply_answered', reply_id: replyId, conversation, kind,
    posted_at: postedAt, answered_at: new Date(answeredAt).toISOString() }] });
}

/** "Send to <owner>" opened from the panel, by escalation topic. @param {string} topic */
export function recordHandoff(topic) {
  send({ kind: KIND.record, events: [{ event: 'handoff', topic }] });
}
