// @ts-check
// The tour page: one step at a time (tour-steps.js), Back / Next / Skip; finishing or skipping
// remembers it in chrome.storage.local (`tourDone`), so pairing opens it only the first time. The
// options page and the side panel link here to see it again.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { followColorScheme } from '../toolbar-icon.js';
import { tourSteps } from './tour-steps.js';
import { localizePage, t } from '../i18n.js';
import { $, el } from '../dom.js';

localizePage(); // the HTML's fixed words, before anything below writes its own


/** @param {import('./tour-steps.js').Block} b */
function draw(b) {
  switch (b.kind) {
    case 'p': return el('p', '', b.text);
    case 'category': {
      const div = el('div', 'cat');
      div.dataset.category = b.category;
      div.append(el('h3', '', b.label), el('p', '', b.why));
      return div;
    }
    case 'examples': {
      const div = el('div', 'cat');
      div.dataset.category = b.category;
      div.append(el('h3', '', b.label));
      const flag = el('p', 'example flag');
      flag.append(el('span', 'tag', t('tourFlagged')), `“${b.flag}”`);
      div.append(flag);
      if (b.pass) {
        const pass = el('p', 'example pass');
        pass.append(el('span', 'tag', t('tourFine')), `“${b.pass}”`);
        div.append(pass);
      }
      return div;
    }
    case 'link': {
      const a = /** @type {HTMLAnchorElement} */ (el('a', 'button primary', b.text));
      a.href = b.href;
      if (/^https:/.test(b.href)) { a.target = '_blank'; a.rel = 'noopener noreferrer'; }
      const p = el('p');
      p.append(a);
      return p;
    }
  }
}

/** @type {import('./tour-steps.js').Step[]} */
let steps = [];
let at = 0;
/** @type {{id: string, revision: string|number}|null} */
let pack = null;

function show() {
  const step = steps[at];
  $('progress').textContent = t('tourStep', at + 1, steps.length);
  $('step-title').textContent = step.title;
  $('step').dataset.step = step.id;
  $('step-body').replaceChildren(...step.blocks.map((b) => /** @type {Node} */ (draw(b))));
  /** @type {HTMLButtonElement} */ ($('back')).disabled = at === 0;
  $('next').textContent = at === steps.length - 1 ? 'Finish' : 'Next';
  $('skip').hidden = at === steps.length - 1;
  $('step-title').focus();   // a screen reader hears the new step's title
}

/** @param {'finished'|'skipped'} how */
async function done(how) {
  await chrome.storage.local.set({ tourDone: { how, at: Date.now(), pack } });
  $('step').hidden = true;
  $('status').textContent = how === 'skipped'
    ? 'Tour skipped. Open it again any time from the PostGuard options or the side panel.'
    : 'That is the tour. Open it again any time from the PostGuard options or the side panel.';
  $('status').focus();
}

$('back').addEventListener('click', () => { if (at > 0) { at -= 1; show(); } });
$('next').addEventListener('click', () => { if (at < steps.length - 1) { at += 1; show(); } else done('finished'); });
$('skip').addEventListener('click', () => done('skipped'));
$('status').tabIndex = -1;
followColorScheme();

(async () => {
  const r = await send({ kind: KIND.getTour });
  if (!r.ok) {
    $('status').textContent = t('tourNeedsCompanion', r.error.message);
    $('status').className = 'error';
    return;
  }
  pack = { id: r.tour.pack.id, revision: r.tour.pack.revision };
  steps = tourSteps(r.tour);
  $('status').textContent = '';
  $('step').hidden = false;
  show();
})();
