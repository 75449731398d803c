// @ts-check
// Debounced checks for one box: nothing runs while the user types; a check starts `delay` ms after
// the last change; an answer for text that has changed since (or older than a newer request) is
// dropped. Answers are cached per exact request, so undo/redo does not ask again.

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
 *   delay?: number,
 *   cacheSize?: number,
 *   timers?: {setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void},
 * }} opts  current: the box's text now (to drop stale answers)
 */
export function createChecker(opts) {
  const delay = opts.delay ?? 280;
  const cacheSize = opts.cacheSize ?? 32;
  const timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
  /** @type {Map<string, CheckOutput>} */
  const cache = new Map();
  let timer = /** @type {any} */ (null);
  let seq = 0;
  /** @type {CheckInput|null} */
  let pending = null;

  /** @param {CheckInput} req */
  const keyOf = (req) => JSON.stringify([req.text, req.platform, req.surface ?? '', req.replyingTo ?? '']);

  /**
   * Run a check now. Resolves with the reply (also for stale answers); onResult only sees fresh ones.
   * @param {CheckInput} req
   * @returns {Promise<{reply: CheckOutput, fresh: boolean}>}
   */
  async function run(req) {
    const mine = ++seq;
    const key = keyOf(req);
    let reply = cache.get(key);
    if (reply) {
      cache.delete(key);
      cache.set(key, reply); // LRU touch
    } else {
      opts.onStart?.(req);
      try {
        reply = await opts.send(req);
      } catch (e) {
        reply = { ok: false, error: { code: 'send_failed', message: e instanceof Error ? e.message : String(e) } };
      }
      if (reply && reply.ok) {
        cache.set(key, reply);
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
        if (r) run(r);
      }, delay);
    },
    /** Check now, skipping the quiet period (the pre-post guard). @param {CheckInput} req */
    now(req) {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
      return run(req);
    },
    /** Stop a pending check; answers in flight become stale. */
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
      seq += 1;
    },
    /** Forget cached answers (companion or settings changed). */
    clearCache() { cache.clear(); },
    get waiting() { return timer !== null; },
  };
}
