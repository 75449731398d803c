// @ts-check
// Small DOM helpers for the extension's pages (side panel, practice, tour, what's new).

/** An element of the panel by id. @param {string} id @returns {any} */
export const $ = (id) => document.getElementById(id);

/** @param {string} tag @param {string} [cls] @param {string} [text] */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {string} text @param {string} [cls] */
export function button(text, cls) {
  const b = /** @type {HTMLButtonElement} */ (el('button', cls, text));
  b.type = 'button';
  return b;
}

/**
 * Empties `list` for its items to be built again, unless it already shows `shows` (what they are built
 * from, as one string). The side panel renders again at every answer from the companion, and an
 * element replaced between the press and the release loses the click: an unchanged list keeps its
 * elements. @param {HTMLElement} list @param {string} shows @returns {boolean} true: build the items
 */
export function rebuildUnlessShowing(list, shows) {
  if (list.dataset.shows === shows) return false;
  list.dataset.shows = shows;
  list.replaceChildren();
  return true;
}
