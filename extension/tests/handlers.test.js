import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompanionError } from '../background/companion-client.js';
import { createHandlers, dispatch, sanitizeFindings } from '../background/handlers.js';
import { createSettingsStore } from '../background/settings.js';
import { KIND } from '../protocol.js';
import { LIMITS } from '../vocabulary.js';
import { memoryArea } from './fakechrome.js';

function setup(clientOverrides = {}) {
  const local = memoryArea();
  const session = memoryArea();
  const settings = createSettingsStore({ managed: memoryArea(), local, session });
  const calls = [];
  const client = {
    async check(body) { calls.push(body); return { findings: [], referrals: [], pack: { id: 'p', revision: 1 }, elapsed_ms: 2 }; },
    async health() { return { state: 'ok', message: 'connected' }; },
    async pack() { return { replies: [] }; },
    async tour() { return { policy_url: null, categories: [] }; },
    async changes() { return { pack: { id: 'p', revision: 2 }, from: null, digest: null }; },
    async renderReply() { return { text: 'Hi', findings: [] }; },
    ...clientOverrides,
  };
  const handlers = createHandlers({ client, settings, local, session, openSidePanel: async () => {}, extensionOrigin: 'chrome-extension://abc/', now: () => 42 });
  return { handlers, local, session, calls };
}
const tab = { tab: { id: 7 }, url: 'https://x.com/home' }; // a content script
const page = { url: 'chrome-extension://abc/options/index.html' }; // an extension page
const pageInTab = { tab: { id: 9 }, url: 'chrome-extension://abc/options/index.html' }; // options opened as a tab

describe('protocol handler map', () => {
  it('has a handler for every protocol kind, and nothing else', () => {
    const { handlers } = setup();
    assert.deepEqual(Object.keys(handlers).sort(), Object.values(KIND).sort());
  });

  it('rejects unknown or missing kinds explicitly', async () => {
    const { handlers } = setup();
    assert.deepEqual(await dispatch(handlers, { kind: 'nope' }, tab), { ok: false, error: { code: 'unknown_kind', message: 'unknown message kind "nope"' } });
    assert.equal((await dispatch(handlers, null, tab)).error.code, 'unknown_kind');
    assert.equal((await dispatch(handlers, { kind: 'toString' }, tab)).error.code, 'unknown_kind');
  });

  it('check: maps the request to the API body and the answer to the reply', async () => {
    const { handlers, calls } = setup();
    const r = await dispatch(handlers, { kind: 'check', text: 'abc', platform: 'x', surface: 'reply', replyingTo: 'broke' }, tab);
    assert.deepEqual(calls[0], { text: 'abc', platform: 'x', surface: 'reply', replying_to: 'broke' });
    assert.deepEqual(r, { ok: true, findings: [], referrals: [], pack: { id: 'p', revision: 1 }, elapsedMs: 2 });
  });

  it('getTour: extension pages only (it quotes confidential terms), never a content script', async () => {
    const { handlers } = setup();
    assert.equal((await dispatch(handlers, { kind: 'getTour' }, tab)).error.code, 'forbidden');
    assert.deepEqual(await dispatch(handlers, { kind: 'getTour' }, pageInTab), { ok: true, tour: { policy_url: null, categories: [] } });
    const offline = setup({ async tour() { throw new CompanionError('offline', 'unreachable', 'nothing answers'); } });
    assert.deepEqual(await dispatch(offline.handlers, { kind: 'getTour' }, page), { ok: false, error: { code: 'unreachable', message: 'nothing answers' }, state: 'offline' });
  });

  it('check: validates platform and surface', async () => {
    const { handlers, calls } = setup();
    assert.equal((await dispatch(handlers, { kind: 'check', text: 'a', platform: 'myspace' }, tab)).error.code, 'bad_request');
    assert.equal((await dispatch(handlers, { kind: 'check', text: 'a', platform: 'x', surface: 'dm' }, tab)).error.code, 'bad_request');
    assert.equal((await dispatch(handlers, { kind: 'check', text: 5, platform: 'x' }, tab)).error.code, 'bad_request');
    assert.equal(calls.length, 0);
  });

  it('check: the companion\'s limits (vocabulary.js LIMITS), counted in characters like the companion', async () => {
    const { handlers, calls } = setup();
    const long = 'a'.repeat(LIMITS.text + 1);
    assert.deepEqual(await dispatch(handlers, { kind: 'check', text: long, platform: 'x' }, tab),
      { ok: false, error: { code: 'too_long', message: `'text' is longer than ${LIMITS.text} characters` }, state: 'error' });
    assert.equal(calls.length, 0);
    // 70,000 emoji are 140,000 UTF-16 units but 70,000 characters: the companion takes them
    await dispatch(handlers, { kind: 'check', text: '🙂'.repeat(LIMITS.text), platform: 'x', replyingTo: 'b'.repeat(LIMITS.replyingTo + 5), account: '@'.repeat(300) }, tab);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].replying_to.length, LIMITS.replyingTo);
    assert.equal(calls[0].account.length, LIMITS.account);
  });

  it('check: companion errors come back as data with their state', async () => {
    const { handlers } = setup({ async check() { throw new CompanionError('offline', 'unreachable', 'nothing answers'); } });
    assert.deepEqual(await dispatch(handlers, { kind: 'check', text: 'a', platform: 'x' }, tab),
      { ok: false, error: { code: 'unreachable', message: 'nothing answers' }, state: 'offline' });
  });

  it('a handler that throws does not throw through dispatch', async () => {
    const { handlers } = setup({ async health() { throw new Error('boom'); } });
    assert.deepEqual(await dispatch(handlers, { kind: 'getStatus' }, tab), { ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('setSettings only from extension pages; setSitePaused also from a tab', async () => {
    const { handlers, local } = setup();
    assert.equal((await dispatch(handlers, { kind: 'setSettings', patch: { notifyOnly: true } }, tab)).error.code, 'forbidden');
    const r = await dispatch(handlers, { kind: 'setSettings', patch: { notifyOnly: true, companionPort: 8123 } }, page);
    assert.equal(r.settings.notifyOnly, true);
    assert.equal(r.settings.port, 8123);
    assert.equal((await dispatch(handlers, { kind: 'setSettings', patch: { notifyOnly: false } }, pageInTab)).ok, true);
    const p = await dispatch(handlers, { kind: 'setSitePaused', site: 'linkedin', paused: true }, tab);
    assert.deepEqual(p.settings.pausedSites, ['linkedin']);
    await dispatch(handlers, { kind: 'setSitePaused', site: 'linkedin', paused: false }, tab);
    assert.deepEqual(local.data.pausedSites, []);
  });

  it('setSitePaused: for an hour (timed, ends by itself), refused when IT forbids pausing', async () => {
    const local = memoryArea();
    const managed = memoryArea();
    const settings = createSettingsStore({ managed, local, session: memoryArea() });
    const handlers = createHandlers({ client: /** @type {any} */ ({}), settings, local, session: memoryArea(), extensionOrigin: 'chrome-extension://abc/' });
    const r = await dispatch(handlers, { kind: 'setSitePaused', site: 'x', paused: true, duration: 'hour' }, tab);
    assert.deepEqual(r.settings.pausedSites, ['x']);
    assert.ok(Math.abs(r.settings.pauses.x - (Date.now() + 3600_000)) < 5000);
    assert.equal((await dispatch(handlers, { kind: 'setSitePaused', site: 'x', paused: true, duration: 'year' }, tab)).error.code, 'bad_request');
    await managed.set({ allowPause: false });
    await settings.refreshManaged();
    assert.deepEqual((await settings.get()).pausedSites, []); // the stored pause no longer counts
    const no = await dispatch(handlers, { kind: 'setSitePaused', site: 'linkedin', paused: true, duration: 'today' }, tab);
    assert.deepEqual(no.error, { code: 'forbidden', message: 'Your IT department does not allow pausing PostGuard.' });
    assert.equal((await dispatch(handlers, { kind: 'setSitePaused', site: 'x', paused: false }, tab)).ok, true); // resuming always works
  });

  it('markUnsafe is remembered in the session', async () => {
    const { handlers, session } = setup();
    const r = await dispatch(handlers, { kind: 'markUnsafe', site: 'x', reason: 'r' }, tab);
    assert.deepEqual(r.settings.unsafeSites, ['x']);
    assert.deepEqual(session.data.unsafeSites, ['x']);
  });

  it('reportBox stores per tab; getTabReport reads it; null clears it', async () => {
    const { handlers } = setup();
    const report = { site: 'x', platform: 'x', surface: 'post', findings: [] };
    assert.deepEqual(await dispatch(handlers, { kind: 'reportBox', report }, tab), { ok: true });
    assert.deepEqual(await dispatch(handlers, { kind: 'getTabReport', tabId: 7 }, page), { ok: true, report: { ...report, updatedAt: 42 } });
    await dispatch(handlers, { kind: 'reportBox', report: null }, tab);
    assert.deepEqual(await dispatch(handlers, { kind: 'getTabReport', tabId: 7 }, page), { ok: true, report: null });
    assert.equal((await dispatch(handlers, { kind: 'reportBox', report }, page)).error.code, 'bad_request');
  });
});

describe('sanitizeFindings', () => {
  const text = 'We launch Falcon Ridge soon';
  const good = { id: 'a', rule: 'r', severity: 'critical', category: 'confidential', start: 10, end: 22, excerpt: 'Falcon Ridge', message: 'm', why: 'w', suggestions: [{ label: 'x', replacement: '' }] };
  it('keeps good findings', () => {
    assert.deepEqual(sanitizeFindings(text, [good]), [good]);
  });
  it('drops spans outside the text, bad severities, non-integer offsets', () => {
    for (const bad of [{ end: 99 }, { start: -1 }, { start: 12, end: 11 }, { severity: 'fatal' }, { start: 1.5 }, { message: undefined }]) {
      assert.deepEqual(sanitizeFindings(text, [{ ...good, ...bad }]), [], JSON.stringify(bad));
    }
    assert.deepEqual(sanitizeFindings(text, 'nope'), []);
  });
  it('fills what the card needs', () => {
    const [f] = sanitizeFindings(text, [{ ...good, id: undefined, why: undefined, excerpt: undefined, suggestions: undefined }]);
    assert.equal(f.id, 'r:10:22');
    assert.equal(f.why, '');
    assert.equal(f.excerpt, 'Falcon Ridge');
    assert.deepEqual(f.suggestions, []);
  });
});

describe('pairing handlers', () => {
  const pairing = (pair) => setup({
    pair,
    forgetVerifiedCalls: 0,
    forgetVerified() { this.forgetVerifiedCalls += 1; },
    async health() { return { state: 'ok', message: 'connected', tokenStorage: 'file' }; },
  });

  it('pair: normalizes the code, stores the token, replies without it', async () => {
    let sent;
    const { handlers, local } = pairing(async (code) => { sent = code; return 'secret-token'; });
    const r = await dispatch(handlers, { kind: KIND.pair, code: ' 1234-5678 ' }, pageInTab);
    assert.equal(sent, '12345678');
    assert.equal(local.data.companionToken, 'secret-token');
    assert.deepEqual(r, { ok: true, paired: true, status: { state: 'ok', message: 'connected', tokenStorage: 'file' } });
    assert.ok(!JSON.stringify(r).includes('secret-token'));
    assert.deepEqual(await dispatch(handlers, { kind: KIND.getPairing }, page), { ok: true, paired: true });
  });

  it('pair: only from extension pages; a content script cannot pair, forget or ask', async () => {
    const { handlers, local } = pairing(async () => 'tok');
    for (const kind of [KIND.pair, KIND.forgetPairing, KIND.getPairing]) {
      assert.equal((await dispatch(handlers, { kind, code: '12345678' }, tab)).error.code, 'forbidden');
    }
    assert.equal(local.data.companionToken, undefined);
  });

  it('pair: a malformed code never reaches the companion', async () => {
    let called = false;
    const { handlers } = pairing(async () => { called = true; return 't'; });
    for (const code of ['', '1234', '1234-567x', 123456789, undefined]) {
      assert.equal((await dispatch(handlers, { kind: KIND.pair, code }, page)).error.code, 'bad_code_format');
    }
    assert.equal(called, false);
  });

  it('pair: the companion\'s refusal (attempts left) and "not running" come back as data', async () => {
    let { handlers, local } = pairing(async () => { throw new CompanionError('unpaired', 'bad_code', 'wrong code (4 attempts left)', 401); });
    let r = await dispatch(handlers, { kind: KIND.pair, code: '00000000' }, page);
    assert.deepEqual(r, { ok: false, error: { code: 'bad_code', message: 'wrong code (4 attempts left)' }, state: 'unpaired' });
    assert.equal(local.data.companionToken, undefined);
    ({ handlers } = pairing(async () => { throw new CompanionError('offline', 'unreachable', 'nothing answers on 127.0.0.1:7311'); }));
    r = await dispatch(handlers, { kind: KIND.pair, code: '00000000' }, page);
    assert.equal(r.state, 'offline');
  });

  it('forgetPairing drops the token and the cached proof', async () => {
    const { handlers, local } = pairing(async () => 'tok');
    local.data.companionToken = 'tok';
    assert.deepEqual(await dispatch(handlers, { kind: KIND.forgetPairing }, page), { ok: true, paired: false });
    assert.equal(local.data.companionToken, undefined);
    assert.deepEqual(await dispatch(handlers, { kind: KIND.getPairing }, page), { ok: true, paired: false });
  });
});
