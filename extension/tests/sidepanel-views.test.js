import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byUrgency, contactParts, urgencyMinutes, withinText } from '../sidepanel/matrix.js';
import { firstName, isCustomerName, isOwnName, startValue } from '../sidepanel/reply-values.js';
import { dedupeFindings } from '../format.js';
import { connectionView, pairFailureText } from '../options/connection-state.js';

describe('escalation matrix', () => {
  it('sorts by urgency: minutes, hours, a day, a business day, unknown last', () => {
    const rows = ['1 business day', '4h', '24h', '15m', 'soon', '1h', '2h'].map((w, i) => ({ topic: `t${i}`, respond_within: w }));
    assert.deepEqual(byUrgency(rows).map((r) => r.respond_within), ['15m', '1h', '2h', '4h', '24h', '1 business day', 'soon']);
    assert.equal(urgencyMinutes('15 min'), 15);
    assert.equal(urgencyMinutes('2 hours'), 120);
  });
  it('spells the times out', () => {
    assert.deepEqual(['15m', '1h', '24h', '1 business day'].map(withinText), ['15 min', '1 hour', '24 hours', '1 business day']);
  });
  it('finds e-mail addresses and phone numbers in a contact, with their links', () => {
    assert.deepEqual(contactParts('safety@nimbusco.example, +1 555 0100'), [
      { kind: 'email', text: 'safety@nimbusco.example', href: 'mailto:safety@nimbusco.example' },
      { kind: 'text', text: ', ' },
      { kind: 'phone', text: '+1 555 0100', href: 'tel:+15550100' },
    ]);
    assert.deepEqual(contactParts('+1 555 0199 (24/7)'), [{ kind: 'phone', text: '+1 555 0199', href: 'tel:+15550199' }, { kind: 'text', text: ' (24/7)' }]);
    assert.deepEqual(contactParts('(415) 555-0134').map((p) => p.href), ['tel:4155550134']);
    assert.deepEqual(contactParts('the duty manager'), [{ kind: 'text', text: 'the duty manager' }]);
  });
});

describe('reply values', () => {
  const ph = (name, label) => ({ name, label, required: true, default: '', hint: '', max_length: 40 });
  it('tells the champion\'s own name from the customer\'s', () => {
    assert.ok(isOwnName(ph('agent_name', 'Your first name')));
    assert.ok(!isOwnName(ph('customer_name', "Customer's first name")));
    assert.ok(isCustomerName(ph('customer_name', 'Name or handle')));
  });
  it('the customer\'s first name from the post\'s author; a handle only where the label allows one', () => {
    const author = { name: 'Priya Natarajan', handle: null };
    assert.equal(startValue(ph('customer_name', "Customer's first name"), { author, agentName: '' }), 'Priya');
    assert.equal(startValue(ph('customer_name', 'Name or handle'), { author, agentName: '' }), 'Priya Natarajan');
    const ig = { name: null, handle: '@nimbus_fan_42' };
    assert.equal(startValue(ph('customer_name', "Customer's first name"), { author: ig, agentName: '' }), '');
    assert.equal(startValue(ph('customer_name', 'Name or handle'), { author: ig, agentName: '' }), '@nimbus_fan_42');
    assert.equal(startValue(ph('agent_name', 'Your first name'), { author, agentName: 'Sam' }), 'Sam');
    assert.equal(startValue({ ...ph('order_ref', 'Order'), default: 'your order' }, { author, agentName: 'Sam' }), 'your order');
    assert.equal(firstName('nimbus_fan_42'), '');
  });
});

describe('dedupeFindings', () => {
  const f = (rule, start, end, message, severity = 'critical', category = 'escalation') => ({ id: rule, rule, start, end, message, severity, category, excerpt: '', why: '', suggestions: [] });
  it('one finding for the same words flagged by the base policy and the pack', () => {
    const a = f('base.escalate.legal', 41, 50, 'Legal threat.');
    const b = f('escalate.legal-threat', 41, 50, 'Legal threat.');
    assert.deepEqual(dedupeFindings([a, b]).map((x) => x.rule), ['base.escalate.legal']);
  });
  it('keeps the most severe; different categories or places stay apart', () => {
    const warn = f('a', 0, 5, 'Same.', 'warning');
    const crit = f('b', 2, 5, 'Same.', 'critical');
    assert.deepEqual(dedupeFindings([warn, crit]).map((x) => x.rule), ['b']);
    assert.equal(dedupeFindings([f('a', 0, 5, 'X'), f('b', 0, 5, 'X', 'critical', 'tone')]).length, 2);
    assert.equal(dedupeFindings([f('a', 0, 5, 'X'), f('b', 6, 9, 'X')]).length, 2);
  });
});

describe('options: one account of the connection', () => {
  const status = (state, message = '') => ({ state, message, pack: state === 'ok' ? { id: 'p', revision: 3 } : null });
  it('a first run is a friendly start, not an error', () => {
    const v = connectionView({ paired: false, status: status('offline', 'nothing answers on 127.0.0.1:7311'), port: 7311 });
    assert.equal(v.tone, 'info');
    assert.equal(v.text, 'Start the companion with ./scripts/run, then enter the code it prints.');
    assert.equal(v.showPairForm, true);
  });
  it('never "connected" while not paired; the pairing form goes away once paired', () => {
    const unpaired = connectionView({ paired: false, status: status('ok'), port: 7311 });
    assert.doesNotMatch(unpaired.short + unpaired.text, /^Connected|Paired and/);
    assert.match(unpaired.short, /not paired/);
    const ok = connectionView({ paired: true, status: status('ok'), port: 7311 });
    assert.equal(ok.tone, 'ok');
    assert.equal(ok.showPairForm, false);
    assert.match(ok.text, /^Paired and connected · policy pack p, revision 3/);
  });
  it('a rejected token brings the form back; failures say what to do with the port', () => {
    assert.equal(connectionView({ paired: true, status: status('unpaired'), port: 7311 }).showPairForm, true);
    assert.match(pairFailureText({ error: { code: 'unreachable', message: 'x' }, state: 'offline' }, 7400), /nothing answers on 127\.0\.0\.1:7400.*port/);
    assert.match(pairFailureText({ error: { code: 'timeout', message: 'x' }, state: 'offline' }, 7311), /did not answer in time/);
    assert.equal(pairFailureText({ error: { code: 'bad_code', message: 'wrong code (4 attempts left)' } }, 7311), 'Not paired: wrong code (4 attempts left).');
  });
});
