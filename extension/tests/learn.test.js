import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourSteps } from '../learn/tour-steps.js';

const TOUR = {
  pack: { id: 'tiny', revision: 3, title: 'Tiny policy' },
  policy_url: 'https://intranet.tiny.example/social',
  categories: [
    { category: 'confidential', rule: 'conf.blue-heron', why: 'The new kettle, unreleased.', message: 'm', severity: 'critical',
      flag: 'Blue Heron is gorgeous', pass: 'A blue heron at the lake', practice: [] },
    { category: 'tone', rule: 'base.tone.hostile', why: 'Stay calm.', message: 'm', severity: 'warning', flag: 'lol good luck', pass: null, practice: [] },
  ],
};

describe('the tour from the pack', () => {
  it('says what is checked with the pack\'s own why texts, then one flag and one pass example per category', () => {
    const [checks, examples] = tourSteps(TOUR, { shortcut: 'Ctrl+Shift+.' });
    assert.deepEqual(checks.blocks.filter((b) => b.kind === 'category'), [
      { kind: 'category', category: 'confidential', label: 'Confidential', why: 'The new kettle, unreleased.' },
      { kind: 'category', category: 'tone', label: 'Tone', why: 'Stay calm.' },
    ]);
    assert.match(checks.blocks[0].text, /“Tiny policy”/);
    assert.deepEqual(examples.blocks.filter((b) => b.kind === 'examples').map((b) => [b.flag, b.pass]),
      [['Blue Heron is gorgeous', 'A blue heron at the lake'], ['lol good luck', null]]);
  });

  it('links the policy when the pack names it, and says to ask when it does not', () => {
    const policy = tourSteps(TOUR).find((s) => s.id === 'policy');
    assert.deepEqual(policy.blocks.at(-1), { kind: 'link', href: 'https://intranet.tiny.example/social', text: 'Read Tiny policy' });
    const none = tourSteps({ ...TOUR, policy_url: null }).find((s) => s.id === 'policy');
    assert.ok(none.blocks.every((b) => b.kind === 'p') && /Ask your social-media team/.test(none.blocks[0].text));
  });

  it('ends with ignore, pause and hand over, then the practice box', () => {
    const steps = tourSteps(TOUR, { shortcut: 'Ctrl+Shift+.' });
    assert.deepEqual(steps.map((s) => s.id), ['checks', 'examples', 'policy', 'actions', 'try']);
    const words = steps[3].blocks.map((b) => b.text).join(' ');
    for (const w of ['Ignore', 'Pause', 'Send to', 'Ctrl+Shift+.']) assert.ok(words.includes(w), w);
    assert.deepEqual(steps[4].blocks.at(-1), { kind: 'link', href: 'practice.html', text: 'Open the practice box' });
  });
});

describe('the practice box\'s state', async () => {
  const { drills, nextOpen, passes, progressText } = await import('../learn/practice-state.js');
  const cat = { ...TOUR.categories[0], practice: [
    { rule: 'conf.blue-heron', text: 'Blue Heron is gorgeous', platform: 'facebook', surface: 'post' },
    { rule: 'conf.blue-heron', text: 'blue heron ships soon', platform: 'facebook', surface: 'post' },
  ] };

  it('passes with nothing at warning or above; a tip may stay', () => {
    assert.equal(passes([]), true);
    assert.equal(passes([{ severity: 'info' }]), true);
    assert.equal(passes([{ severity: 'info' }, { severity: 'warning' }]), false);
    assert.equal(passes([{ severity: 'critical' }]), false);
  });

  it('counts what is fixed and finds the next draft to fix, wrapping, until none is left', () => {
    const list = drills(cat);
    assert.deepEqual(list.map((d) => [d.original, d.done]), [['Blue Heron is gorgeous', false], ['blue heron ships soon', false]]);
    assert.equal(progressText(list), '0 of 2 fixed');
    assert.equal(nextOpen(list, 0), 1);
    list[1].done = true;
    assert.equal(nextOpen(list, 1), 0);
    assert.equal(progressText(list), '1 of 2 fixed');
    list[0].done = true;
    assert.equal(nextOpen(list, 0), -1);
    assert.equal(progressText(list), 'All 2 fixed. Well done.');
  });
});

describe('what changed', async () => {
  const { decide, digestGroups } = await import('../learn/whats-new.js');
  const changes = { pack: { id: 'tiny', revision: 4 }, from: { id: 'tiny', revision: 3 },
    digest: { terms: [{ change: 'added', reason: 'The store-closure plan, not announced.' }],
      rules: [{ change: 'changed', rule: 'tone.rude', message: 'Rude to a customer.', why: 'Be kind.' }],
      replies: [{ change: 'added', id: 'thanks', title: 'Thanks for the idea' }],
      links: [{ change: 'added', title: 'Ideas', url: 'https://tiny.example/ideas' }], escalation: [] } };

  it('shows a new revision once: not for the first pack seen, not after it was acknowledged', () => {
    assert.equal(decide(changes, undefined), 'acknowledge');
    assert.equal(decide(changes, { id: 'tiny', revision: 3 }), 'show');
    assert.equal(decide(changes, { id: 'tiny', revision: 4 }), 'nothing');
    assert.equal(decide({ ...changes, digest: null }, { id: 'tiny', revision: 3 }), 'acknowledge');   // restarted: no digest to show
    assert.equal(decide(changes, { id: 'other', revision: 9 }), 'acknowledge');
  });

  it('says a new term by its reason, rules by their message, new replies and links', () => {
    assert.deepEqual(digestGroups(changes.digest), [
      { title: 'Confidential', items: ['A new confidential term: The store-closure plan, not announced.'] },
      { title: 'Rules', items: ['Rule changed: Rude to a customer. (Be kind.)'] },
      { title: 'Canned replies', items: ['Reply added: Thanks for the idea'] },
      { title: 'Links', items: ['Link added: Ideas (https://tiny.example/ideas)'] },
    ]);
  });
});
