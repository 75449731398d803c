import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChecker } from '../content/checker.js';

/** Manual clock: timers run only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let id = 0;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { id += 1; pending.set(id, { fn, at: now + ms }); return id; },
    clearTimeout(i) { pending.delete(i); },
    advance(ms) {
      now += ms;
      for (const [i, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) { pending.delete(i); t.fn(); }
      }
    },
    get count() { return pending.size; },
  };
}

/** A send() whose answers the test releases by hand. */
function deferredSend() {
  const calls = [];
  const send = (req) => new Promise((resolve) => calls.push({ req, resolve }));
  return { send, calls };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('createChecker', () => {
  it('waits for a quiet period: one check after a burst of typing', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    let current = '';
    const results = [];
    const c = createChecker({ send, current: () => current, onResult: (r, q) => results.push([r, q.text]), delay: 280, timers });
    for (const t of ['F', 'Fa', 'Fal', 'Falc']) { current = t; c.schedule({ text: t, platform: 'x' }); timers.advance(100); }
    assert.equal(calls.length, 0); // never 280 ms of quiet yet
    timers.advance(180);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].req.text, 'Falc');
    calls[0].resolve({ ok: true, findings: [] });
    await tick();
    assert.deepEqual(results, [[{ ok: true, findings: [] }, 'Falc']]);
  });

  it('drops an answer for text that changed meanwhile', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    let current = 'Falcon Ridge';
    const results = [];
    const c = createChecker({ send, current: () => current, onResult: (r, q) => results.push(q.text), timers });
    c.schedule({ text: current, platform: 'x' });
    timers.advance(300);
    current = 'Falcon Ridge is'; // typed while the answer was on its way
    calls[0].resolve({ ok: true, findings: [{ id: 'a' }] });
    await tick();
    assert.deepEqual(results, []);
  });

  it('keeps one check in flight: the newest request waits for it, the ones between are skipped', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    let current = 'one';
    const results = [];
    const c = createChecker({ send, current: () => current, onResult: (r, q) => results.push(q.text), timers });
    c.schedule({ text: 'one', platform: 'x' });
    timers.advance(300);
    for (const t of ['two', 'three']) { current = t; c.schedule({ text: t, platform: 'x' }); timers.advance(300); }
    assert.equal(calls.length, 1); // "two" and "three" came due while "one" was in flight
    calls[0].resolve({ ok: true, findings: [] });
    await tick();
    assert.deepEqual(results, []); // "one" is stale now
    assert.deepEqual(calls.map((x) => x.req.text), ['one', 'three']); // only the newest went next
    calls[1].resolve({ ok: true, findings: [] });
    await tick();
    assert.deepEqual(results, ['three']);
  });

  it('checks soon after a finished word and waits longer mid-word', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    let current = '';
    const c = createChecker({ send, current: () => current, onResult: () => {}, delay: 150, boundaryDelay: 60, timers });
    current = 'alone at the dep';
    c.schedule({ text: current, platform: 'x' });
    timers.advance(100);
    assert.equal(calls.length, 0); // mid-word: 150 ms
    current = 'alone at the depot ';
    c.schedule({ text: current, platform: 'x' });
    timers.advance(60);
    assert.equal(calls.length, 1); // the word is finished: 60 ms
    assert.equal(calls[0].req.text, 'alone at the depot ');
  });

  it('answers an unchanged request from its cache, without sending', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    let current = 'abc';
    const results = [];
    const c = createChecker({ send, current: () => current, onResult: (r, q) => results.push(q.text), timers });
    c.schedule({ text: 'abc', platform: 'x' });
    timers.advance(300);
    calls[0].resolve({ ok: true, findings: [] });
    await tick();
    current = 'abcd';
    c.schedule({ text: 'abcd', platform: 'x' });
    timers.advance(300);
    current = 'abc'; // undo
    c.schedule({ text: 'abc', platform: 'x' });
    timers.advance(300);
    await tick();
    assert.equal(calls.length, 2);
    assert.deepEqual(results, ['abc', 'abc']);
  });

  it('does not cache failures (the companion may come back)', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    const c = createChecker({ send, current: () => 'abc', onResult: () => {}, timers });
    c.schedule({ text: 'abc', platform: 'x' });
    timers.advance(300);
    calls[0].resolve({ ok: false, state: 'offline' });
    await tick();
    c.schedule({ text: 'abc', platform: 'x' });
    timers.advance(300);
    assert.equal(calls.length, 2);
  });

  it('now() skips the quiet period and cancels the pending timer', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    const c = createChecker({ send, current: () => 'abc', onResult: () => {}, timers });
    c.schedule({ text: 'abc', platform: 'x' });
    const p = c.now({ text: 'abc', platform: 'x' });
    assert.equal(timers.count, 0);
    assert.equal(calls.length, 1);
    calls[0].resolve({ ok: true, findings: [] });
    assert.deepEqual(await p, { reply: { ok: true, findings: [] }, fresh: true });
  });

  it('turns a throwing send into a failure reply', async () => {
    const c = createChecker({ send: async () => { throw new Error('gone'); }, current: () => 'a', onResult: () => {} });
    const { reply } = await c.now({ text: 'a', platform: 'x' });
    assert.equal(reply.ok, false);
    assert.match(reply.error.message, /gone/);
  });

  it('cancel() makes answers in flight stale', async () => {
    const timers = fakeTimers();
    const { send, calls } = deferredSend();
    const results = [];
    const c = createChecker({ send, current: () => 'a', onResult: (r) => results.push(r), timers });
    c.schedule({ text: 'a', platform: 'x' });
    timers.advance(300);
    c.cancel();
    calls[0].resolve({ ok: true, findings: [] });
    await tick();
    assert.deepEqual(results, []);
  });
});

describe('createChecker: answers are cached per pack and settings', () => {
  it('a text checked under one pack is asked again once the pack changed; the old answer is never reused', async () => {
    let scope = 'p@1';
    const answers = [];
    const send = async (req) => { answers.push(req.text); return { ok: true, findings: [], pack: { id: 'p', revision: scope === 'p@1' ? 1 : 2 }, n: answers.length }; };
    const seen = [];
    const c = createChecker({ send, current: () => 'same text', onResult: (r) => seen.push(r.n), onAnswer: () => {}, scope: () => scope });
    await c.now({ text: 'same text', platform: 'x' });
    await c.now({ text: 'same text', platform: 'x' }); // cached: same pack
    assert.deepEqual(answers, ['same text']);
    scope = 'p@2'; // a pack update (the watch saw a new revision/sha)
    await c.now({ text: 'same text', platform: 'x' });
    assert.deepEqual(answers, ['same text', 'same text']);
    assert.deepEqual(seen, [1, 1, 2]);
  });

  it('an answer is filed under the pack it revealed (onAnswer runs before it is cached); no scope, no cache; bypassCache asks anyway', async () => {
    let scope = /** @type {string|null} */ (null);
    let sent = 0;
    const c = createChecker({
      send: async () => { sent += 1; return { ok: true, findings: [] }; },
      current: () => 't', onResult: () => {}, onAnswer: () => { scope = 'p@9'; }, scope: () => scope,
    });
    await c.now({ text: 't', platform: 'x' }); // scope unknown when asked, p@9 once answered
    await c.now({ text: 't', platform: 'x' });
    assert.equal(sent, 1);
    await c.now({ text: 't', platform: 'x' }, { bypassCache: true });
    assert.equal(sent, 2);
  });
});
