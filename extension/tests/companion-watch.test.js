import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCompanionWatch, FRESH_MS, samePack } from '../content/companion-watch.js';

const tick = () => new Promise((r) => setImmediate(r));

function setup(first = { ok: true, status: { state: 'ok', pack: { id: 'p', revision: 1, sha256: 'a' } } }) {
  let clock = 0;
  let answer = first;
  let focused = true;
  const timers = [];
  const events = [];
  const w = createCompanionWatch({
    probe: async () => answer,
    focused: () => focused,
    onRecovered: () => events.push('recovered'),
    onPackChanged: () => events.push('pack'),
    interval: 3000,
    now: () => clock,
    timers: { setTimeout: (fn, ms) => { timers.push({ fn, ms }); return timers.length; }, clearTimeout: () => {} },
  });
  return {
    w, events, timers,
    set answer(a) { answer = a; },
    set focused(f) { focused = f; },
    advance(ms) { clock += ms; },
    async fire() { const t = timers.shift(); t.fn(); await tick(); await tick(); },
  };
}

const ok = (rev, sha) => ({ ok: true, status: { state: 'ok', pack: { id: 'p', revision: rev, sha256: sha } } });
const down = { ok: true, status: { state: 'offline', message: 'companion not running' } };

describe('companion watch', () => {
  it('probes on focus and every interval while a box has focus; stops when none has', async () => {
    const s = setup();
    s.w.wake();
    await tick(); await tick();
    assert.equal(s.w.probes, 1);
    assert.equal(s.timers.length, 1);
    assert.equal(s.timers[0].ms, 3000);
    await s.fire();
    assert.equal(s.w.probes, 2);
    s.focused = false;
    await s.fire();
    assert.equal(s.w.probes, 2);
    assert.equal(s.timers.length, 0); // no more probing until the next focus
  });

  it('tells the boxes when the companion is back, without a keystroke', async () => {
    const s = setup(down);
    s.w.wake(); await tick(); await tick();
    assert.equal(s.w.state, 'offline');
    s.answer = ok(1, 'a');
    await s.fire();
    assert.deepEqual(s.events, ['recovered']);
    await s.fire();
    assert.deepEqual(s.events, ['recovered']); // once per return
  });

  it('a check answer that failed counts too; unpaired (the probe cannot see it end) never loops', async () => {
    const s = setup();
    s.w.noteAnswer({ ok: false, state: 'offline' });
    await s.w.probeNow();
    assert.deepEqual(s.events, ['recovered']);
    s.w.noteAnswer({ ok: false, state: 'unpaired' });
    await s.w.probeNow();
    assert.deepEqual(s.events, ['recovered']);
  });

  it('a new revision or a new sha of the same revision is a pack change: epoch and cache scope move', async () => {
    const s = setup();
    await s.w.probeNow();
    const e0 = s.w.epoch;
    const scope0 = s.w.scope();
    s.w.noteAnswer({ ok: true, pack: { id: 'p', revision: 1 } }); // a check answer has no sha: same pack
    assert.equal(s.w.epoch, e0);
    assert.equal(s.w.scope(), scope0);
    s.answer = ok(1, 'b'); // edited without a new revision number
    await s.w.probeNow();
    assert.equal(s.w.epoch, e0 + 1);
    s.w.noteAnswer({ ok: true, pack: { id: 'p', revision: 2 } }); // a check answer from a newer pack
    assert.equal(s.w.epoch, e0 + 2);
    assert.deepEqual(s.events, ['pack', 'pack']);
    assert.notEqual(s.w.scope(), scope0);
  });

  it('an answer is current only in its epoch, from the pack served now, confirmed within FRESH_MS', async () => {
    const s = setup();
    await s.w.probeNow();
    const p = { id: 'p', revision: 1 };
    assert.equal(s.w.isCurrent(s.w.epoch, p), true);
    assert.equal(s.w.isCurrent(s.w.epoch, { id: 'p', revision: 0 }), false);
    s.advance(FRESH_MS + 1);
    assert.equal(s.w.isCurrent(s.w.epoch, p), false);
    await s.w.probeNow();
    assert.equal(s.w.isCurrent(s.w.epoch, p), true);
    s.w.reset(); // settings changed
    assert.equal(s.w.isCurrent(s.w.epoch - 1, p), false);
    s.w.noteAnswer({ ok: false, state: 'offline' });
    assert.equal(s.w.isCurrent(s.w.epoch, p), false);
  });

  it('samePack', () => {
    assert.equal(samePack({ id: 'a', revision: 1 }, { id: 'a', revision: '1', sha256: 'x' }), true);
    assert.equal(samePack({ id: 'a', revision: 1, sha256: 'y' }, { id: 'a', revision: 1, sha256: 'x' }), false);
    assert.equal(samePack(null, { id: 'a', revision: 1 }), false);
  });
});
