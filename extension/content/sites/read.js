// @ts-check
// Reading names from a site's page: shared by the site records (index.js lists the sites; the sites
// import these helpers from here, never from index.js).

/** @typedef {import('./index.js').Author} Author */

/**
 * An author from the element showing the name (first line, without an "@handle" or "· 2h") and a handle.
 * @param {Element|null|undefined} nameEl
 * @param {string|null} [handle]
 * @returns {Author|null}
 */
export function authorFrom(nameEl, handle = null) {
  const raw = nameEl ? (/** @type {HTMLElement} */ (nameEl).innerText || nameEl.textContent || '') : '';
  const name = raw.split('\n')[0].replace(/@[A-Za-z0-9_.]+/g, '').replace(/[·•].*$/, '').trim().slice(0, 80) || null;
  const h = handle ?? (/@[A-Za-z0-9_.]{1,30}/.exec(raw)?.[0] ?? null);
  return name || h ? { name, handle: h } : null;
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
