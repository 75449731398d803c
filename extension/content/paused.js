// @ts-check
// What a paused site shows instead of checks: a "⏸ Paused · Resume" chip at the compose box the user
// is in (so protection being off is never silent), and right after pausing an undo toast. The chip's
// label says until when; Resume and Undo both turn PostGuard back on at once. Nothing is checked,
// nothing is held while paused.
import { pauseEndText } from '../format.js';
import { createLayer, h } from './overlay/layer.js';
import { t } from '../i18n.js';
import { installChipTabOrder } from './tab-order.js';

const TOAST_MS = 10_000;

/**
 * @param {import('./sites/index.js').Site} site
 * @param {string} siteName  "X", "LinkedIn"…
 * @param {{onResume: (how: 'resume'|'undo') => void, onExpired: () => void}} p
 */
export function showPaused(site, siteName, p) {
  const layer = createLayer('data-postguard-paused'); // not [data-postguard]: nothing is watched
  const ac = new AbortController();
  const on = (/** @type {EventTarget} */ t, /** @type {string} */ type, /** @type {(e: any) => void} */ fn) => t.addEventListener(type, fn, { capture: true, signal: ac.signal });
  const selector = site.boxes.map((b) => b.selector).join(', ');
  const label = h('span', { text: t('pausedLabel') });
  const resume = h('button', { type: 'button', 'data-action': 'resume', text: t('pausedResume'), onclick: () => p.onResume('resume') });
  resume.addEventListener('mousedown', (e) => e.preventDefault()); // keep the editor focused
  const chip = h('div', { class: 'paused', role: 'group' }, [h('span', { class: 'pause-icon', 'aria-hidden': 'true', text: '⏸' }), label, h('span', { 'aria-hidden': 'true', text: '·' }), resume]);
  chip.hidden = true;
  layer.chips.append(chip);
  /** @type {HTMLElement|null} */
  let toast = null;
  let toastTimer = /** @type {any} */ (null);
  let expiry = /** @type {any} */ (null);
  /** @type {Element|null} the compose box the user is (or was last) in */
  let active = document.activeElement?.closest(selector) ?? null;
  let text = '';
  let testHooks = false;
  let frame = 0;

  const boxOf = (/** @type {EventTarget|null} */ t) => (t instanceof Element ? t.closest(selector) : null);
  on(document, 'focusin', (e) => { const el = boxOf(e.target); if (el) { active = el; requestPlace(); } });
  on(window, 'scroll', () => requestPlace());
  on(window, 'resize', () => requestPlace());
  const poll = setInterval(() => requestPlace(), 500); // the site may move or re-mount the box
  installChipTabOrder({
    on, chipKeys: layer.shadow,
    boxOf: (t) => { const el = boxOf(t); return el ? { el: /** @type {HTMLElement} */ (el) } : null; },
    chipFor: (box) => (box && box.el === active && !chip.hidden ? resume : null),
  });

  function requestPlace() { frame ||= requestAnimationFrame(place); }
  function place() {
    frame = 0;
    layer.attach();
    const r = active && active.isConnected ? active.getBoundingClientRect() : null;
    if (!r || r.width < 4 || r.height < 4 || r.bottom < 0 || r.top > innerHeight) chip.hidden = true;
    else {
      chip.hidden = false;
      chip.style.left = `${Math.round(r.right - (chip.offsetWidth || 110) - 4)}px`;
      chip.style.top = `${Math.round(r.bottom - (chip.offsetHeight || 22) / 2)}px`;
    }
    if (testHooks) writeHooks();
  }

  function writeHooks() {
    const at = (/** @type {Element|null} */ el) => {
      if (!el || el.closest('[hidden]')) return null;
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    };
    layer.host.setAttribute('data-pg-paused', JSON.stringify({
      visible: !chip.hidden, text, label: chip.getAttribute('aria-label'), resume: at(resume),
      focused: layer.shadow.activeElement?.getAttribute('data-action') ?? null,
      toast: toast ? { text: toast.querySelector('span')?.textContent ?? '', undo: at(toast.querySelector('button')) } : null,
    }));
  }

  return {
    /** Put the chip at this box (the one whose card paused PostGuard). @param {Element} el */
    follow(el) { active = el; requestPlace(); },
    /**
     * @param {number|null} until  when the pause ends (null: until resumed)
     * @param {boolean} hooks  test hooks on
     */
    update(until, hooks) {
      testHooks = hooks;
      text = t('pausedOn', siteName, pauseEndText(until));
      chip.setAttribute('aria-label', t('pausedNothingChecked', text));
      chip.title = t('pausedNothingChecked', text);
      label.textContent = t('pausedLabel');
      clearTimeout(expiry);
      // a timed pause ends by itself: read the settings again just after it is over
      if (until !== null) expiry = setTimeout(p.onExpired, Math.max(0, until - Date.now()) + 250);
      requestPlace();
    },
    /** The undo toast right after pausing. @param {string} message */
    toast(message) {
      toast?.remove();
      const undo = h('button', { type: 'button', 'data-action': 'undo', text: t('pausedUndo'), onclick: () => p.onResume('undo') });
      undo.addEventListener('mousedown', (e) => e.preventDefault());
      toast = h('div', { class: 'toast', role: 'status' }, [h('span', { text: message }), undo]);
      layer.cards.append(toast);
      layer.announce(t('pausedUndoHint', message));
      clearTimeout(toastTimer);
      toastTimer = setTimeout(() => { toast?.remove(); toast = null; requestPlace(); }, TOAST_MS);
      requestPlace();
    },
    stop() {
      ac.abort();
      clearInterval(poll);
      clearTimeout(toastTimer);
      clearTimeout(expiry);
      if (frame) cancelAnimationFrame(frame);
      layer.destroy();
    },
  };
}
