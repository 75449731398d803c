import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHmac } from 'node:crypto';
import { CompanionError, createCompanionClient } from '../background/companion-client.js';

/** fetch stub: records calls, answers with (status, body) or throws. */
function stubFetch(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const a = typeof answer === 'function' ? answer(url, init) : answer;
    if (a instanceof Error) throw a;
    return {
      ok: a.status >= 200 && a.status < 300,
      status: a.status,
      json: async () => { if (a.body === undefined) throw new SyntaxError('not json'); return a.body; },
    };
  };
  return { fetch, calls };
}

/** The real companion's proof (companion/auth.py hello_proof) for its port, computed independently with node:crypto. */
const realProof = (token, nonce, port = 7311) => createHmac('sha256', token).update(`postguard-hello-v2:127.0.0.1:${port}:${nonce}`).digest('hex');

/** A client whose token is 'tok' and whose companion answers /v1/hello like the real one (those
 * hello calls are not in `calls`, unless the answer function handles /v1/hello itself). */
const client = (answer, extra = {}) => {
  const s = stubFetch(answer);
  const token = extra.token ?? 'tok';
  const fetch = async (url, init) => {
    if (url.endsWith('/v1/hello') && typeof answer !== 'function') {
      const { nonce } = JSON.parse(init.body);
      return { ok: true, status: 200, json: async () => ({ proof: realProof(token, nonce) }) };
    }
    return s.fetch(url, init);
  };
  if (answer instanceof Error) return { c: createCompanionClient({ getPort: async () => 7311, getToken: async () => token, fetch: s.fetch, ...extra }), calls: s.calls };
  return { c: createCompanionClient({ getPort: async () => 7311, getToken: async () => token, fetch, ...extra }), calls: s.calls };
};

describe('companion client', () => {
  it('POSTs JSON with Content-Type to 127.0.0.1:<port>', async () => {
    const { c, calls } = client({ status: 200, body: { findings: [], referrals: [], pack: null, elapsed_ms: 1 } });
    await c.check({ text: 'hi', platform: 'x' });
    assert.equal(calls[0].url, 'http://127.0.0.1:7311/v1/check');
    assert.equal(calls[0].init.method, 'POST');
    assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(calls[0].init.body), { text: 'hi', platform: 'x', lang: 'en' });   // the UI's language
    assert.equal(calls[0].init.credentials, 'omit');
  });

  it("names the browser's language where the companion words texts from the pack", async () => {
    const { c, calls } = client({ status: 200, body: { replies: [], findings: [] } });
    const ui = globalThis.chrome.i18n.getUILanguage;
    globalThis.chrome.i18n.getUILanguage = () => 'bg-BG';
    try {
      await c.pack();
      await c.renderReply({ reply_id: 'r', values: {}, platform: 'x' });
      await c.suggestReplies({ replying_to: 'hi', platform: 'x' });
    } finally {
      globalThis.chrome.i18n.getUILanguage = ui;
    }
    assert.equal(calls[0].url, 'http://127.0.0.1:7311/v1/pack?lang=bg-BG');
    assert.deepEqual(calls.slice(1).map((k) => JSON.parse(k.init.body).lang), ['bg-BG', 'bg-BG']);
  });

  it('sends the Bearer token on checks but never on health', async () => {
    const { c, calls } = client({ status: 200, body: { status: 'ok', findings: [] } }, { getToken: async () => 'tok' });
    await c.check({ text: 'a', platform: 'x' });
    await c.health();
    assert.equal(calls[0].init.headers.Authorization, 'Bearer tok');
    assert.equal(calls[1].init.headers.Authorization, undefined);
  });

  it('connection refused -> offline ("companion not running")', async () => {
    const { c } = client(new TypeError('Failed to fetch'));
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e instanceof CompanionError && e.state === 'offline' && e.code === 'unreachable');
    assert.equal((await c.health()).state, 'offline');
  });

  it('a timeout is offline too', async () => {
    const err = new DOMException('timed out', 'TimeoutError');
    const { c } = client(err);
    await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.state === 'offline' && e.code === 'timeout');
  });

  it('401 -> not paired, 503 -> no pack, others -> error; keeps the companion error code', async () => {
    for (const [status, state] of [[401, 'unpaired'], [503, 'no_pack'], [400, 'error'], [403, 'error'], [413, 'error']]) {
      const { c } = client({ status, body: { error: { code: `c${status}`, message: 'm' } } });
      await assert.rejects(c.check({ text: 'a', platform: 'x' }), (e) => e.state === state && e.code === `c${status}` && e.status === status);
    }
  });

  it('health: no_pack status and ok status', async () => {
    // the companion's health (packstate.py) says why in pack_error; pack is null without a pack
    let { c } = client({ status: 200, body: { status: 'no_pack', version: '0.1', pack: null } });
    const h = await c.health();
    assert.equal(h.state, 'no_pack');
    assert.equal(h.message, 'no valid policy pack');
    ({ c } = client({ status: 200, body: { status: 'no_pack', pack: null, pack_error: { message: 'the last pack update was refused' } } }));
    assert.match((await c.health()).message, /last pack update was refused/);
    ({ c } = client({ status: 200, body: { status: 'ok', version: '0.1', pack: { id: 'p', revision: 3 } } }));
    assert.deepEqual(await c.health(), { state: 'ok', message: 'connected', version: '0.1', pack: { id: 'p', revision: 3 } });
  });

  it('a non-JSON answer (something else on the port) is an error', async () => {
    const { c } = client({ status: 200 });
    await assert.rejects(c.pack(), (e) => e.state === 'error' && e.code === 'bad_json');
  });
});

// ---- hello proof (a process squatting on the port must never get a draft) ---------------------

import { VERIFIED_KEY } from '../background/companion-client.js';
import { constantTimeEqual, helloProof, randomNonce } from '../background/hello-proof.js';
import { memoryArea } from './fakechrome.js';

/** A fake port: `hello(nonce)` decides the /v1/hello answer; records every path and body. */
function fakePort({ hello, port = 7311, token = 'tok', session } = {}) {
  const calls = [];
  const state = { port, token };
  const fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push({ path, port: Number(new URL(url).port), body: init.body, auth: init.headers.Authorization });
    const a = path === '/v1/hello' ? await hello(JSON.parse(init.body).nonce, state) : path === '/v1/health'
      ? { status: 200, body: { status: 'ok', version: '0.1', pack: null, token_storage: 'file' } }
      : path === '/v1/pair' ? { status: 200, body: { token: 'new-token' } }
        : { status: 200, body: { findings: [], referrals: [], pack: null, elapsed_ms: 1 } };
    if (a instanceof Error) throw a;
    return { ok: a.status >= 200 && a.status < 300, status: a.status, json: async () => { if (a.body === undefined) throw new SyntaxError('x'); return a.body; } };
  };
  const c = createCompanionClient({ getPort: async () => state.port, getToken: async () => state.token, fetch, session });
  return { c, calls, state, paths: () => calls.map((x) => x.path) };
}
const genuine = (nonce, st) => ({ status: 200, body: { proof: realProof(st.token, nonce, st.port) } });
const draft = { text: 'MARKER-7f3a secret draft', platform: 'x' };

describe('hello proof', () => {
  it('helloProof is HMAC-SHA256(token, "postguard-hello-v2:127.0.0.1:<port>:" + nonce) in lowercase hex, as companion/auth.py', async () => {
    assert.equal(await helloProof('tok', 'n'.repeat(32), 7311), realProof('tok', 'n'.repeat(32), 7311));
    assert.equal(await helloProof('tök🔑', 'abc'.repeat(10), 40123), realProof('tök🔑', 'abc'.repeat(10), 40123));
    assert.match(await helloProof('t', 'x'.repeat(16), 1), /^[0-9a-f]{64}$/);
    assert.notEqual(await helloProof('tok', 'n'.repeat(32), 7311), await helloProof('tok', 'n'.repeat(32), 7312));
  });

  it('a squatter relaying the nonce to the real companion on another port: its proof names that port, refused', async () => {
    // the squatter on 7399 forwards our nonce to the real companion on 7311 and hands back its exact answer
    const f = fakePort({ port: 7399, hello: (nonce, st) => ({ status: 200, body: { proof: realProof(st.token, nonce, 7311) } }) });
    await assert.rejects(f.c.check(draft), (e) => e.state === 'impostor' && e.code === 'bad_proof' && /port 7399/.test(e.message));
    assert.deepEqual(f.paths(), ['/v1/hello']);
    assert.ok(f.calls.every((x) => x.auth === undefined && !String(x.body).includes('MARKER-7f3a')));
  });

  it('forgetVerified drops the cached proof in memory, in session storage, and the one a hello in flight would set', async () => {
    const session = memoryArea();
    const f = fakePort({ hello: genuine, session });
    await f.c.check(draft);
    assert.ok(session.data[VERIFIED_KEY]);
    await f.c.forgetVerified();
    assert.equal(session.data[VERIFIED_KEY], undefined, 'gone from session storage once forgetVerified resolves');
    await f.c.check(draft);
    assert.deepEqual(f.paths(), ['/v1/hello', '/v1/check', '/v1/hello', '/v1/check']);

    // forgotten while a hello is on its way: that hello must not mark the companion verified
    let release;
    let held = false; // only the first hello is held back
    const slow = fakePort({
      session: memoryArea(),
      hello: async (nonce, st) => {
        if (!held) { held = true; await new Promise((r) => { release = r; }); }
        return genuine(nonce, st);
      },
    });
    const first = slow.c.check(draft);
    while (!release) await new Promise((r) => setTimeout(r, 1));
    const forgotten = slow.c.forgetVerified();
    release();
    await first;
    await forgotten;
    await slow.c.check(draft);
    assert.deepEqual(slow.paths(), ['/v1/hello', '/v1/check', '/v1/hello', '/v1/check']);
  });

  it('forgetPairing (options page -> worker) drops the real client\'s cached proof', async () => {
    const { createHandlers, dispatch } = await import('../background/handlers.js');
    const { createSettingsStore } = await import('../background/settings.js');
    const { KIND } = await import('../protocol.js');
    const local = memoryArea({ companionToken: 'tok' });
    const session = memoryArea();
    const calls = [];
    const fetch = async (url, init) => {
      const path = new URL(url).pathname;
      calls.push(path);
      const body = path === '/v1/hello' ? { proof: realProof('tok', JSON.parse(init.body).nonce) }
        : { findings: [], referrals: [], pack: null, elapsed_ms: 1 };
      return { ok: true, status: 200, json: async () => body };
    };
    const client = createCompanionClient({
      getPort: async () => 7311, getToken: async () => (await local.get('companionToken')).companionToken, fetch, session,
    });
    const settings = createSettingsStore({ managed: memoryArea(), local, session });
    const handlers = createHandlers({ client, settings, local, session, extensionOrigin: 'chrome-extension://abc/', now: () => 1 });
    await client.check(draft);
    assert.ok(session.data[VERIFIED_KEY]);
    const page = { url: 'chrome-extension://abc/options/index.html' };
    assert.deepEqual(await dispatch(handlers, { kind: KIND.forgetPairing }, page), { ok: true, paired: false });
    assert.equal(session.data[VERIFIED_KEY], undefined, 'the cached proof went with the token');
    await local.set({ companionToken: 'tok' }); // paired again (same install token): proved again first
    await client.check(draft);
    assert.deepEqual(calls, ['/v1/hello', '/v1/check', '/v1/hello', '/v1/check']);
  });

  it('nonces are fresh random hex, at least 32 characters', () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomNonce()));
    assert.equal(seen.size, 50);
    for (const n of seen) assert.match(n, /^[0-9a-f]{64}$/);
  });

  it('constantTimeEqual', () => {
    assert.ok(constantTimeEqual('abc', 'abc'));
    assert.ok(!constantTimeEqual('abc', 'abd'));
    assert.ok(!constantTimeEqual('abc', 'abcd'));
    assert.ok(!constantTimeEqual('', 'a'));
    assert.ok(!constantTimeEqual(undefined, ''));
    assert.ok(!constantTimeEqual(null, null));
  });

  it('the real companion: one hello with a fresh nonce, then the draft; verified is cached', async () => {
    const f = fakePort({ hello: genuine });
    await f.c.check(draft);
    await f.c.check(draft);
    assert.deepEqual(f.paths(), ['/v1/hello', '/v1/check', '/v1/check']);
    const hello = f.calls[0];
    assert.equal(hello.auth, undefined, 'the token itself never goes to /v1/hello');
    assert.ok(JSON.parse(hello.body).nonce.length >= 32);
    assert.equal(f.calls[1].auth, 'Bearer tok');
  });

  for (const [what, answer] of [
    ['a wrong proof', () => ({ status: 200, body: { proof: '00'.repeat(32) } })],
    ['the proof for another token', (nonce) => ({ status: 200, body: { proof: realProof('guess', nonce) } })],
    ['no proof', () => ({ status: 200, body: { ok: true } })],
    ['a proof that is not a string', () => ({ status: 200, body: { proof: 12 } })],
    ['a non-JSON answer', () => ({ status: 200 })],
    ['404', () => ({ status: 404, body: { error: { code: 'not_found', message: 'no' } } })],
    ['500', () => ({ status: 500 })],
  ]) {
    it(`${what} on /v1/hello: impostor, the draft is never sent, and it is not retried as OK`, async () => {
      const f = fakePort({ hello: answer });
      for (let i = 0; i < 2; i++) {
        await assert.rejects(f.c.check(draft), (e) => e instanceof CompanionError && e.state === 'impostor'
          && /Something else is answering on port 7311 — PostGuard did not send your draft/.test(e.message));
      }
      assert.deepEqual(f.paths(), ['/v1/hello', '/v1/hello'], 'proved again each time, never /v1/check');
      assert.ok(f.calls.every((x) => !String(x.body).includes('MARKER-7f3a')));
      assert.equal((await f.c.health()).state, 'impostor');
      await assert.rejects(f.c.pack(), (e) => e.state === 'impostor');
      assert.ok(!f.paths().includes('/v1/pack'));
    });
  }

  it('a squatter that becomes the real companion is trusted only after a right proof', async () => {
    let real = false;
    const f = fakePort({ hello: (nonce, st) => (real ? genuine(nonce, st) : { status: 200, body: { proof: 'x' } }) });
    await assert.rejects(f.c.check(draft), (e) => e.state === 'impostor');
    real = true;
    await f.c.check(draft);
    assert.deepEqual(f.paths(), ['/v1/hello', '/v1/hello', '/v1/check']);
  });

  it('a new port and a new token each mean a new hello', async () => {
    const f = fakePort({ hello: genuine });
    await f.c.check(draft);
    f.state.port = 7312;
    await f.c.check(draft);
    f.state.token = 'tok2';
    await f.c.check(draft);
    assert.deepEqual(f.paths(), ['/v1/hello', '/v1/check', '/v1/hello', '/v1/check', '/v1/hello', '/v1/check']);
    assert.equal(f.calls[2].port, 7312);
    assert.equal(f.calls[5].auth, 'Bearer tok2');
  });

  it('after a connection error the next check proves again', async () => {
    let fail = false;
    const calls = [];
    const fetch = async (url, init) => {
      const path = new URL(url).pathname;
      calls.push(path);
      if (fail) throw new TypeError('Failed to fetch');
      const body = path === '/v1/hello' ? { proof: realProof('tok', JSON.parse(init.body).nonce) } : { findings: [], referrals: [] };
      return { ok: true, status: 200, json: async () => body };
    };
    const c = createCompanionClient({ getPort: async () => 7311, getToken: async () => 'tok', fetch });
    await c.check(draft);
    fail = true;
    await assert.rejects(c.check(draft), (e) => e.state === 'offline');
    fail = false;
    await c.check(draft);
    assert.deepEqual(calls, ['/v1/hello', '/v1/check', '/v1/check', '/v1/hello', '/v1/check']);
  });

  it('a 401 on a check drops "verified" too (the token was reset)', async () => {
    let n = 0;
    const c401 = createCompanionClient({
      getPort: async () => 7311, getToken: async () => 'tok',
      fetch: async (url, init) => {
        const path = new URL(url).pathname;
        n += path === '/v1/hello' ? 1 : 0;
        if (path === '/v1/hello') return { ok: true, status: 200, json: async () => ({ proof: realProof('tok', JSON.parse(init.body).nonce) }) };
        return { ok: false, status: 401, json: async () => ({ error: { code: 'unauthorized', message: 'no' } }) };
      },
    });
    await assert.rejects(c401.check(draft), (e) => e.state === 'unpaired');
    await assert.rejects(c401.check(draft), (e) => e.state === 'unpaired');
    assert.equal(n, 2);
  });

  it('concurrent checks share one hello', async () => {
    const f = fakePort({ hello: genuine });
    await Promise.all([f.c.check(draft), f.c.check(draft), f.c.check(draft)]);
    assert.equal(f.paths().filter((p) => p === '/v1/hello').length, 1);
  });

  it('no token: nothing authenticated is sent; a health probe tells "not running" from "not paired"', async () => {
    const f = fakePort({ hello: genuine, token: '' });
    await assert.rejects(f.c.check(draft), (e) => e.state === 'unpaired' && e.code === 'not_paired');
    assert.deepEqual(f.paths(), ['/v1/health']);
    const off = createCompanionClient({ getPort: async () => 9, fetch: async () => { throw new TypeError('Failed to fetch'); } });
    await assert.rejects(off.check(draft), (e) => e.state === 'offline');
  });

  it('/v1/hello answering 401 not_paired: "not paired", nothing sent', async () => {
    const f = fakePort({ hello: () => ({ status: 401, body: { error: { code: 'not_paired', message: 'run postguard pair' } } }) });
    await assert.rejects(f.c.check(draft), (e) => e.state === 'unpaired' && e.code === 'not_paired');
    assert.deepEqual(f.paths(), ['/v1/hello']);
  });

  it('chrome.storage.session lets a restarted worker skip the hello only for the same port + token', async () => {
    const session = memoryArea();
    const a = fakePort({ hello: genuine, session });
    await a.c.check(draft);
    assert.ok(session.data[VERIFIED_KEY], 'verified hash stored');
    assert.ok(!JSON.stringify(session.data).includes('tok"'), 'the token itself is not stored in session');
    const b = fakePort({ hello: genuine, session }); // a "restarted worker"
    await b.c.check(draft);
    assert.deepEqual(b.paths(), ['/v1/check']);
    const c = fakePort({ hello: genuine, session, token: 'other' });
    await c.c.check(draft);
    assert.deepEqual(c.paths(), ['/v1/hello', '/v1/check']);
    const d = fakePort({ hello: () => ({ status: 200, body: { proof: 'bad' } }), session, port: 7399 });
    await assert.rejects(d.c.check(draft), (e) => e.state === 'impostor');
    assert.equal(session.data[VERIFIED_KEY], undefined, 'a failed proof clears the stored hash');
  });

  it('health with a token runs the same proof and reports token storage', async () => {
    const f = fakePort({ hello: genuine });
    assert.deepEqual(await f.c.health(), { state: 'ok', message: 'connected', version: '0.1', pack: null, tokenStorage: 'file' });
    assert.deepEqual(f.paths(), ['/v1/health', '/v1/hello']);
  });

  it('pair: POSTs the code without a token and returns the new token', async () => {
    const f = fakePort({ hello: genuine });
    assert.equal(await f.c.pair('12345678'), 'new-token');
    assert.deepEqual(f.paths(), ['/v1/pair']);
    assert.deepEqual(JSON.parse(f.calls[0].body), { code: '12345678' });
    assert.equal(f.calls[0].auth, undefined);
    const bad = createCompanionClient({
      getPort: async () => 7311,
      fetch: async () => ({ ok: false, status: 401, json: async () => ({ error: { code: 'bad_code', message: 'wrong code; 4 attempts left' } }) }),
    });
    await assert.rejects(bad.pair('00000000'), (e) => e.code === 'bad_code' && /4 attempts left/.test(e.message));
  });
});
