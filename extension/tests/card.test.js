// The in-page card rendered against REAL companion answers: fixtures/check-responses.json is written
// by tests/test_extension_card_fixture.py from the companion's own /v1/check (every finding
// category), passed here through the worker's real check handler, exactly as the content script
// receives it.
import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
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
    ignore: () => {}, setActive: () => {},
    calls, ...extra,
  };
}

/** @param {{pauseAllowed?: boolean, pauseSite?: (d: string, el: any) => void}} [page] the page's actions */
function newCard(page = {}) {
  const cards = new Element('div');
  const layer = /** @type {any} */ ({ cards, shadow: { get activeElement() { return doc.activeElement; } }, announce: () => {} });
  const actions = { pauseAllowed: () => page.pauseAllowed ?? true, pauseSite: page.pauseSite ?? (() => {}), openSidePanel: () => {} };
  const card = createCard(layer, { actions });
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
    card.showFinding(fakeBox(combo), combo.findings.findIndex((f) => f.rule === 'base.safety.alone-out-at-night'));
    assert.match(root.querySelector('.how').textContent, /nearby words: “alone” \(alone\), “parking lot” \(out\), “4 am” \(night\)/);
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
    assert.ok(replies.some((r) => r.reply.referrals.length && r.reply.findings.some((f) => f.category === 'safety' || f.category === 'escalation')),
      'some draft with a safety or escalation finding does carry a referral (and it is not shown)');
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
  const noop = () => {};
  it('fresh critical findings: one sentence, Fix and post, Edit (focused), Post anyway…', () => {
    const { reply } = replies.find((r) => r.name === 'personal-data-pattern');
    const { card, root } = newCard();
    const log = [];
    const f = reply.findings[0];
    card.showConfirm(fakeBox(reply), new Element('button'), reply.findings,
      { onEdit: () => log.push('edit'), onPost: (r) => log.push(['post', r]), onFix: () => log.push('fix') },
      { fix: { label: f.suggestions[0].label } });
    assert.deepEqual(buttons(root).map((b) => b.getAttribute('data-action')), ['fix-post', 'edit', 'post-anyway']);
    assert.equal(root.querySelector('.msg').textContent, `${f.message.replace(/\.$/, '')}.`);
    assert.equal(root.querySelector('.fix').textContent, `Fix: ${f.suggestions[0].label}`);
    assert.equal(root.innerText.split(f.excerpt).length - 1, f.message.includes(f.excerpt) ? 1 : 0, 'the excerpt is not repeated');
    assert.equal(card.snapshot().variant, 'findings');
    assert.equal(doc.activeElement.getAttribute('data-action'), 'edit');
    byAction(root, 'fix-post')[0].click();
    byAction(root, 'edit')[0].click();
    assert.deepEqual(log, ['fix', 'edit']);
  });

  it('Post anyway on a critical finding asks for an optional reason first, then posts with it (or none)', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    for (const pick of [null, 'approved', 'not_what_it_looks_like', 'other']) {
      const { card, root } = newCard();
      const posted = [];
      card.showConfirm(fakeBox(reply), new Element('button'), reply.findings, { onEdit: noop, onFix: noop, onPost: (r) => posted.push(r) });
      byAction(root, 'post-anyway')[0].click();
      assert.deepEqual(posted, [], 'one click never posts a critical finding');
      assert.equal(card.snapshot().step, 'reason');
      assert.deepEqual(byAction(root, 'reason:').map((b) => b.textContent), ['It’s approved', 'It’s not what it looks like', 'Other']);
      assert.equal(root.querySelector('.choices').getAttribute('role'), 'radiogroup');
      if (pick) byAction(root, `reason:${pick}`)[0].click();
      assert.deepEqual(byAction(root, 'reason:').filter((b) => b.getAttribute('aria-checked') === 'true').map((b) => b.getAttribute('data-action')), pick ? [`reason:${pick}`] : []);
      byAction(root, 'post-confirm')[0].click();
      assert.deepEqual(posted, [pick]);
    }
  });

  it('Back returns to the first step; no fix offered without an edit', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    const { card, root } = newCard();
    card.showConfirm(fakeBox(reply), new Element('button'), reply.findings, { onEdit: noop, onFix: noop, onPost: noop }, { fix: null });
    assert.deepEqual(buttons(root).map((b) => b.getAttribute('data-action')), ['edit', 'post-anyway']);
    byAction(root, 'post-anyway')[0].click();
    byAction(root, 'back')[0].click();
    assert.equal(card.snapshot().step, 'first');
    assert.deepEqual(buttons(root).map((b) => b.getAttribute('data-action')), ['edit', 'post-anyway']);
  });

  it('kept findings the companion could not re-check are held and say so, in one sentence', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    const { card, root } = newCard();
    card.showConfirm(fakeBox(reply), new Element('button'), reply.findings, { onEdit: noop, onPost: noop, onFix: noop },
      { stale: true, reason: 'companion not running' });
    assert.equal(root.querySelector('.msg').textContent, `Not re-checked (companion not running): ${reply.findings[0].message.replace(/\.$/, '')}.`);
    assert.equal(card.snapshot().variant, 'stale');
  });

  it('several findings: the first one and how many more', () => {
    const { reply } = replies.find((r) => r.name === 'confidential-exact');
    const two = [reply.findings[0], { ...reply.findings[0], id: 'b' }];
    const { card, root } = newCard();
    card.showConfirm(fakeBox(reply), new Element('button'), two, { onEdit: noop, onPost: noop, onFix: noop });
    assert.match(root.querySelector('.msg').textContent, /\(and 1 more problem\)\.$/);
  });

  it('a draft that could not be checked at all: Wait / Post anyway (one click: nothing was found)', () => {
    const { card, root } = newCard();
    let posted = 0;
    card.showConfirm(fakeBox({ findings: [], referrals: [] }), new Element('button'), [], { onEdit: noop, onFix: noop, onPost: () => { posted += 1; } },
      { unchecked: true, reason: 'companion not running' });
    assert.deepEqual(buttons(root).map((b) => [b.textContent, b.getAttribute('data-action')]), [['Wait', 'wait'], ['Post anyway', 'post-anyway']]);
    assert.match(root.innerText, /PostGuard could not check this draft \(companion not running\)/);
    buttons(root)[1].click();
    assert.equal(posted, 1);
  });
});

describe('card: the ⋯ menu', () => {
  it('pausing is in the menu (1 hour, today, until turned back on), never beside Ignore', () => {
    const r = replies.find((x) => x.name === 'confidential-exact').reply;
    const paused = [];
    const box = fakeBox(r);
    const { card, root } = newCard({ pauseAllowed: true, pauseSite: (d, el) => { assert.equal(el, box.el); paused.push(d); } });
    card.showFinding(box, 0);
    const actions = root.querySelector('.actions');
    assert.ok(!actions.querySelectorAll('button').some((b) => /pause/i.test(b.textContent)), 'no pause button among the actions');
    const visible = () => card.snapshot().buttons.map((b) => b.action);
    assert.ok(!visible().some((a) => a.startsWith('pause:')), 'the menu starts closed');
    byAction(root, 'more')[0].click();
    assert.deepEqual(byAction(root, 'pause:').map((b) => b.textContent), ['Pause on X for 1 hour', 'Pause on X for today', 'Pause on X until I turn it back on']);
    assert.ok(visible().includes('pause:today'));
    byAction(root, 'pause:today')[0].click();
    assert.deepEqual(paused, ['today']);
  });
  it('IT forbids pausing: no pause items at all (summary too)', () => {
    const r = replies.find((x) => x.name === 'confidential-exact').reply;
    for (const show of [(c, b) => c.showFinding(b, 0), (c, b) => c.showSummary(b)]) {
      const { card, root } = newCard({ pauseAllowed: false });
      show(card, fakeBox(r));
      assert.equal(byAction(root, 'pause').length, 0);
      assert.deepEqual(byAction(root, 'panel').map((b) => b.textContent), ['Open side panel']);
    }
  });
  it('the summary marks each finding with its severity and shows the shortcut', () => {
    const r = replies.find((x) => x.name === 'confidential-fuzzy-and-safety-combination').reply;
    const { card, root } = newCard();
    card.showSummary(fakeBox(r));
    const items = root.querySelectorAll('ul.list li');
    assert.deepEqual(items.map((li) => li.querySelector('.sev').className), r.findings.map((f) => `sev ${f.severity}`));
    assert.deepEqual(byAction(root, 'finding:').map((b) => b.getAttribute('aria-label').split(':')[0]), r.findings.map((f) => f.severity));
    assert.match(root.querySelector('.hint').textContent, /Ctrl\+Shift\+\./);
  });
});
