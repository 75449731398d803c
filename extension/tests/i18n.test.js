// @ts-check
// Every word of the UI goes through chrome.i18n (i18n.js): the keys used exist in English and
// Bulgarian with the same $1..$9, and no UI module puts a word on screen (text, textContent, labels,
// titles, aria-labels, announcements, buttons) from a string literal that bypasses t().
import './locale.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMessages } from './locale.js';

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
