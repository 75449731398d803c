// @ts-check
// Chromium's entry (manifest.json "background.service_worker") and everything the background does
// differently in Chromium. Firefox's twin is event-page.js; main.js is the same in both.
import { startBackground } from './main.js';

startBackground({
  openSidePanel: (tabId) => chrome.sidePanel.open({ tabId }),
  openSidePanelFromToolbar() {
    chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
  },
  closeLocalStorageToContentScripts() {
    // Chrome 140+; older versions reject the call and keep the default (docs/security.md).
    chrome.storage.local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});
  },
});
