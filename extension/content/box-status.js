// @ts-check
// A box's state in words: the chip's model, the card's status line, why the companion did not
// answer, the note on findings kept from an earlier check. Pure: reads the box, changes nothing.
import { platformLabel, severityRank } from '../vocabulary.js';

/** Companion states in which a box has no fresh answer. */
export const DOWN = new Set(['offline', 'unpaired', 'no_pack', 'error', 'impostor']);
const DOWN_TEXT = /** @type {Record<string, [string, string]>} */ ({
  // the worker's message names the port: "Something else is answering on port N — PostGuard did not send your draft"
  impostor: ['warning', 'something else is answering on the companion port — PostGuard did not send your draft'],
  offline: ['not running', 'companion not running — checks are off, typing is not affected'],
  unpaired: ['not paired', 'not paired with the companion — pair it in the options page'],
  no_pack: ['no pack', 'the companion has no valid policy pack'],
  error: ['error', 'the companion answered with an error'],
});

/**
 * What these functions read of a box (BoxController).
 * @typedef {{
 *   state: string, stateMessage: string, stale: boolean, platform: string,
 *   shown: import('../protocol.js').Finding[], referrals: import('../protocol.js').Referral[],
 *   pack: {id: string, revision: string|number}|null, insertionAllowed: boolean,
 * }} BoxState
 */

/** @param {number} n @param {string} word */
const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why the companion did not answer, in a few words (the confirm card). @param {BoxState} b */
export function downReason(b) {
  if (b.state === 'impostor') return 'something else is answering on the companion port';
  return DOWN.has(b.state) ? DOWN_TEXT[b.state][1].split(' — ')[0] : 'the companion did not answer';
}

/** @param {BoxState} b */
export function staleNote(b) {
  return `Not re-checked: these findings are from the last check PostGuard could make (${downReason(b)}). A post is still held for the critical ones.`;
}

/** @param {BoxState} b */
export function unsafeNote(b) {
  return `Editing from PostGuard is off on ${platformLabel(b.platform)} for this session: an edit did not land as expected, so the box is left alone. Fix the text by hand; the side panel lists the findings.`;
}

/** The card's and the side panel's status line. @param {BoxState} b */
export function statusText(b) {
  const kept = b.stale ? ` ${staleNote(b)}` : '';
  if (b.state === 'impostor' && b.stateMessage) return `PostGuard: ${b.stateMessage}.${kept}`;
  if (DOWN.has(b.state)) return `PostGuard: ${DOWN_TEXT[b.state][1]}.${kept}`;
  if (b.state === 'checking') return 'Checking…';
  const n = b.shown.length;
  if (b.state === 'idle') return 'Nothing to check yet.';
  return n ? `${count(n, 'finding')} in this draft.` : 'No findings in this draft.';
}

/** @param {BoxState} b */
export function packText(b) {
  return b.pack ? `Policy pack ${b.pack.id}, revision ${b.pack.revision}` : '';
}

/** The chip's model (overlay/chip.js). @param {BoxState} b @returns {import('./overlay/chip.js').ChipModel} */
export function chipModel(b) {
  if (DOWN.has(b.state)) {
    const [short, fallback] = DOWN_TEXT[b.state];
    const n = b.shown.length;
    const kept = b.stale && n ? `; ${count(n, 'finding')} from the last check kept, not re-checked` : '';
    const text = (b.state === 'impostor' && b.stateMessage ? b.stateMessage : fallback) + kept;
    return { state: b.state, short, text, severity: b.state === 'impostor' ? 'warning' : null };
  }
  if (b.state === 'idle') return { state: 'idle', short: '', text: 'idle', severity: null };
  if (b.state === 'checking') return { state: 'checking', short: '…', text: 'checking', severity: null };
  const shown = b.shown;
  const refs = b.referrals.length ? `, ${count(b.referrals.length, 'referral')}` : '';
  if (!shown.length) return { state: 'ok', short: '✓', text: `no findings${refs}${b.pack ? ` (pack ${b.pack.id} rev ${b.pack.revision})` : ''}`, severity: null };
  const worst = shown.reduce((a, f) => (severityRank(f.severity) > severityRank(a) ? f.severity : a), 'info');
  const off = b.insertionAllowed ? '' : '; editing from PostGuard is off on this site, see the side panel';
  return { state: 'findings', short: String(shown.length), text: `${count(shown.length, 'finding')}${refs}${off}`, severity: worst };
}
