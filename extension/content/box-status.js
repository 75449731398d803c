// @ts-check
// A box's state in words: the chip's model, the card's status line, why the companion did not
// answer, the note on findings kept from an earlier check. Pure: reads the box, changes nothing.
import { platformLabel, severityRank } from '../vocabulary.js';
import { counted, t } from '../i18n.js';

/** Companion states in which a box has no fresh answer. */
export const DOWN = new Set(['offline', 'unpaired', 'no_pack', 'error', 'impostor']);
// the chip's word and the sentence per state, as _locales keys (the worker's own message for an
// impostor names the port: "Something else is answering on port N — PostGuard did not send your draft")
const DOWN_KEYS = /** @type {Record<string, [string, string]>} */ ({
  impostor: ['downImpostorShort', 'downImpostor'],
  offline: ['downOfflineShort', 'downOffline'],
  unpaired: ['downUnpairedShort', 'downUnpaired'],
  no_pack: ['downNoPackShort', 'downNoPack'],
  error: ['downErrorShort', 'downError'],
});
/** @param {string} state @param {0|1} which 0: the chip's word, 1: the sentence */
const downText = (state, which) => t(DOWN_KEYS[state][which]);

/**
 * What these functions read of a box (BoxController).
 * @typedef {{
 *   state: string, stateMessage: string, stale: boolean, platform: string,
 *   shown: import('../protocol.js').Finding[], referrals: import('../protocol.js').Referral[],
 *   pack: {id: string, revision: string|number}|null, insertionAllowed: boolean,
 * }} BoxState
 */


/** Why the companion did not answer, in a few words (the confirm card). @param {BoxState} b */
export function downReason(b) {
  if (b.state === 'impostor') return t('downImpostorReason');
  return DOWN.has(b.state) ? downText(b.state, 1).split(' — ')[0] : t('downNoAnswer');
}

/** @param {BoxState} b */
export function staleNote(b) {
  return t('staleNote', downReason(b));
}

/** @param {BoxState} b */
export function unsafeNote(b) {
  return t('unsafeNote', platformLabel(b.platform));
}

/** The card's and the side panel's status line. @param {BoxState} b */
export function statusText(b) {
  const kept = b.stale ? ` ${staleNote(b)}` : '';
  if (b.state === 'impostor' && b.stateMessage) return t('statusDown', b.stateMessage, kept);
  if (DOWN.has(b.state)) return t('statusDown', downText(b.state, 1), kept);
  if (b.state === 'checking') return t('statusChecking');
  const n = b.shown.length;
  if (b.state === 'idle') return t('statusIdle');
  return n ? t('statusFindings', counted('findings', n)) : t('statusNoFindings');
}

/** @param {BoxState} b */
export function packText(b) {
  return b.pack ? t('packText', b.pack.id, b.pack.revision) : '';
}

/** The chip's model (overlay/chip.js). @param {BoxState} b @returns {import('./overlay/chip.js').ChipModel} */
export function chipModel(b) {
  if (DOWN.has(b.state)) {
    const short = downText(b.state, 0);
    const fallback = downText(b.state, 1);
    const n = b.shown.length;
    const kept = b.stale && n ? t('chipKept', counted('findings', n)) : '';
    const text = (b.state === 'impostor' && b.stateMessage ? b.stateMessage : fallback) + kept;
    return { state: b.state, short, text, severity: b.state === 'impostor' ? 'warning' : null };
  }
  if (b.state === 'idle') return { state: 'idle', short: '', text: t('chipIdle'), severity: null };
  if (b.state === 'checking') return { state: 'checking', short: '…', text: t('chipChecking'), severity: null };
  const shown = b.shown;
  const refs = b.referrals.length ? `, ${counted('referrals', b.referrals.length)}` : '';
  if (!shown.length) return { state: 'ok', short: '✓', text: `${t('chipNoFindings')}${refs}${b.pack ? t('chipPack', b.pack.id, b.pack.revision) : ''}`, severity: null };
  const worst = shown.reduce((a, f) => (severityRank(f.severity) > severityRank(a) ? f.severity : a), 'info');
  const off = b.insertionAllowed ? '' : t('chipEditingOff');
  return { state: 'findings', short: String(shown.length), text: `${counted('findings', shown.length)}${refs}${off}`, severity: worst };
}
