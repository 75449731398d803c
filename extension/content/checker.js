// @ts-check
// Debounced checks for one box: nothing runs while the user types; a check starts after a short
// pause when the text ends a word (`boundaryDelay`: a finished word is worth checking at once) and a
// longer one mid-word (`delay`). At most one check is in flight per box: a request that comes due
// while one runs waits for it and then only the newest goes. An answer for text that has changed
// since (or older than a newer request) is dropped. Answers are cached per exact request within a scope (the pack that answered and the
// settings), so undo/redo does not ask again but a new pack never gets an old pack's answer.

/**
 * @typedef {{text: string, platform: string, surface?: string, replyingTo?: string}} CheckInput
 * @typedef {{ok: boolean, [k: string]: any}} CheckOutput
 */

/**
 * @param {{
 *   send: (req: CheckInput) => Promise<CheckOutput>,
 *   current: () => string,
 *   onResult: (reply: CheckOutput, req: CheckInput) => void,
 *   onStart?: (req: CheckInput) => void,
 *   onAnswer?: (reply: CheckOutput) => void,
 *   scope?: () => string|null,
 *   delay?: number,
 *   boundaryDelay?: number,
 *   cacheSize?: number,
 *   timers?: {setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void},
 * }} opts  current: the box's text now (to drop stale answers); onAnswer: every reply that came from
 *   the worker (fresh or not), before it is cached; scope: the cache scope now (pack + settings), null = don't cache
 */
export function createChecker(opts) {
  const delay = opts.delay ?? 150;
  const boundaryDelay = opts.boundaryDelay ?? 60;
  const cacheSize = opts.cacheSize ?? 32;
  const timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
  /** @type {Map<string, CheckOutput>} */
  const cache = new Map();
  let timer = /** @type {any} */ (null);
  let seq = 0;
  /** @type {CheckInput|null} */
  let pending = null;
  let inFlight = false;
  /** @type {CheckInput|null} the newest request that came due while a check was in flight */
  let queued = null;
  const ENDS_WORD = /[\s.,!?;:)\]}"'»“”…—–-]$/u;
  /** @param {CheckInput} req */
  const pauseFor = (req) => (req.text === '' || ENDS_WORD.test(req.text) ? boundaryDelay : delay);

  /** A scheduled check: runs now, or after the one in flight (then only the newest). @param {CheckInput} req */
  function due(req) {
    const where = scope();
    if (where !== null && cache.has(JSON.stringify([where, keyOf(req)]))) {
      queued = null;
      run(req); // answered from the cache at once, even while a check is in flight (undo)
      return;
    }
    if (inFlight) {
      queued = req;
      return;
    }
    inFlight = true;
    run(req).finally(() => {
      inFlight = false;
      const next = queued;
      queued = null;
      if (next) due(next);
    });
  }

  /** @param {CheckInput} req */
  const keyOf = (req) => JSON.stringify([req.text, req.platform, req.surface ?? '', req.replyingTo ?? '']);
  const scope = () => (opts.scope ? opts.scope() : '');

  /**
   * Run a check now. Resolves with the reply (also for stale answers); onResult only sees fresh ones.
   * @param {CheckInput} req
   * @param {boolean} [bypass]  ask the companion even if an answer is cached (the post guard)
   * @returns {Promise<{reply: CheckOutput, fresh: boolean}>}
   */
  async function run(req, bypass = false) {
    const mine = ++seq;
    const where = scope();
    const key = where === null ? null : JSON.stringify([where, keyOf(req)]);
    let reply = key === null || bypass ? undefined : cache.get(key);
    if (reply && key !== null) {
      cache.delete(key);
      cache.set(key, reply); // LRU touch
    } else {
      opts.onStart?.(req);
      try {
        reply = await opts.send(req);
      } catch (e) {
        reply = { ok: false, error: { code: 'send_failed', message: e instanceof Error ? e.message : String(e) } };
      }
      opts.onAnswer?.(reply);
      const after = scope(); // the answer may have shown a new pack: file it under that one
      if (reply && reply.ok && after !== null) {
        cache.set(JSON.stringify([after, keyOf(req)]), reply);
        if (cache.size > cacheSize) cache.delete(/** @type {string} */ (cache.keys().next().value));
      }
    }
    const fresh = mine === seq && opts.current() === req.text;
    if (fresh) opts.onResult(reply, req);
    return { reply, fresh };
  }

  return {
    /** Start (or restart) the quiet-period timer for this request. @param {CheckInput} req */
    schedule(req) {
      pending = req;
      if (timer !== null) timers.clearTimeout(timer);
      timer = timers.setTimeout(() => {
        timer = null;
        const r = pending;
        pending = null;
        if (r) due(r);
      }, pauseFor(req));
    },
    /** Check now, skipping the quiet period (the pre-post guard, a re-check).
     * @param {CheckInput} req @param {{bypassCache?: boolean}} [o] */
    now(req, o = {}) {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
      queued = null;
      return run(req, o.bypassCache === true);
    },
    /** Stop a pending check; answers in flight become stale. */
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
      queued = null;
      seq += 1;
    },
    /** Forget cached answers (companion or settings changed). */
    clearCache() { cache.clear(); },
    get waiting() { return timer !== null; },
  };
}
