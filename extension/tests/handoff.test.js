// The hand-off link: a mailto: (or the pack's chat template) with the topic, the conversation, the
// customer's words, the time and the row's instructions; the draft only when given.
import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactEmails, handoffBody, handoffLabel, handoffUrl, rowForFinding, MAX_QUOTE } from '../handoff.js';

const ROW = { topic: 'threat', title: 'Threat of violence', owner: 'Corporate Security', contact: 'security@nimbusco.example, +1 555 0199 (24/7)',
  respond_within: '15m', instructions: "Don't engage. Call Security." };
const FACTS = { url: 'https://x.com/sam/status/1', customerWords: 'I know where you live', time: new Date(Date.UTC(2026, 10, 23, 14, 5)) };

test('a mailto: to the row\'s addresses with every fact, line breaks as CRLF', () => {
  const url = handoffUrl(ROW, FACTS);
  assert.ok(url.startsWith('mailto:security@nimbusco.example?subject='));
  const q = new URL(url).searchParams;
  assert.equal(q.get('subject'), 'PostGuard hand-off: Threat of violence');
  const body = q.get('body') ?? '';
  for (const part of ['Topic: Threat of violence', 'Conversation: https://x.com/sam/status/1', 'Time: 2026-11-23 14:05 UTC',
    'What they wrote:\r\nI know where you live', "What to do (policy): Don't engage. Call Security.", 'Respond within: 15m']) {
    assert.ok(body.includes(part), part);
  }
  assert.ok(!body.includes('My draft'));
});

test('the draft goes in only when given, and long texts are cut', () => {
  const body = handoffBody(ROW, { ...FACTS, draft: 'I was going to say calm down', customerWords: 'a'.repeat(MAX_QUOTE + 50) });
  assert.ok(body.includes('My draft (not posted):\nI was going to say calm down'));
  assert.ok(body.includes('… (cut)') && !body.includes('a'.repeat(MAX_QUOTE + 1)));
});

test('a chat template gets its fields filled in, encoded', () => {
  const row = { ...ROW, contact: 'press@nimbusco.example', handoff_url: 'https://teams.microsoft.com/l/chat/0/0?users={to}&message={body}' };
  const url = new URL(handoffUrl(row, FACTS));
  assert.equal(url.origin, 'https://teams.microsoft.com');
  assert.equal(url.searchParams.get('users'), 'press@nimbusco.example');
  assert.ok((url.searchParams.get('message') ?? '').includes('What they wrote:\nI know where you live'));
});

test('no address in the contact: a mailto: with no recipient the user fills in', () => {
  assert.deepEqual(contactEmails('+1 555 0199 (24/7)'), []);
  assert.ok(handoffUrl({ ...ROW, contact: '+1 555 0199' }, FACTS).startsWith('mailto:?subject='));
  assert.equal(handoffLabel(ROW), 'Send to Corporate Security');
});

test('an escalation finding finds its row by topic, else by rule id; other findings have none', () => {
  const matrix = [ROW, { ...ROW, topic: 'legal_threat', title: 'Legal threat' }];
  assert.equal(rowForFinding(matrix, { category: 'escalation', rule: 'base.escalate.threat', message: 'm', detail: { topic: 'threat' } }), ROW);
  assert.equal(rowForFinding(matrix, { category: 'escalation', rule: 'escalate.legal_threat', message: 'm' })?.topic, 'legal_threat');
  assert.equal(rowForFinding(matrix, { category: 'safety', rule: 'x', message: 'm', detail: { topic: 'threat' } }), null);
});
