// @ts-check
// The side panel: the pack's canned replies (replies-view.js), a reply's form re-checked by the
// companion before it can be inserted (reply-form.js), insertion at the caret of the active compose
// box through the content script (insert.js; copy instead where the site is unsafe for insertion),
// referral links, the escalation matrix with flagged topics highlighted (matrix-view.js), and the
// active box's findings (box-view.js, the fallback list), the response-time clock (clock-view.js) and
// "Your week" (week-view.js). Champions see the replies first, employees
// the findings first. This file holds the state (state.js), follows the tab and wires the views.
// Open as a tab for tests: sidepanel/index.html?tabId=N (the panel then follows that tab only).
import { CONTENT_KIND, KIND, STATE_TEXT } from '../protocol.js';
import { sentence } from '../format.js';
import { localizePage, t } from '../i18n.js';
import { send, sendToTab } from '../messaging.js';
import { followColorScheme } from '../toolbar-icon.js';
import { renderBox, renderUnsafe } from './box-view.js';
import { renderGuidance } from './guidance-view.js';
import { $ } from '../dom.js';
import { copyText, insertText } from './insert.js';
import { showMatrix } from './matrix-view.js';
import { loadPack, loadSuggestions, renderReplyList } from './replies-view.js';
import { closeReply, currentText, insertBlocker, openReply, scheduleRender, updateInsertButton, updatePreview } from './reply-form.js';
import { createState, insertBlockedBySite } from './state.js';
import { recordReplyAnswered, recordReplyUsed } from './records.js';
import { followWhatChanged, showWhatChanged } from '../learn/whats-new.js';
import { conversationKey, currentClock, renderClock, wireClock } from './clock-view.js';
import { loadWeek, wireWeek } from './week-view.js';

localizePage(); // the HTML's fixed words, before anything below writes its own

const state = createState();
const fixedTab = (() => {
  const v = new URLSearchParams(location.search).get('tabId');
  return v && /^\d+$/.test(v) ? Number(v) : null;
})();

/** @type {import('./box-view.js').TextActions} */
const act = {
  insert: (text, spaced, what) => insertText(state, text, spaced, what, refresh),
  copy: (text, what) => copyText(text, what),
};
/** @type {import('./replies-view.js').ListActions} */
const list = {
  open: (r) => openReply(state, r),
  act,
  redraw() { renderBox(state, act); showMatrix(state); updateInsertButton(state); renderGuidance(state); },
};

/** @returns {Promise<number|null>} */
async function currentTabId() {
  if (fixedTab !== null) return fixedTab;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && tab.id !== undefined ? tab.id : null;
}

/** Read the tab's report again and redraw what depends on it. */
async function refresh() {
  state.tabId = await currentTabId();
  const r = state.tabId === null ? null : await send({ kind: KIND.getTabReport, tabId: state.tabId });
  const report = r && r.ok ? r.report : null;
  const platformChanged = (report?.platform ?? '') !== (state.report?.platform ?? '');
  state.report = report;
  renderBox(state, act);
  if (report && report.platform !== state.lastReportPlatform) {
    state.lastReportPlatform = report.platform;
    $('platform').value = report.platform;
    renderReplyList(state, list);
  }
  renderUnsafe(state);
  renderClock(state);
  renderGuidance(state);
  updateInsertButton(state);
  loadSuggestions(state, list);
  showMatrix(state);
  if (platformChanged && state.reply) scheduleRender(state, 0);
}

async function insertReply() {
  if (state.rendering) await state.rendering;
  const blocker = insertBlocker(state);
  if (blocker) { $('insert-status').textContent = t('panelNotInsertedBecause', blocker); return; }
  if (insertBlockedBySite(state)) { $('insert-status').textContent = t('panelInsertOff'); return; }
  const id = state.reply?.id;
  const clock = currentClock(state);          // read before the insert: the report changes with it
  const conversation = conversationKey(state);
  const postedAt = state.report?.replyingToPostedAt;
  if (!(await insertText(state, state.rendered?.text ?? '', false, 'Reply', refresh, true) && id)) return;
  recordReplyUsed(id);
  if (clock && conversation && postedAt) recordReplyAnswered(id, conversation, clock.kind, postedAt, Date.now());
}

/** @param {any} settings */
function applyRole(settings) {
  state.settings = settings;
  const role = settings?.role === 'champion' ? 'champion' : 'employee';
  document.body.dataset.role = role;
  const order = role === 'champion'
    ? ['replies-section', 'escalation-section', 'findings-section', 'week-section']
    : ['findings-section', 'replies-section', 'escalation-section', 'week-section'];
  for (const id of order) $('sections').append($(id));
  $('role').value = role;
  $('role-wrap').hidden = !!settings?.locked?.role;
}

async function loadSettings() {
  const r = await send({ kind: KIND.getSettings });
  applyRole(r.ok ? r.settings : null);
}

async function pack() {
  await loadPack(state, list);
  showMatrix(state);
  renderClock(state);
  renderGuidance(state);
}

async function refreshStatus() {
  const r = await send({ kind: KIND.getStatus });
  const s = r.ok ? r.status : null;
  const text = s ? (STATE_TEXT[/** @type {keyof typeof STATE_TEXT} */ (s.state)] ?? s.state) : t('panelStateUnknown');
  const packRef = s && s.pack ? t('panelPackRef', s.pack.id, s.pack.revision) : '';
  $('companion').textContent = t('panelCompanion', `${sentence(text)}${packRef}`);
  if (packRef && packRef !== state.lastPackRef) {   // a new revision arrived: what changed, once
    if (state.lastPackRef) showWhatChanged($('digest'));
    state.lastPackRef = packRef;
  }
  if (s && s.state === 'ok' && !state.pack) pack();
}

$('search').addEventListener('input', () => renderReplyList(state, list));
$('category').addEventListener('change', () => renderReplyList(state, list));
$('platform').addEventListener('change', () => {
  renderReplyList(state, list);
  if (state.reply) { updatePreview(state); scheduleRender(state, 0); }
});
$('reply-form').addEventListener('submit', (/** @type {Event} */ e) => { e.preventDefault(); insertReply(); });
// Enter in a field inserts even while the (disabled) Insert button waits for the check
$('reply-form').addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement && !e.isComposing) { e.preventDefault(); insertReply(); }
  if (e.key === 'Escape') { e.preventDefault(); closeReply(state); }
});
$('copy').addEventListener('click', async () => {
  if (state.rendering) await state.rendering;
  const blocker = insertBlocker(state);
  if (blocker && blocker !== t('blockerChecking')) { $('insert-status').textContent = t('panelNotCopied', blocker); return; }
  act.copy(state.rendered?.text || currentText(state), t('panelReplyWhat'));
});
$('handoff-draft').addEventListener('change', async () => {
  state.handoffDraft = null;
  if ($('handoff-draft').checked && state.tabId !== null) {
    const r = await sendToTab(state.tabId, { kind: CONTENT_KIND.readDraft }, 'This tab has no compose box PostGuard watches.');
    state.handoffDraft = r.ok ? r.text : null;
    $('esc-status').textContent = r.ok ? '' : `Your draft was not added: ${r.error.message}`;
  }
  showMatrix(state);
});
$('close-form').addEventListener('click', () => closeReply(state));
$('role').addEventListener('change', async () => {
  const r = await send({ kind: KIND.setSettings, patch: { role: $('role').value } });
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
followWhatChanged($('digest'));
wireClock(state);
wireWeek();
(async () => {
  await loadSettings();
  await pack();
  await refresh();
  refreshStatus();
  loadWeek();
  setInterval(refreshStatus, 15000);
})();
