// @ts-check
// "Your week": the local records' numbers for the last 7 days, from the companion (GET /v1/records/week):
// findings shown and what was done with them, the noisiest rule, conversations answered and how fast.
// Only counts: the companion keeps no text. Loaded when the panel opens, on Refresh and every 5 minutes.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { $, el } from '../dom.js';
import { t } from '../i18n.js';
import { spanText } from './clock.js';

/** @typedef {import('../protocol.js').Week} Week */

/** 0.25 -> "25%", null -> "–". @param {number|null|undefined} rate */
export function pct(rate) {
  return rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`;
}

/** The view's lines: [label, value] pairs. @param {Week} w */
export function weekRows(w) {
  const f = w.findings;
  const r = w.responses;
  /** @type {[string, string][]} */
  const rows = [
    [t('weekShown'), String(f.shown)],
    [t('weekFixed'), `${f.fixed} (${pct(f.rates.fixed)})`],
    [t('weekIgnored'), `${f.ignored} (${pct(f.rates.ignored)})`],
    [t('weekOverridden'), `${f.overridden} (${pct(f.rates.overridden)})`],
    [t('weekWrong'), `${f.wrong} (${pct(f.rates.wrong)})`],
  ];
  if (w.noisiest.length) rows.push([t('weekNoisiest'), t('weekNoisiestValue', w.noisiest[0].rule, w.noisiest[0].noise, w.noisiest[0].shown)]);
  rows.push([t('weekAnswered'), String(r.answered)]);
  if (r.answered) {
    rows.push([t('weekMedian'), r.median_minutes === null ? '–' : spanText(r.median_minutes)]);
    rows.push([t('weekP90'), r.p90_minutes === null ? '–' : spanText(r.p90_minutes)]);
    rows.push([t('weekWithinTarget'), `${r.within_target} (${pct(r.within_target_share)})`]);
  }
  rows.push([t('weekRepliesUsed'), String(w.replies_used)]);
  return rows;
}

export async function loadWeek() {
  const r = await send({ kind: KIND.getWeek });
  const list = $('week');
  if (!r.ok) {
    list.replaceChildren();
    $('week-status').textContent = t('weekUnavailable', r.error.message);
    return;
  }
  const w = /** @type {Week} */ (r.week);
  $('week-status').textContent = t('weekSpan', w.since, w.until);
  list.replaceChildren(...weekRows(w).flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v)]));
}

export function wireWeek() {
  $('week-refresh').addEventListener('click', () => loadWeek());
  setInterval(() => loadWeek(), 5 * 60 * 1000);
}
