// @ts-check
// The page's boxes and its render loop. Finds the site's compose boxes (a MutationObserver, capture
// focusin/input, a poll for textarea values the site's own code set), runs one BoxController per
// box, remembers the active one, and draws: every change a box reports asks for one animation
// frame, in which every box re-reads its text and lays out its underlines and chip.
import { BoxController } from './box.js';
import { adapterFor } from './editors/index.js';
import { boxSpecFor } from './sites/index.js';

/** @typedef {import('./box.js').BoxEnv} BoxEnv */

/**
 * @param {{
 *   site: import('./sites/index.js').Site,
 *   layer: import('./overlay/layer.js').Layer,
 *   card: import('./overlay/card.js').Card,
 *   env: Omit<BoxEnv, 'changed'>,
 *   on: (t: EventTarget, type: string, fn: (e: any) => void) => void,
 *   onActive: (box: BoxController) => void,
 *   onFindings: (box: BoxController) => void,
 *   afterRender: () => void,
 * }} p  onActive: a box got focus; onFindings: a box has new findings or state; afterRender: a frame was drawn
 */
export function createPage(p) {
  const { site, layer, card, on } = p;
  /** @type {Map<Element, BoxController>} */
  const boxes = new Map();
  /** @type {BoxController|null} */
  let active = null;
  let stopped = false;
  let frame = 0; // requestAnimationFrame id of the pending render
  let scanTimer = /** @type {any} */ (null);
  const selector = site.boxes.map((b) => b.selector).join(', ');

  /** @type {BoxEnv} */
  const env = {
    ...p.env,
    changed(box, what) {
      if (what === 'findings') {
        if (box === active) p.onFindings(box);
        if (card.view && card.view.box === box && card.view.kind !== 'confirm') card.refresh();
      }
      requestRender();
    },
  };

  /** @param {Element} el */
  function consider(el) {
    let box = boxes.get(el);
    if (box) return box;
    const spec = boxSpecFor(site, el);
    const adapter = spec && adapterFor(el);
    if (!spec || !adapter) return null;
    box = new BoxController(/** @type {HTMLElement} */ (el), spec, adapter, env);
    boxes.set(el, box);
    requestRender();
    return box;
  }

  /** @param {Element} el @param {BoxController} box */
  function forget(el, box) {
    box.destroy();
    boxes.delete(el);
    if (card.view && card.view.box === box) card.close(false);
    if (active === box) active = null;
  }

  /** The box an event target is in (found now if the page just made it). @param {EventTarget|null} t */
  function boxOf(t) {
    const el = t instanceof Element ? t.closest(selector) : null;
    return el ? consider(el) : null;
  }

  function scan() {
    for (const el of document.querySelectorAll(selector)) consider(el);
    for (const [el, box] of boxes) if (!el.isConnected) forget(el, box);
  }

  const mo = new MutationObserver(() => {
    scanTimer ??= setTimeout(() => { scanTimer = null; scan(); }, 150);
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
  scan();

  on(document, 'focusin', (e) => {
    const box = boxOf(e.target);
    if (box) { active = box; p.onActive(box); requestRender(); }
  });
  on(document, 'input', (e) => { boxOf(e.target); });
  on(document, 'focusout', () => requestRender());
  on(window, 'scroll', requestRender);
  on(window, 'resize', requestRender);
  on(layer.shadow, 'focusin', requestRender); // focus moving inside the card (test hooks, card position)

  // textarea values changed by the site's own code fire nothing: look now and then
  const poll = setInterval(() => {
    for (const box of boxes.values()) {
      const el = /** @type {any} */ (box.el);
      if (!el.isConnected || ((el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') && el.value !== box.text)) box.markDirty();
    }
  }, 500);

  function requestRender() {
    if (!stopped && !frame) frame = requestAnimationFrame(render);
  }

  function render() {
    frame = 0;
    if (stopped) return; // a frame requested while stopping must not bring the layer back
    const t0 = performance.now();
    layer.attach();
    for (const [el, box] of boxes) {
      if (!el.isConnected) { forget(el, box); continue; }
      box.sync();
      box.layout();
      if (box.latencyPending && box.groups.some((g) => g.rects.length)) {
        env.stats.lastLatencyMs = Math.round(performance.now() - box.lastChangeAt);
        box.latencyPending = false;
      }
    }
    card.position();
    env.stats.noteRender(performance.now() - t0);
    p.afterRender();
  }

  /** The box a post control belongs to: the nearest ancestor holding boxes (the active one first). @param {Element} control */
  function boxForControl(control) {
    for (let a = control.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const inside = [...boxes.values()].filter((b) => a.contains(b.el));
      if (inside.length) return inside.find((b) => b === active) ?? inside[0];
    }
    return null;
  }

  return {
    boxOf,
    boxForControl,
    requestRender,
    boxes: () => boxes.values(),
    /** The box the user is in (or was last in), while it is on the page. */
    get active() { return active && active.el.isConnected ? active : null; },
    /** The box the side panel's insert goes to: the active one, or the only one on the page. */
    target() { return this.active ?? (boxes.size === 1 ? [...boxes.values()][0] : null); },
    /** @param {BoxController} box */
    setActive(box) { active = box; },
    /** Every box re-asks the companion whose answer is missing or void. */
    recheck() { for (const b of boxes.values()) if (b.needsRecheck()) b.recheck(); },
    /** Answers were given under old settings or an old pack. */
    clearCaches() { for (const b of boxes.values()) b.checker.clearCache(); },
    /** Is the focus in the active box (companion-watch.js probes while it is). */
    focused: () => !!active && active.el.isConnected && active.el.contains(document.activeElement),
    stop() {
      stopped = true;
      mo.disconnect();
      clearInterval(poll);
      clearTimeout(scanTimer);
      if (frame) cancelAnimationFrame(frame);
      for (const box of boxes.values()) box.destroy();
      boxes.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createPage>} Page */
