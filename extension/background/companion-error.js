// @ts-check
// The companion client's error: what went wrong, and the companion state it means for the user.
import { COMPANION_STATE } from '../protocol.js';

/** @typedef {import('../protocol.js').CompanionStatus} CompanionStatus */

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
 * @param {unknown} e
 * @returns {CompanionStatus}
 */
export function statusFromError(e) {
  if (e instanceof CompanionError) return { state: e.state, message: e.message };
  return { state: COMPANION_STATE.error, message: e instanceof Error ? e.message : String(e) };
}
