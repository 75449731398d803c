// @ts-check
// One watched compose box: reads its text through the editor adapter, checks it (debounced, via
// the service worker), keeps findings glued to the words while the user types, draws underlines
// and the chip, applies suggestions through the adapter and verifies them. When the companion stops
// answering, the findings of the last answer stay (greyed, "not re-checked") and keep holding a post.
import { KIND } from '../protocol.js';
import { dedupeFindings, isActionable } from '../format.js';
import { createChecker } from './checker.js';
import { applyEdit, ignoreKey, padded, planEdit, rebaseFindings } from './edits.js';
import { nextFrame } from './editors/rich.js';
import { send } from './messaging.js';
import { createChip } from './overlay/chip.js';
import { createMarks } from './overlay/marks.js';
import { clipRects, mergeLineRects } from './overlay/rects.js';

/** @typedef {import('../protocol.js').Finding & {_slice?: string}} Finding */
/** @typedef {import('../protocol.js').Referral} Referral */
/** @typedef {import('./editors/index.js').EditorAdapter} EditorAdapter */
/** @typedef {import('./sites/index.js').Site} Site */
/** @typedef {import('./sites/index.js').BoxSpec} BoxSpec */

const DOWN = new Set(['offline', 'unpaired', 'no_pack', 'error', 'impostor']);
const DOWN_TEXT = /** @type {Record<string, [string, string]>} */ ({
  // the worker's message names the port: "Something else is answering on port N — PostGuard did not send your draft"
  impostor: ['warning', 'something else is answering on the companion port — PostGuard did not send your draft'],
  offline: ['not running', 'companion not running — checks are off, typing is not affected'],
  unpaired: ['not paired', 'not paired with the companion — pair it in the options page'],
  no_pack: ['no pack', 'the companion has no valid policy pack'],
  error: ['error', 'the companion answered with an error'],
});
const SITE_NAME = /** @type {Record<string, string>} */ ({ x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', instagram: 'Instagram' });
const SEV_RANK = /** @type {Record<string, number>} */ ({ info: 1, warning: 2, critical: 3 });

/**
 * @typedef {{
 *   site: Site,
 *   layer: import('./overlay/layer.js').Layer,
 *   card: import('./overlay/card.js').Card,
 *   ignored: Set<string>,
 *   requestRender: () => void,
 *   boxChanged: (box: BoxController) => void,
 *   isUnsafe: () => boolean,
 *   markUnsafe: (reason: string) => void,
 *   pauseSite: (duration: string, el: HTMLElement) => void,
 *   pauseAllowed: () => boolean,
 *   openSidePanel: () => void,
 *   watch: import('./companion-watch.js').CompanionWatch,
 *   stats: {inputEvents: number, inputMs: number, maxInputMs: number, checks: number, lastEditPath?: string},
 * }} BoxContext
 */

export class BoxController {
  /**
   * @param {HTMLElement} el
   * @param {BoxSpec} spec
   * @param {EditorAdapter} adapter
   * @param {BoxContext} ctx
   */
  constructor(el, spec, adapter, ctx) {
    this.el = el;
    this.spec = spec;
    this.adapter = adapter;
    this.ctx = ctx;
    this.platform = ctx.site.id;
    this.surface = spec.surface(el);
    this.label = el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('data-testid') || '';
    /** "Ignore" is remembered per box kind, so it survives the site re-mounting the editor. */
    this.key = `${this.platform}|${this.surface}|${this.label}`;
    this.siteName = SITE_NAME[this.platform] ?? this.platform;
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
    this.inFlight = 0;
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

    this.marks = createMarks(ctx.layer);
    this.chip = createChip(ctx.layer, (kb) => ctx.card.showSummary(this, { focus: kb }));
    this.checker = createChecker({
      send: (req) => send(/** @type {import('../protocol.js').CheckRequest} */ ({ kind: KIND.check, ...req })),
      current: () => this.text,
      onStart: () => { this.inFlight += 1; ctx.stats.checks += 1; },
      onAnswer: (reply) => ctx.watch.noteAnswer(reply),
      scope: () => ctx.watch.scope(),
      onResult: (reply, req) => this.onResult(reply, req),
    });

    this.observer = new MutationObserver(() => this.markDirty());
    this.observer.observe(el, { characterData: true, childList: true, subtree: true });
    this.onInput = () => {
      const t0 = performance.now();
      this.lastChangeAt = t0;
      this.markDirty();
      const dt = performance.now() - t0;
      ctx.stats.inputEvents += 1;
      ctx.stats.inputMs += dt;
      ctx.stats.maxInputMs = Math.max(ctx.stats.maxInputMs, dt);
    };
    el.addEventListener('input', this.onInput, { passive: true });
  }

  /** Findings not ignored by the user. */
  get shown() {
    return this.findings.filter((f) => !this.ctx.ignored.has(ignoreKey(this.key, f)));
  }

  get insertionAllowed() { return !this.ctx.isUnsafe(); }

  /** IT may forbid pausing (managed allowPause: false): the card's menu then has no pause items. */
  get pauseAllowed() { return this.ctx.pauseAllowed(); }

  get unsafeNote() {
    return `Editing from PostGuard is off on ${this.siteName} for this session: an edit did not land as expected, so the box is left alone. Fix the text by hand; the side panel lists the findings.`;
  }

  get statusText() {
    const kept = this.stale ? ` ${this.staleNote}` : '';
    if (this.state === 'impostor' && this.stateMessage) return `PostGuard: ${this.stateMessage}.${kept}`;
    if (DOWN.has(this.state)) return `PostGuard: ${DOWN_TEXT[this.state][1]}.${kept}`;
    if (this.state === 'checking') return 'Checking…';
    const n = this.shown.length;
    if (this.state === 'idle') return 'Nothing to check yet.';
    return n ? `${n} finding${n === 1 ? '' : 's'} in this draft.` : 'No findings in this draft.';
  }

  /** Why the companion did not answer, in a few words (the confirm card). */
  get downReason() {
    if (this.state === 'impostor') return 'something else is answering on the companion port';
    return DOWN.has(this.state) ? DOWN_TEXT[this.state][1].split(' — ')[0] : 'the companion did not answer';
  }

  get staleNote() {
    return `Not re-checked: these findings are from the last check PostGuard could make (${this.downReason}). A post is still held for the critical ones.`;
  }

  get packText() {
    return this.pack ? `Policy pack ${this.pack.id}, revision ${this.pack.revision}` : '';
  }

  markDirty() {
    this.dirty = true;
    this.ctx.requestRender();
  }

  /** Request body for a check of the current text. */
  request() {
    this.surface = this.spec.surface(this.el);
    /** @type {{text: string, platform: any, surface: any, replyingTo?: string, account?: string}} */
    const req = { text: this.text, platform: this.platform, surface: this.surface };
    const context = this.spec.context ? this.spec.context(this.el) : null;
    if (context) req.replyingTo = context.slice(0, 4000);
    const account = this.ctx.site.accountHandle ? this.ctx.site.accountHandle() : null;
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
      if (!DOWN.has(this.state)) this.state = 'idle';
      this.ctx.boxChanged(this);
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
    this.inFlight = 0;
    this.answers += 1;
    if (reply.ok) {
      this.checkedText = req.text;
      // one finding per problem (the base policy and the pack may flag the same words): format.js
      this.findings = dedupeFindings(reply.findings).map((/** @type {Finding} */ f) => ({ ...f, _slice: req.text.slice(f.start, f.end) }));
      this.referrals = reply.referrals;
      this.pack = reply.pack;
      this.answerEpoch = this.ctx.watch.epoch;
      this.kept = this.findings.filter((f) => f.severity === 'critical');
      this.stale = false;
      this.state = 'ok';
      this.stateMessage = '';
      this.latencyPending = this.findings.length > 0;
    } else {
      // Fail closed: keep what the last answer found (greyed, not re-checked); it still holds a post.
      // checkedText stays the text of that answer: this text was not checked.
      this.stale = this.findings.length > 0 || this.kept.length > 0;
      this.referrals = [];
      this.state = reply.state && DOWN.has(reply.state) ? reply.state : 'error';
      this.stateMessage = reply.error?.message ?? '';
    }
    this.ctx.boxChanged(this);
    this.ctx.requestRender();
  }

  /** The chip's model. */
  chipModel() {
    if (DOWN.has(this.state)) {
      const [short, fallback] = DOWN_TEXT[this.state];
      const n = this.shown.length;
      const kept = this.stale && n ? `; ${n} finding${n === 1 ? '' : 's'} from the last check kept, not re-checked` : '';
      const text = (this.state === 'impostor' && this.stateMessage ? this.stateMessage : fallback) + kept;
      return { state: this.state, short, text, severity: this.state === 'impostor' ? 'warning' : null };
    }
    if (this.state === 'idle') return { state: 'idle', short: '', text: 'idle', severity: null };
    if (this.state === 'checking') return { state: 'checking', short: '…', text: 'checking', severity: null };
    const shown = this.shown;
    const refs = this.referrals.length ? `, ${this.referrals.length} referral${this.referrals.length === 1 ? '' : 's'}` : '';
    if (!shown.length) return { state: 'ok', short: '✓', text: `no findings${refs}${this.pack ? ` (pack ${this.pack.id} rev ${this.pack.revision})` : ''}`, severity: null };
    const worst = shown.reduce((a, f) => (SEV_RANK[f.severity] > SEV_RANK[a] ? f.severity : a), 'info');
    const off = this.insertionAllowed ? '' : '; editing from PostGuard is off on this site, see the side panel';
    return { state: 'findings', short: String(shown.length), text: `${shown.length} finding${shown.length === 1 ? '' : 's'}${refs}${off}`, severity: worst };
  }

  /** Where the box is visible: its rect cut by the viewport and scrolling ancestors. */
  visibleRect() {
    const r = this.el.getBoundingClientRect();
    let clip = { left: r.left, top: r.top, width: r.width, height: r.height };
    const now = performance.now();
    if (!this.clippers || now - this.clippersAt > 2000) {
      this.clippers = [];
      for (let p = this.el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') this.clippers.push(p);
      }
      this.clippersAt = now;
    }
    for (const p of this.clippers) {
      const pr = p.getBoundingClientRect();
      clip = clipRects([clip], { left: pr.left, top: pr.top, width: pr.width, height: pr.height })[0] ?? { left: 0, top: 0, width: 0, height: 0 };
    }
    return clipRects([clip], { left: 0, top: 0, width: innerWidth, height: innerHeight })[0] ?? null;
  }

  /** Recompute underline rects and the chip (every frame something moved). */
  layout() {
    const map = this.map;
    const visible = this.visibleRect();
    this.groups = [];
    if (map && visible && this.text === map.text) {
      for (const f of this.shown) {
        const raw = this.adapter.rangeRects(this.el, map, f.start, f.end, { measure: this.ctx.layer.measure });
        const rects = clipRects(mergeLineRects(raw), visible);
        this.groups.push({ id: f.id, severity: f.severity, rects, active: f.id === this.activeId, stale: this.stale });
      }
    }
    this.marks.render(this.groups);
    this.chip.update(this.chipModel());
    const focused = document.activeElement === this.el || this.el.contains(document.activeElement);
    this.chip.place(visible && (this.text.trim() !== '' || focused) ? this.el.getBoundingClientRect() : null);
  }

  /** @param {import('../protocol.js').Finding|null} f */
  anchorRect(f) {
    const g = f && this.groups.find((x) => x.id === f.id);
    if (!g || !g.rects.length) return null;
    // all its lines: a term wrapped over two lines must not have its second line under the card
    const left = Math.min(...g.rects.map((r) => r.left));
    const top = Math.min(...g.rects.map((r) => r.top));
    const right = Math.max(...g.rects.map((r) => r.left + r.width));
    const bottom = Math.max(...g.rects.map((r) => r.top + r.height));
    return new DOMRect(left, top, right - left, bottom - top);
  }

  /** @param {import('../protocol.js').Finding|null} f */
  setActive(f) {
    const id = f ? f.id : null;
    if (id !== this.activeId) { this.activeId = id; this.ctx.requestRender(); }
  }

  /**
   * The finding under a viewport point.
   * @param {number} x @param {number} y
   * @returns {number} index into shown, or -1
   */
  findingAt(x, y) {
    const shown = this.shown;
    for (let i = 0; i < shown.length; i += 1) {
      const g = this.groups.find((gr) => gr.id === shown[i].id);
      if (g && g.rects.some((r) => x >= r.left - 1 && x <= r.left + r.width + 1 && y >= r.top - 1 && y <= r.top + r.height + 3)) return i;
    }
    return -1;
  }

  /** UTF-16 offset of the caret in the text, or null. */
  caretOffset() {
    const el = /** @type {any} */ (this.el);
    if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') return el.selectionStart;
    const sel = getSelection();
    if (!sel || !sel.rangeCount || !this.map) return null;
    const { focusNode, focusOffset } = sel;
    const seg = this.map.segments.find((s) => s.node === focusNode);
    return seg ? seg.start + Math.max(0, Math.min(focusOffset - seg.nodeOffset, seg.end - seg.start)) : null;
  }

  /** What the post guard needs (post-guard.js): re-read the text first. */
  guardFacts() {
    this.dirty = true;
    this.sync();
    const notIgnored = (/** @type {Finding} */ f) => !this.ctx.ignored.has(ignoreKey(this.key, f));
    return {
      text: this.text,
      current: this.state === 'ok' && this.checkedText === this.text && this.ctx.watch.isCurrent(this.answerEpoch, this.pack),
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
    return DOWN.has(this.state) || this.stale || this.answerEpoch !== this.ctx.watch.epoch || this.checkedText !== this.text;
  }

  /** Ask the companion again without waiting for a keystroke (it is back, or the pack changed). */
  recheck() {
    this.dirty = true;
    this.sync();
    if (this.text.trim() !== '') this.checker.now(this.request(), { bypassCache: true });
  }

  /** @param {import('../protocol.js').Finding} f @param {number} i */
  applySuggestion(f, i) {
    const finding = /** @type {Finding} */ (f);
    const s = finding.suggestions[i];
    if (!s) return;
    this.ctx.card.close(false);
    this.perform(() => planEdit(this.adapter.readText(this.el).text, finding, s), finding);
  }

  /**
   * The edit the confirm card offers as "Fix and post": the finding's first suggestion that changes
   * the text, when PostGuard may edit on this site.
   * @param {import('../protocol.js').Finding} f
   * @returns {{label: string, index: number}|null}
   */
  firstFix(f) {
    if (!this.insertionAllowed || !f) return null;
    const index = f.suggestions.findIndex((s) => isActionable(s));
    return index < 0 ? null : { label: f.suggestions[index].label, index };
  }

  /** Apply the first fix (verified). @param {import('../protocol.js').Finding} f @returns {Promise<boolean>} */
  fix(f) {
    const fix = this.firstFix(f);
    const finding = /** @type {Finding} */ (f);
    if (!fix) return Promise.resolve(false);
    return this.perform(() => planEdit(this.adapter.readText(this.el).text, finding, finding.suggestions[fix.index]), finding);
  }

  /** @param {Referral} r */
  insertReferral(r) {
    this.ctx.card.close(false);
    this.perform(() => planEdit(this.adapter.readText(this.el).text, { start: 0, end: 0 }, { label: r.title, insert: ` ${r.url}` }), null);
  }

  /**
   * Apply an edit through the editor and verify it landed exactly; otherwise switch insertion off
   * for this site for the session.
   * @param {() => import('./edits.js').Edit|null} plan
   * @param {Finding|null} finding  the finding whose span the edit uses (checked still in place)
   * @returns {Promise<boolean>} whether the edit landed (verified)
   */
  async perform(plan, finding) {
    if (this.busy || !this.insertionAllowed) return false;
    const before = this.adapter.readText(this.el).text;
    const edit = plan();
    if (!edit) return false;
    if (finding && finding._slice !== undefined && before.slice(finding.start, finding.end) !== finding._slice) {
      this.ctx.layer.announce('The text changed under this finding; wait for the next check.');
      this.markDirty();
      return false;
    }
    const expected = applyEdit(before, edit);
    this.busy = true;
    let landed = false;
    try {
      this.ctx.stats.lastEditPath = edit.start === before.length && edit.end === before.length
        ? await this.adapter.insertAtEnd(this.el, edit.text)
        : await this.adapter.replace(this.el, edit.start, edit.end, edit.text);
      for (let k = 0; k < 10 && !landed; k += 1) {
        await nextFrame();
        landed = this.adapter.readText(this.el).text === expected;
      }
    } catch (e) {
      landed = false;
    } finally {
      this.busy = false;
    }
    this.markDirty();
    if (!landed) this.ctx.markUnsafe(`${this.adapter.kind} edit did not verify`);
    else this.ctx.layer.announce('Change applied.');
    return landed;
  }

  /**
   * Insert text at the caret (the side panel's canned replies and referral links), through the
   * adapter's editor-safe path, verified like every other edit. No caret in the box: at the end.
   * A space goes between it and text right before or after the caret, so a reply never sticks to
   * what is already there ("Thanks Priya! Hi Priya, …", not "Thanks Priya!Hi Priya, …").
   * @param {string} text
   * @returns {Promise<boolean>}
   */
  insertAtCaret(text) {
    return this.perform(() => {
      const before = this.adapter.readText(this.el).text;
      const caret = this.caretOffset();
      const at = caret === null || caret < 0 || caret > before.length ? before.length : caret;
      return { start: at, end: at, text: padded(text, before.slice(0, at), before.slice(at)) };
    }, null);
  }

  /** @param {import('../protocol.js').Finding} f */
  ignore(f) {
    this.ctx.ignored.add(ignoreKey(this.key, f));
    this.ctx.card.refresh();
    this.ctx.boxChanged(this);
    this.ctx.requestRender();
  }

  /** @param {string} duration  hour | today | indefinite */
  pauseSite(duration) { this.ctx.pauseSite(duration, this.el); }

  openSidePanel() { this.ctx.openSidePanel(); }

  destroy() {
    this.checker.cancel();
    this.observer.disconnect();
    this.el.removeEventListener('input', this.onInput);
    this.marks.remove();
    this.chip.remove();
    if (this.ctx.card.view && this.ctx.card.view.box === this) this.ctx.card.close(false);
  }
}
