// @ts-check
// The response-time clock's arithmetic (no DOM): how old the customer's message is against the pack's
// response target for its kind, the time left or how long overdue, in words. The kind is the
// champion's pick, else the message's (conversation-kind.js); a kind the pack sets no target for
// counts against the most urgent target (the clock never says there is more time than there is). A business day counts 24 hours, as companion/records/events.py counts it.
import { counted, t } from '../i18n.js';

const UNIT_MIN = /** @type {Record<string, number>} */ ({ m: 1, min: 1, mins: 1, minute: 1, minutes: 1, h: 60, hr: 60, hrs: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440, w: 10080, week: 10080, weeks: 10080 });
const SOON = 0.25; // the last quarter of the target is "answer soon"

/** @typedef {{kind: string, within: string}} Target */
/** @typedef {{kind: string, targetMinutes: number, ageMinutes: number, leftMinutes: number, state: 'ok'|'soon'|'overdue'}} Clock */

/** "2h" -> 120, "1 business day" -> 1440; null when it is not a duration. @param {string} within */
export function targetMinutes(within) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(business\s+days?|[a-z]+)\s*$/i.exec(String(within ?? ''));
  if (!m) return null;
  const unit = m[2].toLowerCase();
  const per = unit.startsWith('business') ? 1440 : UNIT_MIN[unit];
  return per === undefined ? null : Math.round(Number(m[1]) * per);
}

/** The pack's targets that are durations, most urgent first. @param {Target[]} targets */
export function usableTargets(targets) {
  return (targets ?? []).map((t) => ({ kind: t.kind, within: t.within, minutes: targetMinutes(t.within) }))
    .filter((t) => t.kind && t.minutes !== null)
    .sort((a, b) => /** @type {number} */ (a.minutes) - /** @type {number} */ (b.minutes));
}

/**
 * @param {string|null|undefined} postedAt  ISO 8601, from the page
 * @param {Target[]} targets  the pack's response_targets
 * @param {string|null} kind  the champion's pick or the message's kind (null or no target: the most urgent)
 * @param {number} now  ms
 * @returns {Clock|null}
 */
export function clockFor(postedAt, targets, kind, now) {
  const posted = Date.parse(postedAt ?? '');
  const usable = usableTargets(targets);
  if (!Number.isFinite(posted) || !usable.length) return null;
  const t = usable.find((u) => u.kind === kind) ?? usable[0];
  const target = /** @type {number} */ (t.minutes);
  const age = Math.max(0, Math.floor((now - posted) / 60000));
  const left = target - age;
  return { kind: t.kind, targetMinutes: target, ageMinutes: age, leftMinutes: left,
    state: left < 0 ? 'overdue' : left <= target * SOON ? 'soon' : 'ok' };
}

/** 45 -> "45 min", 130 -> "2 h 10 min", 3000 -> "2 days 2 h". @param {number} minutes */
export function spanText(minutes) {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return t('minutes', m);
  if (m < 1440) return m % 60 ? t('hoursMinutes', Math.floor(m / 60), m % 60) : t('hoursShort', m / 60);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? `${counted('days', d)} ${t('hoursShort', h)}` : counted('days', d);
}

/** The clock in one sentence. @param {Clock} c */
export function clockText(c) {
  const kind = c.kind.replace(/_/g, ' ');
  const head = t('clockHead', spanText(c.ageMinutes), kind, spanText(c.targetMinutes));
  return c.state === 'overdue' ? t('clockOverdue', head, spanText(-c.leftMinutes)) : t('clockLeft', head, spanText(c.leftMinutes));
}
