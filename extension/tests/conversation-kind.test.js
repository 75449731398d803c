import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MESSAGE_KINDS, conversationKind } from '../conversation-kind.js';

describe('conversation kind from the customer message', () => {
  it('a review: stars, a rating, rating words or the site review markup', () => {
    for (const m of ['★★★★★ great service', 'Gave it 2/5, the app crashes', '4 stars, would buy again',
      'Honest review: fine.', 'I would recommend NimbusCo to anyone', '5 звезди, препоръчвам!', 'Моето ревю: добре е'])
      assert.equal(conversationKind(m), 'review', m);
    assert.equal(conversationKind('Thanks for the quick fix', { reviewMarkup: true }), 'review');
  });

  it('a question: a question mark or question words, English and Bulgarian', () => {
    for (const m of ['Is my order on its way?', 'How do I reset my router', 'anyone know the opening hours',
      'Кога отваряте в неделя', 'Може ли да сменя адреса', 'Защо таксата е по-висока?', 'Why is my router broken?'])
      assert.equal(conversationKind(m), 'question', m);
  });

  it('a complaint when it criticises without asking, else a question', () => {
    for (const m of ['My router is broken again. Third time this month.', 'Still waiting for my refund, unacceptable.',
      'Рутерът ми пак не работи.', 'Ужасно обслужване, никой не отговаря.', 'Поръчката закъснява с една седмица.'])
      assert.equal(conversationKind(m), 'complaint', m);
    for (const m of ['Hello @nimbusco', 'Здравейте', '', null, undefined])
      assert.equal(conversationKind(m), 'question', String(m));
  });

  it('does not read words inside other words (Cyrillic too)', () => {
    assert.equal(conversationKind('The bad-weather notice said nothing'), 'complaint');  // "bad" is a word here
    assert.equal(conversationKind('Badminton club update'), 'question');                  // not "bad"
    assert.equal(conversationKind('Какаото беше вкусно'), 'question');                    // not "как", and no criticism
    assert.equal(conversationKind('Благодаря за помощта'), 'question');
  });

  it('only ever answers one of the three kinds', () => {
    assert.deepEqual([...MESSAGE_KINDS].sort(), ['complaint', 'question', 'review']);
  });
});
