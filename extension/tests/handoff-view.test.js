import './locale.js';
// The side panel renders again at every answer from the companion; an element replaced between the
// press and the release loses the click. A list that shows the same as before keeps its elements (the
// lead "Send to <owner>" block brings what its links open up to date); a changed one is built anew.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Element, installDocument } from './minidom.js';

const doc = installDocument();
const byId = { handoff: new Element('section'), 'handoff-list': new Element('ul') };
Object.assign(doc, { getElementById: (/** @type {string} */ id) => byId[id] ?? null });
const { renderHandoff } = await import('../sidepanel/handoff-view.js');
const { renderMatrix } = await import('../sidepanel/matrix.js');

const LEGAL = { topic: 'legal_threat', title: 'Legal threat', owner: 'Legal', contact: 'legal@testco.example', respond_within: '4h', instructions: 'Do not reply.' };
const PRESS = { topic: 'press', title: 'Press', owner: 'Press office', contact: 'press@testco.example', respond_within: '1h', instructions: 'Say nothing.' };
const stateWith = (draft) => ({ pack: { escalation_matrix: [LEGAL, PRESS] }, report: { url: 'https://x.com/a/status/1', replyingTo: 'see you in court' }, handoffDraft: draft });
const links = () => byId['handoff-list'].querySelectorAll('a.handoff');

describe('the hand-off lead block', () => {
  it('keeps the same link elements across renders and refreshes what they open', () => {
    const state = stateWith(null);
    renderHandoff(state, new Map([['legal_threat', 'the message answered']]));
    const [first] = links();
    assert.equal(byId.handoff.hidden, false);
    assert.ok(first.href.startsWith('mailto:legal@testco.example'));
    assert.ok(!first.href.includes('my%20lawyer'));

    state.handoffDraft = 'talk to my lawyer';
    renderHandoff(state, new Map([['legal_threat', 'the message answered']]));
    assert.equal(links()[0], first, 'the same element: a click in progress still lands');
    assert.ok(first.href.includes('my%20lawyer'), 'the ticked draft is in what it opens');
  });

  it('builds new links when the flagged topics change, and hides the block when none is flagged', () => {
    const state = stateWith(null);
    renderHandoff(state, new Map([['legal_threat', 'the draft']]));
    const [legal] = links();
    renderHandoff(state, new Map([['legal_threat', 'the draft'], ['press', 'the draft']]));
    assert.deepEqual(links().map((a) => a.dataset.topic), ['legal_threat', 'press']);
    assert.notEqual(links()[0], legal);
    renderHandoff(state, new Map());
    assert.equal(links().length, 0);
    assert.equal(byId.handoff.hidden, true);
  });
});

describe('the escalation matrix', () => {
  it('keeps its rows while the rows and flagged topics stay the same', () => {
    const list = new Element('ol');
    const copy = () => {};
    assert.equal(renderMatrix(list, [LEGAL, PRESS], new Map([['press', 'the draft']]), copy), true);
    const [first] = list.children;
    assert.equal(renderMatrix(list, [LEGAL, PRESS], new Map([['press', 'the draft']]), copy), false);
    assert.equal(list.children[0], first);
    assert.equal(renderMatrix(list, [LEGAL, PRESS], new Map([['legal_threat', 'the draft']]), copy), true);
    assert.notEqual(list.children[0], first);
    assert.equal(list.children.length, 2);
  });
});
