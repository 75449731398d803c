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

/**
 * When the post being answered was posted, as the site marks it: `<time datetime="...">` (X, LinkedIn,
 * Instagram, Facebook's newer pages) or `<abbr data-utime="<unix seconds>">` (Facebook's older ones).
 * The first one in the post is its own (replies below it come later in the document).
 * @param {Element|null|undefined} post
 * @returns {string|null} ISO 8601 in UTC
 */
export function postedAtIn(post) {
  if (!post) return null;
  const el = post.querySelector('time[datetime], abbr[data-utime]');
  if (!el) return null;
  const utime = el.getAttribute('data-utime');
  const t = utime !== null ? Number(utime) * 1000 : Date.parse(el.getAttribute('datetime') || '');
  return Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : null;
}

/**
 * Whether the site marks the post as a review: schema.org Review / rating markup (pages embedding
 * reviews), a rating the site labels for screen readers ("Rated 4 out of 5", "4 stars"), or
 * Facebook's recommendation line ("recommends").
 * @param {Element|null|undefined} post
 */
export function reviewMarkupIn(post) {
  return !!post && !!post.querySelector('[itemtype*="schema.org/Review"], [itemprop="reviewRating"], [itemprop="ratingValue"],'
    + ' [aria-label*="out of 5" i], [aria-label*=" stars" i], [aria-label*="recommends" i]');
}
