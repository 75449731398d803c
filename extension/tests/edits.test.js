import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, diffRegion, ignoreKey, planEdit, rebaseFindings } from '../content/edits.js';

const span = (text, word) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length });
const apply = (text, f, s) => applyEdit(text, planEdit(text, f, s));

describe('planEdit / applyEdit: suggestions applied to a string', () => {
  it('replaces the span', () => {
    const t = 'Big news: Falcon Ridge ships';
    assert.equal(apply(t, span(t, 'Falcon Ridge'), { label: 'x', replacement: 'our next blender' }), 'Big news: our next blender ships');
  });
  it('replaces after emoji (UTF-16 offsets)', () => {
    const t = 'Hi 👋🏽 🎉 Falcon Ridge!';
    const f = span(t, 'Falcon Ridge');
    assert.equal(f.start, 11); // 'Hi ' 3 + 👋🏽 4 + ' ' 1 + 🎉 2 + ' ' 1
    assert.equal(apply(t, f, { label: 'x', replacement: 'it' }), 'Hi 👋🏽 🎉 it!');
  });
  it('a removal takes one neighbouring space', () => {
    const t = 'We launch Falcon Ridge soon';
    assert.equal(apply(t, span(t, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), 'We launch soon');
    const end = 'We launch Falcon Ridge';
    assert.equal(apply(end, span(end, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), 'We launch');
    const punct = 'We launch Falcon Ridge.';
    assert.equal(apply(punct, span(punct, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), 'We launch.');
    const start = 'Falcon Ridge ships';
    assert.equal(apply(start, span(start, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), 'ships');
    const line = 'Hello\nFalcon Ridge ships';
    assert.equal(apply(line, span(line, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), 'Hello\nships');
    const glued = '(Falcon Ridge)';
    assert.equal(apply(glued, span(glued, 'Falcon Ridge'), { label: 'Remove', replacement: '' }), '()');
  });
  it('an insert goes at the end, with its own leading whitespace', () => {
    const t = 'My TestCo Blender is great';
    const s = { label: 'Add the disclosure line', insert: '\n\nI work at TestCo; views are my own.' };
    const e = planEdit(t, span(t, 'TestCo Blender'), s);
    assert.deepEqual(e, { start: t.length, end: t.length, text: s.insert });
    assert.equal(applyEdit(t, e), `${t}\n\nI work at TestCo; views are my own.`);
  });
  it('nothing to do for a suggestion with neither replacement nor insert, or a bad span', () => {
    assert.equal(planEdit('abc', { start: 0, end: 1 }, { label: 'Leave out the time' }), null);
    assert.equal(planEdit('abc', { start: 2, end: 9 }, { label: 'x', replacement: '' }), null);
  });
});

describe('diffRegion', () => {
  it('finds the one changed region', () => {
    assert.deepEqual(diffRegion('hello world', 'hello brave world'), { start: 6, oldEnd: 6, newEnd: 12 });
    assert.deepEqual(diffRegion('abc', 'abc'), { start: 3, oldEnd: 3, newEnd: 3 });
    assert.deepEqual(diffRegion('aXc', 'aYYc'), { start: 1, oldEnd: 2, newEnd: 3 });
  });
});

describe('rebaseFindings: underlines follow typing until the next answer', () => {
  const text = 'We launch Falcon Ridge soon';
  const f = { id: 'f', ...span(text, 'Falcon Ridge') };
  it('typing before the finding shifts it (emoji count as two units)', () => {
    const next = `🎉 ${text}`;
    const [g] = rebaseFindings(text, next, [f]);
    assert.equal(next.slice(g.start, g.end), 'Falcon Ridge');
  });
  it('typing after it leaves it alone, also a space right after it', () => {
    assert.deepEqual(rebaseFindings(text, `${text}!!`, [f]), [f]);
    const t2 = 'We launch Falcon Ridge';
    const f2 = { id: 'f', ...span(t2, 'Falcon Ridge') };
    assert.deepEqual(rebaseFindings(t2, `${t2} `, [f2]), [f2]);
  });
  it('letters glued to either end, or edits inside, drop it until the next check', () => {
    const t2 = 'We launch Falcon Ridge';
    const f2 = { id: 'f', ...span(t2, 'Falcon Ridge') };
    assert.deepEqual(rebaseFindings(t2, `${t2}s`, [f2]), []);
    assert.deepEqual(rebaseFindings(text, text.replace('Falcon', 'Falkon'), [f]), []);
    assert.deepEqual(rebaseFindings(text, text.replace('launch Falcon', 'launch XFalcon'), [f]), []);
  });
  it('a space typed right before it shifts it', () => {
    const next = text.replace(' Falcon', '  Falcon');
    const [g] = rebaseFindings(text, next, [f]);
    assert.equal(next.slice(g.start, g.end), 'Falcon Ridge');
  });
  it('deleting text before it shifts it back', () => {
    const next = text.replace('We launch ', '');
    const [g] = rebaseFindings(text, next, [f]);
    assert.deepEqual([g.start, g.end], [0, 12]);
  });
});

describe('ignoreKey', () => {
  it('is per box, rule and words (case-insensitive)', () => {
    const a = ignoreKey('x|post|Post text', { rule: 'conf.falcon-ridge', excerpt: 'Falcon Ridge' });
    assert.equal(a, ignoreKey('x|post|Post text', { rule: 'conf.falcon-ridge', excerpt: 'falcon ridge' }));
    assert.notEqual(a, ignoreKey('x|reply|Post text', { rule: 'conf.falcon-ridge', excerpt: 'Falcon Ridge' }));
    assert.notEqual(a, ignoreKey('x|post|Post text', { rule: 'other', excerpt: 'Falcon Ridge' }));
  });
});

describe('padded: an insert never sticks to the text around it', () => {
  it('adds a space only where a word would touch', async () => {
    const { padded } = await import('../content/edits.js');
    assert.equal(padded('Hi Priya, …', 'Thanks Priya!', ''), ' Hi Priya, …');
    assert.equal(padded('Hi', 'Dear Sam. ', 'Best'), 'Hi ');
    assert.equal(padded('Hi', '', ''), 'Hi');
    assert.equal(padded('Hi', 'a\n', '\nb'), 'Hi');
    assert.equal(padded('https://x.example', 'see', '!'), ' https://x.example');
  });
});
