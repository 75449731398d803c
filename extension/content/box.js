// @ts-check
// One watched compose box: reads its text through the editor adapter, checks it (debounced, via
// the service worker), keeps findings glued to the words while the user types, draws underlines
// and the chip (box-geometry.js). When the companion stops answering, the findings of the last answer stay (greyed,
// "not re-checked") and keep holding a post. Its words: box-status.js; its edits: box-edits.js.
// It tells the page one thing: that it changed (env.changed), and the page draws the next frame.
import { KIND } from '../protocol.js';
import { dedupeFindings } from '../format.js';
import { send } from '../messaging.js';
import { platformLabel } from '../vocabulary.js';
import * as status from './box-status.js';
import * as edits from './box-edits.js';
import * as geometry from './box-geometry.js';
import { createChecker } from './checker.js';
import { ignoreKey, rebaseFindings } from './edits.js';
import { createChip } from './overlay/chip.js';
import { createMarks } from './overlay/marks.js';

/** @typedef {import('../protocol.js').Finding & {_slice?: string}} Finding */
/** @typedef {import('../protocol.js').Referral} Referral */
/** @typedef {import('./editors/index.js').EditorAdapter} EditorAdapter */
/** @typedef {import('./sites/index.js').Site} Site */
/** @typedef {import('./sites/index.js').BoxSpec} BoxSpec */

const { DOWN } = status;

/**
 * What a box needs from its page (main.js and page.js build it once for all boxes).
 * @typedef {{
 *   site: Site,
 *   layer: import('./overlay/layer.js').Layer,
 *   ignored: Set<string>,
 *   watch: import('./companion-watch.js').CompanionWatch,
 *   stats: import('./test-hooks.js').Stats,
 *   editing: import('./site-editing.js').SiteEditing,
 *   changed: (box: BoxController, what: 'text'|'findings'|'view') => void,
 *   openSummary: (box: BoxController, viaKeyboard: boolean) => void,
 *   records?: import('./records.js').Records,
 * }} BoxEnv  changed: 'text' the text may have changed (read it in the next frame); 'findings' new
 *   findings or state (the side panel report, the open card); 'view' only the drawing changed
 */

export class BoxController {
  /**
   * @param {HTMLElement} el
   * @param {BoxSpec} spec
   * @param {EditorAdapter} adapter
   * @param {BoxEnv} env
   */
  constructor(el, spec, adapter, env) {
    this.el = el;
    this.spec = spec;
    this.adapter = adapter;
    this.env = env;
    this.platform = env.site.id;
    this.surface = spec.surface(el);
    this.label = el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('data-testid') || '';
    /** "Ignore" is remembered per box kind, so it survives the site re-mounting the editor. */
    this.key = `${this.platform}|${this.surface}|${this.label}`;
    this.text = '';
    /** @type {import('./editors/textmap.js').TextMap|null} */
    this.map = null;
    /** @type {Finding[]} findings for this.text (rebased while typing) */
    this.findings = [];
    /** @type {string|null} the exact text the findings were computed for */
    this.checkedText = null;
    /** @type {Referral[]} */
    this.referrals = [];
    /** @type {{id: string, revision: string|number}|null} */
    this.pack = null;
    /** the watch's epoch when the last answer arrived (a new pack or new settings void it) */
    this.answerEpoch = -1;
    /** the findings shown are from an earlier answer the companion could not repeat (it is away) */
    this.stale = false;
    /** @type {Finding[]} critical findings of the last answer, kept while the companion is away */
    this.kept = [];
    /** answers received (test hooks: "check done") */
    this.answers = 0;
    this.state = 'idle';
    this.stateMessage = '';
    /** @type {string|null} */
    this.activeId = null;
    /** @type {import('./overlay/marks.js').MarkGroup[]} */
    this.groups = [];
    this.dirty = true;
    this.busy = false;
    /** @type {number} performance.now() of the last change seen (for the keystroke→underline figure) */
    this.lastChangeAt = 0;
    /** set when an answer with findings arrived and has not been drawn yet */
    this.latencyPending = false;
    /** @type {Element[]|null} scrollable ancestors that clip the box */
    this.clippers = null;
    this.clippersAt = 0;

    this.marks = createMarks(env.layer);
    this.chip = createChip(env.layer, (kb) => env.openSummary(this, kb));
    this.checker = createChecker({
      send: (req) => send(/** @type {import('../protocol.js').CheckRequest} */ ({ kind: KIND.check, ...req })),
      current: () => this.text,
      onStart: () => { env.stats.checks += 1; },
      onAnswer: (reply) => env.watch.noteAnswer(reply),
      scope: () => env.watch.scope(),
      onResult: (reply, req) => this.onResult(reply, req),
    });

    this.observer = new MutationObserver(() => this.markDirty());
    this.observer.observe(el, { characterData: true, childList: true, subtree: true });
    this.onInput = () => {
      const t0 = performance.now();
      this.lastChangeAt = t0;
      this.markDirty();
      env.stats.noteInput(performance.now() - t0);
    };
    el.addEventListener('input', this.onInput, { passive: true });
  }

  /** Findings not ignored by the user. */
  get shown() {
    return this.findings.filter((f) => !this.env.ignored.has(ignoreKey(this.key, f)));
  }

  get insertionAllowed() { return this.env.editing.allowed; }
  get siteName() { return platformLabel(this.platform); }
  get unsafeNote() { return status.unsafeNote(this); }
  get statusText() { return status.statusText(this); }
  get downReason() { return status.downReason(this); }
  get staleNote() { return status.staleNote(this); }
  get packText() { return status.packText(this); }

  markDirty() {
    this.dirty = true;
    this.env.changed(this, 'text');
  }

  /** Request body for a check of the current text. */
  request() {
    this.surface = this.spec.surface(this.el);
    /** @type {{text: string, platform: any, surface: any, replyingTo?: string, account?: string}} */
    const req = { text: this.text, platform: this.platform, surface: this.surface };
    const context = this.spec.context ? this.spec.context(this.el) : null;
    if (context) req.replyingTo = context; // the worker cuts it to LIMITS.replyingTo
    const account = this.env.site.accountHandle ? this.env.site.accountHandle() : null;
    if (account) req.account = account; // the logged-in handle: official accounts get `info`
    return req;
  }

  /** Re-read the text if it may have changed; follow typing; schedule a check. */
  sync() {
    if (!this.dirty) return;
    this.dirty = false;
    const map = this.adapter.readText(this.el);
    this.map = map;
    if (map.text === this.text) return;
    if (!this.lastChangeAt) this.lastChangeAt = performance.now();
    this.findings = rebaseFindings(this.text, map.text, this.findings);
    this.text = map.text;
    if (this.text.trim() === '') {
      this.checker.cancel();
      this.findings = [];
      this.referrals = [];
      this.kept = [];
      this.stale = false;
      this.checkedText = this.text;
      this.env.records?.cleared(this.key);
      if (!DOWN.has(this.state)) this.state = 'idle';
      this.env.changed(this, 'findings');
    } else if (this.text !== this.checkedText) {
      this.checker.schedule(this.request());
      if (!DOWN.has(this.state)) this.state = 'checking';
    }
  }

  /**
   * @param {any} reply
   * @param {{text: string}} req
   */
  onResult(reply, req) {
    this.answers += 1;
    if (reply.ok) {
      this.checkedText = req.text;
      // one finding per problem (the base policy and the pack may flag the same words): format.js
      this.findings = dedupeFindings(reply.findings).map((/** @type {Finding} */ f) => ({ ...f, _slice: req.text.slice(f.start, f.end) }));
      this.referrals = reply.referrals;
      this.pack = reply.pack;
      this.answerEpoch = this.env.watch.epoch;
      this.kept = this.findings.filter((f) => f.severity === 'critical');
      this.stale = false;
      this.state = 'ok';
      this.stateMessage = '';
      this.latencyPending = this.findings.length > 0;
      this.env.records?.shown(this.key, this.shown);
    } else {
      // Fail closed: keep what the last answer found (greyed, not re-checked); it still holds a post.
      // checkedText stays the text of that answer: this text was not checked.
      this.stale = this.findings.length > 0 || this.kept.length > 0;
      this.referrals = [];
      this.state = reply.state && DOWN.has(reply.state) ? reply.state : 'error';
      this.stateMessage = reply.error?.message ?? '';
    }
    this.env.changed(this, 'findings');
  }

  /** Recompute underline rects and the chip (every frame something moved). */
  layout() { geometry.layout(this); }

  /** Where the card goes for a finding: around all its lines. @param {import('../protocol.js').Finding|null} f */
  anchorRect(f) { return geometry.anchorRect(this, f); }

  /** @param {import('../protocol.js').Finding|null} f */
  setActive(f) {
    const id = f ? f.id : null;
    if (id !== this.activeId) { this.activeId = id; this.env.changed(this, 'view'); }
  }

  /** The finding under a viewport point: an index into shown, or -1. @param {number} x @param {number} y */
  findingAt(x, y) { return geometry.findingAt(this, x, y); }

  /** UTF-16 offset of the caret in the text, or null. */
  caretOffset() { return edits.caretOffset(this); }

  /** What the post guard needs (post-guard.js): re-read the text first. */
  guardFacts() {
    this.dirty = true;
    this.sync();
    const notIgnored = (/** @type {Finding} */ f) => !this.env.ignored.has(ignoreKey(this.key, f));
    return {
      text: this.text,
      current: this.state === 'ok' && this.checkedText === this.text && this.env.watch.isCurrent(this.answerEpoch, this.pack),
      critical: this.shown.filter((f) => f.severity === 'critical'),
      kept: this.kept.filter(notIgnored),
      checkedText: this.checkedText,
    };
  }

  /** Check the current text now, past the cache (the post guard). ok: the companion answered. */
  async checkNow() {
    this.dirty = true;
    this.sync();
    const { reply } = await this.checker.now(this.request(), { bypassCache: true });
    return { ok: !!reply.ok, reason: this.downReason };
  }

  /** Whether an answer is missing or void: the companion was away, or the pack/settings changed since. */
  needsRecheck() {
    if (this.text.trim() === '') return false;
    return DOWN.has(this.state) || this.stale || this.answerEpoch !== this.env.watch.epoch || this.checkedText !== this.text;
  }

  /** Ask the companion again without waiting for a keystroke (it is back, or the pack changed). */
  recheck() {
    this.dirty = true;
    this.sync();
    if (this.text.trim() !== '') this.checker.now(this.request(), { bypassCache: true });
  }

  /** @param {import('../protocol.js').Finding} f @param {number} i */
  applySuggestion(f, i) {
    edits.applySuggestion(this, /** @type {Finding} */ (f), i).then((landed) => { if (landed) this.env.records?.fixed(f); });
  }

  /** "Fix and post"'s edit, or null. @param {import('../protocol.js').Finding} f */
  firstFix(f) { return edits.firstFix(this, f); }

  /** Apply the first fix (verified). @param {import('../protocol.js').Finding} f @returns {Promise<boolean>} */
  fix(f) {
    const fix = edits.firstFix(this, f);
    if (!fix) return Promise.resolve(false);
    return edits.applySuggestion(this, /** @type {Finding} */ (f), fix.index).then((landed) => {
      if (landed) this.env.records?.fixed(f);
      return landed;
    });
  }

  /** @param {Referral} r */
  insertReferral(r) { edits.insertReferral(this, r); }

  /** The side panel's insert at the caret (verified). @param {string} text */
  insertAtCaret(text) { return edits.insertAtCaret(this, text); }

  /** @param {import('../protocol.js').Finding} f @param {{quiet?: boolean}} [opts]  quiet: hidden, not counted as ignored (marked wrong) */
  ignore(f, opts = {}) {
    if (!opts.quiet) this.env.records?.ignored(f);
    this.env.ignored.add(ignoreKey(this.key, f));
    this.env.changed(this, 'findings');
  }

  destroy() {
    this.checker.cancel();
    this.observer.disconnect();
    this.el.removeEventListener('input', this.onInput);
    this.marks.remove();
    this.chip.remove();
  }
}
