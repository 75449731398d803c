// @ts-check
// The last gate before a post: hold it while the draft has a critical finding, or while PostGuard
// does not know. Fail closed on what was already flagged: a finding kept from an earlier check holds
// the post even when the companion is away, and a draft PostGuard never could check is held with
// "could not check — Wait / Post anyway". Notify-only installs never hold a post (post-controls.js).

/** @typedef {import('../protocol.js').Finding} Finding */

/**
 * What the guard needs to know about a box (BoxController.guardFacts()).
 * @typedef {{
 *   text: string,
 *   current: boolean,
 *   critical: Finding[],
 *   kept: Finding[],
 *   checkedText: string|null,
 * }} GuardFacts
 *   current: the box's last answer is for exactly this text, from the pack the companion serves now,
 *            confirmed within FRESH_MS; critical: critical findings shown now (not ignored);
 *   kept: critical findings of the last answer the companion gave (not ignored), kept while it is away;
 *   checkedText: the text of that last answer
 */

/**
 * @typedef {{decision: 'allow'}
 *   | {decision: 'block', items: Finding[], stale: boolean}
 *   | {decision: 'unchecked'}
 *   | {decision: 'recheck'}} Decision
 */

/** At the click/key, synchronously: allow, block, or ask the companion first. @param {GuardFacts} f @returns {Decision} */
export function decideNow(f) {
  if (f.text.trim() === '') return { decision: 'allow' };
  if (!f.current) return { decision: 'recheck' };
  return f.critical.length ? { decision: 'block', items: f.critical, stale: false } : { decision: 'allow' };
}

/**
 * After the re-check. `answered`: the companion answered it (the facts are then fresh).
 * @param {boolean} answered @param {GuardFacts} f @returns {Decision}
 */
export function decideAfterCheck(answered, f) {
  if (f.text.trim() === '') return { decision: 'allow' };
  if (answered) return f.critical.length ? { decision: 'block', items: f.critical, stale: false } : { decision: 'allow' };
  if (f.kept.length) return { decision: 'block', items: f.kept, stale: true }; // flagged before: still held
  if (f.checkedText === f.text) return { decision: 'allow' }; // checked clean before the companion went away
  return { decision: 'unchecked' };
}

/**
 * @typedef {{action: 'edit'} | {action: 'post', reason: string|null} | {action: 'fix'}} Answer
 *   edit: back to the editor (also Wait and Escape); post: "Post anyway" with the optional reason;
 *   fix: apply the first finding's first edit, re-check, and post when nothing critical is left
 */

/**
 * Hold a post event if the decision says so, re-check when needed, and ask the user.
 * @param {{
 *   event: Event,
 *   box: {guardFacts: () => GuardFacts, checkNow: () => Promise<{ok: boolean, reason: string}>, el: HTMLElement},
 *   anchor: Element,
 *   redo: () => void,
 *   confirm: (items: Finding[], opts: {stale?: boolean, unchecked?: boolean, reason?: string}, answer: (a: Answer) => void) => void,
 *   fix?: (f: Finding) => Promise<boolean>,
 *   postedAnyway?: (items: Finding[], reason: string|null) => void,
 * }} p  redo: the site's own action once more (bypassing the guard); confirm: show the card;
 *   fix: apply the finding's first edit (verified); postedAnyway: told when critical findings are posted anyway
 */
export function guardPost(p) {
  const d = decideNow(p.box.guardFacts());
  if (d.decision === 'allow') return;
  p.event.preventDefault();
  p.event.stopImmediatePropagation();
  const ask = (/** @type {Decision} */ x, /** @type {string} */ reason) => {
    if (x.decision === 'allow') { p.redo(); return; }
    const items = x.decision === 'block' ? x.items : [];
    const opts = x.decision === 'block' ? { stale: x.stale, reason: x.stale ? reason : '' } : { unchecked: true, reason };
    p.confirm(items, opts, (a) => {
      if (a.action === 'post') {
        if (items.length) p.postedAnyway?.(items, a.reason);
        p.redo();
      } else if (a.action === 'fix' && items.length && p.fix) {
        p.fix(items[0]).then((landed) => (landed ? recheck() : ask(decideAfterCheck(false, p.box.guardFacts()), reason)));
      }
    });
  };
  const recheck = () => p.box.checkNow().then((r) => ask(decideAfterCheck(r.ok, p.box.guardFacts()), r.reason));
  if (d.decision === 'block') { ask(d, ''); return; }
  recheck();
}
