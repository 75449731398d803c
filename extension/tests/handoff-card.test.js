import './locale.js';
// The card's "Send to <owner>" (issue 16): an escalation finding's hand-off suggestion is a button that
// asks the page to open the pre-filled message, with "Include my draft" off unless ticked; the worker's
// handOff handler builds the same link as the side panel, opens it, and records the hand-off by topic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Element, installDocument } from './minidom.js';

const doc = installDocument();
const { createCard } = await import('../content/overlay/card.js');
const { createHandlers } = await import('../background/handlers.js');
const { handoffUrl } = await import('../handoff.js');
const { conversationUrl } = await import('../background/handoff.js');

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/check-responses.json', import.meta.url), 'utf8'));
const ROW = { topic: 'legal_threat', title: 'Legal threat', owner: 'Legal', contact: 'legal@testco.example', respond_within: '4h', instructions: 'Do not reply.' };

function cardWith(handOff) {
  const cards = new Element('div');
  const layer = /** @type {any} */ ({ cards, shadow: { get activeElement() { return doc.activeElement; } }, announce: () => {} });
  const card = createCard(layer, { actions: { pauseAllowed: () => true, pauseSite: () => {}, openSidePanel: () => {}, handOff } });
  return { card, root: cards.children[0] };
}

const escalation = () => {
  const entry = FIXTURE.find((e) => e.name === 'escalation-in-the-conversation');
  return entry.response.findings.find((f) => f.category === 'escalation');
};
const fakeBox = (f) => ({ el: new Element('div'), siteName: 'X', shown: [f], referrals: [], statusText: '', packText: '',
  insertionAllowed: true, unsafeNote: '', stale: false, staleNote: '', anchorRect: () => null, applySuggestion: () => {},
  insertReferral: () => {}, ignore: () => {}, setActive: () => {} });

describe('card: Send to <owner>', () => {
  it('the companion marks the hand-off suggestion with its topic', () => {
    assert.equal(escalation().suggestions.at(-1).handoff, 'legal_threat');
  });

  it('is a button, not a tip, and passes the draft only when ticked', () => {
    const calls = [];
    const { card, root } = cardWith((_box, topic, withDraft) => calls.push([topic, withDraft]));
    const f = escalation();
    card.showFinding(fakeBox(f), 0);
    const send = root.querySelectorAll('button').find((b) => b.getAttribute('data-action') === 'handoff:legal_threat');
    assert.ok(send, 'the hand-off button');
    assert.match(send.textContent, /^Don't answer: send it to Legal/);
    assert.ok(!root.querySelectorAll('.tip').some((t) => t.textContent.includes('send it to')), 'no tip as well');
    const tick = root.querySelectorAll('button').find((b) => b.getAttribute('data-action') === 'handoff-draft');
    assert.equal(tick.getAttribute('aria-checked'), 'false');
    send.click();
    tick.click();
    assert.equal(tick.getAttribute('aria-checked'), 'true');
    send.click();
    assert.deepEqual(calls, [['legal_threat', false], ['legal_threat', true]]);
  });

  it('stays a tip where the page cannot hand off', () => {
    const cards = new Element('div');
    const layer = /** @type {any} */ ({ cards, shadow: { activeElement: null }, announce: () => {} });
    const card = createCard(layer, { actions: { pauseAllowed: () => true, pauseSite: () => {}, openSidePanel: () => {} } });
    card.showFinding(fakeBox(escalation()), 0);
    assert.ok(cards.children[0].querySelectorAll('.tip').some((t) => t.textContent.includes('send it to Legal')));
  });
});

describe('worker: handOff', () => {
  function setup(matrix = [ROW], team = undefined) {
    const opened = [];
    const events = [];
    const handlers = createHandlers({
      client: /** @type {any} */ ({ pack: async () => ({ escalation_matrix: matrix, social_media_team: team }) }),
      settings: /** @type {any} */ ({ get: async () => ({}) }), local: /** @type {any} */ ({}), session: /** @type {any} */ ({}),
      extensionOrigin: 'chrome-extension://x/', now: () => Date.UTC(2026, 10, 23, 14, 5),
      openUrl: async (url) => { opened.push(url); }, records: { add: (e) => { events.push(...e); return e.length; } },
    });
    return { handlers, opened, events };
  }
  const sender = /** @type {any} */ ({ tab: { id: 3, url: 'https://x.com/acme/status/1?s=20#reply' }, url: 'https://x.com/acme/status/1?s=20#reply' });

  it('opens the same link as the side panel and records the topic', async () => {
    const { handlers, opened, events } = setup();
    const r = await handlers.handOff({ kind: 'handOff', topic: 'legal_threat', replyingTo: 'See you in court', draft: 'my draft', includeDraft: false }, sender);
    assert.deepEqual(r, { ok: true, owner: 'Legal' });
    const time = new Date(Date.UTC(2026, 10, 23, 14, 5));
    assert.deepEqual(opened, [handoffUrl(ROW, { url: 'https://x.com/acme/status/1', customerWords: 'See you in court', time, draft: null })]);
    assert.ok(!opened[0].includes('my%20draft'));
    assert.deepEqual(events, [{ event: 'handoff', topic: 'legal_threat' }]);
  });

  it('puts the draft in only when ticked', async () => {
    const { handlers, opened } = setup();
    await handlers.handOff({ kind: 'handOff', topic: 'legal_threat', draft: 'my draft', includeDraft: true }, sender);
    assert.ok(opened[0].includes('my%20draft'));
  });

  it('refuses a topic the pack has no row for, and opens nothing', async () => {
    const { handlers, opened, events } = setup();
    const r = await handlers.handOff({ kind: 'handOff', topic: 'press' }, sender);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'unknown_topic');
    assert.deepEqual([opened, events], [[], []]);
  });

  it("sends the text model's escalation, which names no topic, to the pack's social-media team", async () => {
    const team = { owner: 'Social team', contact: 'social@acme.example', respond_within: '4h' };
    const { handlers, opened, events } = setup([ROW], team);
    const r = await handlers.handOff({ kind: 'handOff', topic: 'social_media_team', replyingTo: 'I know when you leave' }, sender);
    assert.deepEqual(r, { ok: true, owner: 'Social team' });
    assert.ok(opened[0].startsWith('mailto:social@acme.example'));
    assert.deepEqual(events, [{ event: 'handoff', topic: 'social_media_team' }]);
  });

  it('keeps only an http(s) address without query or fragment', () => {
    assert.equal(conversationUrl('https://www.linkedin.com/feed/?trk=abc'), 'https://www.linkedin.com/feed/');
    assert.equal(conversationUrl('javascript:alert(1)'), null);
    assert.equal(conversationUrl(undefined), null);
  });
});
