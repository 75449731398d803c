// @ts-check
// Firefox's entry (manifest.firefox.json "background.scripts": Firefox runs MV3 backgrounds as event
// pages, not service workers) and everything the background does differently in Firefox. Chromium's
// twin is service-worker.js; main.js is the same in both.
import { startBackground } from './main.js';

/** Firefox's own namespace: `sidebarAction` has no `chrome.*` twin. */
const firefox = () => /** @type {any} */ (globalThis).browser;

startBackground({
  // sidebarAction.open() works only inside a user action; a message from a content script is not
  // one, so the card's button is refused and the card tells the user to use the toolbar button.
  openSidePanel: () => firefox().sidebarAction.open(),
  openSidePanelFromToolbar() {
    chrome.action.onClicked.addListener(() => { firefox().sidebarAction.toggle(); });
  },
  closeLocalStorageToContentScripts() {
    // Firefox has no access levels for storage.local (see docs/security.md): content scripts could
    // read it. PostGuard's never do (they ask the background); the companion takes the token only
    // with the Origin of the add-on that paired (companion/api/security.py).
  },
});
