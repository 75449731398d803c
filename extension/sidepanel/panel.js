// @ts-check
// Side panel (fallback view): the active compose box's findings as a list, from the report the
// content script sends to the service worker. Used when inline editing is unsafe on a site, and by
// anyone who prefers a list. Open as a tab for tests: sidepanel/index.html?tabId=N.
// The champions' panel (canned replies, escalation matrix) is a later issue.
import { KIND, STATE_TEXT } from '../protocol.js';
import { CATEGORY_LABEL, howMatched } from '../format.js';

/** @typedef {import('../protocol.js').BoxReport} BoxReport */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @returns {Promise<number|null>} */
async function currentTabId() {
  const fromUrl = new URLSearchParams(location.search).get('tabId');
  if (fromUrl && /^\d+$/.test(fromUrl)) return Number(fromUrl);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && tab.id !== undefined ? tab.id : null;
}

/** @param {BoxReport|null} report */
function render(report) {
  const findings = $('findings');
  const refs = $('referral-list');
  findings.replaceChildren();
  refs.replaceChildren();
  $('referrals').hidden = true;
  $('unsafe').hidden = true;
  if (!report) {
    $('box').textContent = 'No compose box reported yet. Click into a post or comment box on X, Facebook, LinkedIn or Instagram.';
    return;
  }
  const where = `${report.platform} ${report.surface} — ${report.url}`;
  $('box').textContent = `${where}. ${report.stateText}`;
  if (report.insertionUnsafe) {
    $('unsafe').hidden = false;
    $('unsafe').textContent = 'PostGuard does not edit the text on this site for the rest of this session (an edit did not land as expected). Use this list and fix the text by hand.';
  }
  for (const f of report.findings) {
    const li = el('li', 'finding');
    li.dataset.findingId = f.id;
    const head = el('div');
    head.append(el('span', `sev ${f.severity}`), el('span', 'msg', f.message));
    li.append(head);
    li.append(el('div', 'small', `${CATEGORY_LABEL[/** @type {keyof typeof CATEGORY_LABEL} */ (f.category)] ?? f.category} · ${f.severity} · “${f.excerpt}” at ${f.start}–${f.end}`));
    if (f.why) li.append(el('div', 'small', `Why: ${f.why}`));
    const how = howMatched(f);
    if (how) li.append(el('div', 'small', how));
    for (const s of f.suggestions) {
      const what = typeof s.replacement === 'string'
        ? (s.replacement ? `replace with “${s.replacement}”` : 'remove it')
        : `add “${(s.insert ?? '').trim()}” at the end`;
      li.append(el('div', 'small', `Suggestion: ${s.label} (${what})`));
    }
    findings.append(li);
  }
  if (report.referrals.length) {
    $('referrals').hidden = false;
    for (const r of report.referrals) {
      const li = el('li');
      const copy = el('button', '', 'Copy link');
      copy.addEventListener('click', () => { navigator.clipboard.writeText(r.url).catch(() => {}); });
      li.append(el('span', 'msg', r.title), ` — ${r.reason} `, el('code', '', r.url), ' ', copy);
      refs.append(li);
    }
  }
}

async function refresh() {
  const tabId = await currentTabId();
  if (tabId === null) { render(null); return; }
  const r = await chrome.runtime.sendMessage({ kind: KIND.getTabReport, tabId });
  render(r && r.ok ? r.report : null);
}

async function refreshStatus() {
  const r = await chrome.runtime.sendMessage({ kind: KIND.getStatus });
  const s = r && r.ok ? r.status : null;
  const text = s ? (STATE_TEXT[/** @type {keyof typeof STATE_TEXT} */ (s.state)] ?? s.state) : 'unknown';
  const pack = s && s.pack ? ` · pack ${s.pack.id} rev ${s.pack.revision}` : '';
  $('companion').textContent = `Companion: ${text}${pack}`;
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && Object.keys(changes).some((k) => k.startsWith('tab:'))) refresh();
});
chrome.tabs.onActivated.addListener(() => refresh());
refresh();
refreshStatus();
setInterval(refreshStatus, 15000);
