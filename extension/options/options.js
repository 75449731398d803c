// @ts-check
// Options: pairing with the companion (code -> token, kept by the service worker only; this page
// only learns "paired" or not), companion port, notify-only, paused sites. Fields IT sets through
// managed storage are shown read-only.
import { KIND, PLATFORMS, STATE_TEXT } from '../protocol.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const NAMES = /** @type {Record<string, string>} */ ({ x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', instagram: 'Instagram' });

/** @param {import('../protocol.js').Request} msg */
const call = (msg) => chrome.runtime.sendMessage(msg);
/** @type {number|null} the port in the settings, once they are loaded */
let savedPort = null;

/** @param {import('../protocol.js').Settings} s */
function show(s) {
  savedPort = s.port;
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

/** The port is saved as soon as it changes (and before pairing or testing), not only with Save: people
 * type the port `./scripts/run` printed, then go straight to Pair. Returns false when it is invalid. */
async function savePort() {
  if ($('port').disabled || savedPort === null || $('port').value.trim() === String(savedPort)) return true;
  /** @type {Record<string, unknown>} */
  const patch = { companionPort: $('port').value.trim() === '' ? null : $('port').value.trim() }; // validated by the worker
  const r = await call({ kind: KIND.setSettings, patch });
  if (r && r.ok) { savedPort = r.settings.port; $('port').value = String(savedPort); return true; }
  $('test-result').className = 'error';
  $('test-result').textContent = `Port not saved: ${r ? r.error.message : 'no answer'}`;
  return false;
}
async function testConnection() {
  if (!(await savePort())) return;
  $('test-result').textContent = 'Checking…';
  const r = await call({ kind: KIND.getStatus });
  const s = r && r.ok ? r.status : null;
  if (!s) { $('test-result').textContent = 'No answer from the extension.'; return; }
  const pack = s.pack ? `, pack ${s.pack.id} revision ${s.pack.revision}` : '';
  $('test-result').className = s.state === 'impostor' ? 'warning' : s.state === 'ok' ? '' : 'error';
  if (s.state === 'impostor') {
    $('test-result').textContent = `Warning: ${s.message}. It did not prove it is your PostGuard companion, so PostGuard sends it nothing. If you reset the pairing (postguard pair --reset), pair again below.`;
    return;
  }
  $('test-result').textContent = `${STATE_TEXT[/** @type {keyof typeof STATE_TEXT} */ (s.state)] ?? s.state}${s.version ? ` (companion ${s.version}${pack})` : ''}. ${s.state === 'ok' ? '' : s.message}`;
}

// ---- pairing ------------------------------------------------------------------------------------

/** @param {boolean} paired */
function showPairing(paired) {
  $('pair-state').textContent = paired ? 'Paired' : 'Not paired';
  $('forget').hidden = !paired;
}

async function loadPairing() {
  const r = await call({ kind: KIND.getPairing });
  if (r && r.ok) showPairing(r.paired);
}

/** @param {string} text @param {string} cls */
function pairResult(text, cls) {
  $('pair-result').className = cls;
  $('pair-result').textContent = text;
}

/** @param {string} s */
const sentence = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** @param {import('../protocol.js').Failure} r */
function pairFailureText(r) {
  const { code, message } = r.error;
  if (code === 'bad_code') return `Not paired: ${message}.`; // wrong (n attempts left) / expired / no code waiting
  if (code === 'too_many_requests') return `Not paired: ${message}.`;
  if (r.state === 'offline') return `Not paired: the companion is not running (${message}). Start it, then try again.`;
  return `Not paired: ${sentence(message)}`;
}

$('pair-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = $('pair-code').value.trim();
  if (!code) { pairResult('Type the code that `postguard pair` shows.', 'error'); $('pair-code').focus(); return; }
  if (!(await savePort())) { pairResult('Not paired: fix the port below first.', 'error'); return; }
  $('pair-button').disabled = true;
  pairResult('Pairing…', '');
  try {
    const r = await call({ kind: KIND.pair, code });
    if (r && r.ok) {
      $('pair-code').value = '';
      showPairing(true);
      const s = r.status;
      if (s && s.state === 'impostor') {
        pairResult(`Paired, but warning: ${s.message}.`, 'warning');
      } else {
        const where = s && s.tokenStorage ? ` The companion keeps the token in ${s.tokenStorage === 'keyring' ? 'the system keyring' : 'a private file'}.` : '';
        pairResult(`Paired with the companion. PostGuard now checks your drafts.${where}`, 'ok');
      }
      testConnection();
    } else {
      pairResult(r ? pairFailureText(r) : 'Not paired: no answer from the extension.', 'error');
      $('pair-code').focus();
      $('pair-code').select();
    }
  } finally {
    $('pair-button').disabled = false;
  }
});

$('forget').addEventListener('click', async () => {
  const r = await call({ kind: KIND.forgetPairing });
  if (r && r.ok) {
    showPairing(false);
    pairResult('Pairing forgotten. PostGuard checks nothing until you pair again.', '');
    $('pair-code').focus();
  } else {
    pairResult(`Could not forget the pairing: ${r ? r.error.message : 'no answer'}`, 'error');
  }
});

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
$('port').addEventListener('change', testConnection); // saves the new port, then says whether it answers
load();
loadPairing();
testConnection();
