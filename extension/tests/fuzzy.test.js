// @ts-check
import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { osaDistance, scoreReply } from '../sidepanel/fuzzy.js';

const repair = { title: 'Repair or dealer problem', category: 'unhappy_customer', topics: ['repair', 'broken', 'dealer'], text: "Hi {customer_name}, sorry it's giving you trouble! Our repair team can help: {link:repairs}" };
const apology = { title: 'Long apology', category: 'unhappy_customer', topics: [], text: 'Hi {customer_name}, we are truly sorry for the trouble with your order. Our repair team will look at it.' };
const order = { title: 'Order follow-up', category: 'order_status', topics: ['order', 'delivery'], text: 'About order {order_ref}' };

describe('side panel search', () => {
  it('an empty query keeps everything', () => {
    assert.equal(scoreReply('', repair), 1);
    assert.equal(scoreReply('  ', order), 1);
  });
  it('every word must match somewhere; title beats text', () => {
    assert.ok(scoreReply('dealer', repair) > 0);
    assert.equal(scoreReply('dealer', apology), 0);
    assert.ok(scoreReply('apology', apology) > scoreReply('repair', apology));
    assert.equal(scoreReply('repair zebra', repair), 0);
  });
  it('prefixes, subsequences and typos', () => {
    assert.ok(scoreReply('rep', repair) > 0);
    assert.ok(scoreReply('rpr', repair) > 0); // subsequence of "repair"
    assert.ok(scoreReply('delaer', repair) > 0); // swapped letters
    assert.ok(scoreReply('repar delaer', repair) > 0);
    assert.equal(scoreReply('repar delaer', apology), 0);
    assert.ok(scoreReply('follow', order) > scoreReply('follow', repair));
  });
  it('categories and topics are searchable, accents folded', () => {
    assert.ok(scoreReply('unhappy customer', repair) > 0);
    assert.ok(scoreReply('délivery', order) > 0);
  });
  it('osaDistance', () => {
    assert.equal(osaDistance('dealer', 'delaer', 2), 1);
    assert.equal(osaDistance('repair', 'repar', 2), 1);
    assert.equal(osaDistance('abc', 'xyz', 1), 2);
  });
});
