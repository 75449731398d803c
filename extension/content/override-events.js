// @ts-check
// "Posted anyway" events: a user posted a draft with critical findings after the confirm card, with
// an optional reason. Emitted inside the content script only — an EventTarget of this isolated
// world, which the page cannot listen to (a DOM event on window or document would reach the site's
// own scripts). main.js counts them in the local records (records.js: each rule and category, not the
// reason). No draft text, only the rules, categories and the reason.

const target = new EventTarget();
const TYPE = 'postguard:posted-anyway';

/**
 * @typedef {{site: string, surface: string, reason: string|null, rules: string[], categories: string[], at: number,
 *   items: {rule: string, category: string}[]}} PostedAnyway  items: each finding's rule and category (the records)
 */

/** @param {PostedAnyway} detail */
export function emitPostedAnyway(detail) {
  target.dispatchEvent(new CustomEvent(TYPE, { detail: Object.freeze({ ...detail }) }));
}

/**
 * @param {(e: PostedAnyway) => void} fn
 * @returns {() => void} unsubscribe
 */
export function onPostedAnyway(fn) {
  const listener = (/** @type {Event} */ e) => fn(/** @type {CustomEvent<PostedAnyway>} */ (e).detail);
  target.addEventListener(TYPE, listener);
  return () => target.removeEventListener(TYPE, listener);
}
