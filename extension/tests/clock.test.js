import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockFor, clockText, spanText, targetMinutes, usableTargets } from '../sidepanel/clock.js';
import { wellFormedEvents } from '../records-vocabulary.js';

const TARGETS = [{ kind: 'question', within: '4h' }, { kind: 'complaint', within: '2h' }, { kind: 'review', within: '1 business day' }, { kind: 'press', within: 'soon' }];
const POSTED = '2026-03-02T09:00:00.000Z';
const at = (iso) => Date.parse(iso);

describe('response-time clock', () => {
  it('reads targets as the companion does: minutes, hours, days, a business day as 24 hours', () => {
    assert.deepEqual(['15m', '2h', '24 hours', '1 day', '1 business day', '2 business days', 'soon', ''].map(targetMinutes),
      [15, 120, 1440, 1440, 1440, 2880, null, null]);
    assert.deepEqual(usableTargets(TARGETS).map((t) => t.kind), ['complaint', 'question', 'review']);
  });

  it('counts against the most urgent target until the champion picks a kind', () => {
    const c = clockFor(POSTED, TARGETS, null, at('2026-03-02T09:30:00Z'));
    assert.deepEqual(c, { kind: 'complaint', targetMinutes: 120, ageMinutes: 30, leftMinutes: 90, state: 'ok' });
    assert.equal(clockText(c), 'Customer wrote 30 min ago; complaint target 2 h: 1 h 30 min left.');
    assert.equal(clockFor(POSTED, TARGETS, 'question', at('2026-03-02T09:30:00Z')).leftMinutes, 210);
    assert.equal(clockFor(POSTED, TARGETS, 'no-such-kind', at('2026-03-02T09:30:00Z')).kind, 'complaint');
  });

  it('says answer soon in the last quarter, then overdue by how much', () => {
    assert.equal(clockFor(POSTED, TARGETS, null, at('2026-03-02T10:40:00Z')).state, 'soon');
    const late = clockFor(POSTED, TARGETS, null, at('2026-03-02T14:05:00Z'));
    assert.equal(late.state, 'overdue');
    assert.equal(clockText(late), 'Customer wrote 5 h 5 min ago; complaint target 2 h: overdue by 3 h 5 min.');
  });

  it('has no clock without a time on the page or a usable target', () => {
    assert.equal(clockFor(null, TARGETS, null, Date.now()), null);
    assert.equal(clockFor('yesterday', TARGETS, null, Date.now()), null);
    assert.equal(clockFor(POSTED, [{ kind: 'press', within: 'soon' }], null, Date.now()), null);
  });

  it('spells spans out', () => {
    assert.deepEqual([0, 45, 60, 130, 1440, 3000].map(spanText), ['0 min', '45 min', '1 h', '2 h 10 min', '1 day', '2 days 2 h']);
  });

  it('sends answers with an https conversation and every field, nothing else', () => {
    const good = { event: 'reply_answered', reply_id: 'r', conversation: 'https://x.com/acme/status/1#t', kind: 'complaint',
      posted_at: POSTED, answered_at: '2026-03-02T09:30:00.000Z' };
    assert.deepEqual(wellFormedEvents([{ ...good, text: 'my draft' }]), [good]);
    assert.deepEqual(wellFormedEvents([{ ...good, conversation: 'javascript:alert(1)' }, { ...good, kind: undefined }]), []);
  });
});
