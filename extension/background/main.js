// @ts-check
// The extension's background, the same in every browser: one message listener over the handler map.
// Chromium runs it as an MV3 service worker (service-worker.js), Firefox as an event page
// (event-page.js); each entry passes in the few things its browser does differently. Listeners are registered
// synchronously while the entry module runs, because the background can be evicted after ~30 s idle
// and is woken by onMessage. No state lives in globals that
// matters after eviction: settings are re-read from storage, reports live in chrome.storage.session.
import { createCompanionClient } from './companion-client.js';
import { createHandlers, dispatch } from './handlers.js';
import { createSettingsStore } from './settings.js';
import { createRecorder } from './records.js';
import { createReportMenu } from './report-menu.js';
import { CONTENT_KIND } from '../protocol.js';
import { sendToTab } from '../messaging.js';

/**
 * What the background does differently per browser (each entry module passes its own).
 * @typedef {object} BrowserParts
 * @property {(tabId: number) => Promise<void>} openSidePanel  the card's "Open side panel" (may be refused without a user gesture)
 * @property {() => void} openSidePanelFromToolbar  the toolbar button opens the side panel
 * @property {() => void} closeLocalStorageToContentScripts  keep the pairing token out of the sites' renderers
 */

/**
 * Register every listener of the background. Call once, synchronously, from the entry module.
 * @param {BrowserParts} browser
 */
export function startBackground(browser) {
  // Content scripts run inside the social sites' renderer processes; chrome.storage.local holds the
  // pairing token, so only the extension's own pages and the background should read it (see the
  // entry modules and docs/security.md). Content scripts get their settings through getSettings and
  // hear of changes from tellContentScripts below.
  browser.closeLocalStorageToContentScripts();

  const settings = createSettingsStore({
    managed: chrome.storage.managed,
    local: chrome.storage.local,
    session: chrome.storage.session,
  });
  const client = createCompanionClient({
    getPort: async () => (await settings.get()).port,
    getToken: async () => {
      const { companionToken } = await chrome.storage.local.get('companionToken');
      return typeof companionToken === 'string' && companionToken ? companionToken : undefined;
    },
    getPairingSecret: () => settings.pairingSecret(), // zero-touch pairing (managed pairingSecret)
    setToken: (token) => chrome.storage.local.set({ companionToken: token }),
    session: chrome.storage.session, // "hello proof verified" for this port + token survives a restart
  });
  const records = createRecorder({ send: (body) => client.records(body) });
  /** @param {string} url */
  const openUrl = (url) => chrome.tabs.create({ url }); // the hand-off's mailto: / chat link, looked up at the call
  const handlers = createHandlers({
    client,
    settings,
    local: chrome.storage.local,
    session: chrome.storage.session,
    openSidePanel: browser.openSidePanel,
    extensionOrigin: chrome.runtime.getURL(''),
    records,
    openUrl,
  });

  // "Report this post" in the context menu on the four sites, built from the pack at every start
  const report = createReportMenu({ menus: chrome.contextMenus, client, openUrl, records, now: Date.now });
  chrome.contextMenus.onClicked.addListener((info, tab) => { report.clicked(info, tab); });
  report.refresh();

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    dispatch(handlers, msg, sender).then(sendResponse);
    return true; // async reply
  });

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'session') return;
    if (area === 'local' && changes.companionToken) report.refresh(); // paired: the pack's topics for the menu // per-tab reports and the unsafe-site list: content scripts don't read them
    (area === 'managed' ? settings.refreshManaged() : Promise.resolve()).then(tellContentScripts, tellContentScripts);
  });

  /** Ask the content scripts to read their settings again (pause, resume, port...). Without the "tabs"
   * permission tab URLs are hidden, so every tab is told; only ours answer (the others have no receiver). */
  async function tellContentScripts() {
    for (const tab of await chrome.tabs.query({})) {
      if (tab.id !== undefined) sendToTab(tab.id, { kind: CONTENT_KIND.settingsChanged });
    }
  }

  // First run: open the options page so a new user is led to pair with the companion.
  chrome.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === chrome.runtime.OnInstalledReason.INSTALL) chrome.runtime.openOptionsPage().catch(() => {});
  });

  chrome.tabs.onRemoved.addListener((tabId) => { chrome.storage.session.remove(`tab:${tabId}`); });

  // The toolbar button opens the side panel (the fallback list of findings).
  browser.openSidePanelFromToolbar();

  // For the e2e tests and the console: `await postguard.settings()` in the background.
  Object.assign(globalThis, { postguard: { settings: () => settings.get(), health: () => client.health(), managedRead: settings.managedRead,
    reportMenuClicked: report.clicked } });
}
