// @ts-check
// MV3 service worker: one message listener over the handler map. Listeners are registered at the
// top level, synchronously, because the worker can be evicted after ~30 s idle and is woken by
// onMessage (browser-integration.md, section D). No state lives in globals that matters after
// eviction: settings are re-read from storage, reports live in chrome.storage.session.
import { createCompanionClient } from './companion-client.js';
import { createHandlers, dispatch } from './handlers.js';
import { createSettingsStore } from './settings.js';
import { createRecorder } from './records.js';
import { CONTENT_KIND } from '../protocol.js';
import { sendToTab } from '../messaging.js';

// Content scripts run inside the social sites' renderer processes; chrome.storage.local holds the
// pairing token, so only the extension's own pages and this worker may read it (Chrome 140+; older
// versions reject the call and keep the default, see docs/security.md). Content scripts get their
// settings through getSettings and hear of changes from tellContentScripts below.
chrome.storage.local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});

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
  session: chrome.storage.session, // "hello proof verified" for this port + token survives a worker restart
});
const handlers = createHandlers({
  client,
  settings,
  local: chrome.storage.local,
  session: chrome.storage.session,
  openSidePanel: (tabId) => chrome.sidePanel.open({ tabId }),
  extensionOrigin: chrome.runtime.getURL(''),
  records: createRecorder({ send: (body) => client.records(body) }),
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  dispatch(handlers, msg, sender).then(sendResponse);
  return true; // async reply
});

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'session') return; // per-tab reports and the unsafe-site list: content scripts don't read them
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
chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});

// For the e2e tests and the console: `await postguard.settings()` in the worker.
Object.assign(globalThis, { postguard: { settings: () => settings.get(), health: () => client.health(), managedRead: settings.managedRead } });
