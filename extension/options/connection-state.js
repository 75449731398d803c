// @ts-check
// The options page's one account of how things stand, from two facts: does this browser hold a
// pairing token, and what does the companion on the port say (getStatus). Pure, so the page can
// never say "Paired" in one place and "Not paired" in another.
import { t } from '../i18n.js';

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
  if (paired === null || !status) return { tone: 'info', text: t('checking'), short: t('checking'), paired: !!paired, showPairForm: !paired };
  const pack = status.pack ? t('panelPackRef', status.pack.id, status.pack.revision) : '';
  if (!paired) {
    if (status.state === 'offline') {
      return { tone: 'info', paired, showPairForm: true, short: t('connNothingYet', on),
        text: t('connStart') };
    }
    if (status.state === 'impostor' || status.state === 'error') {
      return { tone: 'warning', paired, showPairForm: true, short: status.message,
        text: t('connSomethingElse', on, status.message) };
    }
    return { tone: 'info', paired, showPairForm: true, short: t('connAnswersUnpaired', on),
      text: t('connEnterCode', on) };
  }
  switch (status.state) {
    case 'ok':
      return { tone: 'ok', paired, showPairForm: false, short: t('connConnectedShort', `${status.version ? t('connVersion', status.version) : ''}${pack}`),
        text: t('connConnected', pack) };
    case 'offline':
      return { tone: 'error', paired, showPairForm: false, short: t('connNothing', on),
        text: t('connOffline', on) };
    case 'unpaired':
      return { tone: 'error', paired, showPairForm: true, short: t('connRefusedShort'),
        text: t('connRefused') };
    case 'no_pack':
      return { tone: 'error', paired, showPairForm: false, short: status.message,
        text: t('connNoPack', status.message.replace(/^no valid policy pack:?\s*/, '') || t('connAskIt')) };
    case 'impostor':
      return { tone: 'warning', paired, showPairForm: false, short: t('connWarningShort', status.message),
        text: t('connImpostor', status.message) };
    default:
      return { tone: 'error', paired, showPairForm: false, short: status.message, text: t('connError', status.message) };
  }
}

/**
 * Why pairing failed, in words that say what to do.
 * @param {{error: {code: string, message: string}, state?: string}} r
 * @param {number} port
 */
export function pairFailureText(r, port) {
  const { code, message } = r.error;
  if (code === 'bad_code' || code === 'too_many_requests') return t('pairFailed', message);
  if (code === 'bad_code_format') return message;
  if (code === 'timeout') return t('pairTimeout', port);
  if (r.state === 'offline') return t('pairOffline', port);
  return t('pairFailed', message ? message[0].toUpperCase() + message.slice(1) : t('pairNoAnswer'));
}
