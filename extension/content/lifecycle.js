// @ts-check
// One site page's PostGuard, following the settings: watching the boxes (main.js's watch), paused
// (paused.js: the "Paused · Resume" chip, the undo toast), or off (IT's disabledSites). The settings
// come from the worker (content scripts may not read chrome.storage) and are read again whenever it
// says they changed, and when a timed pause is over.
import { CONTENT_KIND, KIND, failure } from '../protocol.js';
import { PAUSE_CHOICES } from '../format.js';
import { send } from '../messaging.js';
import { resolveSettings } from '../background/settings.js';
import { platformLabel } from '../vocabulary.js';
import { showPaused } from './paused.js';
import { t } from '../i18n.js';

/** @typedef {import('../protocol.js').Settings & {pauses?: Record<string, number|null>, allowPause?: boolean}} Settings */
/** @typedef {{stopped: boolean, stop: () => void, update: (s: Settings) => void, insert: (text: string, canned?: boolean) => Promise<any>, draft: () => any, announce: (text: string) => void}} Watcher */

/** What a page runs with when the worker does not answer (extension reloading): the defaults,
 * resolved like the worker's; checks will say why they fail. */
const FALLBACK = resolveSettings({}, {});

/**
 * @param {import('./sites/index.js').Site} site
 * @param {(site: import('./sites/index.js').Site, s: Settings, hooks: {pauseSite: (duration: string, el: HTMLElement) => void}) => Watcher} watch
 */
export async function runSite(site, watch) {
  const name = platformLabel(site.id);
  /** @type {Watcher|null} */
  let running = null;
  /** @type {ReturnType<typeof showPaused>|null} */
  let paused = null;
  let loads = 0;

  /** @param {Settings} s @param {string} [justPaused] the duration just picked (undo toast) @param {HTMLElement} [box] where */
  function apply(s, justPaused, box) {
    const off = s.disabledSites.includes(site.id);
    const isPaused = !off && s.pausedSites.includes(site.id);
    if (off || isPaused) {
      if (running && !running.stopped) running.stop();
      running = null;
    }
    if (!isPaused) { paused?.stop(); paused = null; }
    if (isPaused) {
      paused ??= showPaused(site, name, { onResume: () => resume(), onExpired: () => load() });
      if (box) paused.follow(box);
      paused.update(s.pauses?.[site.id] ?? null, s.testHooks);
      const choice = PAUSE_CHOICES.find((c) => c.duration === justPaused);
      if (choice) paused.toast(`PostGuard is paused on ${name} ${choice.label}.`);
    } else if (!off) {
      if (!running || running.stopped) running = watch(site, s, { pauseSite });
      else running.update(s);
    }
  }

  /** @param {string} duration @param {HTMLElement} box  the box whose card paused: the paused chip goes there, typing goes on */
  async function pauseSite(duration, box) {
    const r = await send({ kind: KIND.setSitePaused, site: site.id, paused: true, duration: /** @type {any} */ (duration) });
    if (r.ok) {
      apply(r.settings, duration, box);
      if (box.isConnected) box.focus({ preventScroll: true });
    }
    else running?.announce(t('pauseRefused', r.error.message));
  }

  async function resume() {
    const r = await send({ kind: KIND.setSitePaused, site: site.id, paused: false });
    if (r.ok) {
      apply(r.settings);
      running?.announce(t('pauseResumed', name));
    }
  }

  async function load() {
    const mine = ++loads;
    const r = await send({ kind: KIND.getSettings });
    if (mine !== loads) return; // a newer read is on its way: never apply an older answer after it
    if (!r.ok) {
      if (!running || running.stopped) running = watch(site, FALLBACK, { pauseSite });
      return;
    }
    apply(r.settings);
  }

  // settings changes come from the worker: this script may not read chrome.storage (service-worker.js)
  chrome.runtime.onMessage.addListener((msg, sender) => {
    if (msg?.kind === CONTENT_KIND.settingsChanged && sender.id === chrome.runtime.id) load();
    return false;
  });
  // the side panel (an extension page) inserts canned replies and referral links into the active box
  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    // only this extension's own pages (the side panel; content scripts cannot reach tabs.sendMessage)
    const fromPanel = sender.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(chrome.runtime.getURL(''));
    if (msg?.kind === CONTENT_KIND.readDraft && fromPanel) {
      // only when the user ticked "Include my draft" for a hand-off; the panel keeps it in memory only
      sendResponse(running && !running.stopped ? running.draft() : failure('paused', `PostGuard is off on ${site.id}.`));
      return false;
    }
    if (!msg || msg.kind !== CONTENT_KIND.insertText || !fromPanel) return false;
    if (typeof msg.text !== 'string' || !msg.text) { sendResponse(failure('bad_request', 'text must be a non-empty string')); return false; }
    if (!running || running.stopped) { sendResponse(failure('paused', `PostGuard is off on ${site.id}; copy the reply instead.`)); return false; }
    running.insert(msg.text, msg.canned === true).then(sendResponse, (e) => sendResponse(failure('internal', String(e))));
    return true;
  });
  await load();
}
