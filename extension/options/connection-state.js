// @ts-check
// The options page's one account of how things stand, from two facts: does this browser hold a
// pairing token, and what does the companion on the port say (getStatus). Pure, so the page can
// never say "Paired" in one place and "Not paired" in another.

/**
 * @typedef {{state: string, message: string, version?: string, pack?: {id: string, revision: string|number}|null}} Status
 * @typedef {{tone: 'ok'|'info'|'warning'|'error', text: string, short: string, paired: boolean, showPairForm: boolean}} View
 *   tone: how to colour it (a first run is 'info', never an error); short: the line beside Test connection
 */

/**
 * @param {{paired: boolean|null, status: Status|null, port: number}} f  paired null: not known yet
 * @returns {View}
 */
export function connectionView({ paired, status, port }) {
  const on = `127.0.0.1:${port}`;
  if (paired === null || !status) return { tone: 'info', text: 'Checking…', short: 'Checking…', paired: !!paired, showPairForm: !paired };
  const pack = status.pack ? ` · policy pack ${status.pack.id}, revision ${status.pack.revision}` : '';
  if (!paired) {
    if (status.state === 'offline') {
      return { tone: 'info', paired, showPairForm: true, short: `Nothing answers on ${on} yet.`,
        text: 'Start the companion with ./scripts/run, then enter the code it prints.' };
    }
    if (status.state === 'impostor' || status.state === 'error') {
      return { tone: 'warning', paired, showPairForm: true, short: status.message,
        text: `Something on ${on} answers, but it is not a PostGuard companion PostGuard knows (${status.message}). Check the port.` };
    }
    return { tone: 'info', paired, showPairForm: true, short: `A companion answers on ${on}; not paired yet.`,
      text: `The companion is running on ${on}. Enter the code it printed to pair this browser.` };
  }
  switch (status.state) {
    case 'ok':
      return { tone: 'ok', paired, showPairForm: false, short: `Connected${status.version ? ` (companion ${status.version})` : ''}${pack}.`,
        text: `Paired and connected${pack}. PostGuard checks your drafts.` };
    case 'offline':
      return { tone: 'error', paired, showPairForm: false, short: `Nothing answers on ${on}.`,
        text: `Paired, but the companion is not running on ${on}: start it with ./scripts/run. Until then PostGuard holds posts it cannot check.` };
    case 'unpaired':
      return { tone: 'error', paired, showPairForm: true, short: 'The companion does not accept this browser’s pairing.',
        text: 'The companion no longer accepts this browser’s pairing (it was reset). Enter a new code from postguard pair.' };
    case 'no_pack':
      return { tone: 'error', paired, showPairForm: false, short: status.message,
        text: `Paired, but the companion has no valid policy pack (${status.message.replace(/^no valid policy pack:?\s*/, '') || 'ask IT'}).` };
    case 'impostor':
      return { tone: 'warning', paired, showPairForm: false, short: `Warning: ${status.message}.`,
        text: `Warning: ${status.message}. It did not prove it is your PostGuard companion, so PostGuard sends it nothing. If you reset the pairing (postguard pair --reset), forget this pairing and pair again.` };
    default:
      return { tone: 'error', paired, showPairForm: false, short: status.message, text: `Paired, but the companion answered with an error: ${status.message}.` };
  }
}

/**
 * Why pairing failed, in words that say what to do.
 * @param {{error: {code: string, message: string}, state?: string}} r
 * @param {number} port
 */
export function pairFailureText(r, port) {
  const { code, message } = r.error;
  if (code === 'bad_code' || code === 'too_many_requests') return `Not paired: ${message}.`;
  if (code === 'bad_code_format') return message;
  if (code === 'timeout') return `Not paired: the companion on 127.0.0.1:${port} did not answer in time. If your system asks to unlock its keyring, allow it, then press Pair again.`;
  if (r.state === 'offline') return `Not paired: nothing answers on 127.0.0.1:${port}. Is the companion running? Set the port ./scripts/run printed above, then press Pair again.`;
  return `Not paired: ${message ? message[0].toUpperCase() + message.slice(1) : 'no answer'}.`;
}
