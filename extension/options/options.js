// @ts-check
// Options: companion port, notify-only, paused sites. Fields IT sets through managed storage are
// shown read-only. Pairing (the code field) comes with the pairing issue.
import { KIND, PLATFORMS, STATE_TEXT } from '../protocol.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const NAMES = /** @type {Record<string, string>} */ ({ x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', instagram: 'Instagram' });

/** @param {import('../protocol.js').Request} msg */
const call = (msg) => chrome.runtime.sendMessage(msg);

/** @param {import('../protocol.js').Settings} s */
function show(s) {
  $('port').value = String(s.port);
  $('port').disabled = s.locked.port;
  $('port-lock').hidden = !s.locked.port;
  $('notify').checked = s.notifyOnly;
  $('notify').disabled = s.locked.notifyOnly;
  $('notify-lock').hidden = !s.locked.notifyOnly;
  const sites = $('sites');
  sites.replaceChildren();
  for (const id of PLATFORMS) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'paused';
    box.value = id;
    const byIT = s.disabledSites.includes(id);
    box.checked = byIT || s.pausedSites.includes(id);
    box.disabled = byIT;
    label.append(box, ` ${NAMES[id]}${byIT ? ' (turned off by your IT department)' : ''}`);
    sites.append(label);
  }
}

async function load() {
  const r = await call({ kind: KIND.getSettings });
  if (r && r.ok) show(r.settings);
}

async function testConnection() {
  $('test-result').textContent = 'Checking…';
  const r = await call({ kind: KIND.getStatus });
  const s = r && r.ok ? r.status : null;
  if (!s) { $('test-result').textContent = 'No answer from the extension.'; return; }
  const pack = s.pack ? `, pack ${s.pack.id} revision ${s.pack.revision}` : '';
  $('test-result').textContent = `${STATE_TEXT[/** @type {keyof typeof STATE_TEXT} */ (s.state)] ?? s.state}${s.version ? ` (companion ${s.version}${pack})` : ''}. ${s.state === 'ok' ? '' : s.message}`;
}

$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  /** @type {Record<string, unknown>} */
  const patch = {
    pausedSites: [...document.querySelectorAll('input[name=paused]:checked:not(:disabled)')].map((b) => /** @type {HTMLInputElement} */ (b).value),
  };
  if (!$('port').disabled) patch.companionPort = $('port').value.trim() === '' ? null : $('port').value.trim();
  if (!$('notify').disabled) patch.notifyOnly = $('notify').checked;
  const r = await call({ kind: KIND.setSettings, patch });
  $('saved').className = r && r.ok ? '' : 'error';
  $('saved').textContent = r && r.ok ? 'Saved.' : `Not saved: ${r ? r.error.message : 'no answer'}`;
  if (r && r.ok) show(r.settings);
});
$('test').addEventListener('click', testConnection);
load();
testConnection();
