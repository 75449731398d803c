// @ts-check
// Time-boxed pauses of a site: "for 1 hour", "for today" (until the next local midnight), "until I
// turn it back on". Stored in chrome.storage.local as `pausedUntil` {site: epoch ms} for the timed
// ones and `pausedSites` [site] for the open-ended one (the list the options page has always kept).

/** The durations a user can pick (the card's overflow menu, the options page). */
export const PAUSE_DURATIONS = Object.freeze(['hour', 'today', 'indefinite']);

/**
 * When a pause picked now ends: epoch ms, or null for "until I turn it back on".
 * @param {string} duration  one of PAUSE_DURATIONS
 * @param {number} now       epoch ms
 * @returns {number|null|undefined} undefined for an unknown duration
 */
export function pauseEnd(duration, now) {
  if (duration === 'hour') return now + 60 * 60 * 1000;
  if (duration === 'today') {
    const d = new Date(now);
    d.setHours(24, 0, 0, 0); // the next local midnight
    return d.getTime();
  }
  if (duration === 'indefinite') return null;
  return undefined;
}

/**
 * The pauses in force now: {site: until|null}. Expired timed pauses are left out.
 * @param {string[]} openEnded  local.pausedSites (already filtered to known sites)
 * @param {unknown} timed       local.pausedUntil
 * @param {(s: unknown) => boolean} knownSite
 * @param {number} now
 * @returns {Record<string, number|null>}
 */
export function activePauses(openEnded, timed, knownSite, now) {
  /** @type {Record<string, number|null>} */
  const out = {};
  if (timed && typeof timed === 'object' && !Array.isArray(timed)) {
    for (const [site, until] of Object.entries(timed)) {
      if (knownSite(site) && typeof until === 'number' && Number.isFinite(until) && until > now) out[site] = until;
    }
  }
  for (const site of openEnded) out[site] = null; // open-ended wins over a timed one
  return out;
}

/**
 * The storage change for pausing or resuming a site (pure; the handler writes it).
 * @param {{pausedSites?: unknown, pausedUntil?: unknown}} stored  current local values
 * @param {string} site
 * @param {number|null|false} until  epoch ms, null (open-ended), or false to resume
 * @returns {{pausedSites: string[], pausedUntil: Record<string, number>}}
 */
export function pausePatch(stored, site, until) {
  const sites = new Set(Array.isArray(stored.pausedSites) ? stored.pausedSites.filter((s) => typeof s === 'string') : []);
  const timed = /** @type {Record<string, number>} */ ({});
  const old = stored.pausedUntil;
  if (old && typeof old === 'object' && !Array.isArray(old)) {
    for (const [k, v] of Object.entries(old)) if (typeof v === 'number') timed[k] = v;
  }
  sites.delete(site);
  delete timed[site];
  if (until === null) sites.add(site);
  else if (typeof until === 'number') timed[site] = until;
  return { pausedSites: [...sites], pausedUntil: timed };
}
