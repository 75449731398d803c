// @ts-check
// Light or dark: the card, chip and marks follow the page they sit on (the lightness of its background),
// and where the page paints no background of its own, the system's colour scheme. Sites switch themes by
// a class or attribute on <html> or <body>, so those are watched, as is the system setting.

/**
 * An rgb()/rgba() colour as [r, g, b, alpha], or null.
 * @param {string} css
 * @returns {number[] | null}
 */
export function parseRgb(css) {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(String(css).trim());
  if (!m) return null;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
}

/**
 * WCAG relative luminance below 0.35: a background white text reads better on than black.
 * @param {number[]} rgb
 */
export function isDarkColor(rgb) {
  const lin = (/** @type {number} */ c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]) < 0.35;
}

/**
 * @param {Document} doc
 * @param {Window} win
 */
export function pageIsDark(doc, win) {
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const c = parseRgb(win.getComputedStyle(el).backgroundColor);
    if (c && c[3] >= 0.5) return isDarkColor(c);
  }
  return Boolean(win.matchMedia?.('(prefers-color-scheme: dark)').matches);
}

/**
 * Keep `root`'s "dark" class in step with the page and the system; returns the function that stops it.
 * @param {HTMLElement} root
 * @param {Document} [doc]
 * @param {Window} [win]
 */
export function followTheme(root, doc = document, win = window) {
  const update = () => root.classList.toggle('dark', pageIsDark(doc, win));
  update();
  const query = win.matchMedia?.('(prefers-color-scheme: dark)');
  query?.addEventListener?.('change', update);
  const watch = new MutationObserver(update);
  const attributeFilter = ['class', 'style', 'data-theme', 'data-color-mode', 'data-color-scheme'];
  watch.observe(doc.documentElement, { attributes: true, attributeFilter });
  if (doc.body) watch.observe(doc.body, { attributes: true, attributeFilter });
  return () => { watch.disconnect(); query?.removeEventListener?.('change', update); };
}
