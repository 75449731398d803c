// @ts-check
// The pack's canned replies: the list (search as you type with fuzzy.js, filters by category and
// platform), "Suggested for this conversation" when the box answers a post (POST /v1/replies/suggest)
// with its referral links. Owns state.pack and state.suggestions.
import { KIND } from '../protocol.js';
import { sentence } from '../format.js';
import { send } from '../messaging.js';
import { platformLabel } from '../vocabulary.js';
import { referralItem } from './box-view.js';
import { $, button, el } from '../dom.js';
import { counted, t } from '../i18n.js';
import { scoreReply } from './fuzzy.js';

/** @typedef {import('./state.js').PanelState} PanelState */
/** @typedef {import('./state.js').Reply} Reply */
/**
 * @typedef {{
 *   open: (r: Reply) => void,
 *   act: import('./box-view.js').TextActions,
 *   redraw: () => void,
 * }} ListActions  open: the reply's form; redraw: the box, the matrix and the insert button after new suggestions
 */

/** The pack (GET /v1/pack): its categories in the filter, its replies in the list. @param {PanelState} state @param {ListActions} a */
export async function loadPack(state, a) {
  const r = await send({ kind: KIND.getPack });
  if (!r.ok) {
    state.pack = null;
    $('reply-count').textContent = t('panelRepliesUnavailable', sentence(r.error.message));
    return;
  }
  state.pack = r.pack;
  const cats = [...new Set(r.pack.replies.map((/** @type {Reply} */ x) => x.category))].sort();
  $('category').replaceChildren(new Option('All categories', ''), ...cats.map((c) => new Option(c.replace(/_/g, ' '), c)));
  renderReplyList(state, a);
  if (state.reply) state.reply = r.pack.replies.find((/** @type {Reply} */ x) => x.id === state.reply?.id) ?? null;
}

/** @param {PanelState} state @param {ListActions} a */
export function renderReplyList(state, a) {
  const list = $('reply-list');
  list.replaceChildren();
  if (!state.pack) return;
  const q = $('search').value;
  const cat = $('category').value;
  const platform = $('platform').value;
  const hits = state.pack.replies
    .filter((r) => (!cat || r.category === cat) && (!platform || r.platforms.includes(platform)))
    .map((r) => ({ r, s: scoreReply(q, r) }))
    .filter((x) => x.s > 0)
    .sort((x, y) => y.s - x.s);
  for (const { r } of hits) list.append(replyItem(state, r, undefined, a));
  const n = hits.length;
  $('reply-count').textContent = `${counted('panelReplies', n)}${q.trim() ? t('panelRepliesFor', q.trim()) : ''}${platform ? t('panelRepliesOn', platformLabel(platform)) : ''}`;
}

/** @param {PanelState} state @param {Reply} r @param {string|undefined} reason @param {ListActions} a */
function replyItem(state, r, reason, a) {
  const li = el('li', 'reply');
  const b = button(r.title, 'reply-open');
  b.dataset.replyId = r.id;
  const shown = r.preview ?? r.text; // the companion's fill, [Label] where a value goes
  const snippet = el('span', 'small snippet', shown.length > 110 ? `${shown.slice(0, 110)}…` : shown);
  const id = `snip-${r.id}-${Math.random().toString(36).slice(2, 7)}`;
  snippet.id = id;
  b.setAttribute('aria-describedby', id);
  b.addEventListener('click', () => a.open(r));
  li.append(b, el('span', 'tag', sentence(r.category.replace(/_/g, ' '))));
  if (reason) li.append(el('span', 'small reason', reason));
  li.append(snippet);
  return li;
}

/** "Suggested for this conversation", asked once per conversation. @param {PanelState} state @param {ListActions} a */
export async function loadSuggestions(state, a) {
  const rep = state.report;
  const convo = rep && rep.replyingTo ? rep.replyingTo : '';
  if (!rep || !convo || !state.pack) {
    state.suggestions = null;
    $('suggested').hidden = true;
    busy(false);
    a.redraw();
    return;
  }
  const key = `${rep.platform}\n${rep.surface}\n${convo}`;
  if (state.suggestions && state.suggestions.key === key) return;
  state.suggestions = { key, replies: [], referrals: [], escalations: [] };
  // the suggestions land above the list and push it down: busy until then, so nothing is clicked mid-shift
  busy(true);
  const r = await send({ kind: KIND.suggestReplies, replyingTo: convo, platform: rep.platform, surface: /** @type {any} */ (rep.surface) });
  if (state.suggestions?.key !== key) return; // a newer conversation's request owns the busy mark
  if (!r.ok) { busy(false); return; }
  state.suggestions = { key, replies: r.replies, referrals: r.referrals, escalations: r.escalations };
  $('suggested').hidden = false;
  $('conversation').textContent = t('panelAnswering', convo.length > 160 ? `${convo.slice(0, 160)}…` : convo);
  const list = $('suggested-replies');
  list.replaceChildren();
  for (const s of r.replies) {
    const reply = state.pack?.replies.find((x) => x.id === s.id);
    if (reply) list.append(replyItem(state, reply, s.reason, a));
  }
  if (!r.replies.length) list.append(el('li', 'small', t('panelNoReplyFits')));
  const refs = $('suggested-referrals');
  refs.replaceChildren();
  for (const ref of r.referrals) refs.append(referralItem(state, ref, ref.reason, a.act));
  $('suggested-referrals-wrap').hidden = r.referrals.length === 0;
  busy(false);
  a.redraw();
}

/** @param {boolean} on */
function busy(on) { $('browse').setAttribute('aria-busy', String(on)); }
