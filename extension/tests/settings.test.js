import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSettingsStore, resolveSettings, validatePatch, validPort } from '../background/settings.js';
import { pauseEnd, pausePatch } from '../pauses.js';
import { pauseEndText } from '../format.js';
import { memoryArea } from './fakechrome.js';

describe('resolveSettings: managed > local > default', () => {
  it('defaults', () => {
    const s = resolveSettings({}, {});
    assert.equal(s.port, 7311);
    assert.equal(s.notifyOnly, false);
    assert.deepEqual(s.disabledSites, []);
    assert.deepEqual(s.pausedSites, []);
    assert.equal(s.role, 'employee');
    assert.equal(s.testHooks, false);
    assert.deepEqual(s.locked, { port: false, notifyOnly: false, disabledSites: false, role: false, pause: false, pairing: false });
    assert.equal(s.allowPause, true);
    assert.equal(s.agentName, '');
  });
  it('local overrides defaults', () => {
    const s = resolveSettings({}, { companionPort: 9000, notifyOnly: true, pausedSites: ['x', 'nope'], testHooks: true });
    assert.equal(s.port, 9000);
    assert.equal(s.notifyOnly, true);
    assert.deepEqual(s.pausedSites, ['x']);
    assert.equal(s.testHooks, true);
  });
  it('managed overrides local and locks the field', () => {
    const s = resolveSettings(
      { companionPort: 7400, notifyOnly: false, disabledSites: ['facebook'], role: 'champion' },
      { companionPort: 9000, notifyOnly: true },
    );
    assert.equal(s.port, 7400);
    assert.equal(s.notifyOnly, false); // IT said false: the user cannot turn the guard off
    assert.deepEqual(s.disabledSites, ['facebook']);
    assert.equal(s.role, 'champion');
    assert.deepEqual(s.locked, { port: true, notifyOnly: true, disabledSites: true, role: true, pause: false, pairing: false });
  });
  it('an invalid managed value is ignored, not obeyed', () => {
    const s = resolveSettings({ companionPort: 70000, notifyOnly: 'yes' }, { companionPort: 9000 });
    assert.equal(s.port, 9000);
    assert.equal(s.locked.port, false);
    assert.equal(s.notifyOnly, false);
  });
  it('unsafe sites come from the session', () => {
    assert.deepEqual(resolveSettings({}, {}, { unsafeSites: ['x'] }).unsafeSites, ['x']);
  });
});

describe('pauses', () => {
  const now = new Date(2026, 4, 12, 15, 30).getTime();
  it('a timed pause is in force until it ends; an open-ended one until resumed', () => {
    const local = { pausedSites: ['x'], pausedUntil: { linkedin: now + 1000, facebook: now - 1, nope: now + 5 } };
    const s = resolveSettings({}, local, {}, now);
    assert.deepEqual(s.pausedSites, ['x', 'linkedin']);
    assert.deepEqual(s.pauses, { x: null, linkedin: now + 1000 });
    assert.deepEqual(resolveSettings({}, local, {}, now + 1000).pausedSites, ['x']);
  });
  it('IT forbids pausing (allowPause: false): stored pauses are ignored and the field is locked', () => {
    const s = resolveSettings({ allowPause: false }, { pausedSites: ['x'], pausedUntil: { linkedin: now + 1000 } }, {}, now);
    assert.deepEqual([s.pausedSites, s.pauses, s.allowPause, s.locked.pause], [[], {}, false, true]);
    assert.equal(resolveSettings({ allowPause: 'no' }, { pausedSites: ['x'] }, {}, now).allowPause, true); // invalid: ignored
  });
  it('durations: 1 hour, the end of today (local midnight), open-ended', () => {
    assert.equal(pauseEnd('hour', now), now + 3600_000);
    assert.equal(pauseEnd('today', now), new Date(2026, 4, 13, 0, 0).getTime());
    assert.equal(pauseEnd('indefinite', now), null);
    assert.equal(pauseEnd('forever', now), undefined);
  });
  it('the chip says "until the end of today" only for the pause that ends at midnight', () => {
    const late = new Date(2026, 4, 12, 23, 0, 12, 345).getTime();
    assert.equal(pauseEndText(pauseEnd('today', late), late), 'until the end of today');
    assert.match(pauseEndText(pauseEnd('hour', late), late), /^until \d/);   // an hour from 23:00:12: tomorrow's date and time
    assert.match(pauseEndText(pauseEnd('hour', now), now), /^until \d/);
  });
  it('pausePatch pauses and resumes one site, leaving the others', () => {
    const stored = { pausedSites: ['x'], pausedUntil: { linkedin: 5 } };
    assert.deepEqual(pausePatch(stored, 'facebook', 9), { pausedSites: ['x'], pausedUntil: { linkedin: 5, facebook: 9 } });
    assert.deepEqual(pausePatch(stored, 'linkedin', null), { pausedSites: ['x', 'linkedin'], pausedUntil: {} });
    assert.deepEqual(pausePatch(stored, 'x', false), { pausedSites: [], pausedUntil: { linkedin: 5 } });
  });
  it('the champion\'s own name is kept as typed (trimmed), and can be cleared', () => {
    assert.deepEqual(validatePatch({ agentName: '  Sam ' }), { ok: true, values: { agentName: 'Sam' }, remove: [] });
    assert.deepEqual(validatePatch({ agentName: '' }), { ok: true, values: {}, remove: ['agentName'] });
    assert.equal(validatePatch({ agentName: 'x'.repeat(61) }).ok, false);
    assert.equal(resolveSettings({}, { agentName: 'Sam' }).agentName, 'Sam');
  });
});

describe('validPort / validatePatch', () => {
  it('ports', () => {
    assert.equal(validPort(7311), 7311);
    assert.equal(validPort('7311'), 7311);
    for (const bad of [0, 65536, 1.5, '73a', null, undefined, -1]) assert.equal(validPort(bad), undefined);
  });
  it('accepts known keys, rejects the rest', () => {
    assert.deepEqual(validatePatch({ companionPort: '8000', notifyOnly: true, pausedSites: ['x'] }),
      { ok: true, values: { companionPort: 8000, notifyOnly: true, pausedSites: ['x'] }, remove: [] });
    assert.deepEqual(validatePatch({ companionPort: '' }), { ok: true, values: {}, remove: ['companionPort'] });
    assert.equal(validatePatch({ companionPort: 'abc' }).ok, false);
    assert.equal(validatePatch({ notifyOnly: 'yes' }).ok, false);
    assert.equal(validatePatch({ companionToken: 'x' }).ok, false); // not through the settings path
    assert.equal(validatePatch({ evil: 1 }).ok, false);
  });
});

describe('createSettingsStore', () => {
  it('uses the cached managed values until the (slow) managed read returns, then the fresh ones', async () => {
    let release;
    const managed = { get: () => new Promise((r) => { release = r; }) };
    const local = memoryArea({ managedCache: { companionPort: 7400 }, companionPort: 9000 });
    const store = createSettingsStore({ managed, local, session: memoryArea() });
    assert.equal((await store.get()).port, 7400); // not blocked on managed
    release({ companionPort: 7500 });
    await store.managedRead;
    assert.equal((await store.get()).port, 7500);
    assert.deepEqual(local.data.managedCache, { companionPort: 7500 });
  });
  it('reads local storage every time (no stale answers after a write)', async () => {
    const local = memoryArea({ pausedSites: [] });
    const store = createSettingsStore({ managed: memoryArea(), local, session: memoryArea() });
    await store.managedRead;
    assert.deepEqual((await store.get()).pausedSites, []);
    await local.set({ pausedSites: ['linkedin'] });
    assert.deepEqual((await store.get()).pausedSites, ['linkedin']);
  });
  it('a failing managed read means nothing is managed', async () => {
    const store = createSettingsStore({ managed: { get: () => Promise.reject(new Error('no schema')) }, local: memoryArea(), session: memoryArea() });
    await store.managedRead;
    assert.equal((await store.get()).locked.port, false);
  });
});
