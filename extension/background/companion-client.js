// @ts-check
// The ONLY code that talks HTTP to the companion (http://127.0.0.1:<port>, design.md "Local HTTP API
// v1"). Every call but health/hello/pair carries `Authorization: Bearer <token>` when the extension
// holds a token (chrome.storage.local.companionToken, never handed to content scripts by the worker).
// Pairing itself (POST /v1/hello proof, POST /v1/pair with the code) comes with the pairing issue and
// goes here and in the options page only.
import { COMPANION_STATE } from '../protocol.js';

/** @typedef {import('../protocol.js').CompanionStatus} CompanionStatus */

const TIMEOUT_MS = 4000;
const OPEN_PATHS = new Set(['/v1/health', '/v1/hello', '/v1/pair']);

/** An error with the companion state it means for the user. */
export class CompanionError extends Error {
  /**
   * @param {string} state    a COMPANION_STATE
   * @param {string} code     the companion's error code, or a local one (unreachable, timeout, bad_json)
   * @param {string} message
   * @param {number} [status] HTTP status
   */
  constructor(state, code, message, status) {
    super(message);
    this.state = state;
    this.code = code;
    this.status = status;
  }
}

/**
 * Map an HTTP status to the state shown to the user.
 * @param {number} status
 */
export function stateForStatus(status) {
  if (status === 401) return COMPANION_STATE.unpaired;
  if (status === 503) return COMPANION_STATE.noPack;
  return COMPANION_STATE.error;
}

/**
 * @param {{getPort: () => Promise<number>, getToken?: () => Promise<string|undefined>, fetch?: typeof fetch, timeoutMs?: number}} opts
 */
export function createCompanionClient({
  getPort, getToken = async () => undefined, fetch: fetchFn = globalThis.fetch.bind(globalThis), timeoutMs = TIMEOUT_MS,
}) {
  /**
   * @param {'GET'|'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async function call(method, path, body) {
    const port = await getPort();
    /** @type {RequestInit} */
    const init = { method, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store', credentials: 'omit' };
    /** @type {Record<string, string>} */
    const headers = {};
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    }
    if (!OPEN_PATHS.has(path)) {
      const token = await getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
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

  return {
    /** GET /v1/health, folded into the status the chip shows. Never throws.
     * @returns {Promise<CompanionStatus>} */
    async health() {
      try {
        const h = await call('GET', '/v1/health');
        if (h.status === 'no_pack') {
          const err = (h.pack_error && h.pack_error.message) || (h.pack && h.pack.error) || '';
          const why = err ? `: ${err}` : '';
          return { state: COMPANION_STATE.noPack, message: `no valid policy pack${why}`, version: h.version, pack: h.pack ?? null };
        }
        return { state: COMPANION_STATE.ok, message: 'connected', version: h.version, pack: h.pack ?? null };
      } catch (e) {
        return statusFromError(e);
      }
    },
    /** POST /v1/check.
     * @param {{text: string, platform: string, surface?: string, replying_to?: string}} body */
    check(body) { return call('POST', '/v1/check', body); },
    /** GET /v1/pack (side panel data). */
    pack() { return call('GET', '/v1/pack'); },
    /** POST /v1/replies/render.
     * @param {{reply_id: string, values: Record<string, string>, platform: string}} body */
    renderReply(body) { return call('POST', '/v1/replies/render', body); },
  };
}

/**
 * @param {unknown} e
 * @returns {CompanionStatus}
 */
export function statusFromError(e) {
  if (e instanceof CompanionError) return { state: e.state, message: e.message };
  return { state: COMPANION_STATE.error, message: e instanceof Error ? e.message : String(e) };
}
