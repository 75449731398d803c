// @ts-check
// Content-script entry (bundled into dist/content.js). lifecycle.js decides between watching, paused
// and off; watch() puts the parts of a watched page together, each with one job:
//   page.js          the boxes and the render loop        side-panel.js   reports and inserts
//   post-controls.js the post guard at the site's controls hover.js        the card follows the mouse
//   answers.js       a typed answer posted (records)
//   card-keys.js     Ctrl+Shift+. and Escape              tab-order.js    the chip after its box
//   site-editing.js  may PostGuard edit here              test-hooks.js   data-pg-* for the tests
// and holds what they share: the settings, the companion watch, the card and the page's actions.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { installCardKeys } from './card-keys.js';
import { createCompanionWatch } from './companion-watch.js';
import { installHover } from './hover.js';
import { runSite } from './lifecycle.js';
import { createCard } from './overlay/card.js';
import { createLayer } from './overlay/layer.js';
import { createPage } from './page.js';
import { installPostControls } from './post-controls.js';
import { onPostedAnyway } from './override-events.js';
import { createRecords } from './records.js';
import { createAnswers } from './answers.js';
import { createSidePanelLink } from './side-panel.js';
import { createSiteEditing } from './site-editing.js';
import { siteForHost } from './sites/index.js';
import { installChipTabOrder } from './tab-order.js';
import { Stats, createTestHooks } from './test-hooks.js';
import { t } from '../i18n.js';

/** @typedef {import('../protocol.js').Settings} Settings */
/** @typedef {import('./sites/index.js').Site} Site */
/** @typedef {import('./lifecycle.js').Watcher} Watcher */

/** "Ignore" decisions for this page's life (kept across pause/resume and editor re-mounts). */
const ignored = new Set();
/** The local records' events (counts by rule, never text), for the page's life like `ignored`. */
const records = createRecords();
/** Answers typed by hand and posted (answers.js), for the page's life like `records`. */
const answers = createAnswers({ post: (events) => { send({ kind: KIND.record, events }); } });

/**
 * Watch one site. Returns a handle to stop everything (pause) and to pass new settings.
 * @param {Site} site
 * @param {Settings} initial
 * @param {{pauseSite: (duration: string, el: HTMLElement) => void}} hooks  lifecycle.js: pause this site (from this box)
 * @returns {Watcher}
 */
function watch(site, initial, hooks) {
  let settings = initial;
  const ac = new AbortController();
  const on = (/** @type {EventTarget} */ t, /** @type {string} */ type, /** @type {(e: any) => void} */ fn) => (
    t.addEventListener(type, fn, { capture: true, passive: false, signal: ac.signal }));
  const layer = createLayer('data-postguard', { open: initial.testHooks });
  const stats = new Stats();
  /** The pack's guidance for this site (the card's summary), asked again when the pack changes. */
  let guidance = /** @type {string[]} */ ([]);
  const loadGuidance = () => send({ kind: KIND.getGuidance, platform: site.id }).then((r) => {
    guidance = r.ok && Array.isArray(r.lines) ? r.lines : [];
    card.refresh();
  });
  /** What the card's buttons and menu do to the page (not to one box). */
  const actions = {
    pauseAllowed: () => settings.allowPause !== false,
    guidance: () => guidance,
    pauseSite: hooks.pauseSite,
    /** "This warning is wrong": counted with its reason, and the finding goes away like an ignored one. */
    markWrong(/** @type {any} */ box, /** @type {import('../protocol.js').Finding} */ f, /** @type {string|null} */ reason) {
      records.wrong(f, reason);
      box.ignore(f, { quiet: true });
    },
    /** "Send to <owner>": the worker opens the pre-filled message; the draft only when ticked. */
    handOff(/** @type {any} */ box, /** @type {string} */ topic, /** @type {boolean} */ includeDraft) {
      send({
        kind: KIND.handOff, topic, includeDraft,
        replyingTo: (box.spec.context ? box.spec.context(box.el) : null) || null,
        draft: includeDraft ? box.adapter.readText(box.el).text : null,
      }).then((r) => layer.announce(r.ok ? `A message to ${r.owner} opened: check it and send it yourself.` : `The hand-off did not open: ${r.error.message}`));
    },
    openSidePanel() {
      send({ kind: KIND.openSidePanel }).then((r) => {
        if (!r.ok) layer.announce(t('openSidePanelRefused'));
      });
    },
  };
  const card = createCard(layer, { actions, onChange: () => page.requestRender() });
  const editing = createSiteEditing({
    site, layer, unsafe: settings.unsafeSites.includes(site.id),
    onChange: () => { card.refresh(); panel.schedule(); page.requestRender(); },
  });
  const companion = createCompanionWatch({
    probe: () => send({ kind: KIND.getStatus }).finally(() => page.requestRender()), // test hooks show the probe
    focused: () => page.focused(),
    onRecovered: () => page.recheck(),
    onPackChanged: () => { page.clearCaches(); page.recheck(); loadGuidance(); },
  });
  const page = createPage({
    site, layer, card, on,
    env: { site, layer, ignored, records, watch: companion, stats, editing, openSummary: (box, kb) => card.showSummary(box, { focus: kb }) },
    onActive: () => { panel.schedule(); companion.wake(); },
    onFindings: () => panel.schedule(),
    afterRender: () => testHooks.write(),
  });
  const panel = createSidePanelLink({ site, page, editing, stats, answers });
  const testHooks = createTestHooks({
    layer, card, stats, watch: companion, boxes: page.boxes, unsafe: () => !editing.allowed,
    enabled: () => settings.testHooks, redraw: page.requestRender,
  });
  loadGuidance();
  installHover({ on, card, layer, boxes: page.boxes });
  installCardKeys({ card, on, boxOf: page.boxOf });
  installPostControls({ site, card, on, boxOf: page.boxOf, boxForControl: page.boxForControl, notifyOnly: () => settings.notifyOnly, posted: (box) => answers.posted(box) });
  const stopOverrides = onPostedAnyway((e) => records.overridden(e.items));
  installChipTabOrder({ on, boxOf: page.boxOf, chipKeys: layer.shadow, chipFor: (b) => (b.chip.el.hidden ? null : b.chip.el) });

  const handle = {
    stopped: false,
    stop() {
      if (handle.stopped) return;
      handle.stopped = true;
      ac.abort();
      stopOverrides();
      testHooks.stop();
      companion.stop();
      page.stop();
      panel.stop();
      layer.destroy();
    },
    /** @param {Settings} s */
    update(s) {
      const hooksOff = settings.testHooks && !s.testHooks;
      settings = s;
      editing.follow(s);
      // answers were given under the old settings (port, pairing): void them and ask again
      companion.reset();
      page.clearCaches();
      page.recheck();
      if (hooksOff) testHooks.clear();
      page.requestRender();
    },
    insert: panel.insert,
    draft: panel.draft,
    announce: (/** @type {string} */ t) => layer.announce(t),
  };
  return handle;
}

async function main() {
  const site = siteForHost(location.hostname);
  if (site) await runSite(site, watch);
}

const g = /** @type {any} */ (globalThis);
if (!g.__postguardContent) { // idempotent: never two copies in one page
  g.__postguardContent = true;
  main();
}
