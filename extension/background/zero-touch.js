// @ts-check
// Zero-touch pairing (companion/zerotouch.py, docs/security.md): with IT's managed `pairingSecret`, ask
// POST /v1/pair/managed/start for a single-use challenge, send POST /v1/pair/managed {challenge, nonce,
// proof}, and keep the token only when the answer's proof, over that token, shows the companion holds
// the same secret: a program squatting on the port cannot hand the extension a token of its own.
// After a failure, wait RETRY_MS before trying again, so a wrong secret does not double every check.
import { COMPANION_STATE } from '../protocol.js';
import { CompanionError } from './companion-error.js';
import { constantTimeEqual, managedPairProof, randomNonce, sha256Hex } from './hello-proof.js';

const RETRY_MS = 30 * 1000;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * @param {{
 *   request: (port: number, path: string, body: unknown) => Promise<any>,
 *   getPairingSecret: () => Promise<string|undefined|null>,
 *   setToken: (token: string) => Promise<void>,
 *   forgetVerified: () => Promise<void>,
 *   now: () => number,
 *   impostor: (port: number, code: string) => CompanionError,
 * }} deps  request: one POST to 127.0.0.1:<port> (companion-client.js)
 */
export function createZeroTouch(deps) {
  /** @type {{key: string, at: number, error: CompanionError}|null} the last failure, for this port + secret */
  let lastFailure = null;

  /** @param {number} port @param {string} secret */
  async function exchange(port, secret) {
    const { challenge } = await deps.request(port, '/v1/pair/managed/start', {});
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) throw deps.impostor(port, 'bad_challenge');
    const nonce = randomNonce();
    const proof = await managedPairProof(secret, port, challenge, nonce);
    const r = await deps.request(port, '/v1/pair/managed', { challenge, nonce, proof });
    const token = typeof r.token === 'string' ? r.token : '';
    const expected = token ? await managedPairProof(secret, port, challenge, nonce, token) : '';
    const got = typeof r.proof === 'string' ? r.proof.toLowerCase() : '';
    if (!token || !constantTimeEqual(got, expected)) throw deps.impostor(port, 'bad_pair_proof');
    return token;
  }

  return {
    /** The token, kept through setToken; undefined when IT set no secret. Throws when pairing fails
     * (nothing is kept then), and again for RETRY_MS without asking (not when nothing answered).
     * @param {number} port
     * @returns {Promise<string|undefined>} */
    async pair(port) {
      const secret = await deps.getPairingSecret();
      if (!secret) return undefined;
      const key = await sha256Hex(`${port}\n${secret}`);
      if (lastFailure && lastFailure.key === key && deps.now() - lastFailure.at < RETRY_MS) throw lastFailure.error;
      try {
        const token = await exchange(port, secret);
        lastFailure = null;
        await deps.forgetVerified();
        await deps.setToken(token);
        return token;
      } catch (e) {
        if (e instanceof CompanionError && e.state === COMPANION_STATE.offline) throw e; // not running: try again next time
        const error = e instanceof CompanionError && e.state === COMPANION_STATE.impostor ? e
          : new CompanionError(COMPANION_STATE.unpaired, 'zero_touch_failed',
            `automatic pairing set up by IT did not work: ${e instanceof Error ? e.message : String(e)}`);
        lastFailure = { key, at: deps.now(), error };
        throw error;
      }
    },
  };
}
