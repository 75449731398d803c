// @ts-check
// The words of the local records (companion/records/events.py): which events the extension reports
// and the reasons offered by "This warning is wrong" (a short list, never free text).
// tests/test_records.py checks the reason keys against the companion's.
import { t } from './i18n.js';

export const RULE_EVENTS = Object.freeze(['shown', 'fixed', 'ignored', 'overridden', 'wrong']);
export const SITE_EVENTS = Object.freeze(['site_paused', 'site_resumed']);
export const REPLY_EVENTS = Object.freeze(['reply_used']);
// a champion's answer (a canned reply's id, or 'typed' for one typed by hand and posted, content/answers.js):
// the companion keeps the conversation's URL only as a salted hash
export const ANSWER_EVENTS = Object.freeze(['reply_answered']);
export const HANDOFF_EVENTS = Object.freeze(['handoff']); // "Send to <owner>" opened, by escalation topic
export const RECORD_EVENTS = Object.freeze([...RULE_EVENTS, ...SITE_EVENTS, ...REPLY_EVENTS, ...ANSWER_EVENTS, ...HANDOFF_EVENTS]);
export const MAX_RECORD_EVENTS = 200; // per request to the companion

/** @type {ReadonlyArray<{key: string, readonly label: string}>} label: in the UI's language (_locales) */
export const WRONG_REASONS = Object.freeze([
  { key: 'not_a_problem', get label() { return t('wrong_not_a_problem'); } },
  { key: 'wrong_words', get label() { return t('wrong_wrong_words'); } },
  { key: 'allowed_for_me', get label() { return t('wrong_allowed_for_me'); } },
  { key: 'other', get label() { return t('wrong_other'); } },
]);

/**
 * One event as sent to POST /v1/records: ids and words from fixed lists only.
 * @typedef {{event: 'shown'|'fixed'|'ignored'|'overridden'|'wrong', rule: string, category: string, reason?: string}
 *   | {event: 'site_paused'|'site_resumed', site: string} | {event: 'reply_used', reply_id: string}
 *   | {event: 'reply_answered', reply_id: string, conversation: string, kind: string, posted_at: string, answered_at: string}
 *   | {event: 'handoff', topic: string}} RecordEvent
 */

/**
 * Keep only events of the right shape (the companion checks the ids against its pack).
 * @param {unknown} events
 * @returns {RecordEvent[]}
 */
export function wellFormedEvents(events) {
  if (!Array.isArray(events)) return [];
  const str = (/** @type {unknown} */ v) => typeof v === 'string' && v.length > 0 && v.length <= 200;
  return events.filter((e) => e && typeof e === 'object' && RECORD_EVENTS.includes(e.event)).map((e) => {
    if (RULE_EVENTS.includes(e.event)) {
      if (!str(e.rule) || !str(e.category)) return null;
      const out = { event: e.event, rule: e.rule, category: e.category };
      if (e.event === 'wrong' && WRONG_REASONS.some((r) => r.key === e.reason)) out.reason = e.reason;
      return out;
    }
    if (SITE_EVENTS.includes(e.event)) return str(e.site) ? { event: e.event, site: e.site } : null;
    if (ANSWER_EVENTS.includes(e.event)) {
      const url = typeof e.conversation === 'string' && e.conversation.startsWith('https://') && e.conversation.length <= 2048;
      return url && str(e.reply_id) && str(e.kind) && str(e.posted_at) && str(e.answered_at)
        ? { event: e.event, reply_id: e.reply_id, conversation: e.conversation, kind: e.kind, posted_at: e.posted_at, answered_at: e.answered_at }
        : null;
    }
    if (HANDOFF_EVENTS.includes(e.event)) return str(e.topic) ? { event: e.event, topic: e.topic } : null;
    return str(e.reply_id) ? { event: e.event, reply_id: e.reply_id } : null;
  }).filter((e) => e !== null);
}
