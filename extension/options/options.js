// @ts-check
// Options: connect to the companion (start it, its port, then the pairing code: the token is kept
// by the service worker only; this page only learns "paired" or not), notify-only, paused sites.
// One state line says how things stand (connection-state.js); every field saves as it changes;
// the pairing form is gone once paired. Fields IT sets through managed storage are read-only.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { DEFAULT_PORT, PLATFORMS, platformLabel } from '../vocabulary.js';
import { cardShortcutLabel, pauseEndText } from '../format.js';
import { connectionView, pairFailureText } from './connection-state.js';
import { followColorScheme } from '../toolbar-icon.js';
import { followWhatChanged } from '../learn/whats-new.js';
import { showRecordsNote } from './records-note.js';
import { localizePage, t } from '../i18n.js';

localizePage(); // the HTML's fixed words, before anything below writes its own

const $ = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

/** @type {any} the effective settings, once loaded */
let settings = null;
/** @type {boolean|null} */
let paired = null;
let refreshing = 0;
/** @type {any} the companion's last answer: shown until the next one (no "Checking…" flicker) */
let lastStatus = null;

/** A short "Saved" (or why not) beside the field that changed. @param {string} id @param {any} r */
function saved(id, r) {
  const el = $(id);
  el.className = r && r.ok ? 'saved' : 'saved error';
  el.textContent = r && r.ok ? t('optSaved') : t('optNotSaved', r ? r.error.message : t('optNoAnswer'));
  if (r && r.ok) setTimeout(() => { if (el.textContent === t('optSaved')) el.textContent = ''; }, 2500);
}

/** @param {any} s */
function showSettings(s) {
  settings = s;
  if (document.activeElement !== $('port')) $('port').value = String(s.port);
  $('port').disabled = s.locked.port;
  $('port-lock').hidden = !s.locked.port;
  $('notify').checked = s.notifyOnly;
  $('notify').disabled = s.locked.notifyOnly;
  $('notify-lock').hidden = !s.locked.notifyOnly;
  $('it-pairing').hidden = !s.locked.pairing;
  const sites = $('sites');
  sites.replaceChildren();
  const pausing = s.allowPause !== false;
  $('paused-help').textContent = pausing
    ? t('optPausedHelp')
    : t('optPauseForbidden');
  for (const id of PLATFORMS) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'paused';
    box.value = id;
    const byIT = s.disabledSites.includes(id);
    const until = s.pauses ? s.pauses[id] : undefined;
    box.checked = byIT || s.pausedSites.includes(id);
    box.disabled = byIT || (!pausing && !box.checked);
    const note = byIT ? t('optSiteOffByIt') : (until !== undefined && s.pausedSites.includes(id) ? t('optSitePaused', pauseEndText(until)) : '');
    label.append(box, ` ${platformLabel(id)}${note}`);
    box.addEventListener('change', async () => {
      const r = await send({ kind: KIND.setSitePaused, site: /** @type {import('../protocol.js').Platform} */ (id), paused: box.checked, duration: 'indefinite' });
      saved('sites-saved', r);
      if (r && r.ok) showSettings(r.settings); else box.checked = !box.checked;
    });
    sites.append(label);
  }
}

/** Everything the state line needs, read fresh: settings, pairing, the companion's answer. */
async function refresh() {
  const mine = ++refreshing;
  const [s, p] = await Promise.all([send({ kind: KIND.getSettings }), send({ kind: KIND.getPairing })]);
  if (s && s.ok) showSettings(s.settings);
  paired = p && p.ok ? p.paired : false;
  if (lastStatus) render(lastStatus);
  const st = await send({ kind: KIND.getStatus });
  if (mine !== refreshing) return; // a newer refresh is on its way
  lastStatus = st && st.ok ? st.status : { state: 'error', message: 'no answer from the extension' };
  render(lastStatus);
}

/** @param {any} status */
function render(status) {
  const v = connectionView({ paired, status, port: settings ? settings.port : DEFAULT_PORT });
  const state = $('state');
  state.textContent = v.text;
  state.dataset.state = v.tone;
  $('test-result').textContent = status ? v.short : '';
  $('test-result').className = v.tone === 'ok' ? 'ok' : v.tone === 'info' ? '' : v.tone;
  // once paired the pairing step is gone (it comes back when the pairing is forgotten or rejected)
  $('step-pair').hidden = !v.showPairForm;
  $('paired-row').hidden = !paired;
}

/** Save the port (before testing or pairing too). Returns false when it is invalid. */
async function savePort() {
  const input = $('port');
  if (input.disabled || !settings || input.value.trim() === String(settings.port)) return true;
  if (!input.checkValidity()) { saved('port-saved', { ok: false, error: { message: 'the port is a whole number from 1 to 65535' } }); return false; }
  const r = await send({ kind: KIND.setSettings, patch: { companionPort: input.value.trim() === '' ? null : input.value.trim() } });
  saved('port-saved', r);
  if (r && r.ok) settings = r.settings;
  return !!(r && r.ok);
}

/** @param {string} text @param {string} cls */
function pairResult(text, cls) {
  $('pair-result').className = cls;
  $('pair-result').textContent = text;
}

/** Right after the first pairing: the tour, once (it records itself as done or skipped). */
async function offerTour() {
  const { tourDone } = await chrome.storage.local.get('tourDone');
  if (!tourDone) await chrome.tabs.create({ url: chrome.runtime.getURL('learn/tour.html') });
}

$('pair-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = $('pair-code').value.trim();
  if (!code) { pairResult(t('optTypeCode'), 'error'); $('pair-code').focus(); return; }
  if (!(await savePort())) { pairResult(t('optFixPort'), 'error'); return; }
  $('pair-button').disabled = true;
  pairResult('Pairing…', '');
  try {
    const r = await send({ kind: KIND.pair, code });
    if (r && r.ok) {
      $('pair-code').value = '';
      const s = r.status;
      const where = s && s.tokenStorage ? ` The companion keeps the token in ${s.tokenStorage === 'keyring' ? 'the system keyring' : 'a private file'}.` : '';
      pairResult(s && s.state === 'impostor' ? `Paired, but warning: ${s.message}.` : `Paired with the companion.${where}`, s && s.state === 'impostor' ? 'warning' : 'ok');
      await refresh();
      $('forget').focus();
      await offerTour();
    } else {
      pairResult(r ? pairFailureText(r, settings ? settings.port : DEFAULT_PORT) : t('pairFailed', t('optNoAnswer')), 'error');
      $('pair-code').focus();
      $('pair-code').select();
    }
  } finally {
    $('pair-button').disabled = false;
  }
});

$('forget').addEventListener('click', async () => {
  const r = await send({ kind: KIND.forgetPairing });
  if (r && r.ok) {
    pairResult(t('optForgotten'), '');
    await refresh();
    $('pair-code').focus();
  } else {
    pairResult(`Could not forget the pairing: ${r ? r.error.message : 'no answer'}`, 'error');
  }
});

$('notify').addEventListener('change', async () => {
  const r = await send({ kind: KIND.setSettings, patch: { notifyOnly: $('notify').checked } });
  saved('notify-saved', r);
  if (r && r.ok) showSettings(r.settings); else $('notify').checked = !$('notify').checked;
});
$('test').addEventListener('click', async () => { if (await savePort()) { $('test-result').textContent = t('checking'); refresh(); } });
// the port saves as soon as it changes (typed, then Tab / Enter / a click elsewhere), then is tested
$('port').addEventListener('change', async () => { if (await savePort()) refresh(); });
$('port').addEventListener('keydown', (e) => { if (/** @type {KeyboardEvent} */ (e).key === 'Enter') $('port').blur(); });
// another page (a card's pause menu, the side panel) changed the settings: show them
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && Object.keys(changes).some((k) => k !== 'managedCache')) refresh();
});
$('shortcut').textContent = cardShortcutLabel();
followColorScheme();
followWhatChanged($('digest'));
showRecordsNote($('records-week'));
refresh();
