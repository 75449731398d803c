// @ts-check
// The overlay layer: one host element appended to <html> (never inside the editor or <body>), with a
// CLOSED shadow root holding underline boxes, chips, the card and the textarea mirrors. The host
// itself takes no space and no pointer events; only chips and cards accept them.
// Custom elements are unavailable to content scripts (window.customElements is null in the isolated
// world), so the host is a plain <div>.
import { CSS } from './styles.js';
import { followTheme } from './theme.js';

/**
 * Tiny element builder.
 * @param {string} tag
 * @param {Record<string, any>} [props]  `class`, `text`, `on<event>`, aria-/data-/other attributes
 * @param {(Node|string|null|false|undefined)[]} [children]
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/**
 * @param {string} [marker] the host's attribute: data-postguard (watching), data-postguard-paused (paused.js)
 * @param {{open?: boolean}} [opts] open: an open shadow root, only with the test hooks on, so the
 *   e2e tests' axe-core audit can read the very card and chip users get (it cannot enter a closed one)
 */
export function createLayer(marker = 'data-postguard', opts = {}) {
  const host = document.createElement('div');
  host.setAttribute(marker, '');
  // inline style so page CSS (e.g. `html > div { ... }`) cannot move or hide the host
  host.style.cssText = 'all: initial !important; position: fixed !important; left: 0 !important; top: 0 !important; '
    + 'width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important; '
    + 'pointer-events: none !important; display: block !important; contain: none !important;';
  const shadow = host.attachShadow({ mode: opts.open ? 'open' : 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const root = h('div', { class: 'layer' });
  const marks = h('div', { class: 'marks' });
  const chips = h('div', { class: 'chips' });
  const cards = h('div', { class: 'cards' });
  const measure = h('div', { class: 'measure', 'aria-hidden': 'true' });
  const live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  root.append(marks, chips, cards, live);
  const stopTheme = followTheme(root);
  shadow.append(style, measure, root);
  let destroyed = false;
  const attach = () => { if (!destroyed && !host.isConnected) document.documentElement.appendChild(host); };
  attach();
  return {
    host,
    shadow,
    marks,
    chips,
    cards,
    measure,
    /** Say something to screen readers. @param {string} text */
    announce(text) { live.textContent = ''; setTimeout(() => { live.textContent = text; }, 30); },
    /** Re-append the host if the page removed it (some SPAs replace <html> children). */
    attach,
    /** The element under the pointer inside the shadow root, if any. @param {number} x @param {number} y */
    hit(x, y) { return shadow.elementFromPoint(x, y); },
    destroy() { destroyed = true; stopTheme(); host.remove(); },
  };
}

/** @typedef {ReturnType<typeof createLayer>} Layer */
