// "Report this post": the context menu's registration (contexts, the four sites only, the default
// contact first, one item per escalation topic) and its click (the hand-off with the post's address
// and the selected text, counted by topic).
import './locale.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONTEXTS, MENU_ID, SITE_PATTERNS, createReportMenu, menuItems, postUrl } from '../background/report-menu.js';

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8'));
const PACK = {
  escalation_matrix: [
    { topic: 'legal_threat', title: 'Legal threat', owner: 'Legal', contact: 'legal@nimbusco.example', respond_within: '4h' },
    { topic: 'threat', title: 'Threat of violence', owner: 'Corporate Security', contact: 'security@nimbusco.example', respond_within: '15m' },
  ],
  social_media_team: { owner: 'Social media team', contact: 'social@nimbusco.example', respond_within: '4h', instructions: 'Have a look.' },
};

function fakeMenus() {
  /** @type {any[]} */
  const items = [];
  return {
    items,
    async removeAll() { items.length = 0; },
    create(/** @type {any} */ item, /** @type {() => void} */ done) { assert.ok(!items.some((i) => i.id === item.id), `duplicate ${item.id}`); items.push(item); done?.(); return item.id; },
  };
}

function setup(pack = PACK) {
  const menus = fakeMenus();
  /** @type {string[]} */
  const opened = [];
  /** @type {unknown[]} */
  const recorded = [];
  const deps = {
    menus,
    client: { pack: async () => { if (!pack) throw new Error('companion away'); return pack; } },
    openUrl: async (/** @type {string} */ url) => { opened.push(url); },
    records: { add: (/** @type {any[]} */ e) => { recorded.push(...e); return e.length; } },
    now: () => Date.UTC(2026, 10, 23, 14, 5),
  };
  return { menu: createReportMenu(/** @type {any} */ (deps)), menus, opened, recorded };
}

const body = (/** @type {string} */ url) => new URL(url).searchParams.get('body') ?? '';

test('the menu shows on the four sites only, for a page, a selection or a link', () => {
  assert.deepEqual([...SITE_PATTERNS], manifest.content_scripts[0].matches);
  assert.deepEqual([...CONTEXTS].sort(), ['link', 'page', 'selection']);
  for (const item of menuItems(PACK)) {
    assert.deepEqual(item.documentUrlPatterns, [...SITE_PATTERNS], item.id);
    assert.deepEqual(item.contexts, [...CONTEXTS], item.id); // a child with fewer contexts would vanish on a selection
  }
});

test('the default contact comes first, then one item per escalation topic', async () => {
  const { menu, menus } = setup();
  await menu.refresh();
  await menu.refresh(); // built again (after pairing): no duplicate ids
  assert.deepEqual(menus.items.map((i) => [i.id, i.parentId ?? null, i.title]), [
    [MENU_ID, null, 'Report this post'],
    [`${MENU_ID}:social_media_team`, MENU_ID, 'To Social media team (default)'],
    [`${MENU_ID}:legal_threat`, MENU_ID, 'Legal threat: send to Legal'],
    [`${MENU_ID}:threat`, MENU_ID, 'Threat of violence: send to Corporate Security'],
  ]);
});

test('with the companion away the menu still offers the social-media team', async () => {
  const { menu, menus } = setup(null);
  await menu.refresh();
  assert.deepEqual(menus.items.map((i) => i.title), ['Report this post', 'To your social-media team (default)']);
});

test('the post\'s address: a link on the same site it was right-clicked on, else the page; no query', () => {
  assert.equal(postUrl({ pageUrl: 'https://x.com/home?s=1', linkUrl: 'https://x.com/sam/status/9?ref=t#x' }), 'https://x.com/sam/status/9');
  assert.equal(postUrl({ pageUrl: 'https://x.com/sam/status/9?s=1', linkUrl: 'https://example.com/ad' }), 'https://x.com/sam/status/9');
  assert.equal(postUrl({ pageUrl: 'https://www.facebook.com/' }), 'https://www.facebook.com/');
});

test('a picked topic opens its row\'s message with the post and the selected words, counted by topic', async () => {
  const { menu, opened, recorded } = setup();
  const got = await menu.clicked({ menuItemId: `${MENU_ID}:legal_threat`, pageUrl: 'https://x.com/sam/status/9?t=1',
    selectionText: 'My lawyer will be in touch' }, { url: 'https://x.com/sam/status/9' });
  assert.deepEqual(got, { ok: true, owner: 'Legal' });
  assert.ok(opened[0].startsWith('mailto:legal@nimbusco.example?subject='), opened[0]);
  const b = body(opened[0]);
  for (const part of ['Topic: Legal threat', 'Conversation: https://x.com/sam/status/9\r\n', 'What they wrote:\r\nMy lawyer will be in touch', 'Time: 2026-11-23 14:05 UTC']) {
    assert.ok(b.includes(part), part);
  }
  assert.ok(!b.includes('My draft'));
  assert.deepEqual(recorded, [{ event: 'handoff', topic: 'legal_threat' }]);
});

test('the default contact: the pack\'s social-media team; with no selection it says it saw no words', async () => {
  const { menu, opened, recorded } = setup();
  await menu.clicked({ menuItemId: `${MENU_ID}:social_media_team`, pageUrl: 'https://www.instagram.com/p/abc123/' }, undefined);
  assert.ok(opened[0].startsWith('mailto:social@nimbusco.example?'), opened[0]);
  const b = body(opened[0]);
  assert.ok(b.includes('Topic: Post to look at') && b.includes('Conversation: https://www.instagram.com/p/abc123/'));
  assert.ok(b.includes('What they wrote: (PostGuard did not see') && b.includes('What to do (policy): Have a look.'));
  assert.deepEqual(recorded, [{ event: 'handoff', topic: 'social_media_team' }]);
});

test('a topic gone from the pack goes to the default contact; other menus\' clicks are not ours', async () => {
  const { menu, opened } = setup();
  await menu.clicked({ menuItemId: `${MENU_ID}:copyright`, pageUrl: 'https://x.com/a/status/1' }, undefined);
  assert.ok(opened[0].startsWith('mailto:social@nimbusco.example?'));
  assert.equal(await menu.clicked({ menuItemId: 'someone-else', pageUrl: 'https://x.com/' }, undefined), null);
  assert.equal(opened.length, 1);
});

test('no pack, no address: a message the user addresses, without a "Respond within" it cannot know', async () => {
  const { menu, opened } = setup(null);
  await menu.clicked({ menuItemId: `${MENU_ID}:social_media_team`, pageUrl: 'https://www.linkedin.com/feed/', selectionText: 'hi' }, undefined);
  assert.ok(opened[0].startsWith('mailto:?subject='), opened[0]);
  assert.ok(!body(opened[0]).includes('Respond within'));
});
