// The in-page card rendered against REAL companion answers: fixtures/check-responses.json is written
// by tests/test_extension_card_fixture.py from the companion's own /v1/check (every finding
// category), passed here through the worker's real check handler, exactly as the content script
// receives it.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Element, installDocument } from './minidom.js';

const doc = installDocument();
const { createCard } = await import('../content/overlay/card.js');
const { createHandlers } = await import('../background/handlers.js');
const { isActionable } = await import('../format.js');

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/check-responses.json', import.meta.url), 'utf8'));

/** The worker's reply to the content script for one stored companion answer. */
async function replyFor(entry) {
  const handlers = createHandlers({
    client: /** @type {any} */ ({ check: async () => structuredClone(entry.response) }),
    settings: /** @type {any} */ ({ get: async () => ({}) }),
    local: /** @type {any} */ ({}), session: /** @type {any} */ ({}),
    extensionOrigin: 'chrome-extension://x/',
  });
  const r = entry.request;
  const reply = await handlers.check({ kind: 'check', text: r.text, platform: r.platform, surface: r.surface, replyingTo: r.replying_to }, /** @type {any} */ ({}));
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return reply;
}

function fakeBox(reply, extra = {}) {
  const calls = [];
  return {
    el: new Element('div'), siteName: 'X', shown: reply.findings, referrals: reply.referrals,
    statusText: 'status', packText: '', insertionAllowed: true, unsafeNote: 'unsafe', stale: false, staleNote: 'Not re-checked: stale note.',
    anchorRect: () => null,
    applySuggestion: (f, i) => calls.push(['apply', f.id, i]),
    insertReferral: (r) => calls.push(['ref', r.id]),
    ignore: () => {}, pauseSite: () => {}, openSidePanel: () => {}, setActive: () => {},
    calls, ...extra,
  };
}

function newCard() {
  const cards = new Element('div');
  const layer = /** @type {any} */ ({ cards, shadow: { get activeElement() { return doc.activeElement; } }, announce: () => {} });
  const card = createCard(layer);
  return { card, root: cards.children[0] };
}

const buttons = (root) => root.querySelectorAll('button');
const byAction = (root, prefix) => buttons(root).filter((b) => (b.getAttribute('data-action') ?? '').startsWith(prefix));

/** @type {{name: string, reply: any}[]} */
const replies = [];
before(async () => { for (const e of FIXTURE) replies.push({ name: e.name, reply: await replyFor(e) }); });

describe('card: finding view over the real companion answers', () => {
  it('the fixture covers every category', () => {
    const cats = new Set(replies.flatMap((r) => r.reply.findings.map((f) => f.category)));
    assert.deepEqual([...cats].sort(), ['confidential', 'disclosure', 'escalation', 'personal_data', 'platform_limit', 'safety', 'speaking_for_company', 'tone']);
  });

  it('edits are buttons (the first one primary), advice is a tip in text, never a button', () => {
    let tips = 0;
    let actions = 0;
    for (const { name, reply } of replies) {
      reply.findings.forEach((f, index) => {
        const box = fakeBox(reply);
        const { card, root } = newCard();
        card.showFinding(box, index);
        const suggest = byAction(root, 'suggest:');
        const expected = f.suggestions.map((s, i) => [s, i]).filter(([s]) => isActionable(s));
        assert.deepEqual(suggest.map((b) => [b.textContent, b.getAttribute('data-action')]),
          expected.map(([s, i]) => [s.label, `suggest:${i}`]), `${name} ${f.rule}`);
        suggest.forEach((b, k) => assert.equal(b.classList.contains('primary'), k === 0, `${name} ${f.rule}: primary`));
        if (!suggest.length) assert.equal(root.querySelectorAll('button.primary').length, 0, `${name} ${f.rule}: no primary without an edit`);
        const tipText = root.querySelectorAll('.tip').map((t) => t.textContent);
        const advice = f.suggestions.filter((s) => !isActionable(s));
        assert.deepEqual(tipText, advice.map((s) => `Tip: ${s.label}`), `${name} ${f.rule}: tips`);
        for (const s of advice) assert.ok(!buttons(root).some((b) => b.textContent === s.label), `${name}: advice as a button: ${s.label}`);
        // a click applies exactly the companion's suggestion at that index
        for (const b of suggest) b.click();
        assert.deepEqual(box.calls, expected.map(([, i]) => ['apply', f.id, i]));
        tips += advice.length;
        actions += suggest.length;
      });
    }
    assert.ok(tips >= 4 && actions >= 4, `the fixture has both kinds (tips ${tips}, actions ${actions})`);
  });

  it('"how it matched" names the matched words, never [object Object]', () => {
    for (const { name, reply } of replies) {
      reply.findings.forEach((f, index) => {
        const { card, root } = newCard();
        card.showFinding(fakeBox(reply), index);
        const text = root.innerText;
        assert.ok(!text.includes('[object Object]') && !text.includes('undefined'), `${name} ${f.rule}: ${text}`);
        const how = root.querySelector('.how')?.textContent ?? '';
        assert.ok(how, `${name} ${f.rule}: has a "how it matched" line`);
        for (const c of f.detail?.context ?? []) assert.ok(how.includes(typeof c === 'string' ? c : c.text), `${name}: ${how}`);
      });
    }
    const combo = replies.find((r) => r.name === 'confidential-fuzzy-and-safety-combination').reply;
    const { card, root } = newCard();
    card.showFinding(fakeBox(combo), combo.findings.findIndex((f) => f.rule === 'base.safety.night-place'));
    assert.match(root.querySelector('.how').textContent, /nearby words: “parking lot” \(place\), “4 am” \(night\)/);
  });

  it('no referrals on a card about the writer\'s safety or beside an escalation; elsewhere they are offered', () => {
    let offered = 0;
    for (const { name, reply } of replies) {
      const blocked = reply.findings.some((f) => f.category === 'safety' || f.category === 'escalation');
      const views = reply.findings.map((_, i) => (card) => card.showFinding(fakeBox(reply), i));
      views.push((card) => card.showSummary(fakeBox(reply)));
      for (const show of views) {
        const { card, root } = newCard();
        show(card);
        const refs = byAction(root, 'ref:');
        if (blocked || !reply.referrals.length) {
          assert.equal(refs.length, 0, `${name}: referral shown`);
          assert.ok(!root.textContent.includes('Send the customer to'), name);
        } else {
          assert.deepEqual(refs.map((b) => b.textContent), reply.referrals.map(() => 'Insert link'), name);
          offered += 1;
        }
      }
    }
    assert.ok(offered >= 2, 'some answers with referrals and no safety/escalation finding');
    assert.ok(replies.find((r) => r.name === 'safety-with-referral').reply.referrals.length, 'the safety draft does carry a referral');
  });

  it('findings kept from an earlier check say they were not re-checked', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    const { card, root } = newCard();
    card.showFinding(fakeBox(reply, { stale: true }), 0);
    assert.equal(root.querySelector('.note').textContent, 'Not re-checked: stale note.');
    const fresh = newCard();
    fresh.card.showFinding(fakeBox(reply), 0);
    assert.equal(fresh.root.querySelector('.stale'), null);
  });
});

describe('card: the confirm view', () => {
  it('fresh critical findings: Edit / Post anyway', () => {
    const { reply } = replies.find((r) => r.name === 'personal-data-pattern');
    const { card, root } = newCard();
    let edited = 0;
    card.showConfirm(fakeBox(reply), new Element('button'), reply.findings, { onEdit: () => { edited += 1; }, onPost: () => {} });
    assert.deepEqual(buttons(root).map((b) => b.getAttribute('data-action')), ['edit', 'post-anyway']);
    assert.match(root.innerText, /This draft still has a problem/);
    assert.equal(card.snapshot().variant, 'findings');
    buttons(root)[0].click();
    assert.equal(edited, 1);
  });

  it('kept findings the companion could not re-check are held and say so', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    const { card, root } = newCard();
    card.showConfirm(fakeBox(reply), new Element('button'), reply.findings, { onEdit: () => {}, onPost: () => {} },
      { stale: true, reason: 'companion not running' });
    assert.match(root.innerText, /could not re-check this draft \(companion not running\).*not re-checked/s);
    assert.ok(root.innerText.includes(reply.findings[0].excerpt));
    assert.equal(card.snapshot().variant, 'stale');
  });

  it('a draft that could not be checked at all: Wait / Post anyway', () => {
    const { card, root } = newCard();
    let posted = 0;
    card.showConfirm(fakeBox({ findings: [], referrals: [] }), new Element('button'), [], { onEdit: () => {}, onPost: () => { posted += 1; } },
      { unchecked: true, reason: 'companion not running' });
    assert.deepEqual(buttons(root).map((b) => [b.textContent, b.getAttribute('data-action')]), [['Wait', 'wait'], ['Post anyway', 'post-anyway']]);
    assert.match(root.innerText, /PostGuard could not check this draft \(companion not running\)/);
    buttons(root)[1].click();
    assert.equal(posted, 1);
  });
});
