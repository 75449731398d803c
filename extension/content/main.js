// @ts-check
// Content-script entry (bundled into dist/content.js). Finds the site's compose boxes, runs one
// BoxController per box, draws the overlay, shows the card on hover/keyboard (card-keys.js), and
// holds back a post that still has a critical finding until the user confirms (post-controls.js).
// lifecycle.js decides between watching, paused and off.
import { KIND, failure } from '../protocol.js';
import { BoxController } from './box.js';
import { installCardKeys } from './card-keys.js';
import { createCompanionWatch } from './companion-watch.js';
import { adapterFor } from './editors/index.js';
import { runSite } from './lifecycle.js';
import { send } from './messaging.js';
import { createCard } from './overlay/card.js';
import { createLayer } from './overlay/layer.js';
import { onPostedAnyway } from './override-events.js';
import { installPostControls } from './post-controls.js';
import { boxSpecFor, siteForHost } from './sites/index.js';
import { installChipTabOrder } from './tab-order.js';

/** @typedef {import('../protocol.js').Settings} Settings */
/** @typedef {import('./sites/index.js').Site} Site */

/** "Ignore" decisions for this page's life (kept across pause/resume and editor re-mounts). */
const ignored = new Set();

/**
 * Watch one site. Returns a handle to stop everything (pause) and to pass new settings.
 * @param {Site} site
 * @param {Settings & {allowPause?: boolean}} initial
 * @param {{pauseSite: (duration: string, el: HTMLElement) => void}} hooks  lifecycle.js: pause this site (from this box)
 */
function watch(site, initial, hooks) {
  let settings = initial;
  let unsafe = settings.unsafeSites.includes(site.id);
  const layer = createLayer();
  const card = createCard(layer, () => requestRender());
  /** @type {Map<Element, BoxController>} */
  const boxes = new Map();
  /** @type {BoxController|null} */
  let active = null;
  const selector = site.boxes.map((b) => b.selector).join(', ');
  const stats = { inputEvents: 0, inputMs: 0, maxInputMs: 0, renders: 0, renderMs: 0, maxRenderMs: 0, checks: 0, lastLatencyMs: /** @type {number|null} */ (null), lastEditPath: /** @type {string|undefined} */ (undefined), postedAnyway: /** @type {any} */ (null) };
  const ac = new AbortController();
  const handle = { stopped: false, stop, update, insert, announce: (/** @type {string} */ t) => layer.announce(t) };
  // test hooks only: the last "posted anyway" event (never kept otherwise)
  const unlisten = onPostedAnyway((e) => { if (settings.testHooks) { stats.postedAnyway = e; requestRender(); } });
  let frame = 0; // requestAnimationFrame id of the pending render
  let lastHooks = '';
  let reportTimer = /** @type {any} */ (null);
  let scanTimer = /** @type {any} */ (null);
  const watch = createCompanionWatch({
    probe: () => send({ kind: KIND.getStatus }).finally(() => requestRender()), // test hooks show the probe
    focused: () => !!active && active.el.isConnected && active.el.contains(document.activeElement),
    onRecovered: () => recheckBoxes(),
    onPackChanged: () => { for (const b of boxes.values()) b.checker.clearCache(); recheckBoxes(); },
  });
  const recheckBoxes = () => { for (const b of boxes.values()) if (b.needsRecheck()) b.recheck(); };
  const on = (/** @type {EventTarget} */ t, /** @type {string} */ type, /** @type {(e: any) => void} */ fn, capture = true) => (
    t.addEventListener(type, fn, { capture, passive: false, signal: ac.signal }));

  /** @type {import('./box.js').BoxContext} */
  const ctx = {
    site,
    layer,
    card,
    ignored,
    requestRender,
    stats,
    watch,
    boxChanged(box) {
      if (box === active) scheduleReport();
      if (card.view && card.view.box === box && card.view.kind !== 'confirm') card.refresh();
    },
    isUnsafe: () => unsafe,
    markUnsafe(reason) {
      if (unsafe) return;
      unsafe = true;
      send({ kind: KIND.markUnsafe, site: site.id, reason });
      layer.announce(`PostGuard stopped editing on this site: ${reason}. The side panel lists the findings.`);
      card.refresh();
      scheduleReport();
      requestRender();
    },
    pauseSite: (duration, el) => hooks.pauseSite(duration, el),
    pauseAllowed: () => settings.allowPause !== false,
    openSidePanel() {
      send({ kind: KIND.openSidePanel }).then((r) => {
        if (!r.ok) layer.announce('Open PostGuard from the browser toolbar to see the side panel.');
      });
    },
  };

  // ---- finding boxes --------------------------------------------------------------------------

  /** @param {Element} el */
  function consider(el) {
    let box = boxes.get(el);
    if (box) return box;
    const spec = boxSpecFor(site, el);
    const adapter = spec && adapterFor(el);
    if (!spec || !adapter) return null;
    box = new BoxController(/** @type {HTMLElement} */ (el), spec, adapter, ctx);
    boxes.set(el, box);
    requestRender();
    return box;
  }

  /** @param {EventTarget|null} t */
  function boxOf(t) {
    const el = t instanceof Element ? t.closest(selector) : null;
    return el ? consider(el) : null;
  }

  function scan() {
    for (const el of document.querySelectorAll(selector)) consider(el);
    for (const [el, box] of boxes) {
      if (!el.isConnected) { box.destroy(); boxes.delete(el); if (active === box) active = null; }
    }
  }

  const mo = new MutationObserver(() => {
    scanTimer ??= setTimeout(() => { scanTimer = null; scan(); }, 150);
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
  scan();

  on(document, 'focusin', (e) => {
    const box = boxOf(e.target);
    if (box) { active = box; scheduleReport(); requestRender(); watch.wake(); }
  });
  on(document, 'input', (e) => { boxOf(e.target); });
  on(document, 'focusout', () => requestRender());
  installCardKeys({ card, on, boxOf });
  installPostControls({ site, card, on, boxOf, boxForControl, notifyOnly: () => settings.notifyOnly });
  installChipTabOrder({ on, boxOf, chipKeys: layer.shadow, chipFor: (b) => (b.chip.el.hidden ? null : b.chip.el) });

  // textarea values changed by the site's own code fire nothing: look now and then
  const poll = setInterval(() => {
    for (const box of boxes.values()) {
      const el = /** @type {any} */ (box.el);
      if (!el.isConnected || ((el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') && el.value !== box.text)) box.markDirty();
    }
  }, 500);

  // ---- rendering ------------------------------------------------------------------------------

  function requestRender() {
    if (!handle.stopped && !frame) frame = requestAnimationFrame(render);
  }
  function render() {
    frame = 0;
    if (handle.stopped) return; // a frame requested while stopping must not bring the layer back
    const t0 = performance.now();
    layer.attach();
    for (const [el, box] of boxes) {
      if (!el.isConnected) { box.destroy(); boxes.delete(el); continue; }
      box.sync();
      box.layout();
      if (box.latencyPending && box.groups.some((g) => g.rects.length)) {
        stats.lastLatencyMs = Math.round(performance.now() - box.lastChangeAt);
        box.latencyPending = false;
      }
    }
    card.position();
    const dt = performance.now() - t0;
    stats.renders += 1;
    stats.renderMs += dt;
    stats.maxRenderMs = Math.max(stats.maxRenderMs, dt);
    if (settings.testHooks) writeHooks();
  }
  on(window, 'scroll', requestRender);
  on(layer.shadow, 'focusin', requestRender); // focus moving inside the card (test hooks, card position)
  on(window, 'resize', requestRender);

  /** Test hooks (only when chrome.storage.local.testHooks is true): the closed shadow root's state. */
  function writeHooks() {
    const list = [...boxes.values()].map((b) => ({
      label: b.label,
      platform: b.platform,
      surface: b.surface,
      editor: b.adapter.kind,
      state: b.state,
      checked: b.checkedText === b.text,
      answers: b.answers, // "check done": one more for every answer (or failure) applied to the box
      stale: b.stale,
      kept: b.kept.length,
      findings: b.shown.map((f) => {
        const g = b.groups.find((x) => x.id === f.id);
        return { id: f.id, rule: f.rule, severity: f.severity, start: f.start, end: f.end, excerpt: f.excerpt, rects: g ? g.rects : [], stale: b.stale };
      }),
      chip: b.chip.snapshot(),
    }));
    const hooks = JSON.stringify({ boxes: list, card: card.snapshot(), unsafe, stats, probes: watch.probes, companion: watch.state, pack: watch.pack });
    if (hooks !== lastHooks) {
      lastHooks = hooks;
      layer.host.setAttribute('data-pg-boxes', JSON.stringify(list));
      layer.host.setAttribute('data-pg-ui', JSON.stringify({ card: card.snapshot(), unsafe }));
      layer.host.setAttribute('data-pg-stats', JSON.stringify({ ...stats, probes: watch.probes, companion: watch.state, pack: watch.pack }));
    }
  }

  // ---- side panel report ----------------------------------------------------------------------

  function scheduleReport() {
    reportTimer ??= setTimeout(() => {
      reportTimer = null;
      const b = active;
      send({
        kind: KIND.reportBox,
        report: b && {
          site: site.id,
          platform: b.platform,
          surface: b.surface,
          url: location.origin + location.pathname,
          state: b.state,
          stateText: b.statusText,
          findings: b.shown.map(({ _slice, ...f }) => f),
          referrals: b.referrals,
          pack: b.pack,
          insertionUnsafe: unsafe,
          updatedAt: Date.now(),
          // for the side panel's "suggested for this conversation" and its checks of canned replies
          replyingTo: (b.spec.context ? b.spec.context(b.el) : null) || null,
          replyingToAuthor: (b.spec.author ? b.spec.author(b.el) : null) || null, // pre-fills the customer's name
          account: (site.accountHandle ? site.accountHandle() : null) || null,
        },
      });
    }, 100);
  }

  // ---- hover card -----------------------------------------------------------------------------

  let mx = -1;
  let my = -1;
  let hoverFrame = 0;
  let openTimer = /** @type {any} */ (null);
  let closeTimer = /** @type {any} */ (null);
  on(document, 'mousemove', (e) => {
    mx = e.clientX;
    my = e.clientY;
    hoverFrame ||= requestAnimationFrame(hoverCheck);
  });
  function hoverCheck() {
    hoverFrame = 0;
    const view = card.view;
    if (view && view.mode === 'pinned') return;
    if (card.contains(mx, my)) { clearTimeout(closeTimer); closeTimer = null; return; }
    for (const box of boxes.values()) {
      const i = box.findingAt(mx, my);
      if (i < 0) continue;
      clearTimeout(closeTimer);
      closeTimer = null;
      if (view && view.box === box && view.index === i) return;
      clearTimeout(openTimer);
      openTimer = setTimeout(() => card.showFinding(box, i, { mode: 'hover' }), view ? 0 : 120);
      return;
    }
    clearTimeout(openTimer);
    if (view && !closeTimer) closeTimer = setTimeout(() => { closeTimer = null; if (card.view?.mode === 'hover') card.close(false); }, 350);
  }
  on(document, 'mousedown', (e) => {
    if (card.view && e.target !== layer.host && !card.contains(e.clientX, e.clientY)) {
      if (card.view.kind === 'confirm') return; // answered with its buttons or Escape
      card.close(false);
    }
  });

  /** The box a post control belongs to: the nearest ancestor holding boxes (the active one first). @param {Element} control */
  function boxForControl(control) {
    for (let a = control.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const inside = [...boxes.values()].filter((b) => a.contains(b.el));
      if (inside.length) return inside.find((b) => b === active) ?? inside[0];
    }
    return null;
  }

  function stop() {
    if (handle.stopped) return;
    handle.stopped = true;
    ac.abort();
    unlisten();
    mo.disconnect();
    watch.stop();
    clearInterval(poll);
    clearTimeout(scanTimer);
    if (frame) cancelAnimationFrame(frame);
    for (const box of boxes.values()) box.destroy();
    boxes.clear();
    send({ kind: KIND.reportBox, report: null });
    layer.destroy();
  }

  /**
   * The side panel's insert: at the caret of the active box (or the only box on the page), through
   * the adapter's editor-safe path, verified.
   * @param {string} text
   */
  async function insert(text) {
    const box = active && active.el.isConnected ? active : (boxes.size === 1 ? [...boxes.values()][0] : null);
    if (!box) return failure('no_box', 'Click into the compose box you want to answer in first.');
    if (unsafe) return failure('unsafe', 'PostGuard does not edit the text on this site for this session; copy the reply instead.');
    box.el.focus({ preventScroll: true });
    const landed = await box.insertAtCaret(text);
    if (!landed) {
      return unsafe
        ? failure('unsafe', 'The insert did not land as expected; PostGuard stopped editing on this site. Copy the reply instead.')
        : failure('busy', 'The compose box is busy; try again.');
    }
    active = box;
    scheduleReport();
    return { ok: true, path: stats.lastEditPath ?? null };
  }

  /** @param {Settings} s */
  function update(s) {
    const hooksOff = settings.testHooks && !s.testHooks;
    settings = s;
    if (s.unsafeSites.includes(site.id)) unsafe = true;
    // answers were given under the old settings (port, pairing): void them and ask again
    watch.reset();
    for (const box of boxes.values()) box.checker.clearCache();
    recheckBoxes();
    if (hooksOff) ['data-pg-boxes', 'data-pg-ui', 'data-pg-stats'].forEach((a) => layer.host.removeAttribute(a));
    requestRender();
  }

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
