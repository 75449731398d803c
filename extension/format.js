// @ts-check
// Wording shared by the in-page card and the side panel.

import { severityRank } from './vocabulary.js';
import { counted, t } from './i18n.js';
import { pauseEnd } from './pauses.js';

/** @typedef {import('./protocol.js').Finding} Finding */

/** One `detail.context` item as text: the combination rules send `{group, text}`, codename rules a word.
 * @param {unknown} c */
function contextWord(c) {
  if (typeof c === 'string') return `“${c}”`;
  if (c && typeof c === 'object' && typeof (/** @type {any} */ (c)).text === 'string') {
    const { text, group } = /** @type {{text: string, group?: unknown}} */ (c);
    return typeof group === 'string' && group ? `“${text}” (${group})` : `“${text}”`;
  }
  return '';
}

/** @param {unknown} context */
function contextWords(context) {
  return Array.isArray(context) ? context.map(contextWord).filter(Boolean).join(', ') : '';
}

/**
 * "How it matched", from the finding's detail.
 * @param {Finding} f
 */
export function howMatched(f) {
  const d = f.detail;
  const ex = `“${f.excerpt}”`;
  if (!d || !d.match) return '';
  const how = matchedBy(f, d, ex);
  const layer = d.layer === 'base' ? t('howLayerBase') : d.layer === 'pack' ? t('howLayerPack') : '';
  return how && layer ? t('howRuleFrom', how, layer) : how;
}

/** @param {import('./protocol.js').Finding} f @param {any} d @param {string} ex */
function matchedBy(f, d, ex) {
  const where = d.source === 'replying_to' ? t('howInAnswered') : '';
  const near = contextWords(d.context);
  if (d.match === 'exact') {
    const what = f.excerpt ? ex : `“${d.matched ?? ''}”`;
    return t('howExact', what, `${where}${near ? t('howNear', near) : ''}`);
  }
  if (d.match === 'fuzzy') {
    const of = d.matched ? t('howOf', d.matched) : '';
    const dist = typeof d.distance === 'number' ? counted('howDistance', d.distance) : '';
    return t('howFuzzy', ex, `${of}${dist}${where}`);
  }
  if (d.match === 'context') return t('howContext', ex, `${near ? `: ${near}` : ''}${where}`);
  if (d.match === 'pattern') return t('howPattern', ex, where);
  if (d.match === 'words') return t('howWords', d.matched ?? f.excerpt, where);
  if (d.match === 'length' && typeof d.length === 'number' && typeof d.limit === 'number') {
    return t('howLength', d.length, d.limit);
  }
  return '';
}

/**
 * A suggestion is an action only when it changes the text: a `replacement` for the finding's span
 * or an `insert` at the end. Anything else is advice (a tip): shown as text, never as a button.
 * @param {import('./protocol.js').Suggestion} s
 */
export function isActionable(s) {
  return typeof s.replacement === 'string' || (typeof s.insert === 'string' && s.insert.trim() !== '');
}

/** What an actionable suggestion does, in words ('' for a tip).
 * @param {import('./protocol.js').Suggestion} s */
export function suggestionEffect(s) {
  if (typeof s.replacement === 'string') return s.replacement ? t('effectReplace', s.replacement) : t('effectRemove');
  if (isActionable(s)) return t('effectAdd', (s.insert ?? '').trim());
  return '';
}

/**
 * Customer links (referrals) are for answering customers. They are left out of any card for a draft
 * that puts the writer at risk (safety) or that must be escalated instead of answered.
 * @param {import('./protocol.js').Referral[]} referrals
 * @param {Finding[]} findings  every finding of the draft
 */
export function referralsToShow(referrals, findings) {
  return findings.some((f) => f.category === 'safety' || f.category === 'escalation') ? [] : referrals;
}

/** A label starting with a capital letter (the companion's states and the pack's topics are lower case). @param {string} s */
export function sentence(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * The keyboard shortcut that opens the card from a compose box. Ctrl+Shift+. (Control on macOS too):
 * Alt/Option+Shift+arrows select text on macOS, Option+letters type characters there, and
 * Ctrl+Shift+. is bound by none of Chrome, the four sites or the systems' text editing.
 * @param {KeyboardEvent} e
 */
export function isCardShortcut(e) {
  return e.code === 'Period' && e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey;
}

/** The shortcut as people read it on this system. @param {string} [platform] navigator.platform */
export function cardShortcutLabel(platform = typeof navigator === 'undefined' ? '' : navigator.platform) {
  return /^Mac/i.test(platform) ? '⌃⇧.' : 'Ctrl+Shift+.';
}

/**
 * When a pause ends, in words: "for 1 hour" style labels are for the menu; this is for the chip.
 * @param {number|null} until  epoch ms, null = until turned back on
 * @param {number} [now]
 */
export function pauseEndText(until, now = Date.now()) {
  if (until === null) return t('pauseUntilResumed');
  const end = new Date(until);
  const time = end.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const sameDay = new Date(now).toDateString() === end.toDateString();
  if (sameDay) return t('pauseUntil', time);
  // the "for today" pause ends at the next midnight, as pauses.js sets it; an hour's pause started at 23:00:12
  // ends at 00:00:12 and says so
  return until === pauseEnd('today', now) ? t('pauseUntilTodayEnds') : t('pauseUntil', `${end.toLocaleDateString()} ${time}`);
}

/** The choices of the card's pause menu. */
export const PAUSE_CHOICES = Object.freeze([ // labels in the UI's language (_locales)
  { duration: 'hour', get label() { return t('pause_hour'); } },
  { duration: 'today', get label() { return t('pause_today'); } },
  { duration: 'indefinite', get label() { return t('pause_indefinite'); } },
]);

/** Why a user posts despite a critical finding (optional; emitted as an event, never stored). */
export const POST_ANYWAY_REASONS = Object.freeze([ // labels in the UI's language (_locales)
  { id: 'approved', get label() { return t('reason_approved'); } },
  { id: 'not_what_it_looks_like', get label() { return t('reason_not_what_it_looks_like'); } },
  { id: 'other', get label() { return t('reason_other'); } },
]);

/**
 * One finding per problem: the base policy and a company pack may flag the same words for the same
 * reason ("my lawyer": base.escalate.legal and escalate.legal-threat). Findings of one category whose
 * spans overlap and that say the same, or cover exactly the same words, are one; the most severe is
 * kept (the first of equals), in the original order.
 * @template {Finding} F
 * @param {F[]} findings
 * @returns {F[]}
 */
export function dedupeFindings(findings) {
  /** @type {F[]} */
  const out = [];
  for (const f of findings) {
    const i = out.findIndex((g) => g.category === f.category && g.start < f.end && f.start < g.end
      && (g.message === f.message || (g.start === f.start && g.end === f.end)));
    if (i < 0) out.push(f);
    else if (severityRank(f.severity) > severityRank(out[i].severity)) out[i] = f;
  }
  return out;
}
