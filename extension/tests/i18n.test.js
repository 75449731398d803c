// @ts-check
// Every word of the UI goes through chrome.i18n (i18n.js): the keys used exist in English and
// Bulgarian with the same $1..$9, and no UI module puts a word on screen (text, textContent, labels,
// titles, aria-labels, announcements, buttons) from a string literal that bypasses t().
import './locale.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installLocale, loadMessages } from './locale.js';
import { parseHtml } from './htmlpage.js';
import { localizePage } from '../i18n.js';

const ROOT = new URL('..', import.meta.url).pathname;
const en = loadMessages('en');
const bg = loadMessages('bg');

/** The modules that draw UI. @returns {string[]} paths relative to extension/ */
function uiModules() {
  const dirs = ['content', 'content/overlay', 'sidepanel', 'options', 'learn'];
  const files = dirs.flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.js')).map((f) => `${d}/${f}`));
  return [...files, 'format.js', 'records-vocabulary.js'];
}

/** Modules still in English: each must still have a literal (so this list only shrinks). */
const NOT_YET_TRANSLATED = new Set([]);

const STR = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\`(?:[^\`\\]|\\.)*\`)`;
// where a literal becomes visible text or a name read out by a screen reader
const SINKS = [
  String.raw`\btext:\s*` + STR,
  String.raw`\.textContent\s*=\s*` + STR,
  String.raw`\.title\s*=\s*` + STR,
  String.raw`\btitle:\s*` + STR,
  String.raw`\blabel:\s*` + STR,
  String.raw`'aria-label':\s*` + STR,
  String.raw`setAttribute\('(?:aria-label|title|placeholder)',\s*` + STR,
  String.raw`\bannounce\(\s*` + STR,
  String.raw`\b(?:button|hint)\(\s*` + STR,
  String.raw`\bel\('[a-z]+',\s*[^,()]+,\s*` + STR,
  String.raw`\breturn\s+` + STR + String.raw`\s*[;:]`,
].map((s) => new RegExp(s, 'g'));

/** A literal with a word in it (template parts inside ${} do not count). @param {string} lit */
const hasWords = (lit) => /\p{L}{2,}/u.test(lit.slice(1, -1).replace(/\$\{[^}]*\}/g, ''));

/** @param {string} src */
export function bypasses(src) {
  const code = src.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
  const out = [];
  for (const re of SINKS) for (const m of code.matchAll(re)) if (hasWords(m[1])) out.push(m[0]);
  return out;
}

test('i18n: no UI string literal bypasses chrome.i18n', () => {
  const offenders = [];
  for (const f of uiModules()) {
    if (NOT_YET_TRANSLATED.has(f)) continue;
    for (const hit of bypasses(readFileSync(join(ROOT, f), 'utf8'))) offenders.push(`${f}: ${hit}`);
  }
  assert.deepEqual(offenders, []);
});

test('i18n: the modules left in English still are (the list only shrinks)', () => {
  for (const f of NOT_YET_TRANSLATED) assert.ok(bypasses(readFileSync(join(ROOT, f), 'utf8')).length > 0, `${f} is translated: take it off the list`);
});

test('i18n: the scanner finds literals in every kind of place', () => {
  for (const src of ["h('p', { text: 'Hello there' })", 'el.textContent = `Paused ${x}`', "b.setAttribute('aria-label', 'Close')",
    "layer.announce('Saved')", "el('div', 'small', `Why: ${f.why}`)", "button('Ignore', 'ignore', fn)", "{ label: 'for today' }", "return 'Checking…';"]) {
    assert.equal(bypasses(src).length, 1, src);
  }
  for (const src of ["h('span', { text: t('cardWhy', why) })", "button('×', 'close', fn)", "{ text: '…' }", "return `${a}${b}`;"]) {
    assert.deepEqual(bypasses(src), [], src);
  }
});

test('i18n: every key used exists in English and Bulgarian, with the same placeholders', () => {
  const used = new Set();
  for (const f of [...uiModules(), 'i18n.js']) {
    const src = readFileSync(join(ROOT, f), 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/\bcounted\(\s*'([A-Za-z0-9_]+)'/g)) { used.add(`${m[1]}One`); used.add(`${m[1]}Many`); }
  }
  for (const page of PAGES) for (const [k] of htmlKeys(readPage(page))) used.add(k);
  for (const k of used) assert.ok(en[k], `${k} is not in _locales/en`);
  assert.deepEqual(Object.keys(bg).sort(), Object.keys(en).sort(), 'en and bg have the same keys');
  const holes = (/** @type {string} */ s) => [...s.matchAll(/\$\d/g)].map((m) => m[0]).sort().join();
  for (const k of Object.keys(en)) {
    assert.equal(holes(bg[k].message), holes(en[k].message), `${k}: placeholders differ`);
    if (!['extName', 'cardLabel', 'cardHead', 'chipLabel', 'confirmSentence', 'statusDown', 'panelSeverity'].includes(k)) {
      assert.notEqual(bg[k].message, en[k].message, `${k} is not translated to Bulgarian`);
    }
  }
});

test('i18n: the manifests name the default locale and take their name from it', () => {
  const chrome = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const firefox = JSON.parse(readFileSync(join(ROOT, 'manifest.firefox.json'), 'utf8'));
  assert.equal(chrome.default_locale, 'en');
  assert.equal(firefox.default_locale, 'en');
  assert.equal(chrome.name, '__MSG_extName__');
  assert.ok(en.extDescription.message.length <= 132, 'the Web Store cuts descriptions at 132 characters');
});

test('i18n: no message has $N$ (Chrome reads it as a named placeholder and refuses the extension)', () => {
  for (const [lang, msgs] of [['en', en], ['bg', bg]]) {
    for (const [k, m] of Object.entries(msgs)) assert.doesNotMatch(m.message, /\$\w+\$/, `${lang}/${k}`);
  }
});

// The extension pages' HTML: every visible text and every name read out (aria-label, title,
// placeholder, alt) has a key that localizePage (i18n.js) fills at load.
const PAGES = ['options/index.html', 'sidepanel/index.html', ...readdirSync(join(ROOT, 'learn')).filter((f) => f.endsWith('.html')).map((f) => `learn/${f}`)];
const NAMED = ['aria-label', 'title', 'placeholder', 'alt'];
const NOT_WORDS = new Set(['CODE', 'KBD', 'SCRIPT', 'STYLE']);   // commands and key caps read the same in every language
const PROPER_NAME = /^(PostGuard|X|Facebook|LinkedIn|Instagram)$/;

/** @param {string} page */
const readPage = (page) => parseHtml(readFileSync(join(ROOT, page), 'utf8'));

/** Text and named attributes with words but no key. @param {any} root @returns {string[]} */
export function untranslatedHtml(root) {
  const out = [];
  const walk = (/** @type {any} */ el) => {
    const keyed = el.getAttribute?.('data-i18n') != null;
    for (const c of el.childNodes) {
      if (c.nodeType === 3) {
        const s = c.data.replace(/\s+/g, ' ').trim();
        if (!keyed && /\p{L}{2,}/u.test(s) && !PROPER_NAME.test(s)) out.push(`<${el.tagName.toLowerCase()}> "${s}"`);
        continue;
      }
      for (const a of NAMED) {
        const v = c.getAttribute(a);
        if (v && /\p{L}{2,}/u.test(v) && c.getAttribute(`data-i18n-${a}`) == null) out.push(`<${c.tagName.toLowerCase()} ${a}="${v}">`);
      }
      if (!NOT_WORDS.has(c.tagName)) walk(c);
    }
  };
  walk(root);
  return out;
}

/** [key, the English the HTML carries] for every data-i18n* (children as $1..$n). @param {any} root */
function htmlKeys(root) {
  const out = [];
  for (const el of root.querySelectorAll('[data-i18n]')) {
    let n = 0;
    out.push([el.getAttribute('data-i18n'), el.childNodes.map((/** @type {any} */ c) => (c.nodeType === 3 ? c.data : `$${++n}`)).join('').replace(/\s+/g, ' ').trim()]);
  }
  for (const a of NAMED) for (const el of root.querySelectorAll(`[data-i18n-${a}]`)) out.push([el.getAttribute(`data-i18n-${a}`), el.getAttribute(a)]);
  return out;
}

test('i18n: no visible text or read-out name in the pages\' HTML lacks a key', () => {
  assert.ok(PAGES.length >= 4, PAGES.join());
  assert.deepEqual(PAGES.flatMap((p) => untranslatedHtml(readPage(p)).map((o) => `${p}: ${o}`)), []);
});

test('i18n: the HTML scan finds untranslated text and attributes', () => {
  const page = parseHtml('<html><body><h1>PostGuard</h1><p>Hello <code>./scripts/run</code></p><input placeholder="e.g. refund">'
    + '<button aria-label="Close" data-i18n="x">x</button><p data-i18n="ok">Fine <kbd>Tab</kbd></p><img alt=""></body></html>');
  assert.deepEqual(untranslatedHtml(page), ['<p> "Hello"', '<input placeholder="e.g. refund">', '<button aria-label="Close">']);
});

test('i18n: the HTML\'s English is the English message, and its children are the message\'s $1..$n', () => {
  for (const page of PAGES) {
    for (const [k, text] of htmlKeys(readPage(page))) assert.equal(en[k]?.message, text, `${page}: ${k}`);
  }
});

test('i18n: localizePage puts the Bulgarian words in and keeps the code, key caps and fields', () => {
  installLocale('bg');
  try {
    const root = readPage('options/index.html');
    Object.assign(root, { documentElement: root.children[0] });
    localizePage(root);
    const byId = (/** @type {string} */ id) => root.querySelector(`[id=${id}]`);
    assert.equal(byId('connect-heading')?.textContent, bg.pageOptConnect.message);
    assert.equal(byId('step-start')?.textContent, 'Стартирайте помощната програма с ./scripts/run (или postguard serve). Тя показва порта си и 8-цифрен код за сдвояване.');
    assert.deepEqual(byId('step-start')?.children.map((/** @type {any} */ c) => c.tagName), ['CODE', 'CODE']);
    assert.equal(byId('paired-row')?.children[0], byId('forget'));
    assert.equal(byId('forget')?.textContent, bg.pageOptForget.message);
    assert.equal(root.querySelector('title')?.textContent, bg.pageOptTitle.message);
    assert.equal(root.children[0].lang, 'bg');
    const panel = readPage('sidepanel/index.html');
    localizePage(panel);
    assert.equal(panel.querySelector('[id=search]')?.getAttribute('placeholder'), bg.pagePanelSearchHint.message);
    assert.equal(panel.querySelector('[id=reply-list]')?.getAttribute('aria-label'), bg.pagePanelReplies.message);
  } finally {
    installLocale('en');
  }
});
