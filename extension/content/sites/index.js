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
 * @typedef {{name: string|null, handle: string|null}} Author  who wrote the post being answered
 * @typedef {{selector: string, surface: (el: Element) => Surface, context?: (el: Element) => string|null, author?: (el: Element) => Author|null, postedAt?: (el: Element) => string|null, review?: (el: Element) => boolean}} BoxSpec
 *   context: the text of the post being answered; author: its writer (the side panel pre-fills the customer's name);
 *   postedAt: when it was posted, ISO 8601 (the side panel's response-time clock);
 *   review: the site marks the post being answered as a review (its kind, conversation-kind.js)
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
