import './locale.js';
// The pack's platform guidance where people write: the worker answers a content script with the
// lines of one platform, the card's summary view shows them under "On <site>:".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Element, installDocument } from './minidom.js';

const doc = installDocument();
const { createCard } = await import('../content/overlay/card.js');
const { createHandlers } = await import('../background/handlers.js');
const { guidanceLines, guidanceTitle } = await import('../guidance.js');

const PACK = { platforms: { x: { limit: 280, guidance: ['Reply from @TestCoHelp.', '  ', 7] }, facebook: { limit: 63206, guidance: [] } } };

describe('platform guidance', () => {
  it('keeps the lines of one platform, strings only', () => {
    assert.deepEqual(guidanceLines(PACK, 'x'), ['Reply from @TestCoHelp.']);
    assert.deepEqual(guidanceLines(PACK, 'facebook'), []);
    assert.deepEqual(guidanceLines(PACK, 'linkedin'), []);
    assert.deepEqual(guidanceLines(null, 'x'), []);
    assert.equal(guidanceTitle('linkedin'), 'On LinkedIn:');
  });

  it('the worker answers one platform\'s lines and refuses an unknown one', async () => {
    const handlers = createHandlers({
      client: /** @type {any} */ ({ pack: async () => PACK }), settings: /** @type {any} */ ({ get: async () => ({}) }),
      local: /** @type {any} */ ({}), session: /** @type {any} */ ({}), extensionOrigin: 'chrome-extension://x/',
    });
    assert.deepEqual(await handlers.getGuidance({ kind: 'getGuidance', platform: 'x' }, /** @type {any} */ ({})), { ok: true, lines: ['Reply from @TestCoHelp.'] });
    assert.equal((await handlers.getGuidance({ kind: 'getGuidance', platform: 'myspace' }, /** @type {any} */ ({}))).error.code, 'bad_request');
  });

  it('the card\'s summary shows them, and nothing when there are none', () => {
    for (const lines of [['Reply from @TestCoHelp.', 'Keep links official.'], []]) {
      const cards = new Element('div');
      const layer = /** @type {any} */ ({ cards, shadow: { get activeElement() { return doc.activeElement; } }, announce: () => {} });
      const card = createCard(layer, { actions: { pauseAllowed: () => true, pauseSite: () => {}, openSidePanel: () => {}, guidance: () => lines } });
      card.showSummary(/** @type {any} */ ({ el: new Element('div'), siteName: 'X', shown: [], referrals: [], statusText: 'No problems found',
        packText: '', insertionAllowed: true, unsafeNote: '', stale: false, staleNote: '', setActive: () => {} }));
      const block = cards.children[0].querySelector('.guidance');
      if (!lines.length) { assert.equal(block, null); continue; }
      assert.equal(block.querySelector('.why').textContent, 'On X:');
      assert.deepEqual(block.querySelectorAll('li').map((li) => li.textContent), lines);
    }
  });
});
