import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecorder } from '../background/records.js';
import { createHandlers } from '../background/handlers.js';
import { createSettingsStore } from '../background/settings.js';
import { createRecords } from '../content/records.js';
import { KIND } from '../protocol.js';
import { MAX_RECORD_EVENTS, WRONG_REASONS, wellFormedEvents } from '../records-vocabulary.js';
import { memoryArea } from './fakechrome.js';

const finding = (rule, excerpt, category = 'confidential') => ({ rule, category, excerpt, _slice: excerpt, id: rule, severity: 'critical', start: 0, end: 1, message: 'm', why: '', suggestions: [] });

describe('content records', () => {
  it('counts a finding as shown once per box and words, again after the box was emptied', () => {
    const sent = [];
    const r = createRecords({ post: (events) => sent.push(...events) });
    r.shown('x|post|a', [finding('conf.a', 'Falcon'), finding('base.b', 'alone', 'safety')]);
    r.shown('x|post|a', [finding('conf.a', 'Falcon')]);
    r.shown('x|post|b', [finding('conf.a', 'Falcon')]);
    assert.deepEqual(sent.map((e) => e.rule), ['conf.a', 'base.b', 'conf.a']);
    r.cleared('x|post|a');
    r.shown('x|post|a', [finding('conf.a', 'Falcon')]);
    assert.equal(sent.length, 4);
  });

  it('sends only rule ids, categories and reason keys, never the words', () => {
    const sent = [];
    const r = createRecords({ post: (events) => sent.push(...events) });
    const f = finding('conf.a', 'Zqx7 secret words');
    r.shown('k', [f]); r.fixed(f); r.ignored(f); r.wrong(f, 'wrong_words'); r.wrong(f, null);
    r.overridden([f, f, finding('base.b', 'x', 'safety')]);
    assert.deepEqual(sent.map((e) => e.event), ['shown', 'fixed', 'ignored', 'wrong', 'wrong', 'overridden', 'overridden']);
    assert.ok(!JSON.stringify(sent).includes('Zqx7'));
    assert.deepEqual(sent[3], { event: 'wrong', rule: 'conf.a', category: 'confidential', reason: 'wrong_words' });
    assert.deepEqual(sent[4], { event: 'wrong', rule: 'conf.a', category: 'confidential' });
  });
});

describe('worker recorder', () => {
  it('drops malformed events and unknown fields, and batches the rest in one request', async () => {
    const bodies = [];
    let tick = null;
    const rec = createRecorder({ send: async (b) => { bodies.push(b); }, setTimer: (fn) => { tick = fn; return 1; } });
    assert.equal(rec.add([{ event: 'fixed', rule: 'r', category: 'c', excerpt: 'secret' }, { event: 'typed', text: 'x' }, 5]), 1);
    assert.equal(rec.add([{ event: 'wrong', rule: 'r', category: 'c', reason: 'free text here' }, { event: 'site_paused', site: 'x' }]), 2);
    tick();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(bodies, [{ events: [{ event: 'fixed', rule: 'r', category: 'c' }, { event: 'wrong', rule: 'r', category: 'c' }, { event: 'site_paused', site: 'x' }] }]);
  });

  it('splits a long queue and survives a companion that is away', async () => {
    let calls = 0;
    const rec = createRecorder({ send: async () => { calls += 1; throw new Error('away'); }, setTimer: () => 1 });
    rec.add(Array.from({ length: MAX_RECORD_EVENTS + 1 }, () => ({ event: 'shown', rule: 'r', category: 'c' })));
    await rec.flush();
    assert.equal(calls, 2);
  });

  it('keeps only the fixed reason keys', () => {
    assert.deepEqual(wellFormedEvents(WRONG_REASONS.map((r) => ({ event: 'wrong', rule: 'r', category: 'c', reason: r.key }))).map((e) => e.reason),
      WRONG_REASONS.map((r) => r.key));
  });
});

describe('record handler', () => {
  it('queues events and counts pauses and resumes', async () => {
    const local = memoryArea();
    const added = [];
    const handlers = createHandlers({
      client: /** @type {any} */ ({}), settings: createSettingsStore({ managed: memoryArea(), local, session: memoryArea() }),
      local, session: memoryArea(), extensionOrigin: 'chrome-extension://abc/', now: () => 42,
      records: { add: (events) => { added.push(...wellFormedEvents(events)); return wellFormedEvents(events).length; } },
    });
    assert.deepEqual(await handlers[KIND.record]({ events: [{ event: 'ignored', rule: 'r', category: 'c' }] }, {}), { ok: true, queued: 1 });
    await handlers[KIND.setSitePaused]({ site: 'x', paused: true, duration: 'hour' }, {});
    await handlers[KIND.setSitePaused]({ site: 'x', paused: false }, {});
    assert.deepEqual(added.map((e) => e.event), ['ignored', 'site_paused', 'site_resumed']);
  });
});
