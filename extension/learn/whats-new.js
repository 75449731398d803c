// @ts-check
// "What changed": a new pack revision's digest (GET /v1/pack/changes), shown in the side panel and the
// options page until the user acknowledges it; the acknowledged revision is kept in
// chrome.storage.local (`packSeen`), so it is shown once per revision whichever page shows it first.
// The first pack a browser sees is acknowledged silently: the tour covers it.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';

/** @typedef {import('../protocol.js').PackChanges} PackChanges */
/** @typedef {import('../protocol.js').DigestEntry} DigestEntry */

/** @param {any} a @param {any} b */
const samePack = (a, b) => !!a && !!b && a.id === b.id && String(a.revision) === String(b.revision);

/** What to do with a digest (decide's answers). */
export const DECISION = /** @type {const} */ ({ show: 'show', acknowledge: 'acknowledge', nothing: 'nothing' });

/**
 * Whether to show the digest, from what the companion says and what this browser acknowledged.
 * @param {PackChanges} changes @param {{id: string, revision: string|number}|undefined} seen
 * @returns {'show'|'acknowledge'|'nothing'}  acknowledge: remember this pack silently
 */
export function decide(changes, seen) {
  if (samePack(changes.pack, seen)) return DECISION.nothing;
  if (!seen || seen.id !== changes.pack.id || !changes.digest) return DECISION.acknowledge;
  return DECISION.show;
}

/** The digest as lines of words, grouped. @param {import('../protocol.js').PackDigest} d
 * @returns {{title: string, items: string[]}[]} */
export function digestGroups(d) {
  /** @param {DigestEntry} e @param {string} what */
  const verb = (e, what) => t(`digest${what}_${e.change}`);   // digestRule_added, digestReply_removed, ...
  const groups = [
    { title: t('digestConfidential'), items: d.terms.map((e) => `${verb(e, 'Term')}${e.reason ? `: ${e.reason}` : ''}`) },
    { title: t('digestRules'), items: d.rules.map((e) => `${verb(e, 'Rule')}: ${e.message}${e.why ? ` (${e.why})` : ''}`) },
    { title: t('digestReplies'), items: d.replies.map((e) => `${verb(e, 'Reply')}: ${e.title}`) },
    { title: t('digestLinks'), items: d.links.map((e) => `${verb(e, 'Link')}: ${e.title}${e.url ? ` (${e.url})` : ''}`) },
    { title: t('digestEscalation'), items: d.escalation.map((e) => `${verb(e, 'Handover')}: ${e.title}${e.owner ? ` → ${e.owner}` : ''}`) },
    { title: t('digestPolicy'), items: d.policy_url ? [t('digestPolicyRead', d.policy_url)] : [] },
  ];
  return groups.filter((g) => g.items.length);
}

/**
 * Fill `box` with the digest when there is one to show, else hide it. Acknowledging hides it here and,
 * through storage, in every other page.
 * @param {HTMLElement} box
 */
export async function showWhatChanged(box) {
  const r = await send({ kind: KIND.getChanges });
  if (!r.ok) return;
  /** @type {PackChanges} */
  const changes = r.changes;
  const { packSeen } = await chrome.storage.local.get('packSeen');
  const what = decide(changes, /** @type {any} */ (packSeen));
  if (what === 'acknowledge') await chrome.storage.local.set({ packSeen: changes.pack });
  if (what !== 'show' || !changes.digest) { box.hidden = true; return; }
  const title = el('h2', '', t('digestTitle', changes.pack.revision));
  title.id = 'digest-title';
  box.setAttribute('aria-labelledby', 'digest-title');
  const parts = digestGroups(changes.digest).map((g) => {
    const div = el('div');
    const list = el('ul');
    list.append(...g.items.map((item) => el('li', '', item)));
    div.append(el('h3', '', g.title), list);
    return div;
  });
  const ok = /** @type {HTMLButtonElement} */ (el('button', 'primary', t('digestGotIt')));
  ok.type = 'button';
  ok.addEventListener('click', async () => {
    await chrome.storage.local.set({ packSeen: changes.pack });
    box.hidden = true;
  });
  box.replaceChildren(title, ...parts, ok);
  box.hidden = false;
}

/** Show it now, and hide it when another page acknowledges it. @param {HTMLElement} box */
export function followWhatChanged(box) {
  showWhatChanged(box);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'packSeen' in changes) showWhatChanged(box);
  });
}
