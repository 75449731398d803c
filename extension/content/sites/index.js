// @ts-check
// The four sites, listed explicitly. A site record says which boxes to watch, what each box is
// (platform/surface, the text being answered) and which controls/keys post.
import facebook from './facebook.js';
import instagram from './instagram.js';
import linkedin from './linkedin.js';
import x from './x.js';

/**
 * @typedef {import('../../protocol.js').Platform} Platform
 * @typedef {import('../../protocol.js').Surface} Surface
 * @typedef {{selector: string, surface: (el: Element) => Surface, context?: (el: Element) => string|null}} BoxSpec
 * @typedef {{selector: string, text?: RegExp}} ControlSpec
 * @typedef {{
 *   id: Platform, hosts: string[], boxes: BoxSpec[], postControls: ControlSpec[],
 *   submitKey: (e: KeyboardEvent, surface: Surface) => boolean,
 *   accountHandle?: () => string|null,
 * }} Site  accountHandle: the logged-in account's handle where the page shows it (sent as `account`)
 */

/** @type {Site[]} */
export const SITES = [x, facebook, linkedin, instagram];

/**
 * @param {string} hostname
 * @returns {Site|null}
 */
export function siteForHost(hostname) {
  return SITES.find((s) => s.hosts.includes(hostname)) ?? null;
}

/**
 * The box spec an element matches (first match wins: specific selectors come first).
 * @param {Site} site
 * @param {Element} el
 * @returns {BoxSpec|null}
 */
export function boxSpecFor(site, el) {
  return site.boxes.find((b) => el.matches(b.selector)) ?? null;
}

/**
 * The post control an event target is inside, if any.
 * @param {Site} site
 * @param {Element} target
 * @returns {Element|null}
 */
export function controlFor(site, target) {
  for (const c of site.postControls) {
    const el = target.closest(c.selector);
    if (el && (!c.text || c.text.test((/** @type {HTMLElement} */ (el).innerText || el.textContent || '').trim()))) return el;
  }
  return null;
}

/**
 * The first "@handle" in the text of the first element matching one of the selectors.
 * @param {string[]} selectors
 * @returns {string|null}
 */
export function handleIn(selectors) {
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    const text = el ? (/** @type {HTMLElement} */ (el).innerText || el.textContent || '') : '';
    const m = /@[A-Za-z0-9_.]{1,30}/.exec(text);
    if (m) return m[0];
  }
  return null;
}
