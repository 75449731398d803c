import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

globalThis.requestAnimationFrame ??= (cb) => setTimeout(cb, 1);
const { applySuggestion } = await import('../content/box-edits.js');
const { t } = await import('../i18n.js');

/**
 * A box over a fake editor whose `replace` is given by the test: the editor's text lives in `state.text`.
 * @param {string} text @param {(state: {text: string}, start: number, end: number, s: string, call: number) => void} replace
 */
function fakeBox(text, replace) {
  const state = { text, calls: 0 };
  const said = [];
  const unsafe = [];
  const box = {
    el: {},
    busy: false,
    insertionAllowed: true,
    markDirty() {},
    adapter: {
      kind: 'fake',
      readText: () => ({ text: state.text, segments: [] }),
      async replace(_el, start, end, s) { replace(state, start, end, s, state.calls++); return 'fake'; },
      async insertAtEnd(_el, s) { state.text += s; return 'fake'; },
    },
    env: { stats: {}, layer: { announce: (m) => said.push(m) }, editing: { markUnsafe: (r) => unsafe.push(r) } },
  };
  return { box, state, said, unsafe };
}

const DRAFT = 'Big news 🎉: Falcon Ridge ships soon';
const finding = {
  start: DRAFT.indexOf('Falcon Ridge'), end: DRAFT.indexOf('Falcon Ridge') + 12,
  suggestions: [{ label: 'Say “our next blender” instead', replacement: 'our next blender' }],
};
const exact = (state, start, end, s) => { state.text = state.text.slice(0, start) + s + state.text.slice(end); };

describe('perform: an edit is verified, and one that lands wrong is put back', () => {
  it('a suggestion that lands is applied and editing stays on', async () => {
    const { box, state, said, unsafe } = fakeBox(DRAFT, exact);
    assert.equal(await applySuggestion(box, finding, 0), true);
    assert.equal(state.text, 'Big news 🎉: our next blender ships soon');
    assert.deepEqual(unsafe, []);
    assert.deepEqual(said, [t('editApplied')]);
  });

  it('a paste that lands at the start of the box is undone: the user gets their text back', async () => {
    // the first call misplaces the paste (the editor had not seen the new selection); later calls are exact
    const { box, state, said, unsafe } = fakeBox(DRAFT, (st, start, end, s, call) => {
      if (call === 0) st.text = s + st.text; else exact(st, start, end, s);
    });
    assert.equal(await applySuggestion(box, finding, 0), false);
    assert.equal(state.text, DRAFT);
    assert.equal(unsafe.length, 1);
    assert.deepEqual(said.slice(0, 1), [t('editPutBack')]);
  });

  it('an adapter that refuses (its selection did not hold) leaves the text untouched', async () => {
    const { box, state, said, unsafe } = fakeBox(DRAFT, () => { throw new Error('the selection did not hold'); });
    assert.equal(await applySuggestion(box, finding, 0), false);
    assert.equal(state.text, DRAFT);
    assert.equal(unsafe.length, 1);
    assert.ok(!said.includes(t('editPutBack')) && !said.includes(t('editLeftChanged')));
  });

  it('what the user typed meanwhile is never undone: only a change that is exactly the edit is put back', async () => {
    // the edit lands, but the user types a letter before the check reads the text again
    const { box, state, said } = fakeBox(DRAFT, (st, start, end, s) => { exact(st, start, end, s); st.text += '!'; });
    assert.equal(await applySuggestion(box, finding, 0), false);
    assert.equal(state.text, 'Big news 🎉: our next blender ships soon!');
    assert.ok(said.includes(t('editLeftChanged')));
  });

  it('when even the undo does not land, the user is told to check the text', async () => {
    const { box, state, said } = fakeBox(DRAFT, (st, start, end, s, call) => { if (call === 0) st.text = s + st.text; });
    assert.equal(await applySuggestion(box, finding, 0), false);
    assert.equal(state.text, `our next blender${DRAFT}`);
    assert.ok(said.includes(t('editLeftChanged')));
  });
});
