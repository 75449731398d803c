// @ts-check
// The practice page's role-play (champions): a customer's message from the pack's scenarios; the
// champion asks for suggestions (the worker's suggestReplies: POST /v1/replies/suggest with the message
// as replying_to, as the side panel does), picks one, fills in its placeholders and checks it (the
// worker's renderReply: POST /v1/replies/render, the same re-check as before an insert). Nothing is kept.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { sentence } from '../format.js';
import { t } from '../i18n.js';
import { answered, roleplayProgress, scenarios } from './roleplay-state.js';
import { $, el } from '../dom.js';

const PLATFORM = 'facebook';   // no length limit in the way: the practice is the wording

/** @type {import('./roleplay-state.js').Scenario[]} */
let list = [];
let at = 0;
/** @type {any[]} the pack's replies, with their placeholders */
let replies = [];

function drawList() {
  $('rp-progress').textContent = roleplayProgress(list);
  $('rp-scenarios').replaceChildren(...list.map((s, i) => {
    const li = el('li');
    li.dataset.done = String(s.done);
    if (i === at) li.setAttribute('aria-current', 'true');
    const b = /** @type {HTMLButtonElement} */ (el('button', 'link', `“${s.message}”`));
    b.type = 'button';
    b.addEventListener('click', () => open(i));
    li.append(el('span', 'mark', s.done ? '✓' : '○'), el('span', 'sr-only', t(s.done ? 'roleplayDoneMark' : 'roleplayOpenMark')), b);
    return li;
  }));
}

/** @param {number} i */
function open(i) {
  at = i;
  $('rp-message').textContent = list[at].message;
  $('rp-replies').replaceChildren();
  $('rp-form').replaceChildren();
  $('rp-findings').replaceChildren();
  $('rp-text').textContent = '';
  $('rp-verdict').textContent = '';
  $('rp-verdict').className = '';
  drawList();
}

async function suggest() {
  $('rp-verdict').textContent = t('roleplayAsking');
  $('rp-verdict').className = 'muted';
  const r = await send({ kind: KIND.suggestReplies, replyingTo: list[at].message, platform: PLATFORM });
  if (!r.ok) {
    $('rp-verdict').textContent = t('learnCouldNotCheck', r.error.message);
    $('rp-verdict').className = 'error';
    return;
  }
  $('rp-verdict').textContent = r.replies.length ? '' : t('roleplayNoSuggestion');
  $('rp-verdict').className = r.replies.length ? '' : 'muted';
  $('rp-replies').replaceChildren(...r.replies.map((/** @type {any} */ s) => {
    const li = el('li');
    const b = /** @type {HTMLButtonElement} */ (el('button', '', s.title));
    b.type = 'button';
    b.dataset.reply = s.id;
    b.addEventListener('click', () => pick(s.id));
    li.append(b, el('span', 'small muted', ` ${s.reason}`));
    return li;
  }));
}

/** The picked reply's placeholders as fields, and the button that checks it. @param {string} id */
function pick(id) {
  const reply = replies.find((x) => x.id === id);
  if (!reply) return;
  const fields = reply.placeholders.map((/** @type {any} */ p) => {
    const label = el('label', '', p.label);
    const input = /** @type {HTMLInputElement} */ (el('input'));
    input.id = `rp-value-${p.name}`;
    input.name = p.name;
    input.value = p.default || '';
    if (p.max_length) input.maxLength = p.max_length;
    label.setAttribute('for', input.id);
    return [label, input];
  }).flat();
  const check = /** @type {HTMLButtonElement} */ (el('button', 'primary', t('roleplayCheck')));
  check.type = 'button';
  check.addEventListener('click', () => render(id));
  $('rp-form').replaceChildren(el('h3', '', reply.title), ...fields, el('div', 'nav'));
  $('rp-form').lastChild.append(check);
  $('rp-form').querySelector('input')?.focus();
}

/** @param {string} id */
async function render(id) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const input of $('rp-form').querySelectorAll('input')) values[input.name] = input.value;
  const scenario = list[at];
  const r = await send({ kind: KIND.renderReply, replyId: id, values, platform: PLATFORM, replyingTo: scenario.message });
  if (!r.ok) {
    $('rp-verdict').textContent = t('learnCouldNotCheck', r.error.message);
    $('rp-verdict').className = 'error';
    return;
  }
  $('rp-text').textContent = r.text;
  $('rp-findings').replaceChildren(...r.findings.map((/** @type {any} */ f) => {
    const li = el('li', 'finding');
    li.dataset.severity = f.severity;
    li.dataset.rule = f.rule;
    li.append(el('div', 'msg', sentence(f.message)), el('div', 'small', `${sentence(f.severity)} · “${f.excerpt}”`));
    return li;
  }));
  const ok = answered(r.findings);
  $('rp-verdict').textContent = t(ok ? 'roleplayAnswered' : 'roleplayBlocked');
  $('rp-verdict').className = ok ? 'ok' : 'error';
  if (ok && !scenario.done) {
    scenario.done = true;
    drawList();
  }
}

$('rp-suggest').addEventListener('click', suggest);
$('rp-next').addEventListener('click', () => {
  const i = list.findIndex((s, j) => j > at && !s.done);
  const j = i === -1 ? list.findIndex((s) => !s.done) : i;
  if (j !== -1) open(j);
});

(async () => {
  const r = await send({ kind: KIND.getPack });
  if (!r.ok) return;   // the drafts above already say the companion is not answering
  replies = r.pack.replies ?? [];
  list = scenarios(replies);
  if (!list.length) return;   // a pack with no scenarios: no role-play
  $('roleplay').hidden = false;
  open(0);
})();
