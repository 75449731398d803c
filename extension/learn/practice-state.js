// @ts-check
// The practice box's state, pure: the drafts of one category, what each reads now, which pass.
// A draft passes when the checker finds nothing at warning or critical in it (a tip may remain).
import { severityRank } from '../vocabulary.js';
import { t } from '../i18n.js';

/** @typedef {import('../protocol.js').PracticeDraft & {original: string, done: boolean}} Drill */

/** @param {import('../protocol.js').TourCategory} category @returns {Drill[]} */
export function drills(category) {
  return category.practice.map((d) => ({ ...d, original: d.text, done: false }));
}

/** @param {import('../protocol.js').Finding[]} findings */
export function passes(findings) {
  return findings.every((f) => severityRank(f.severity) < severityRank('warning'));
}

/** "1 of 2 fixed". @param {Drill[]} list */
export function progressText(list) {
  const fixed = list.filter((d) => d.done).length;
  return fixed === list.length ? t('learnAllFixed', list.length) : t('learnFixedOf', fixed, list.length);
}

/** The next draft still to fix after `at` (wrapping), or -1 when all pass. @param {Drill[]} list @param {number} at */
export function nextOpen(list, at) {
  for (let i = 1; i <= list.length; i += 1) {
    const j = (at + i) % list.length;
    if (!list[j].done) return j;
  }
  return -1;
}
