import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampSpan, pointAt, readTree } from '../content/editors/textmap.js';
import { h, t } from './fakedom.js';

/** Slice the DOM between two points (same or different text nodes) through the map, as a Range would. */
function domSlice(map, start, end) {
  const a = pointAt(map, start, 'start');
  const b = pointAt(map, end, 'end');
  const segs = map.segments;
  const ia = segs.findIndex((s) => s.node === a.node);
  const ib = segs.findIndex((s) => s.node === b.node);
  if (ia === ib) return a.node.data.slice(a.offset, b.offset);
  let out = a.node.data.slice(a.offset);
  for (let i = ia + 1; i < ib; i += 1) out += (segs[i].start > segs[i - 1].end ? '\n' : '') + segs[i].node.data;
  return out + (segs[ib].start > segs[ib - 1].end ? '\n' : '') + b.node.data.slice(0, b.offset);
}

describe('readTree: text as sent', () => {
  it('joins paragraphs with one newline', () => {
    const root = h('div', [h('p', ['Hello']), h('p', ['world'])]);
    assert.equal(readTree(root).text, 'Hello\nworld');
  });

  it('keeps empty lines (empty block = <p><br></p>)', () => {
    const root = h('div', [h('p', ['a']), h('p', [h('br')]), h('p', ['b'])]);
    assert.equal(readTree(root).text, 'a\n\nb');
  });

  it('an empty editor reads as ""', () => {
    assert.equal(readTree(h('div', [h('p', [h('br')])])).text, '');
    assert.equal(readTree(h('div')).text, '');
  });

  it('a <br> inside a line is a newline, the trailing caret <br> is not', () => {
    assert.equal(readTree(h('div', [h('p', ['a', h('br'), 'b'])])).text, 'a\nb');
    assert.equal(readTree(h('div', [h('p', ['abc', h('br'), h('br')])])).text, 'abc\n'); // Lexical: line break at end
    assert.equal(readTree(h('div', [h('p', ['abc', h('br', { class: 'ProseMirror-trailingBreak' })])])).text, 'abc');
  });

  it('reads Draft.js block structure', () => {
    const block = (txt) => h('div', { 'data-block': 'true' }, [
      h('div', { class: 'public-DraftStyleDefault-block' }, [
        h('span', { 'data-offset-key': 'k' }, [txt ? h('span', { 'data-text': 'true' }, [txt]) : h('br', { 'data-text': 'true' })]),
      ]),
    ]);
    const root = h('div', { class: 'public-DraftEditor-content' }, [h('div', { 'data-contents': 'true' }, [block('one'), block(''), block('two')])]);
    assert.equal(readTree(root).text, 'one\n\ntwo');
  });

  it('nested blocks (li > p) make one line each', () => {
    const root = h('div', [h('ul', [h('li', [h('p', ['x'])]), h('li', [h('p', ['y'])])]), h('p', ['z'])]);
    assert.equal(readTree(root).text, 'x\ny\nz');
  });

  it('inline formatting does not break lines; several text nodes join', () => {
    const root = h('div', [h('p', ['We ', h('strong', ['launch']), ' ', h('a', ['Falcon Ridge']), '!'])]);
    const map = readTree(root);
    assert.equal(map.text, 'We launch Falcon Ridge!');
    assert.equal(map.segments.length, 5);
  });

  it('skips what the profile says is not text', () => {
    const root = h('div', [h('p', ['ab', h('span', { class: 'ql-cursor' }, ['\uFEFF']), 'cd'])]);
    const map = readTree(root, { skip: (el) => el.classList.contains('ql-cursor') });
    assert.equal(map.text, 'abcd');
  });

  it('never reads scripts, images or buttons', () => {
    const root = h('div', [h('p', ['a', h('img'), h('script', ['x=1']), h('button', ['Send']), 'b'])]);
    assert.equal(readTree(root).text, 'ab');
  });

  it('turns NBSP into a space (same length)', () => {
    const map = readTree(h('div', [h('p', ['a\u00a0\u00a0b'])]));
    assert.equal(map.text, 'a  b');
  });

  it('text directly in the root, then a block', () => {
    assert.equal(readTree(h('div', ['top', h('div', ['inner'])])).text, 'top\ninner');
  });

  it('applies a textRange (Draft soft-newline helper)', () => {
    const root = h('div', [h('p', ['abc\n\n'])]);
    const map = readTree(root, { textRange: (n) => [0, n.data.endsWith('\n\n') ? n.data.length - 1 : n.data.length] });
    assert.equal(map.text, 'abc\n');
  });
});

describe('pointAt: UTF-16 offsets back to DOM points', () => {
  it('maps offsets inside one text node', () => {
    const root = h('div', [h('p', ['Hello Falcon Ridge'])]);
    const map = readTree(root);
    const p = pointAt(map, 6, 'start');
    assert.equal(p.offset, 6);
    assert.equal(domSlice(map, 6, 18), 'Falcon Ridge');
  });

  it('counts emoji as two code units before a match', () => {
    const text = 'Hi 👋🏽 team, Falcon Ridge ships';
    const map = readTree(h('div', [h('p', [text])]));
    const start = text.indexOf('Falcon'); // UTF-16 index, what the companion returns
    assert.equal(start, 14);
    assert.equal(domSlice(map, start, start + 12), 'Falcon Ridge');
  });

  it('handles combining marks before and inside a match', () => {
    const text = 'Cafe\u0301 news: Fa\u0301lcon Ridge'; // é as e + U+0301; á inside the match
    const map = readTree(h('div', [h('p', [text])]));
    const start = text.indexOf('Fa\u0301lcon');
    assert.equal(domSlice(map, start, text.length), 'Fa\u0301lcon Ridge');
  });

  it('maps across blocks and text nodes', () => {
    const root = h('div', [
      h('p', ['🎉 First line']),
      h('p', [h('br')]),
      h('p', ['Project ', h('b', ['Falcon']), ' Ridge 🚀 soon']),
    ]);
    const map = readTree(root);
    assert.equal(map.text, '🎉 First line\n\nProject Falcon Ridge 🚀 soon');
    const s = map.text.indexOf('Falcon');
    const e = s + 'Falcon Ridge'.length;
    const a = pointAt(map, s, 'start');
    const b = pointAt(map, e, 'end');
    assert.equal(a.node.data, 'Falcon');
    assert.equal(a.offset, 0);
    assert.equal(b.node.data, ' Ridge 🚀 soon');
    assert.equal(b.offset, 6);
    assert.equal(domSlice(map, s, e), 'Falcon Ridge');
  });

  it('a span starting at a node boundary starts in the next node; ending there ends in the previous', () => {
    const map = readTree(h('div', [h('p', ['ab', h('b', ['cd'])])]));
    const a = pointAt(map, 2, 'start');
    const b = pointAt(map, 2, 'end');
    assert.equal(a.node.data, 'cd');
    assert.equal(a.offset, 0);
    assert.equal(b.node.data, 'ab');
    assert.equal(b.offset, 2);
  });

  it('an offset on a line break goes to the next line (start) or the previous line (end)', () => {
    const map = readTree(h('div', [h('p', ['ab']), h('p', ['cd'])]));
    assert.equal(map.text[2], '\n');
    const a = pointAt(map, 2, 'start'); // a span starting with the "\n" starts on the next line
    assert.deepEqual([a.node.data, a.offset], ['cd', 0]);
    const a3 = pointAt(map, 3, 'start');
    assert.deepEqual([a3.node.data, a3.offset], ['cd', 0]);
    const b3 = pointAt(map, 3, 'end');
    assert.deepEqual([b3.node.data, b3.offset], ['ab', 2]);
  });

  it('offsets past the end clamp to the end; empty text has no point', () => {
    const map = readTree(h('div', [h('p', ['abc'])]));
    assert.equal(pointAt(map, 99, 'end').offset, 3);
    assert.equal(pointAt(readTree(h('div')), 0, 'start'), null);
  });

  it('respects a segment that starts inside its node (textRange)', () => {
    const map = readTree(h('div', [h('p', ['xxabc'])]), { textRange: () => [2, 5] });
    assert.equal(map.text, 'abc');
    assert.equal(pointAt(map, 1, 'start').offset, 3);
  });
});

describe('clampSpan', () => {
  it('never splits a surrogate pair', () => {
    const text = 'a😀b';
    assert.deepEqual(clampSpan(text, 2, 3), [1, 3]);
    assert.deepEqual(clampSpan(text, 1, 2), [1, 3]);
    assert.deepEqual(clampSpan(text, -5, 99), [0, 4]);
  });
});
