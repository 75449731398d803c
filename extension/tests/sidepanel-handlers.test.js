// The worker's side of the side panel: suggestReplies, renderReply and check bodies (account,
// surface, replying_to), with a fake companion client.
import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHandlers } from '../background/handlers.js';
import { createSettingsStore, resolveSettings, validatePatch } from '../background/settings.js';
import { KIND } from '../protocol.js';
import { memoryArea } from './fakechrome.js';

function setup() {
  const local = memoryArea();
  const session = memoryArea();
  const settings = createSettingsStore({ managed: memoryArea(), local, session });
  const calls = [];
  const client = {
    async check(body) { calls.push(['check', body]); return { findings: [], referrals: [] }; },
    async renderReply(body) { calls.push(['render', body]); return { text: 'Hi Sam', findings: [{ id: 'a', rule: 'r', category: 'personal_data', severity: 'critical', start: 3, end: 6, message: 'm' }, { severity: 'bogus' }] }; },
    async suggestReplies(body) { calls.push(['suggest', body]); return { replies: [{ id: 'repair-referral', title: 'R', score: 2, reason: 'x' }, null], referrals: [], escalations: 'nope' }; },
  };
  const handlers = createHandlers({ client, settings, local, session, extensionOrigin: 'chrome-extension://abc/' });
  return { handlers, calls };
}

describe('side panel handlers', () => {
  it('check sends the account handle', async () => {
    const { handlers, calls } = setup();
    await handlers[KIND.check]({ text: 'We will refund', platform: 'x', account: '@TestCoHelp' }, {});
    assert.deepEqual(calls[0], ['check', { text: 'We will refund', platform: 'x', account: '@TestCoHelp' }]);
  });
  it('renderReply passes surface, replying_to and account, and sanitizes findings', async () => {
    const { handlers, calls } = setup();
    const r = await handlers[KIND.renderReply]({ replyId: 'a', values: { n: 'Sam' }, platform: 'x', surface: 'reply', replyingTo: 'broke', account: '@me' }, {});
    assert.deepEqual(calls[0], ['render', { reply_id: 'a', values: { n: 'Sam' }, platform: 'x', surface: 'reply', replying_to: 'broke', account: '@me' }]);
    assert.equal(r.ok, true);
    assert.equal(r.text, 'Hi Sam');
    assert.deepEqual(r.findings.map((f) => f.id), ['a']);
  });
  it('renderReply drops an unknown surface', async () => {
    const { handlers, calls } = setup();
    await handlers[KIND.renderReply]({ replyId: 'a', values: {}, platform: 'x', surface: 'nope' }, {});
    assert.deepEqual(calls[0][1], { reply_id: 'a', values: {}, platform: 'x' });
  });
  it('suggestReplies validates and keeps only objects', async () => {
    const { handlers, calls } = setup();
    assert.equal((await handlers[KIND.suggestReplies]({ platform: 'x' }, {})).ok, false);
    assert.equal((await handlers[KIND.suggestReplies]({ replyingTo: 'hi', platform: 'mastodon' }, {})).ok, false);
    const r = await handlers[KIND.suggestReplies]({ replyingTo: 'my blender broke', platform: 'x', surface: 'reply' }, {});
    assert.deepEqual(calls[0], ['suggest', { replying_to: 'my blender broke', platform: 'x', surface: 'reply' }]);
    assert.deepEqual(r, { ok: true, replies: [{ id: 'repair-referral', title: 'R', score: 2, reason: 'x' }], referrals: [], escalations: [] });
  });
});

describe('role setting', () => {
  it('local role is used unless IT set one', () => {
    assert.equal(resolveSettings({}, {}).role, 'employee');
    assert.equal(resolveSettings({}, { role: 'champion' }).role, 'champion');
    assert.equal(resolveSettings({}, { role: 'admin' }).role, 'employee');
    const locked = resolveSettings({ role: 'employee' }, { role: 'champion' });
    assert.equal(locked.role, 'employee');
    assert.equal(locked.locked.role, true);
  });
  it('validatePatch accepts the two roles and removal', () => {
    assert.deepEqual(validatePatch({ role: 'champion' }), { ok: true, values: { role: 'champion' }, remove: [] });
    assert.deepEqual(validatePatch({ role: null }), { ok: true, values: {}, remove: ['role'] });
    assert.equal(validatePatch({ role: 'boss' }).ok, false);
  });
});
