// @ts-check
// The side panel's part of the local records: a canned reply inserted into a compose box, by id.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';

/** @param {string} replyId */
export function recordReplyUsed(replyId) {
  send({ kind: KIND.record, events: [{ event: 'reply_used', reply_id: replyId }] });
}

/** "Send to <owner>" opened from the panel, by escalation topic. @param {string} topic */
export function recordHandoff(topic) {
  send({ kind: KIND.record, events: [{ event: 'handoff', topic }] });
}
