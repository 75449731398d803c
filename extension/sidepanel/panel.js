// @ts-check
// The side panel: the pack's canned replies (search, filters, "suggested for this conversation"),
// a form for a reply's placeholders with a live preview and character count, the filled-in reply
// re-checked by the companion (POST /v1/replies/render) before it can be inserted (a critical
// finding blocks the insert), insertion at the caret of the active compose box through the content
// script's editor-safe path (copy instead where the site is unsafe for insertion), referral links,
// the escalation matrix with flagged topics highlighted, and the active box's findings (the
// fallback list). Champions see the replies first, employees the findings first.
// Open as a tab for tests: sidepanel/index.html?tabId=N (the panel then follows that tab only).
import { CONTENT_KIND, KIND, STATE_TEXT } from '../protocol.js';
import { dedupeFindings, referralsToShow, sentence } from '../format.js';
import { followColorScheme } from '../toolbar-icon.js';
import { findingItem } from './findings-view.js';
import { scoreReply } from './fuzzy.js';
import { renderMatrix as drawMatrix } from './matrix.js';
import { isOwnName, startValue } from './reply-values.js';

/** @typedef {import('../protocol.js').BoxReport} BoxReport */
/** @typedef {import('../protocol.js').Finding} Finding */
/**
 * @typedef {{name: string, label: string, required: boolean, default: string, hint: string, max_length: number|null}} Placeholder
 * @typedef {{id: string, title: string, category: string, text: string, platforms: string[], topics: string[], escalate_to: string|null, placeholders: Placeholder[]}} Reply
 * @typedef {{id: string, title: string, url: string, description?: string, topics?: string[]}} PackReferral
 * @typedef {{topic: string, title: string, owner: string, contact: string, respond_within: string, instructions?: string}} MatrixRow
 * @typedef {{
 *   pack: {id: string, revision: string|number, title: string}, company: Record<string, any>,
 *   replies: Reply[], referrals: PackReferral[], escalation_matrix: MatrixRow[],
 *   response_targets: {kind: string, within: string}[], platforms: Record<string, {limit: number, guidance: string[]}>
 * }} PackView
 */

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const PLATFORM_NAME = /** @type {Record<string, string>} */ ({ x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', instagram: 'Instagram' });
const fixedTab = (() => {
  const v = new URLSearchParams(location.search).get('tabId');
  return v && /^\d+$/.test(v) ? Number(v) : null;
})();

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {string} text @param {string} [cls] */
function button(text, cls) {
  const b = /** @type {HTMLButtonElement} */ (el('button', cls, text));
  b.type = 'button';
  return b;
}

/** @param {any} msg @returns {Promise<any>} */
async function ask(msg) {
  try {
    return (await chrome.runtime.sendMessage(msg)) ?? { ok: false, error: { code: 'no_reply', message: 'the extension did not answer' } };
  } catch (e) {
    return { ok: false, error: { code: 'extension_gone', message: String(e) } };
  }
}

const state = {
  /** @type {number|null} */ tabId: null,
  /** @type {BoxReport|null} */ report: null,
  /** @type {PackView|null} */ pack: null,
  /** @type {any} */ settings: null,
  /** @type {Reply|null} */ reply: null,
  /** @type {{key: string, text: string, findings: Finding[], error: string|null}|null} */ rendered: null,
  /** @type {Promise<void>|null} */ rendering: null,
  /** @type {{key: string, replies: any[], referrals: any[], escalations: any[]}|null} */ suggestions: null,
  /** the platform the last report came with (the platform filter follows it until the user changes it) */
  lastReportPlatform: '',
};

// ---- the active tab and its compose box -------------------------------------------------------

/** @returns {Promise<number|null>} */
async function currentTabId() {
  if (fixedTab !== null) return fixedTab;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && tab.id !== undefined ? tab.id : null;
}

/** The platform replies are rendered and counted for: the active box's, else the filter's, else X. */
function targetPlatform() {
  return state.report?.platform || $('platform').value || 'x';
}

async function refresh() {
  state.tabId = await currentTabId();
  const r = state.tabId === null ? null : await ask({ kind: KIND.getTabReport, tabId: state.tabId });
  const report = r && r.ok ? r.report : null;
  const platformChanged = (report?.platform ?? '') !== (state.report?.platform ?? '');
  state.report = report;
  renderBox(report);
  if (report && report.platform !== state.lastReportPlatform) {
    state.lastReportPlatform = report.platform;
    $('platform').value = report.platform;
    renderReplyList();
  }
  renderUnsafe();
  loadSuggestions();
  renderMatrix();
  if (platformChanged && state.reply) scheduleRender(0);
}

/** @param {BoxReport|null} report */
function renderBox(report) {
  const findings = $('findings');
  const refs = $('referral-list');
  findings.replaceChildren();
  refs.replaceChildren();
  $('referrals').hidden = true;
  $('no-findings').hidden = true;
  if (!report) {
    $('box').textContent = 'No compose box reported yet. Click into a post or comment box on X, Facebook, LinkedIn or Instagram.';
    return;
  }
  $('box').textContent = `${boxTitle(report)}. ${report.stateText}`;
  for (const f of dedupeFindings(report.findings)) findings.append(findingItem(f));
  $('no-findings').hidden = report.findings.length > 0;
  // the same link already offered under "Suggested for this conversation" is not repeated here
  const suggested = new Set((state.suggestions?.referrals ?? []).map((r) => r.url));
  // and none beside a finding about the writer's own safety or an escalation (as on the card)
  const own = referralsToShow(report.referrals, report.findings).filter((r) => !suggested.has(r.url));
  if (own.length) {
    $('referrals').hidden = false;
    for (const r of own) refs.append(referralItem(r, r.reason));
  }
}

/** What the box is, in words (never its URL): "Reply to Sam Rivera (@acme) on X". @param {BoxReport & {replyingToAuthor?: {name: string|null, handle: string|null}|null}} r */
function boxTitle(r) {
  const site = PLATFORM_NAME[r.platform] ?? r.platform;
  const a = r.replyingToAuthor;
  const to = a ? ` to ${[a.name, a.handle && `(${a.handle})`].filter(Boolean).join(' ') || a.handle}` : '';
  const what = { post: 'New post', reply: 'Reply', comment: 'Comment', caption: 'Caption', message: 'Message' }[r.surface] ?? sentence(r.surface);
  return `${what}${to} on ${site}${r.account ? `, as ${r.account}` : ''}`;
}

/** A referral with one-click insert (or copy where inserting is off). @param {{title: string, url: string}} r @param {string} [reason] */
function referralItem(r, reason) {
  const li = el('li', 'ref');
  const head = el('div');
  head.append(el('span', 'msg', r.title), reason ? el('span', 'small', ` — ${reason}`) : '');
  li.append(head, el('code', 'url', r.url));
  const row = el('div', 'actions');
  const ins = button(`Insert link`);
  ins.setAttribute('aria-label', `Insert link to ${r.title}`);
  ins.dataset.url = r.url;
  ins.disabled = insertBlockedBySite();
  ins.addEventListener('click', () => insertText(r.url, true, `${r.title} link`));
  const copy = button('Copy link');
  copy.setAttribute('aria-label', `Copy link to ${r.title}`);
  copy.addEventListener('click', () => copyText(r.url, `${r.title} link`));
  row.append(ins, copy);
  li.append(row);
  return li;
}

function insertBlockedBySite() {
  return !!(state.report && state.report.insertionUnsafe);
}

function renderUnsafe() {
  const unsafe = insertBlockedBySite();
  $('unsafe').hidden = !unsafe;
  if (unsafe) {
    $('unsafe').textContent = 'PostGuard does not edit the text on this site for the rest of this session (an edit did not land as expected). Use Copy and paste the reply yourself; fix findings by hand.';
  }
  updateInsertButton();
}

// ---- pack: replies, filters, matrix -------------------------------------------------------------

async function loadPack() {
  const r = await ask({ kind: KIND.getPack });
  if (!r.ok) {
    state.pack = null;
    $('reply-count').textContent = `Canned replies are not available: ${sentence(r.error.message)}.`;
    return;
  }
  state.pack = r.pack;
  const cats = [...new Set(r.pack.replies.map((/** @type {Reply} */ x) => x.category))].sort();
  const sel = $('category');
  sel.replaceChildren(new Option('All categories', ''), ...cats.map((c) => new Option(c.replace(/_/g, ' '), c)));
  renderReplyList();
  renderMatrix();
  if (state.reply) state.reply = r.pack.replies.find((/** @type {Reply} */ x) => x.id === state.reply?.id) ?? null;
}

function renderReplyList() {
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
    .sort((a, b) => b.s - a.s);
  for (const { r } of hits) list.append(replyItem(r));
  const n = hits.length;
  $('reply-count').textContent = `${n} ${n === 1 ? 'reply' : 'replies'}${q.trim() ? ` for “${q.trim()}”` : ''}${platform ? ` on ${PLATFORM_NAME[platform]}` : ''}`;
}

/** The reply's text with [labels] for its placeholders and the referral URLs filled in. @param {Reply} r */
function templatePreview(r) {
  const urls = Object.fromEntries((state.pack?.referrals ?? []).map((x) => [x.id, x.url]));
  return r.text.replace(/\{([^{}]*)\}/g, (m, name) => {
    if (name.startsWith('link:')) return urls[name.slice(5)] ?? m;
    const p = r.placeholders.find((x) => x.name === name);
    return p ? `[${p.label}]` : m;
  });
}

/** @param {Reply} r @param {string} [reason] */
function replyItem(r, reason) {
  const li = el('li', 'reply');
  const b = button(r.title, 'reply-open');
  b.dataset.replyId = r.id;
  const shown = templatePreview(r);
  const snippet = el('span', 'small snippet', shown.length > 110 ? `${shown.slice(0, 110)}…` : shown);
  const id = `snip-${r.id}-${Math.random().toString(36).slice(2, 7)}`;
  snippet.id = id;
  b.setAttribute('aria-describedby', id);
  b.addEventListener('click', () => openReply(r));
  li.append(b, el('span', 'tag', sentence(r.category.replace(/_/g, ' '))));
  if (reason) li.append(el('span', 'small reason', reason));
  li.append(snippet);
  return li;
}

/** Topics flagged in the active draft (its escalation findings) or in the conversation. */
function flaggedTopics() {
  /** @type {Map<string, string>} topic -> why */
  const out = new Map();
  const matrix = state.pack?.escalation_matrix ?? [];
  for (const f of state.report?.findings ?? []) {
    if (f.category !== 'escalation') continue;
    // escalation findings name their matrix row in detail.topic; an older companion gives only the
    // rule id: then match the topic inside it (escalate.legal_threat), else the row's title
    const norm = (/** @type {string} */ s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const row = matrix.find((m) => m.topic === f.detail?.topic)
      ?? matrix.find((m) => norm(f.rule).includes(norm(m.topic)))
      ?? matrix.find((m) => f.message.toLowerCase().includes(m.title.toLowerCase()));
    if (row) out.set(row.topic, `in your draft: “${f.excerpt}”`);
  }
  for (const e of state.suggestions?.escalations ?? []) {
    if (e.topic && !out.has(e.topic)) out.set(e.topic, `in the conversation: “${e.excerpt}”`);
  }
  return out;
}

function renderMatrix() {
  const matrix = state.pack?.escalation_matrix ?? [];
  const flagged = flaggedTopics();
  drawMatrix($('escalations'), matrix, flagged, (text) => navigator.clipboard.writeText(text).then(
    () => { $('esc-status').textContent = `Copied ${text}.`; },
    () => { $('esc-status').textContent = `Could not copy: select ${text} and copy it yourself.`; },
  ));
  $('escalations').hidden = matrix.length === 0;
  const note = $('esc-flag');
  note.hidden = flagged.size === 0;
  if (flagged.size) {
    const names = [...flagged.keys()].map((t) => matrix.find((m) => m.topic === t)?.title ?? t);
    note.textContent = `Escalate: ${names.join(', ')}. Hand this to the owner below instead of answering yourself.`;
  }
  const targets = state.pack?.response_targets ?? [];
  $('targets').textContent = targets.length ? `Response targets: ${targets.map((t) => `${t.kind.replace(/_/g, ' ')} within ${t.within}`).join('; ')}.` : '';
}

// ---- suggested for this conversation -------------------------------------------------------------

async function loadSuggestions() {
  const rep = state.report;
  const convo = rep && rep.replyingTo ? rep.replyingTo : '';
  if (!convo || !state.pack) {
    state.suggestions = null;
    $('suggested').hidden = true;
    renderMatrix();
    return;
  }
  const key = `${rep?.platform}\n${rep?.surface}\n${convo}`;
  if (state.suggestions && state.suggestions.key === key) return;
  state.suggestions = { key, replies: [], referrals: [], escalations: [] };
  const r = await ask({ kind: KIND.suggestReplies, replyingTo: convo, platform: rep?.platform, surface: rep?.surface });
  if (!r.ok || state.suggestions.key !== key) return;
  state.suggestions = { key, replies: r.replies, referrals: r.referrals, escalations: r.escalations };
  $('suggested').hidden = false;
  $('conversation').textContent = `Answering: “${convo.length > 160 ? `${convo.slice(0, 160)}…` : convo}”`;
  const list = $('suggested-replies');
  list.replaceChildren();
  for (const s of r.replies) {
    const reply = state.pack.replies.find((x) => x.id === s.id);
    if (reply) list.append(replyItem(reply, s.reason));
  }
  if (!r.replies.length) list.append(el('li', 'small', 'No canned reply fits this conversation; search below.'));
  const refs = $('suggested-referrals');
  refs.replaceChildren();
  for (const ref of r.referrals) refs.append(referralItem(ref, ref.reason));
  $('suggested-referrals-wrap').hidden = r.referrals.length === 0;
  renderBox(state.report);
  renderMatrix();
  updateInsertButton();
}

// ---- the reply form --------------------------------------------------------------------------------

/** @param {Reply} r */
function openReply(r) {
  state.reply = r;
  state.rendered = null;
  $('form-title').textContent = r.title;
  const fields = $('fields');
  fields.replaceChildren();
  for (const p of r.placeholders) {
    const id = `ph-${p.name}`;
    const wrap = el('div', 'field');
    const label = /** @type {HTMLLabelElement} */ (el('label', '', p.label));
    label.htmlFor = id;
    if (p.required) label.append(el('span', 'req', ' *'));
    const input = /** @type {HTMLInputElement} */ (el('input'));
    input.id = id;
    input.name = p.name;
    input.type = 'text';
    input.autocomplete = 'off';
    // the customer's name from the post being answered; the champion's own name as typed last time
    input.value = startValue(p, { author: /** @type {any} */ (state.report)?.replyingToAuthor ?? null, agentName: state.settings?.agentName ?? '' });
    if (isOwnName(p)) input.addEventListener('change', () => ask({ kind: KIND.setSettings, patch: { agentName: input.value } }).then((x) => { if (x.ok) state.settings = x.settings; }));
    if (p.required) { input.required = true; input.setAttribute('aria-required', 'true'); }
    if (p.max_length) input.maxLength = p.max_length;
    input.addEventListener('input', () => { updatePreview(); scheduleRender(); });
    wrap.append(label, input);
    if (p.hint) {
      const hint = el('div', 'small', p.hint);
      hint.id = `${id}-hint`;
      input.setAttribute('aria-describedby', hint.id);
      wrap.append(hint);
    }
    fields.append(wrap);
  }
  $('reply-form').hidden = false;
  $('browse').hidden = true; // one thing at a time at 360 px: "Back to the list" (or Escape) returns
  $('insert-status').textContent = '';
  updatePreview();
  scheduleRender(0);
  const first = [...fields.querySelectorAll('input')].find((i) => !i.value) ?? fields.querySelector('input');
  (first ?? $('preview')).focus();
}

function closeReply() {
  const id = state.reply?.id;
  state.reply = null;
  state.rendered = null;
  $('reply-form').hidden = true;
  $('browse').hidden = false;
  const back = id && document.querySelector(`#reply-list [data-reply-id="${CSS.escape(id)}"]`);
  (/** @type {HTMLElement|null} */ (back) ?? $('search')).focus();
}

/** @returns {Record<string, string>} */
function values() {
  /** @type {Record<string, string>} */
  const v = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ ($('fields').querySelectorAll('input'))) v[input.name] = input.value;
  return v;
}

function renderKey() {
  return JSON.stringify([state.reply?.id, values(), targetPlatform(), state.report?.surface ?? '', state.report?.account ?? '']);
}

/** The filled-in text as the user types (the companion's render replaces it a moment later). */
function localFill() {
  const r = state.reply;
  if (!r) return '';
  const v = values();
  const urls = Object.fromEntries((state.pack?.referrals ?? []).map((x) => [x.id, x.url]));
  return r.text.replace(/\{([^{}]*)\}/g, (m, name) => {
    if (name.startsWith('link:')) return urls[name.slice(5)] ?? m;
    const p = r.placeholders.find((x) => x.name === name);
    if (!p) return m;
    return v[name] || `[${p.label}]`;
  });
}

function updatePreview() {
  const fresh = state.rendered && state.rendered.key === renderKey() && !state.rendered.error;
  const text = fresh && state.rendered ? state.rendered.text : localFill();
  $('preview').textContent = text;
  const platform = targetPlatform();
  const limit = state.pack?.platforms?.[platform]?.limit;
  const n = [...text].length;
  const count = $('count');
  count.textContent = limit ? `${n} / ${limit} characters on ${PLATFORM_NAME[platform] ?? platform}` : `${n} characters`;
  count.classList.toggle('over', !!limit && n > limit);
  updateInsertButton();
}

let renderTimer = /** @type {any} */ (null);
/** Re-check the filled-in reply through the companion (debounced). @param {number} [delay] */
function scheduleRender(delay = 250) {
  clearTimeout(renderTimer);
  state.rendering = new Promise((resolve) => {
    renderTimer = setTimeout(() => { doRender().then(resolve, resolve); }, delay);
  });
  $('check-state').textContent = 'Checking…';
  updateInsertButton();
}

async function doRender() {
  const r = state.reply;
  if (!r) return;
  const key = renderKey();
  const v = values();
  const missing = r.placeholders.filter((p) => p.required && !v[p.name].trim());
  if (missing.length) {
    state.rendered = { key, text: '', findings: [], error: `Fill in: ${missing.map((p) => p.label).join(', ')}.` };
    showRenderResult();
    return;
  }
  const rep = state.report;
  const res = await ask({
    kind: KIND.renderReply, replyId: r.id, values: v, platform: targetPlatform(),
    surface: rep?.surface === 'post' ? undefined : rep?.surface, replyingTo: rep?.replyingTo || undefined, account: rep?.account || undefined,
  });
  if (key !== renderKey()) return; // typed on meanwhile: a newer render is coming
  state.rendered = res.ok
    ? { key, text: res.text, findings: res.findings, error: null }
    : { key, text: '', findings: [], error: res.error.message };
  showRenderResult();
}

function showRenderResult() {
  const list = $('reply-findings');
  list.replaceChildren();
  const rd = state.rendered;
  if (!rd) return;
  if (rd.error) {
    $('check-state').textContent = sentence(rd.error);
  } else {
    const crit = rd.findings.filter((f) => f.severity === 'critical').length;
    const others = rd.findings.length - crit;
    $('check-state').textContent = crit
      ? `Checked: ${crit} critical finding${crit === 1 ? '' : 's'} — fix ${crit === 1 ? 'it' : 'them'} before inserting.`
      : (others ? `Checked: ${others} finding${others === 1 ? '' : 's'} to review; you may insert.` : 'Checked: no findings. Ready to insert.');
    for (const f of dedupeFindings(rd.findings)) list.append(findingItem(f));
  }
  updatePreview();
}

/** Why the reply cannot be inserted right now, or '' when it can. */
function insertBlocker() {
  const rd = state.rendered;
  if (!state.reply) return 'no reply chosen';
  if (!rd || rd.key !== renderKey()) return 'still checking';
  if (rd.error) return rd.error;
  if (rd.findings.some((f) => f.severity === 'critical')) return 'a critical finding blocks inserting';
  return '';
}

function updateInsertButton() {
  const b = /** @type {HTMLButtonElement} */ ($('insert'));
  const blocker = insertBlocker();
  const unsafe = insertBlockedBySite();
  b.disabled = !!blocker || unsafe;
  b.title = unsafe ? 'Inserting is off on this site; use Copy' : blocker;
  b.textContent = unsafe ? 'Insert (off on this site)' : 'Insert';
  const copy = /** @type {HTMLButtonElement} */ ($('copy'));
  // a critical finding blocks copying too (copy is the way round an unsafe site, not round the check)
  copy.disabled = !!(state.rendered && state.rendered.key === renderKey() && state.rendered.findings.some((f) => f.severity === 'critical'));
  for (const ins of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-url]'))) ins.disabled = unsafe;
}

async function insertReply() {
  if (state.rendering) await state.rendering;
  const blocker = insertBlocker();
  if (blocker) { $('insert-status').textContent = `Not inserted: ${blocker}.`; return; }
  if (insertBlockedBySite()) { $('insert-status').textContent = 'Inserting is off on this site; use Copy.'; return; }
  const text = state.rendered?.text ?? '';
  await insertText(text, false, 'Reply');
}

/**
 * Ask the active tab's content script to insert at the caret of its compose box.
 * @param {string} text @param {boolean} spaced  a link: keep a space between it and the text before @param {string} what
 */
async function insertText(text, spaced, what) {
  const status = $('insert-status');
  if (state.tabId === null) { status.textContent = 'No active tab.'; return; }
  /** @type {any} */
  let r;
  try {
    r = await chrome.tabs.sendMessage(state.tabId, { kind: CONTENT_KIND.insertText, text, spaced });
  } catch (e) {
    r = { ok: false, error: { code: 'no_content', message: 'This tab has no compose box PostGuard watches. Copy the text instead.' } };
  }
  if (r && r.ok) {
    status.textContent = `${what} inserted into the ${PLATFORM_NAME[state.report?.platform ?? ''] ?? ''} compose box.`;
    status.dataset.result = 'inserted';
    return;
  }
  status.dataset.result = 'failed';
  status.textContent = `Not inserted: ${r?.error?.message ?? 'no answer from the page'}`;
  if (r?.error?.code === 'unsafe') { await refresh(); $('copy').focus(); }
}

/** @param {string} text @param {string} what */
async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    $('insert-status').textContent = `${what} copied. Paste it into the compose box.`;
  } catch {
    $('insert-status').textContent = `Could not copy ${what.toLowerCase()}; select it in the preview and copy it yourself.`;
  }
}

// ---- role and companion status -------------------------------------------------------------------

/** @param {any} settings */
function applyRole(settings) {
  state.settings = settings;
  const role = settings?.role === 'champion' ? 'champion' : 'employee';
  document.body.dataset.role = role;
  const main = $('sections');
  const order = role === 'champion'
    ? ['replies-section', 'escalation-section', 'findings-section']
    : ['findings-section', 'replies-section', 'escalation-section'];
  for (const id of order) main.append($(id));
  $('role').value = role;
  $('role-wrap').hidden = !!settings?.locked?.role;
}

async function loadSettings() {
  const r = await ask({ kind: KIND.getSettings });
  applyRole(r.ok ? r.settings : null);
}

async function refreshStatus() {
  const r = await ask({ kind: KIND.getStatus });
  const s = r && r.ok ? r.status : null;
  const text = s ? (STATE_TEXT[/** @type {keyof typeof STATE_TEXT} */ (s.state)] ?? s.state) : 'unknown';
  const pack = s && s.pack ? ` · policy pack ${s.pack.id}, revision ${s.pack.revision}` : '';
  $('companion').textContent = `Companion: ${sentence(text)}${pack}`;
  if (s && s.state === 'ok' && !state.pack) loadPack();
}

// ---- wiring ----------------------------------------------------------------------------------------

$('search').addEventListener('input', renderReplyList);
$('category').addEventListener('change', renderReplyList);
$('platform').addEventListener('change', () => { renderReplyList(); if (state.reply) { updatePreview(); scheduleRender(0); } });
$('reply-form').addEventListener('submit', (/** @type {Event} */ e) => { e.preventDefault(); insertReply(); });
// Enter in a field inserts even while the (disabled) Insert button waits for the check
$('reply-form').addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement && !e.isComposing) { e.preventDefault(); insertReply(); }
  if (e.key === 'Escape') { e.preventDefault(); closeReply(); }
});
$('copy').addEventListener('click', async () => {
  if (state.rendering) await state.rendering;
  const blocker = insertBlocker();
  if (blocker && blocker !== 'still checking') { $('insert-status').textContent = `Not copied: ${blocker}.`; return; }
  copyText(state.rendered?.text || localFill(), 'Reply');
});
$('close-form').addEventListener('click', closeReply);
$('role').addEventListener('change', async () => {
  const r = await ask({ kind: KIND.setSettings, patch: { role: $('role').value } });
  if (r.ok) applyRole(r.settings);
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && Object.keys(changes).some((k) => k.startsWith('tab:') || k === 'unsafeSites')) refresh();
  if (area === 'local' && ('role' in changes)) loadSettings();
});
if (fixedTab === null) {
  chrome.tabs.onActivated.addListener(() => refresh());
  chrome.tabs.onUpdated.addListener((_id, info) => { if (info.status === 'complete') refresh(); });
}

followColorScheme();
(async () => {
  await loadSettings();
  await loadPack();
  await refresh();
  refreshStatus();
  setInterval(refreshStatus, 15000);
})();
