// @ts-check
// chrome.i18n for node tests: getMessage over _locales/<lang>/messages.json as the browsers do it
// ($1..$9 from the substitutions, "$$" a dollar sign), English unless POSTGUARD_TEST_LOCALE says.
import { readFileSync } from 'node:fs';

/** @param {string} lang */
export function loadMessages(lang) {
  return JSON.parse(readFileSync(new URL(`../_locales/${lang}/messages.json`, import.meta.url), 'utf8'));
}

/** @param {string} lang */
export function installLocale(lang = 'en') {
  const messages = loadMessages(lang);
  const i18n = {
    /** @param {string} key @param {string[]} [subs] */
    getMessage(key, subs = []) {
      const m = messages[key];
      if (!m) return '';
      return m.message.replace(/\$(\d|\$)/g, (/** @type {string} */ _, d) => (d === '$' ? '$' : subs[Number(d) - 1] ?? ''));
    },
    getUILanguage: () => lang,
  };
  globalThis.chrome = /** @type {any} */ ({ ...(globalThis.chrome ?? {}), i18n });
}

installLocale(process.env.POSTGUARD_TEST_LOCALE ?? 'en');
