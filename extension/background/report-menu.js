// @ts-check
// "Report this post" in the browser's context menu on the four sites (issue 16): for a post the
// employee is only reading, not answering. Its submenu names the pack's default contact (the
// `social_media_team`, first) and every escalation topic; the pick opens the same pre-filled
// hand-off as the card's "Send to <owner>" (background/handoff.js) with the post's address and the
// selected text as the customer's words, and counts it in the local records by topic.
// The submenu is built from the pack whenever the background starts and after pairing; the row is
// looked up again in the current pack at the click.
import { TEAM_TOPIC, teamRow } from '../handoff.js';
import { t } from '../i18n.js';
import { conversationUrl, customerText, openHandoff } from './handoff.js';

export const MENU_ID = 'pg-report';
/** Right-click on the page, on selected text (the customer's words) or on a link (the post's own). */
export const CONTEXTS = /** @type {const} */ (['page', 'selection', 'link']);
/** The four sites, as the content script's matches in manifest.json (a node test keeps them equal). */
export const SITE_PATTERNS = Object.freeze([
  'https://x.com/*', 'https://twitter.com/*', 'https://www.facebook.com/*', 'https://www.linkedin.com/*', 'https://www.instagram.com/*',
]);

/**
 * The menu's items: the parent, the default contact, one per escalation topic.
 * @param {any} pack  GET /v1/pack's answer, or null when the companion is away or not paired
 * @returns {chrome.contextMenus.CreateProperties[]}
 */
export function menuItems(pack) {
  const contexts = /** @type {[chrome.contextMenus.ContextType, ...chrome.contextMenus.ContextType[]]} */ ([...CONTEXTS]);
  const where = { contexts, documentUrlPatterns: [...SITE_PATTERNS] };
  const team = teamRow(pack?.social_media_team);
  const rows = /** @type {import('../handoff.js').MatrixRow[]} */ (pack?.escalation_matrix ?? []);
  return [
    { id: MENU_ID, title: t('reportMenu'), ...where },
    { id: `${MENU_ID}:${TEAM_TOPIC}`, parentId: MENU_ID, title: t('reportMenuTeam', team.owner), ...where },
    ...rows.map((r) => ({ id: `${MENU_ID}:${r.topic}`, parentId: MENU_ID, title: t('reportMenuTopic', r.title, r.owner), ...where })),
  ];
}

/**
 * The post's address: the link right-clicked when it is on the same site (the post's time stamp or
 * permalink), else the page's; no query or fragment.
 * @param {{pageUrl?: string, linkUrl?: string}} info
 */
export function postUrl(info) {
  const page = conversationUrl(info.pageUrl);
  const link = conversationUrl(info.linkUrl);
  return link && page && new URL(link).host === new URL(page).host ? link : page;
}

/**
 * @param {{
 *   menus: Pick<typeof chrome.contextMenus, 'create' | 'removeAll'>,
 *   client: {pack: () => Promise<any>},
 *   openUrl: (url: string) => Promise<unknown>,
 *   records?: {add: (events: unknown) => number},
 *   now: () => number,
 * }} deps
 */
export function createReportMenu(deps) {
  const pack = () => deps.client.pack().catch(() => null); // away or not paired: the default contact only
  let building = Promise.resolve();

  /** Build the menu again from the current pack (one build at a time: ids must not collide). */
  function refresh() {
    building = building.then(async () => {
      const items = menuItems(await pack());
      await deps.menus.removeAll();
      for (const item of items) deps.menus.create(item, () => void globalThis.chrome?.runtime?.lastError);
    });
    return building;
  }

  /**
   * The menu's onClicked listener: open the hand-off for the picked row.
   * @param {{menuItemId: string|number, pageUrl?: string, linkUrl?: string, selectionText?: string}} info
   * @param {{url?: string}|undefined} tab
   */
  async function clicked(info, tab) {
    const id = String(info.menuItemId);
    if (!id.startsWith(`${MENU_ID}:`)) return null;
    const topic = id.slice(MENU_ID.length + 1);
    const current = await pack();
    const row = (topic !== TEAM_TOPIC && current?.escalation_matrix?.find((/** @type {any} */ r) => r.topic === topic))
      || teamRow(current?.social_media_team); // a topic gone from the pack since the menu was built: the default
    return openHandoff(deps, row, {
      url: postUrl(info) ?? conversationUrl(tab?.url),
      customerWords: customerText(info.selectionText),
      time: new Date(deps.now()),
    });
  }

  return { refresh, clicked };
}
