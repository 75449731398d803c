// @ts-check
// The hello proof's arithmetic (companion/auth.py hello_proof): a random nonce, the HMAC the real
// companion answers with, a comparison that does not stop at the first difference. No I/O.
import { HELLO_CONTEXT, MANAGED_PAIR_CONTEXT } from '../vocabulary.js';

const enc = new TextEncoder();

/** @param {ArrayBuffer|Uint8Array} buf */
function toHex(buf) {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh random nonce: `bytes` random bytes from crypto.getRandomValues, as lowercase hex.
 * @param {number} [bytes] */
export function randomNonce(bytes = 32) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return toHex(a);
}

/** The proof the real companion on 127.0.0.1:`port` gives for a nonce (companion/auth.py hello_proof):
 * lowercase hex HMAC-SHA256(token, "postguard-hello-v2:127.0.0.1:<port>:<nonce>").
 * @param {string} token
 * @param {string} nonce
 * @param {number} port  the port this client connected to */
export async function helloProof(token, nonce, port) {
  return hmacHex(token, `${HELLO_CONTEXT}127.0.0.1:${port}:${nonce}`);
}

/** Zero-touch pairing (companion/zerotouch.py): the extension's proof that it holds IT's secret
 * (`token` absent), or the proof the real companion gives over the token it hands out.
 * @param {string} secret  the managed pairingSecret
 * @param {number} port    the port this client connected to
 * @param {string} challenge  the companion's single-use challenge
 * @param {string} nonce   this client's fresh nonce
 * @param {string} [token] */
export async function managedPairProof(secret, port, challenge, nonce, token) {
  const who = token === undefined ? ['extension'] : ['companion'];
  const parts = [MANAGED_PAIR_CONTEXT, ...who, `127.0.0.1:${port}`, challenge, nonce, ...(token === undefined ? [] : [token])];
  return hmacHex(secret, parts.join(':'));
}

/** @param {string} key @param {string} message */
async function hmacHex(key, message) {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', k, enc.encode(message)));
}

/** Compare two strings without stopping at the first difference.
 * @param {unknown} a
 * @param {unknown} b */
export function constantTimeEqual(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** @param {string} s */
export async function sha256Hex(s) {
  return toHex(await crypto.subtle.digest('SHA-256', enc.encode(s)));
}
