// @ts-check
// The ONLY code that talks HTTP to the companion (http://127.0.0.1:<port>, docs/architecture.md "The API
// v1"). Every call but health/hello/pair carries `Authorization: Bearer <token>` when the extension
// holds a token (chrome.storage.local.companionToken, never handed to content scripts by the worker).
// POST /v1/pair (the options page's code -> token) goes through here too.
//
// Hello proof: before the first authenticated call (a draft, the pack...) after the worker starts,
// after the port or the token changes, and after any connection error / 401 / failed proof, the
// client sends POST /v1/hello {nonce} (32 random bytes as 64 hex chars) and checks the answer is
// HMAC-SHA256(key = token, "postguard-hello-v2:127.0.0.1:<port>:" + nonce) in constant time, <port>
// being the port it connected to. A process squatting on the port does not know the token, so it
// cannot answer; relaying the nonce to the real companion on another port does not help either,
// since that proof names the other port. The call fails with the state `impostor` and the draft is
// NEVER sent. With no token at all nothing authenticated is sent either (a health
// probe tells "not running" from "not paired"). "Verified" is cached in memory under a hash of
// port + token, and in chrome.storage.session (same hash, 10 minutes) so a restarted worker can
// skip one round trip.
// With IT's managed `pairingSecret` and no token (or a token the companion refuses), the client pairs
// itself first: zero-touch.js.
import { COMPANION_STATE } from '../protocol.js';
import { constantTimeEqual, helloProof, randomNonce, sha256Hex } from './hello-proof.js';
import { createZeroTouch } from './zero-touch.js';
import { CompanionError, stateForStatus, statusFromError } from './companion-error.js';
import { uiLanguage } from '../i18n.js';

export { CompanionError, stateForStatus, statusFromError } from './companion-error.js';

/** @typedef {import('../protocol.js').CompanionStatus} CompanionStatus */

const TIMEOUT_MS = 4000;
const OPEN_PATHS = new Set(['/v1/health', '/v1/hello', '/v1/pair', '/v1/pair/managed/start', '/v1/pair/managed']);
/** chrome.storage.session key of the last verified (port, token) hash. */
export const VERIFIED_KEY = 'helloVerified';
const SESSION_TTL_MS = 10 * 60 * 1000;

/** After these errors the companion must prove itself again: nothing answered, it refused the token
 * (a reset), or its proof was wrong.
 * @param {unknown} e */
function dropsProof(e) {
  return e instanceof CompanionError
    && (e.state === COMPANION_STATE.offline || e.state === COMPANION_STATE.unpaired || e.state === COMPANION_STATE.impostor);
}

/** The error for "something else answers on the port".
 * @param {number} port
 * @param {string} code */
function impostor(port, code) {
  return new CompanionError(
    COMPANION_STATE.impostor, code,
    `Something else is answering on port ${port} — PostGuard did not send your draft`,
  );
}

/**
 * @param {{
 *   getPort: () => Promise<number>, getToken?: () => Promise<string|undefined>, fetch?: typeof fetch, timeoutMs?: number,
 *   getPairingSecret?: () => Promise<string|undefined|null>, setToken?: (token: string) => Promise<void>,
 *   session?: {get: (k: string) => Promise<Record<string, any>>, set: (v: Record<string, any>) => Promise<void>, remove: (k: string) => Promise<void>},
 *   now?: () => number,
 * }} opts  session: chrome.storage.session (optional), where "verified" survives a worker restart;
 *   getPairingSecret: IT's managed pairingSecret (zero-touch pairing); setToken: keep (or drop) the token it gives
 */
export function createCompanionClient({
  getPort, getToken = async () => undefined, fetch: fetchFn = globalThis.fetch.bind(globalThis), timeoutMs = TIMEOUT_MS,
  session, now = Date.now, getPairingSecret = async () => undefined, setToken = async () => {},
}) {

  /** @type {string|null} hash of the port + token whose hello proof was right */
  let verified = null;
  /** @type {{key: string, promise: Promise<void>}|null} the hello in flight (concurrent checks share it) */
  let pending = null;
  /** bumped by forgetVerified: a hello that started before may not mark anything verified */
  let generation = 0;

  /** Drop the cached proof: in memory, in session storage, and the one a hello in flight would set.
   * @returns {Promise<void>} once session storage no longer holds it */
  async function forgetVerified() {
    verified = null;
    pending = null;
    generation += 1;
    if (session) await session.remove(VERIFIED_KEY).catch(() => {});
  }

  /**
   * POST /v1/hello with a fresh nonce; throws unless the proof is right.
   * @param {number} port
   * @param {string} token
   */
  async function hello(port, token) {
    const nonce = randomNonce();
    let data;
    try {
      data = await request(port, 'POST', '/v1/hello', { nonce });
    } catch (e) {
      // nothing answers / the real companion lost its token: say so; anything else is not our companion
      if (e instanceof CompanionError && (e.state === COMPANION_STATE.offline || e.state === COMPANION_STATE.unpaired)) throw e;
      throw impostor(port, 'no_proof');
    }
    const expected = await helloProof(token, nonce, port);
    const got = typeof data.proof === 'string' ? data.proof.toLowerCase() : '';
    if (!constantTimeEqual(got, expected)) throw impostor(port, 'bad_proof');
  }

  /**
   * Resolve when the companion on `port` has proved it holds `token` (cached per port + token).
   * @param {number} port
   * @param {string} token
   */
  async function ensureGenuine(port, token) {
    const key = await sha256Hex(`${port}\n${token}`);
    if (verified === key) return;
    if (pending && pending.key === key) return pending.promise;
    const gen = generation;
    const promise = (async () => {
      if (session) {
        try {
          const v = (await session.get(VERIFIED_KEY))[VERIFIED_KEY];
          if (v && v.key === key && typeof v.at === 'number' && now() - v.at >= 0 && now() - v.at < SESSION_TTL_MS) {
            if (gen === generation) verified = key;
            return;
          }
        } catch { /* no session storage: do the round trip */ }
      }
      await hello(port, token);
      if (gen !== generation) return; // forgotten meanwhile: this call may go on, the cache stays empty
      verified = key;
      if (session) await session.set({ [VERIFIED_KEY]: { key, at: now() } }).catch(() => {});
    })();
    pending = { key, promise };
    try {
      await promise;
    } finally {
      if (pending && pending.promise === promise) pending = null;
    }
  }

  /**
   * An authenticated call: only after the hello proof, never without a token.
   * @param {'GET'|'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {boolean} [mayRepair]  a refused token may be replaced through zero-touch pairing (once)
   * @returns {Promise<any>}
   */
  async function call(method, path, body, mayRepair = true) {
    const port = await getPort();
    if (OPEN_PATHS.has(path)) return request(port, method, path, body);
    let token = await getToken();
    const hadToken = !!token;
    if (!token) token = await zeroTouch.pair(port);
    if (!token) {
      // Nothing to prove the companion with: send nothing. Only tell "not running" from "not paired".
      await request(port, 'GET', '/v1/health').catch((e) => {
        if (e instanceof CompanionError && e.state === COMPANION_STATE.offline) throw e;
      });
      throw new CompanionError(COMPANION_STATE.unpaired, 'not_paired', 'not paired with the companion: pair it in the options page');
    }
    try {
      await ensureGenuine(port, token);
      return await request(port, method, path, body, token);
    } catch (e) {
      if (dropsProof(e)) {
        forgetVerified(); // prove it again next time
      }
      // The companion refuses the token or proves another one (`postguard pair --reset`): with IT's secret,
      // pair again. The token is replaced only if the companion proves the secret; a squatter cannot.
      const refused = e instanceof CompanionError && (e.state === COMPANION_STATE.unpaired || e.state === COMPANION_STATE.impostor);
      if (mayRepair && hadToken && refused && (await getPairingSecret())) {
        await zeroTouch.pair(port);
        return call(method, path, body, false);
      }
      throw e;
    }
  }

  /**
   * One HTTP request, no proof (call() adds it).
   * @param {number} port
   * @param {'GET'|'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {string} [token]  sent as Bearer (never on health/hello/pair)
   * @returns {Promise<any>}
   */
  async function request(port, method, path, body, token) {
    /** @type {RequestInit} */
    const init = { method, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store', credentials: 'omit' };
    /** @type {Record<string, string>} */
    const headers = {};
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    }
    if (token && !OPEN_PATHS.has(path)) headers.Authorization = `Bearer ${token}`;
    init.headers = headers;
    let res;
    try {
      res = await fetchFn(`http://127.0.0.1:${port}${path}`, init);
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new CompanionError(
        COMPANION_STATE.offline, timedOut ? 'timeout' : 'unreachable',
        timedOut ? `the companion on port ${port} did not answer in time` : `nothing answers on 127.0.0.1:${port}`,
      );
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      // fall through: a non-JSON answer is an error below (or a squatter on the port)
    }
    if (!res.ok) {
      const err = data && typeof data === 'object' && data.error ? data.error : {};
      throw new CompanionError(
        stateForStatus(res.status), String(err.code || `http_${res.status}`),
        String(err.message || `the companion answered HTTP ${res.status}`), res.status,
      );
    }
    if (!data || typeof data !== 'object') {
      throw new CompanionError(COMPANION_STATE.error, 'bad_json', `port ${port} did not answer with JSON`, res.status);
    }
    return data;
  }

  const zeroTouch = createZeroTouch({
    request: (port, path, body) => request(port, 'POST', path, body),
    getPairingSecret, setToken, forgetVerified, now,
    impostor: (port, code) => impostor(port, code),
  });

  return {
    /** GET /v1/health, folded into the status the chip shows. Never throws.
     * @returns {Promise<CompanionStatus>} */
    async health() {
      try {
        const port = await getPort();
        const h = await request(port, 'GET', '/v1/health');
        const token = (await getToken()) ?? (await zeroTouch.pair(port));
        /** @type {{tokenStorage?: string}} */
        const extra = typeof h.token_storage === 'string' ? { tokenStorage: h.token_storage } : {};
        // the same proof a draft needs: a squatter answering health like the companion shows as one
        if (token) await ensureGenuine(port, token);
        if (h.status === 'no_pack') {
          const err = (h.pack_error && h.pack_error.message) || '';
          const why = err ? `: ${err}` : '';
          return { state: COMPANION_STATE.noPack, message: `no valid policy pack${why}`, version: h.version, pack: h.pack ?? null, ...extra };
        }
        return { state: COMPANION_STATE.ok, message: 'connected', version: h.version, pack: h.pack ?? null, ...extra };
      } catch (e) {
        if (dropsProof(e)) {
          forgetVerified();
        }
        return statusFromError(e);
      }
    },
    /** POST /v1/pair: exchange a pairing code for the install's token (the caller stores it).
     * @param {string} code
     * @returns {Promise<string>} the token */
    async pair(code) {
      const r = await call('POST', '/v1/pair', { code });
      if (typeof r.token !== 'string' || !r.token) {
        throw new CompanionError(COMPANION_STATE.error, 'bad_answer', 'the companion did not answer with a token');
      }
      await forgetVerified();
      return r.token;
    },
    /** Drop the cached proof (the token was forgotten or replaced); resolves once it is gone. */
    forgetVerified,
    /** POST /v1/check.
     * @param {{text: string, platform: string, surface?: string, replying_to?: string, account?: string}} body */
    // the browser's language goes with what the companion words: the pack's texts in it where translated
    check(body) { return call('POST', '/v1/check', { ...body, lang: uiLanguage() }); },
    /** GET /v1/pack (side panel data). */
    pack() { return call('GET', `/v1/pack?lang=${encodeURIComponent(uiLanguage())}`); },
    /** GET /v1/pack/tour (the tour and the practice box). */
    tour() { return call('GET', '/v1/pack/tour'); },
    /** GET /v1/pack/changes ("what changed" in the latest revision). */
    changes() { return call('GET', '/v1/pack/changes'); },
    /** POST /v1/replies/render.
     * @param {{reply_id: string, values: Record<string, string>, platform: string, surface?: string, replying_to?: string, account?: string}} body */
    renderReply(body) { return call('POST', '/v1/replies/render', { ...body, lang: uiLanguage() }); },
    /** POST /v1/replies/suggest (the side panel's "suggested for this conversation").
     * @param {{replying_to: string, platform: string, surface?: string}} body */
    suggestReplies(body) { return call('POST', '/v1/replies/suggest', { ...body, lang: uiLanguage() }); },
    /** POST /v1/records: events for the local records (background/records.js batches them).
     * @param {{events: import('../records-vocabulary.js').RecordEvent[]}} body */
    records(body) { return call('POST', '/v1/records', body); },
    /** GET /v1/records/week: the side panel's "Your week". */
    week() { return call('GET', '/v1/records/week'); },
  };
}
