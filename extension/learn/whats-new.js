// @ts-check
// "What changed": a new pack revision's digest (GET /v1/pack/changes), shown in the side panel and the
// options page until the user acknowledges it; the acknowledged revision is kept in
// chrome.storage.local (`packSeen`), so it is shown once per revision whichever page shows it first.
// The first pack a browser sees is acknowledged silently: the tour covers it.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';

/** @typedef {import('../protocol.js').PackChanges} PackChanges */
/** @typedef {import('../protocol.js').DigestEntry} DigestEntry */

/** @param {any} a @param {any} b */
const samePack = (a, b) => !!a && !!b && a.id === b.id && String(a.revision) === String(b.revision);

/**
 * Whether to show the digest, from what the companion says and what this browser acknowledged.
 * @param {PackChanges} changes @param {{id: string, revision: string|number}|undefined} seen
 * @returns {'show'|'acknowledge'|'nothing'}  acknowledge: remember this pack silently
 */
export function decide(changes, seen) {
  if (samePack(changes.pack, seen)) return 'nothing';
  if (!seen || seen.id !== changes.pack.id || !changes.digest) return 'acknowledge';
  return 'show';
}

/** The digest as lines of words, grouped. @param {import('../protocol.js').PackDigest} d
 * @returns {{title: string, items: string[]}[]} */
export function digestGroups(d) {
  /** @param {DigestEntry} e @param {string} what */
  const verb = (e, what) => `${what} ${e.change}`;
  const groups = [
    { title: 'Confidential', items: d.terms.map((e) => `${e.change === 'added' ? 'A new confidential term' : e.change === 'removed' ? 'A confidential term was removed' : 'A confidential term changed'}${e.reason ? `: ${e.reason}` : ''}`) },
    { title: 'Rules', items: d.rules.map((e) => `${verb(e, 'Rule')}: ${e.message}${e.why ? ` (${e.why})` : ''}`) },
    { title: 'Canned replies', items: d.replies.map((e) => `${verb(e, 'Reply')}: ${e.title}`) },
    { title: 'Links', items: d.links.map((e) => `${verb(e, 'Link')}: ${e.title}${e.url ? ` (${e.url})` : ''}`) },
    { title: 'Escalation', items: d.escalation.map((e) => `${verb(e, 'Hand-over')}: ${e.title}${e.owner ? ` → ${e.owner}` : ''}`) },
    { title: 'The policy', items: d.policy_url ? [`Read it at ${d.policy_url}`] : [] },
  ];
  return groups.filter((g) => g.items.length);
}

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
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
  const title = el('h2', '', `What changed in your policy (revision ${changes.pack.revision})`);
  title.id = 'digest-title';
  box.setAttribute('aria-labelledby', 'digest-title');
  const parts = digestGroups(changes.digest).map((g) => {
    const div = el('div');
    const list = el('ul');
    list.append(...g.items.map((t) => el('li', '', t)));
    div.append(el('h3', '', g.title), list);
    return div;
  });
  const ok = /** @type {HTMLButtonElement} */ (el('button', 'primary', 'Got it'));
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
