import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { send, sendToTab } from '../messaging.js';

/** A chrome global whose runtime/tabs sendMessage answer with `answer` (a function of the message). */
function fakeChrome(answer) {
  const sent = [];
  globalThis.chrome = /** @type {any} */ ({
    runtime: { sendMessage: async (msg) => { sent.push(['worker', msg]); return answer(msg); } },
    tabs: { sendMessage: async (tabId, msg) => { sent.push([tabId, msg]); return answer(msg); } },
  });
  return sent;
}

describe('messaging', () => {
  it('passes replies through', async () => {
    const sent = fakeChrome(() => ({ ok: true, x: 1 }));
    assert.deepEqual(await send({ kind: 'getStatus' }), { ok: true, x: 1 });
    assert.deepEqual(await sendToTab(3, { kind: 'insertText', text: 'a' }), { ok: true, x: 1 });
    assert.deepEqual(sent, [['worker', { kind: 'getStatus' }], [3, { kind: 'insertText', text: 'a' }]]);
  });
  it('no answer is a failure, not undefined', async () => {
    fakeChrome(() => undefined);
    assert.deepEqual(await send({ kind: 'getStatus' }), { ok: false, error: { code: 'no_reply', message: 'the extension did not answer' } });
    assert.equal((await sendToTab(3, { kind: 'insertText' })).error.code, 'no_reply');
  });
  it('a throw (extension reloaded, no receiver in the tab) is a failure, not an exception', async () => {
    fakeChrome(() => { throw new Error('Extension context invalidated.'); });
    assert.deepEqual(await send({ kind: 'getStatus' }), { ok: false, error: { code: 'extension_gone', message: 'Extension context invalidated.' } });
    assert.deepEqual(await sendToTab(3, { kind: 'insertText' }, 'no box here'), { ok: false, error: { code: 'no_content', message: 'no box here' } });
  });
});
