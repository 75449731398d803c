import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAME_POST_MS, TYPED_REPLY, createAnswers } from '../content/answers.js';

const NOW = Date.parse('2026-03-02T09:40:00Z');
const POSTED = '2026-03-02T09:00:00.000Z';

/** A reply box as answers.js reads it: its text, the message it answers, when that was posted. */
function box({ text = 'Sorry about that, we will fix it today.', message = 'My router is broken again.', postedAt = POSTED, review = false } = {}) {
  const b = {
    el: /** @type {any} */ ({}),
    text,
    adapter: { readText: () => ({ text: b.text }) },
    spec: { selector: 'x', surface: () => 'reply', context: () => message, postedAt: () => postedAt, review: () => review },
  };
  return b;
}

function setup() {
  const sent = [];
  const clock = { now: NOW };
  const answers = createAnswers({ post: (events) => sent.push(...events), now: () => clock.now, pageUrl: () => 'https://x.com/acme/status/1' });
  return { sent, answers, clock };
}

describe('a typed answer posted', () => {
  it('is recorded once: reply id typed, the conversation key, the kind and times, never the text', () => {
    const { sent, answers } = setup();
    answers.posted(box());
    assert.deepEqual(sent, [{ event: 'reply_answered', reply_id: TYPED_REPLY, conversation: `https://x.com/acme/status/1#${POSTED}`,
      kind: 'complaint', posted_at: POSTED, answered_at: '2026-03-02T09:40:00.000Z' }]);
    assert.ok(!JSON.stringify(sent).includes('router') && !JSON.stringify(sent).includes('Sorry'));
  });

  it('counts one post seen twice within moments once; a later or different reply again', () => {
    const { sent, answers, clock } = setup();
    const b = box();
    answers.posted(b);
    clock.now += 1000;
    answers.posted(b);                // the site's key turned into a click on its button: the same post
    assert.equal(sent.length, 1);
    b.text = 'And here is a follow-up.';
    answers.posted(b);
    assert.equal(sent.length, 2);
    clock.now += SAME_POST_MS;
    answers.posted(b);                // the same words posted again later: another post
    assert.equal(sent.length, 3);
  });

  it('is not recorded again when the side panel inserted a canned reply there (the panel recorded it)', () => {
    const { sent, answers } = setup();
    const b = box();
    answers.inserted(b.el);
    answers.posted(b);
    answers.posted(b);                // a second click on Post with the same text
    assert.equal(sent.length, 0);
    b.text = 'A typed follow-up.';    // the next post from that box is typed
    answers.posted(b);
    assert.equal(sent.length, 1);
  });

  it('takes its kind from the customer message and the site review markup', () => {
    const { sent, answers } = setup();
    answers.posted(box({ message: 'Кога отваряте?' }));
    answers.posted(box({ message: 'Lovely people', review: true }));
    assert.deepEqual(sent.map((e) => e.kind), ['question', 'review']);
  });

  it('records nothing for an empty box or a conversation without a time on the page', () => {
    const { sent, answers } = setup();
    answers.posted(box({ text: '   ' }));
    answers.posted(box({ postedAt: null }));
    assert.deepEqual(sent, []);
  });
});
