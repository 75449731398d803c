// @ts-check
// The role-play's state, pure: one scenario per practice message of the pack's canned replies (the
// customer's message and the reply the pack made for it), which are done. A scenario is done when a
// reply to it renders with no blocking (critical) finding: what the side panel would let the champion insert.
import { t } from '../i18n.js';

/** @typedef {{message: string, replyId: string, done: boolean}} Scenario */

/** @param {{id: string, practice?: string[]}[]} replies the pack's replies (GET /v1/pack) @returns {Scenario[]} */
export function scenarios(replies) {
  return replies.flatMap((r) => (r.practice ?? []).map((message) => ({ message, replyId: r.id, done: false })));
}

/** @param {{severity: string}[]} findings the render's re-check */
export function answered(findings) {
  return findings.every((f) => f.severity !== 'critical');
}

/** "1 of 3 answered". @param {Scenario[]} list */
export function roleplayProgress(list) {
  const done = list.filter((s) => s.done).length;
  return done === list.length ? t('roleplayAllDone', list.length) : t('roleplayDoneOf', done, list.length);
}
