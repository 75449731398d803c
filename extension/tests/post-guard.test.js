import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAfterCheck, decideNow, guardPost } from '../content/post-guard.js';

const crit = { id: 'c', severity: 'critical', excerpt: 'Falcon Ridge', message: 'confidential' };
const facts = (o = {}) => ({ text: 'Falcon Ridge soon', current: true, critical: [], kept: [], checkedText: 'Falcon Ridge soon', ...o });

describe('post guard decisions', () => {
  it('a current answer decides at once', () => {
    assert.deepEqual(decideNow(facts()), { decision: 'allow' });
    assert.deepEqual(decideNow(facts({ critical: [crit] })), { decision: 'block', items: [crit], stale: false });
    assert.deepEqual(decideNow(facts({ text: '  ', current: false })), { decision: 'allow' });
  });
  it('anything else is checked first (not checked, companion away, new pack, answer too old)', () => {
    assert.deepEqual(decideNow(facts({ current: false, critical: [crit] })), { decision: 'recheck' });
    assert.deepEqual(decideNow(facts({ current: false })), { decision: 'recheck' });
  });
  it('the companion answered the re-check: its findings decide', () => {
    assert.deepEqual(decideAfterCheck(true, facts({ critical: [crit] })).decision, 'block');
    assert.deepEqual(decideAfterCheck(true, facts({ kept: [crit] })), { decision: 'allow' });
  });
  it('it did not: what was flagged stays held (stale); a text never checked is "could not check"; a text checked clean passes', () => {
    assert.deepEqual(decideAfterCheck(false, facts({ current: false, kept: [crit], text: 'Falcon Ridge soon!' })),
      { decision: 'block', items: [crit], stale: true });
    assert.deepEqual(decideAfterCheck(false, facts({ current: false, checkedText: null })), { decision: 'unchecked' });
    assert.deepEqual(decideAfterCheck(false, facts({ current: false, text: 'changed', checkedText: 'before' })), { decision: 'unchecked' });
    assert.deepEqual(decideAfterCheck(false, facts({ current: false })), { decision: 'allow' });
  });
});

describe('guardPost', () => {
  function run(factsBefore, factsAfter, answered) {
    const log = [];
    const event = { preventDefault: () => log.push('prevent'), stopImmediatePropagation: () => log.push('stop') };
    let f = factsBefore;
    let confirmAnswer = null;
    const done = new Promise((resolve) => {
      guardPost({
        event: /** @type {any} */ (event), anchor: /** @type {any} */ ({}),
        box: /** @type {any} */ ({ guardFacts: () => f, checkNow: async () => { log.push('check'); f = factsAfter; return { ok: answered, reason: 'companion not running' }; } }),
        redo: () => { log.push('redo'); resolve(); },
        confirm: (items, opts, answer) => { log.push(['confirm', items.length, opts]); confirmAnswer = answer; resolve(); },
      });
      if (!log.includes('prevent')) resolve();
    });
    return done.then(() => ({ log, answer: (p) => confirmAnswer(p) }));
  }

  it('lets a checked clean draft through untouched', async () => {
    const { log } = await run(facts(), facts(), true);
    assert.deepEqual(log, []);
  });
  it('companion away, flagged before: held with the kept findings, marked stale; Post anyway re-runs the action', async () => {
    const f = facts({ current: false, kept: [crit] });
    const { log, answer } = await run(f, f, false);
    assert.deepEqual(log, ['prevent', 'stop', 'check', ['confirm', 1, { stale: true, reason: 'companion not running' }]]);
    answer({ action: 'post', reason: null });
    assert.equal(log.at(-1), 'redo');
  });
  it('companion away, never checked: "could not check"; Wait does not post', async () => {
    const f = facts({ current: false, checkedText: null });
    const { log, answer } = await run(f, f, false);
    assert.deepEqual(log.at(-1), ['confirm', 0, { unchecked: true, reason: 'companion not running' }]);
    answer({ action: 'edit' });
    assert.ok(!log.includes('redo'));
  });
  it('companion back: re-checked, then held on the fresh findings (not stale)', async () => {
    const { log } = await run(facts({ current: false, kept: [crit] }), facts({ critical: [crit] }), true);
    assert.deepEqual(log.at(-1), ['confirm', 1, { stale: false, reason: '' }]);
  });
  it('re-checked clean: the post goes through', async () => {
    const { log } = await run(facts({ current: false }), facts(), true);
    assert.deepEqual(log, ['prevent', 'stop', 'check', 'redo']);
  });

  it('Post anyway on critical findings tells who listens, with the reason; Edit does not', async () => {
    const told = [];
    const log = [];
    let answer = null;
    guardPost({
      event: /** @type {any} */ ({ preventDefault() {}, stopImmediatePropagation() {} }), anchor: /** @type {any} */ ({}),
      box: /** @type {any} */ ({ guardFacts: () => facts({ critical: [crit] }), checkNow: async () => ({ ok: true, reason: '' }) }),
      redo: () => log.push('redo'),
      confirm: (items, opts, a) => { answer = a; },
      postedAnyway: (items, reason) => told.push([items.map((f) => f.id), reason]),
    });
    answer({ action: 'edit' });
    assert.deepEqual([told, log], [[], []]);
    answer({ action: 'post', reason: 'approved' });
    assert.deepEqual([told, log], [[[['c'], 'approved']], ['redo']]);
  });
  it('Fix and post: the fix lands, the re-check is clean, the post goes through; a fix that leaves a critical finding asks again', async () => {
    for (const [after, expect] of [[facts(), 'redo'], [facts({ critical: [crit] }), 'confirm']]) {
      const log = [];
      let f = facts({ critical: [crit] });
      let answer = null;
      await new Promise((resolve) => {
        guardPost({
          event: /** @type {any} */ ({ preventDefault() {}, stopImmediatePropagation() {} }), anchor: /** @type {any} */ ({}),
          box: /** @type {any} */ ({ guardFacts: () => f, checkNow: async () => { log.push('check'); f = after; return { ok: true, reason: '' }; } }),
          redo: () => { log.push('redo'); resolve(); },
          confirm: (items, opts, a) => { log.push('confirm'); answer = a; if (log.length > 1) resolve(); },
          fix: async (finding) => { log.push(['fix', finding.id]); return true; },
        });
        answer({ action: 'fix' });
      });
      assert.deepEqual(log, ['confirm', ['fix', 'c'], 'check', expect]);
    }
  });
  it('a fix that does not land never posts: the card comes back', async () => {
    const log = [];
    let answer = null;
    await new Promise((resolve) => {
      guardPost({
        event: /** @type {any} */ ({ preventDefault() {}, stopImmediatePropagation() {} }), anchor: /** @type {any} */ ({}),
        box: /** @type {any} */ ({ guardFacts: () => facts({ critical: [crit], current: false, kept: [crit] }), checkNow: async () => ({ ok: true, reason: '' }) }),
        redo: () => log.push('redo'),
        confirm: (items, opts, a) => { log.push('confirm'); answer = a; if (log.length > 1) resolve(); },
        fix: async () => false,
      });
      setTimeout(() => answer({ action: 'fix' }), 0);
    });
    assert.deepEqual(log, ['confirm', 'confirm']);
  });
});
