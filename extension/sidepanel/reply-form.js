// @ts-check
// A canned reply's form: its placeholders (required ones marked, pre-filled with the customer's and
// the champion's names where known), a live preview with the character count against the platform's
// limit, and the filled-in text rendered and re-checked by the companion (POST /v1/replies/render)
// 250 ms after the last keystroke. Insert is enabled only for a render of exactly the current values
// with no critical finding; a critical finding also disables Copy. Owns state.reply, state.rendered
// and state.rendering.
import { KIND } from '../protocol.js';
import { dedupeFindings, sentence } from '../format.js';
import { send } from '../messaging.js';
import { platformLabel } from '../vocabulary.js';
import { $, el } from '../dom.js';
import { t } from '../i18n.js';
import { findingItem } from './findings-view.js';
import { isOwnName, startValue } from './reply-values.js';
import { insertBlockedBySite, targetPlatform } from './state.js';

/** @typedef {import('./state.js').PanelState} PanelState */
/** @typedef {import('./state.js').Reply} Reply */

let renderTimer = /** @type {any} */ (null);

/** @param {PanelState} state @param {Reply} r */
export function openReply(state, r) {
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
    input.value = startValue(p, { author: state.report?.replyingToAuthor ?? null, agentName: state.settings?.agentName ?? '' });
    if (isOwnName(p)) input.addEventListener('change', () => send({ kind: KIND.setSettings, patch: { agentName: input.value } }).then((x) => { if (x.ok) state.settings = x.settings; }));
    if (p.required) { input.required = true; input.setAttribute('aria-required', 'true'); }
    if (p.max_length) input.maxLength = p.max_length;
    input.addEventListener('input', () => { updatePreview(state); scheduleRender(state); });
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
  updatePreview(state);
  scheduleRender(state, 0);
  const first = [...fields.querySelectorAll('input')].find((i) => !i.value) ?? fields.querySelector('input');
  (first ?? $('preview')).focus();
}

/** @param {PanelState} state */
export function closeReply(state) {
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

const platform = (/** @type {PanelState} */ state) => targetPlatform(state, $('platform').value);

/** What a render is for: the reply, its values and where it goes. @param {PanelState} state */
function renderKey(state) {
  return JSON.stringify([state.reply?.id, values(), platform(state), state.report?.surface ?? '', state.report?.account ?? '']);
}

/** The companion's latest text for this reply: its render, or while required values are missing its
 * preview ([Label] where a value goes); until the first one arrives, the pack's snippet.
 * @param {PanelState} state */
export function currentText(state) {
  const rd = state.rendered;
  if (rd && rd.replyId === state.reply?.id && rd.text) return rd.text;
  return state.reply ? state.reply.preview ?? state.reply.text : '';
}

/** @param {PanelState} state */
export function updatePreview(state) {
  const text = currentText(state);
  $('preview').textContent = text;
  const p = platform(state);
  const limit = state.pack?.platforms?.[p]?.limit;
  const n = [...text].length;
  const count = $('count');
  count.textContent = limit ? `${n} / ${limit} characters on ${platformLabel(p)}` : `${n} characters`;
  count.classList.toggle('over', !!limit && n > limit);
  updateInsertButton(state);
}

/** Re-check the filled-in reply through the companion (debounced). @param {PanelState} state @param {number} [delay] */
export function scheduleRender(state, delay = 250) {
  clearTimeout(renderTimer);
  state.rendering = new Promise((resolve) => {
    renderTimer = setTimeout(() => { doRender(state).then(resolve, resolve); }, delay);
  });
  $('check-state').textContent = t('checking');
  updateInsertButton(state);
}

/** @param {PanelState} state */
async function doRender(state) {
  const r = state.reply;
  if (!r) return;
  const key = renderKey(state);
  const v = values();
  const missing = r.placeholders.filter((p) => p.required && !v[p.name].trim());
  const rep = state.report;
  const res = await send({
    kind: KIND.renderReply, replyId: r.id, values: v, platform: /** @type {any} */ (platform(state)),
    surface: rep?.surface === 'post' ? undefined : /** @type {any} */ (rep?.surface), replyingTo: rep?.replyingTo || undefined, account: rep?.account || undefined,
    ...(missing.length ? { preview: true } : {}),
  });
  if (key !== renderKey(state)) return; // typed on meanwhile: a newer render is coming
  if (missing.length) {
    state.rendered = { key, replyId: r.id, text: res.ok ? res.text : '', findings: [], error: `Fill in: ${missing.map((p) => p.label).join(', ')}.` };
  } else {
    state.rendered = res.ok
      ? { key, replyId: r.id, text: res.text, findings: res.findings, error: null }
      : { key, replyId: r.id, text: '', findings: [], error: res.error.message };
  }
  showRenderResult(state);
}

/** @param {PanelState} state */
function showRenderResult(state) {
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
  updatePreview(state);
}

/** Why the reply cannot be inserted right now, or '' when it can. @param {PanelState} state */
export function insertBlocker(state) {
  const rd = state.rendered;
  if (!state.reply) return t('blockerNoReply');
  if (!rd || rd.key !== renderKey(state)) return t('blockerChecking');
  if (rd.error) return rd.error;
  if (rd.findings.some((f) => f.severity === 'critical')) return t('blockerCritical');
  return '';
}

/** Insert and Copy, and every referral's Insert link, as the render and the site allow. @param {PanelState} state */
export function updateInsertButton(state) {
  const b = /** @type {HTMLButtonElement} */ ($('insert'));
  const blocker = insertBlocker(state);
  const unsafe = insertBlockedBySite(state);
  b.disabled = !!blocker || unsafe;
  b.title = unsafe ? 'Inserting is off on this site; use Copy' : blocker;
  b.textContent = unsafe ? 'Insert (off on this site)' : 'Insert';
  // a critical finding blocks copying too (copy is the way round an unsafe site, not round the check)
  const rd = state.rendered;
  $('copy').disabled = !!(rd && rd.key === renderKey(state) && rd.findings.some((f) => f.severity === 'critical'));
  for (const ins of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-url]'))) ins.disabled = unsafe;
}
