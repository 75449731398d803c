// @ts-check
// Test hooks, only when chrome.storage.local.testHooks is true (never in production): the host
// element mirrors the closed shadow root's state in data-pg-boxes, data-pg-ui and data-pg-stats
// (extension/README.md, "Test hooks"), and counts what the page did (Stats).
import { onPostedAnyway } from './override-events.js';

/** What the page counts: typing cost, frames, checks, the last keystroke→underline time and edit path. */
export class Stats {
  inputEvents = 0;
  inputMs = 0;
  maxInputMs = 0;
  renders = 0;
  renderMs = 0;
  maxRenderMs = 0;
  checks = 0;
  /** @type {number|null} */
  lastLatencyMs = null;
  /** @type {string|undefined} */
  lastEditPath = undefined;
  /** @type {any} the last "posted anyway" event (test hooks only; never kept otherwise) */
  postedAnyway = null;

  /** @param {number} ms time spent in the input handler */
  noteInput(ms) {
    this.inputEvents += 1;
    this.inputMs += ms;
    this.maxInputMs = Math.max(this.maxInputMs, ms);
  }

  /** @param {number} ms time spent drawing a frame */
  noteRender(ms) {
    this.renders += 1;
    this.renderMs += ms;
    this.maxRenderMs = Math.max(this.maxRenderMs, ms);
  }
}

const ATTRIBUTES = ['data-pg-boxes', 'data-pg-ui', 'data-pg-stats'];

/**
 * @param {{
 *   layer: import('./overlay/layer.js').Layer,
 *   card: import('./overlay/card.js').Card,
 *   boxes: () => Iterable<import('./box.js').BoxController>,
 *   watch: import('./companion-watch.js').CompanionWatch,
 *   stats: Stats,
 *   unsafe: () => boolean,
 *   enabled: () => boolean,
 *   redraw: () => void,
 * }} p
 */
export function createTestHooks(p) {
  let last = '';
  const unlisten = onPostedAnyway((e) => { if (p.enabled()) { p.stats.postedAnyway = e; p.redraw(); } });

  /** Write the attributes when anything in them changed (after every frame). */
  function write() {
    if (!p.enabled()) return;
    const list = [...p.boxes()].map((b) => ({
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
    const { watch, stats, card, layer } = p;
    const unsafe = p.unsafe();
    const all = JSON.stringify({ boxes: list, card: card.snapshot(), unsafe, stats, probes: watch.probes, companion: watch.state, pack: watch.pack });
    if (all === last) return;
    last = all;
    layer.host.setAttribute('data-pg-boxes', JSON.stringify(list));
    layer.host.setAttribute('data-pg-ui', JSON.stringify({ card: card.snapshot(), unsafe }));
    layer.host.setAttribute('data-pg-stats', JSON.stringify({ ...stats, probes: watch.probes, companion: watch.state, pack: watch.pack }));
  }

  return {
    write,
    /** The hooks were switched off: take the attributes away. */
    clear() { last = ''; for (const a of ATTRIBUTES) p.layer.host.removeAttribute(a); },
    stop: unlisten,
  };
}
