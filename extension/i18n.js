// @ts-check
// The one way to the words of the UI: chrome.i18n's messages (_locales/<lang>/messages.json), in
// the browser's language, English (default_locale) for a language or a key without a translation.
// Used by the content script (card, chip, confirm dialog) and by every extension page.

/**
 * The UI text for `key`, with $1..$9 filled in from `subs`.
 * @param {string} key
 * @param {...(string|number)} subs
 */
export function t(key, ...subs) {
  const msg = globalThis.chrome?.i18n?.getMessage(key, subs.map(String));
  // a missing key is a bug the node test (tests/i18n.test.js) catches; show the key, never nothing
  return msg || key;
}

/** "1 finding" / "5 findings": the key's One and Many forms. @param {string} key @param {number} n */
export function counted(key, n) {
  return n === 1 ? t(`${key}One`) : t(`${key}Many`, n);
}

/** A finding category's name (the companion's id when the UI has none). @param {string} category */
export function categoryName(category) {
  const msg = globalThis.chrome?.i18n?.getMessage(`category_${category}`);
  return msg || category;
}

/** A severity in words. @param {string} severity */
export function severityName(severity) {
  const msg = globalThis.chrome?.i18n?.getMessage(`severity_${severity}`);
  return msg || severity;
}

/** The UI's language (for the pack's own translations and the page's lang). */
export function uiLanguage() {
  return globalThis.chrome?.i18n?.getUILanguage?.() ?? 'en';
}

/**
 * An extension page's fixed words, at load: `data-i18n` (text), `data-i18n-aria-label`, `data-i18n-title`,
 * `data-i18n-placeholder`, `data-i18n-alt` name the keys; the page's lang follows. An element with
 * child elements (code, kbd, a field in a label) keeps them: its message places them as $1, $2, ... in order.
 * @param {ParentNode & {documentElement?: HTMLElement}} [root]
 */
export function localizePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) fillText(el, el.getAttribute('data-i18n') ?? '');
  for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
    for (const el of root.querySelectorAll(`[data-i18n-${name}]`)) el.setAttribute(name, t(el.getAttribute(`data-i18n-${name}`) ?? ''));
  }
  if (root.documentElement) root.documentElement.lang = uiLanguage().split('-')[0];
}

/** @param {Element} el @param {string} key */
function fillText(el, key) {
  const kids = [...el.children];
  if (!kids.length) { el.textContent = t(key); return; }
  // "$1".."$n" given as the substitutions come back as themselves: the places of the children
  const msg = t(key, ...kids.map((_, i) => `$${i + 1}`));
  el.replaceChildren(...msg.split(/\$(\d)/).map((part, i) => (i % 2 ? kids[Number(part) - 1] ?? '' : part)));
}
