// @ts-check
// The practice box ("Try it"): the pack's own flag examples of one category, each checked by the real
// checker (the `check` message: the worker's POST /v1/check, as for a post) while the user fixes it,
// with the card's suggestions as buttons (the same edit as the card's: content/edits.js) or by
// editing. Progress per category; a draft is done when it passes (practice-state.js). Nothing is kept.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { isActionable, sentence, suggestionEffect } from '../format.js';
import { applyEdit, planEdit } from '../content/edits.js';
import { followColorScheme } from '../toolbar-icon.js';
import { labelOf } from './tour-steps.js';
import { localizePage, t } from '../i18n.js';
import { drills, nextOpen, passes, progressText } from './practice-state.js';
import { $, el } from '../dom.js';

localizePage(); // the HTML's fixed words, before anything below writes its own

const PAUSE_MS = 150;   // after the last keystroke, as the content script's mid-word pause

/** @type {import('../protocol.js').TourCategory[]} */
let categories = [];
/** @type {import('./practice-state.js').Drill[]} */
let list = [];
let at = 0;
let asked = 0;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let timer;

function drawList() {
  $('progress').textContent = progressText(list);
  $('drafts').replaceChildren(...list.map((d, i) => {
    const li = el('li');
    li.dataset.done = String(d.done);
    if (i === at) li.setAttribute('aria-current', 'true');
    li.append(el('span', 'mark', d.done ? '✓' : '○'), el('span', 'sr-only', d.done ? 'Fixed: ' : 'To fix: '), `“${d.original}”`);
    return li;
  }));
  $('next').disabled = nextOpen(list, at) === -1 || (nextOpen(list, at) === at && !list[at].done);
}

/** @param {number} i */
function open(i) {
  at = i;
  $('draft').value = list[at].text;
  drawList();
  check();
}

async function check() {
  clearTimeout(timer);
  const drill = list[at];
  const text = $('draft').value;
  drill.text = text;
  const mine = ++asked;
  $('verdict').textContent = t('checking');
  $('verdict').className = 'muted';
  const r = await send({ kind: KIND.check, text, platform: drill.platform, surface: drill.surface });
  if (mine !== asked) return;   // the draft changed meanwhile: its own check follows
  if (!r.ok) {
    $('verdict').textContent = t('learnCouldNotCheck', r.error.message);
    $('verdict').className = 'error';
    return;
  }
  drawFindings(text, r.findings);
  const ok = passes(r.findings);
  $('verdict').textContent = ok ? 'Passes: nothing to fix.' : 'Not yet: fix what PostGuard found.';
  $('verdict').className = ok ? 'ok' : '';
  if (ok && !drill.done) {
    drill.done = true;
    drawList();
  }
}

/** @param {string} text @param {import('../protocol.js').Finding[]} findings */
function drawFindings(text, findings) {
  $('findings').replaceChildren(...findings.map((f) => {
    const li = el('li', 'finding');
    li.dataset.severity = f.severity;
    li.dataset.rule = f.rule;
    li.append(el('div', 'msg', sentence(f.message)), el('div', 'small', `${sentence(f.severity)} · “${f.excerpt}”`));
    if (f.why) li.append(el('div', 'small', t('cardWhy', f.why)));
    const fixes = el('div', 'fixes');
    for (const s of f.suggestions) {
      if (!isActionable(s)) { li.append(el('div', 'small', t('learnTip', s.label))); continue; }
      const b = /** @type {HTMLButtonElement} */ (el('button', '', s.label));
      b.type = 'button';
      b.title = sentence(suggestionEffect(s));
      b.addEventListener('click', () => {
        const edit = planEdit(text, f, s);
        if (!edit) return;
        $('draft').value = applyEdit(text, edit);
        $('draft').focus();
        check();
      });
      fixes.append(b);
    }
    if (fixes.childElementCount) li.append(fixes);
    return li;
  }));
}

/** @param {string} category */
function practise(category) {
  const c = categories.find((x) => x.category === category) ?? categories[0];
  list = drills(c);
  open(0);
}

$('draft').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, PAUSE_MS); });
$('category').addEventListener('change', () => practise($('category').value));
$('next').addEventListener('click', () => { const i = nextOpen(list, at); if (i !== -1) open(i); });
$('reset').addEventListener('click', () => { $('draft').value = list[at].original; check(); });
followColorScheme();

(async () => {
  const r = await send({ kind: KIND.getTour });
  if (!r.ok) {
    $('status').textContent = t('learnPracticeNeedsCompanion', r.error.message);
    $('status').className = 'error';
    return;
  }
  categories = r.tour.categories.filter((/** @type {any} */ c) => c.practice.length);
  $('category').replaceChildren(...categories.map((c) => {
    const o = /** @type {HTMLOptionElement} */ (el('option', '', `${labelOf(c.category)} (${c.practice.length})`));
    o.value = c.category;
    return o;
  }));
  const wanted = new URLSearchParams(location.search).get('category');
  if (wanted && categories.some((c) => c.category === wanted)) $('category').value = wanted;
  $('status').textContent = '';
  $('practice').hidden = false;
  practise($('category').value);
})();
