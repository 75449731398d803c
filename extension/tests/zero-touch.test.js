import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHmac, randomBytes } from 'node:crypto';
import { createCompanionClient } from '../background/companion-client.js';
import { createSettingsStore } from '../background/settings.js';
import { memoryArea } from './fakechrome.js';

const SECRET = randomBytes(32).toString('base64url');
const PORT = 7311;

/** companion/zerotouch.py's proofs, computed here with node:crypto, apart from the extension's code. */
const mac = (secret, ...parts) => createHmac('sha256', secret).update(['postguard-managed-pair-v1', ...parts].join(':')).digest('hex');
const helloProof = (token, nonce) => createHmac('sha256', token).update(`postguard-hello-v2:127.0.0.1:${PORT}:${nonce}`).digest('hex');

/**
 * A companion that speaks the zero-touch handshake with `secret` (and hands out `token`), answers hello
 * with the token it holds, and checks with that token. `lie`: answer the pairing with another token
 * and a proof made without the secret, as a program squatting on the port would.
 */
function fakeCompanion({ secret = SECRET, token = 'real-token', lie = false } = {}) {
  const calls = [];
  const challenges = new Set();
  let held = token;
  const answer = (status, body) => ({ ok: status < 300, status, json: async () => body });
  const fetch = async (url, init) => {
    const path = new URL(url).pathname;
    const body = init.body ? JSON.parse(init.body) : {};
    calls.push({ path, body, auth: init.headers.Authorization });
    if (path === '/v1/health') return answer(200, { status: 'ok', version: 't' });
    if (path === '/v1/pair/managed/start') {
      const c = randomBytes(32).toString('base64url');
      challenges.add(c);
      return answer(200, { challenge: c });
    }
    if (path === '/v1/pair/managed') {
      if (!challenges.delete(body.challenge)) return answer(401, { error: { code: 'bad_challenge', message: 'unknown challenge' } });
      if (lie) return answer(200, { token: 'squatter-token', proof: mac('guess', 'companion', `127.0.0.1:${PORT}`, body.challenge, body.nonce, 'squatter-token') });
      if (body.proof !== mac(secret, 'extension', `127.0.0.1:${PORT}`, body.challenge, body.nonce)) {
        return answer(401, { error: { code: 'bad_proof', message: 'the proof does not match this account\'s pairing secret' } });
      }
      return answer(200, { token: held, proof: mac(secret, 'companion', `127.0.0.1:${PORT}`, body.challenge, body.nonce, held) });
    }
    if (path === '/v1/hello') return answer(200, { proof: helloProof(held, body.nonce) });
    if (init.headers.Authorization !== `Bearer ${held}`) return answer(401, { error: { code: 'unauthorized', message: 'pair' } });
    return answer(200, { findings: [], referrals: [], pack: null, elapsed_ms: 1 });
  };
  return { fetch, calls, rotate(t) { held = t; } };
}

/** A client over `companion` whose token lives in `store.token` and whose managed secret is `secret`. */
function client(companion, { secret = SECRET, token, clock = { t: 0 } } = {}) {
  const store = { token };
  const c = createCompanionClient({
    getPort: async () => PORT, fetch: companion.fetch, now: () => clock.t,
    getToken: async () => store.token, setToken: async (t) => { store.token = t; },
    getPairingSecret: async () => secret,
  });
  return { c, store, clock };
}

const paths = (calls) => calls.map((x) => x.path);

describe('zero-touch pairing (IT\'s managed pairingSecret)', () => {
  it('pairs before the first check, keeps the token, and checks with it', async () => {
    const comp = fakeCompanion();
    const { c, store } = client(comp);
    await c.check({ text: 'a', platform: 'x' });
    assert.equal(store.token, 'real-token');
    assert.deepEqual(paths(comp.calls), ['/v1/pair/managed/start', '/v1/pair/managed', '/v1/hello', '/v1/check']);
    assert.equal(comp.calls[1].auth, undefined); // nothing but the proof goes out before pairing
    assert.equal(comp.calls[3].auth, 'Bearer real-token');
  });

  it('a companion that cannot prove the secret (a squatter) gets no draft, and its token is not kept', async () => {
    const comp = fakeCompanion({ lie: true });
    const { c, store } = client(comp);
    await assert.rejects(c.check({ text: 'MARK', platform: 'x' }), (e) => e.state === 'impostor' && e.code === 'bad_pair_proof');
    assert.equal(store.token, undefined);
    assert.ok(!comp.calls.some((x) => x.path === '/v1/check' || JSON.stringify(x.body).includes('MARK')));
  });

  it('a wrong secret says so, and is not tried again for 30 seconds', async () => {
    const comp = fakeCompanion({ secret: randomBytes(32).toString('base64url') });
    const { c, store, clock } = client(comp);
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.state === 'unpaired' && /automatic pairing set up by IT did not work: the proof does not match/.test(e.message));
    const asked = comp.calls.length;
    clock.t = 29_000;
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.code === 'zero_touch_failed');
    assert.equal(comp.calls.length, asked); // not asked again
    clock.t = 31_000;
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.code === 'zero_touch_failed');
    assert.equal(comp.calls.length, asked + 2);
    assert.equal(store.token, undefined);
  });

  it('a token the companion refuses (postguard pair --reset) is replaced through the secret, once', async () => {
    const comp = fakeCompanion({ token: 'new-token' });
    const { c, store } = client(comp, { token: 'old-token' });
    await c.check({ text: 'a', platform: 'x' });
    assert.equal(store.token, 'new-token');
    assert.ok(paths(comp.calls).includes('/v1/pair/managed'));
    assert.equal(comp.calls.at(-1).auth, 'Bearer new-token');
  });

  it('a squatter on the port does not make the client drop the token it holds', async () => {
    const comp = fakeCompanion({ lie: true, token: 'squatter-held' });
    const { c, store } = client(comp, { token: 'good-token' });
    await assert.rejects(c.check({ text: 'MARK', platform: 'x' }), (e) => e.state === 'impostor');
    assert.equal(store.token, 'good-token');
    assert.ok(!comp.calls.some((x) => x.path === '/v1/check'));
  });

  it('health pairs too, so the options page shows the connection before any draft', async () => {
    const comp = fakeCompanion();
    const { c, store } = client(comp);
    const s = await c.health();
    assert.equal(s.state, 'ok');
    assert.equal(store.token, 'real-token');
  });

  it('without a secret nothing changes: no pairing call, "not paired"', async () => {
    const comp = fakeCompanion();
    const { c, store } = client(comp, { secret: null });
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.code === 'not_paired');
    assert.deepEqual(paths(comp.calls), ['/v1/health']);
    assert.equal(store.token, undefined);
  });
});

describe('the settings store and the pairing secret', () => {
  it('hands the secret to the client only: the settings say "locked by IT", never the value', async () => {
    const managed = memoryArea({ pairingSecret: SECRET, companionPort: 7400 });
    const store = createSettingsStore({ managed, local: memoryArea(), session: memoryArea() });
    await store.managedRead;
    assert.equal(await store.pairingSecret(), SECRET);
    const s = await store.get();
    assert.equal(s.locked.pairing, true);
    assert.ok(!JSON.stringify(s).includes(SECRET));
  });

  it('a malformed secret is ignored', async () => {
    const store = createSettingsStore({ managed: memoryArea({ pairingSecret: 'short' }), local: memoryArea(), session: memoryArea() });
    await store.managedRead;
    assert.equal(await store.pairingSecret(), undefined);
    assert.equal((await store.get()).locked.pairing, false);
  });
});
