// @ts-check
// What this page reports to the local records: findings shown (each once per box and words, for
// the page's life), fixed through a suggestion, ignored, posted anyway past a critical finding,
// marked wrong (with a reason key). Only the rule id and category leave this module; the words are
// kept in memory here, to count a finding once however often it is checked again.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';

/** @typedef {import('../protocol.js').Finding} Finding */
/** @typedef {import('../records-vocabulary.js').RecordEvent} RecordEvent */

/**
 * @param {{post?: (events: RecordEvent[]) => void}} [deps]
 */
export function createRecords({ post = (events) => { send({ kind: KIND.record, events }); } } = {}) {
  /** box key + rule + words already counted as shown */
  const seen = new Set();
  /** @param {string} event @param {{rule: string, category: string}} f @param {string} [reason] @returns {RecordEvent} */
  const ruleEvent = (event, f, reason) => /** @type {RecordEvent} */ (
    reason ? { event, rule: f.rule, category: f.category, reason } : { event, rule: f.rule, category: f.category });

  return {
    /** The box's findings after a check: the ones not counted yet. @param {string} boxKey @param {(Finding & {_slice?: string})[]} findings */
    shown(boxKey, findings) {
      const fresh = [];
      for (const f of findings) {
        const key = `${boxKey}\u0000${f.rule}\u0000${f._slice ?? f.excerpt}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh.push(ruleEvent('shown', f));
      }
      if (fresh.length) post(fresh);
    },
    /** The box was emptied (posted, cleared): its next draft's findings count anew. @param {string} boxKey */
    cleared(boxKey) {
      for (const key of seen) if (key.startsWith(`${boxKey}\u0000`)) seen.delete(key);
    },
    /** @param {Finding} f */
    fixed(f) { post([ruleEvent('fixed', f)]); },
    /** @param {Finding} f */
    ignored(f) { post([ruleEvent('ignored', f)]); },
    /** @param {Finding} f @param {string|null} reason  a WRONG_REASONS key, or null */
    wrong(f, reason) { post([ruleEvent('wrong', f, reason ?? undefined)]); },
    /** A post past critical findings: each rule once. @param {{rule: string, category: string}[]} items */
    overridden(items) {
      const rules = new Map(items.map((f) => [f.rule, f]));
      if (rules.size) post([...rules.values()].map((f) => ruleEvent('overridden', f)));
    },
  };
}

/** @typedef {ReturnType<typeof createRecords>} Records */
