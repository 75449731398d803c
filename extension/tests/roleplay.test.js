import './locale.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answered, roleplayProgress, scenarios } from '../learn/roleplay-state.js';

test('roleplay: one scenario per practice message, with the reply made for it', () => {
  const list = scenarios([
    { id: 'refund', practice: ['I want my money back', 'Charged twice'] },
    { id: 'thanks' },                                   // a reply with no scenarios adds none
    { id: 'repair', practice: ['It broke'] },
  ]);
  assert.deepEqual(list.map((s) => [s.replyId, s.message, s.done]),
    [['refund', 'I want my money back', false], ['refund', 'Charged twice', false], ['repair', 'It broke', false]]);
});

test('roleplay: a reply with a critical finding does not answer; a warning or tip does', () => {
  assert.equal(answered([]), true);
  assert.equal(answered([{ severity: 'warning' }, { severity: 'info' }]), true);
  assert.equal(answered([{ severity: 'info' }, { severity: 'critical' }]), false);
});

test('roleplay: progress counts the answered scenarios', () => {
  const list = scenarios([{ id: 'a', practice: ['x', 'y'] }]);
  assert.equal(roleplayProgress(list), '0 of 2 answered');
  list[0].done = true;
  assert.equal(roleplayProgress(list), '1 of 2 answered');
  list[1].done = true;
  assert.equal(roleplayProgress(list), 'All 2 answered. Well done.');
});
