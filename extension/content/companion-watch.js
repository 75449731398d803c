// @ts-check
// What the page knows about the companion: whether it answers and which pack it serves. Fed by the
// answers to checks and by health probes (getStatus through the worker): on focus of a compose box
// and every few seconds while one has focus, so a restarted companion or a new pack is noticed
// without a keystroke. Tells the boxes when the companion is back (re-check what could not be
// checked) and when the pack changed (answers from the old pack are void).

/** Companion states a probe can see end: a box in one of these is re-checked when the companion is back.
 * (`unpaired` and `error` are not: the health probe cannot tell they are over, and a re-check would fail again.) */
const RECOVERABLE = new Set(['offline', 'impostor', 'no_pack']);
/** How often a focused box probes the companion. */
export const PROBE_MS = 3000;
/** An answer counts as current at the post guard only if the companion and its pack were confirmed this recently. */
export const FRESH_MS = 5000;

/**
 * @typedef {{id: string, revision: string|number, sha256?: string}} PackId
 */

/** @param {PackId|null|undefined} a @param {PackId|null|undefined} b  the same pack (a sha only counts when both have one) */
export function samePack(a, b) {
  if (!a || !b) return false;
  return a.id === b.id && String(a.revision) === String(b.revision) && (!a.sha256 || !b.sha256 || a.sha256 === b.sha256);
}

/**
 * @param {{
 *   probe: () => Promise<any>,
 *   focused: () => boolean,
 *   onRecovered: () => void,
 *   onPackChanged: () => void,
 *   interval?: number,
 *   now?: () => number,
 *   timers?: {setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void},
 * }} opts  probe: the worker's getStatus reply ({ok, status: {state, pack}}); focused: a watched box has focus
 */
export function createCompanionWatch(opts) {
  const interval = opts.interval ?? PROBE_MS;
  const now = opts.now ?? (() => performance.now());
  const timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
  let state = 'unknown';
  /** @type {PackId|null} */
  let pack = null;
  let confirmedAt = -Infinity;
  /** bumped whenever answers given so far stop counting (new pack, new settings) */
  let epoch = 0;
  let probes = 0;
  let timer = /** @type {any} */ (null);
  /** @type {Promise<void>|null} */
  let inflight = null;
  let stopped = false;

  /** @param {string} next @param {PackId|null} [nextPack] */
  function note(next, nextPack) {
    const was = state;
    state = next;
    if (next === 'ok') confirmedAt = now();
    let changed = false;
    if (nextPack && typeof nextPack.id === 'string') {
      changed = pack !== null && !samePack(pack, nextPack);
      const sha = nextPack.sha256 ?? (pack && samePack(pack, nextPack) ? pack.sha256 : undefined);
      pack = { id: nextPack.id, revision: nextPack.revision, ...(sha ? { sha256: sha } : {}) };
    }
    if (changed) { epoch += 1; opts.onPackChanged(); }
    if (next === 'ok' && RECOVERABLE.has(was)) opts.onRecovered();
  }

  /** Ask the companion now (concurrent calls share one probe). */
  function probeNow() {
    if (stopped) return Promise.resolve();
    inflight ??= opts.probe().then((r) => {
      probes += 1;
      if (stopped) return;
      const st = r && r.ok ? r.status : { state: (r && r.state) || 'error' };
      note(typeof st.state === 'string' ? st.state : 'error', st.state === 'ok' ? st.pack : null);
    }, () => {}).finally(() => { inflight = null; });
    return inflight;
  }

  function tick() {
    timer = null;
    if (stopped || !opts.focused()) return; // no box has focus: stop until the next focus
    probeNow().then(() => { if (!stopped && timer === null) timer = timers.setTimeout(tick, interval); });
  }

  return {
    /** A box got focus: probe now and keep probing while a box has focus. */
    wake() {
      if (stopped) return;
      if (timer !== null) timers.clearTimeout(timer);
      tick();
    },
    probeNow,
    /** Every answer to a check: the companion answered (or not), and with which pack. @param {any} reply */
    noteAnswer(reply) {
      if (reply && reply.ok) note('ok', reply.pack);
      else if (reply && typeof reply.state === 'string') note(reply.state);
    },
    /** Settings changed (port, pairing): answers given so far no longer count. */
    reset() { epoch += 1; confirmedAt = -Infinity; },
    /** An answer given in `atEpoch` from `fromPack` is still the companion's answer now. @param {number} atEpoch @param {PackId|null} fromPack */
    isCurrent(atEpoch, fromPack) {
      return atEpoch === epoch && state === 'ok' && samePack(fromPack, pack) && now() - confirmedAt <= FRESH_MS;
    },
    /** Cache scope of answers: the pack (id, revision, sha when known) and the settings epoch; null while unknown. */
    scope() { return pack ? `${epoch}|${pack.id}@${pack.revision}#${pack.sha256 ?? ''}` : null; },
    stop() { stopped = true; if (timer !== null) timers.clearTimeout(timer); timer = null; },
    get state() { return state; },
    get pack() { return pack; },
    get epoch() { return epoch; },
    get probes() { return probes; },
  };
}

/** @typedef {ReturnType<typeof createCompanionWatch>} CompanionWatch */
