import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

const client = (answer, extra = {}) => {
  const s = stubFetch(answer);
  return { c: createCompanionClient({ getPort: async () => 7311, fetch: s.fetch, ...extra }), calls: s.calls };
};

describe('companion client', () => {
  it('POSTs JSON with Content-Type to 127.0.0.1:<port>', async () => {
    const { c, calls } = client({ status: 200, body: { findings: [], referrals: [], pack: null, elapsed_ms: 1 } });
    await c.check({ text: 'hi', platform: 'x' });
    assert.equal(calls[0].url, 'http://127.0.0.1:7311/v1/check');
    assert.equal(calls[0].init.method, 'POST');
    assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(calls[0].init.body), { text: 'hi', platform: 'x' });
    assert.equal(calls[0].init.credentials, 'omit');
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
    let { c } = client({ status: 200, body: { status: 'no_pack', version: '0.1', pack: { error: 'bad signature' } } });
    const h = await c.health();
    assert.equal(h.state, 'no_pack');
    assert.match(h.message, /bad signature/);
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
