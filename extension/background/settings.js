// @ts-check
// Effective settings = managed storage (IT, wins and locks the field) > chrome.storage.local (the
// user, the options page, the e2e tests) > defaults. Managed storage is read once at service-worker
// start and cached in chrome.storage.local (`managedCache`), because the first
// chrome.storage.managed.get() in a fresh profile took 2.5-2.9 s when measured:
// the first check must not wait for it.
import { DEFAULT_PORT, PLATFORMS } from '../vocabulary.js';
import { activePauses } from '../pauses.js';

/** @typedef {import('../protocol.js').Settings} Settings */

/** The side panel's views: champions see canned replies first, employees the findings first. */
export const ROLES = Object.freeze(['employee', 'champion']);

/**
 * @param {unknown} v
 * @returns {number|undefined} a valid TCP port or undefined
 */
export function validPort(v) {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * @param {unknown} v
 * @returns {string[]|undefined} the known site ids in v, or undefined when v is not a list
 */
function siteList(v) {
  if (!Array.isArray(v)) return undefined;
  return [...new Set(v.filter((s) => typeof s === 'string' && PLATFORMS.includes(s)))];
}

/** IT's zero-touch pairing secret (companion/zerotouch.py SECRET): at least 32 random bytes, base64url.
 * @param {unknown} v
 * @returns {string|undefined} */
export function pairingSecret(v) {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43,128}$/.test(v) ? v : undefined;
}

/** The champion's own name for canned replies ("Your first name"), remembered on this computer. */
const MAX_NAME = 60;

/**
 * Merge managed, local and session values into the effective settings. Pure.
 * pausedSites: the sites paused NOW (open-ended or a timed pause not yet over); pauses: when each
 * ends (epoch ms, null = until the user resumes). IT's `allowPause: false` empties both: a pause
 * stored before the policy arrived is ignored.
 * @param {Record<string, unknown>} managed  chrome.storage.managed (may be {})
 * @param {Record<string, unknown>} local    chrome.storage.local
 * @param {Record<string, unknown>} [session] chrome.storage.session (unsafeSites)
 * @param {number} [now] epoch ms (timed pauses)
 * @returns {Settings & {pauses: Record<string, number|null>, allowPause: boolean, agentName: string}}
 */
export function resolveSettings(managed, local, session = {}, now = Date.now()) {
  const mPort = validPort(managed.companionPort);
  const mNotify = typeof managed.notifyOnly === 'boolean' ? managed.notifyOnly : undefined;
  const mSites = siteList(managed.disabledSites);
  const mRole = typeof managed.role === 'string' && managed.role ? managed.role : undefined;
  const lRole = ROLES.includes(/** @type {any} */ (local.role)) ? /** @type {string} */ (local.role) : undefined;
  const lNotify = typeof local.notifyOnly === 'boolean' ? local.notifyOnly : undefined;
  const mAllowPause = typeof managed.allowPause === 'boolean' ? managed.allowPause : undefined;
  const allowPause = mAllowPause ?? true;
  const pauses = allowPause
    ? activePauses(siteList(local.pausedSites) ?? [], local.pausedUntil, (x) => PLATFORMS.includes(/** @type {any} */ (x)), now)
    : {};
  return {
    port: mPort ?? validPort(local.companionPort) ?? DEFAULT_PORT,
    notifyOnly: mNotify ?? lNotify ?? false,
    disabledSites: mSites ?? [],
    pausedSites: PLATFORMS.filter((p) => p in pauses),
    pauses,
    allowPause,
    agentName: typeof local.agentName === 'string' ? local.agentName.slice(0, MAX_NAME) : '',
    role: mRole ?? lRole ?? 'employee',
    testHooks: local.testHooks === true,
    unsafeSites: siteList(session.unsafeSites) ?? [],
    locked: {
      port: mPort !== undefined,
      notifyOnly: mNotify !== undefined,
      disabledSites: mSites !== undefined,
      role: mRole !== undefined,
      pause: mAllowPause !== undefined,
      pairing: pairingSecret(managed.pairingSecret) !== undefined, // IT pairs this browser; the secret itself stays here
    },
  };
}

/**
 * Validate a patch from the options page (or a test) before it is written to chrome.storage.local.
 * @param {Record<string, unknown>} patch
 * @returns {{ok: true, values: Record<string, unknown>, remove: string[]} | {ok: false, message: string}}
 */
export function validatePatch(patch) {
  /** @type {Record<string, unknown>} */
  const values = {};
  /** @type {string[]} */
  const remove = [];
  for (const [key, value] of Object.entries(patch || {})) {
    if (key === 'companionPort') {
      if (value === null || value === '') { remove.push(key); continue; }
      const port = validPort(value);
      if (port === undefined) return { ok: false, message: 'port must be a whole number from 1 to 65535' };
      values[key] = port;
    } else if (key === 'notifyOnly' || key === 'testHooks') {
      if (typeof value !== 'boolean') return { ok: false, message: `${key} must be true or false` };
      values[key] = value;
    } else if (key === 'role') {
      if (value === null || value === '') { remove.push(key); continue; }
      if (!ROLES.includes(/** @type {any} */ (value))) return { ok: false, message: `role must be one of ${ROLES.join(', ')}` };
      values[key] = value;
    } else if (key === 'pausedSites') {
      const sites = siteList(value);
      if (!sites) return { ok: false, message: 'pausedSites must be a list of site ids' };
      values[key] = sites;
    } else if (key === 'agentName') {
      if (value === null || (typeof value === 'string' && value.trim() === '')) { remove.push(key); continue; }
      if (typeof value !== 'string') return { ok: false, message: 'agentName must be text' };
      if (value.trim().length > MAX_NAME) return { ok: false, message: `agentName must be at most ${MAX_NAME} characters` };
      values[key] = value.trim();
    } else {
      return { ok: false, message: `unknown setting ${JSON.stringify(key)}` };
    }
  }
  return { ok: true, values, remove };
}

/**
 * Settings store over chrome.storage (managed values cached in memory and in local.managedCache).
 * @param {{managed: chrome.storage.StorageArea, local: chrome.storage.StorageArea, session: chrome.storage.StorageArea}} areas
 */
export function createSettingsStore(areas) {
  /** @type {Record<string, unknown>|null} */
  let managed = null; // null until the real managed read returns

  function readManaged() {
    return areas.managed.get(null).then(
      async (values) => {
        managed = values || {};
        const { managedCache } = await areas.local.get('managedCache');
        if (JSON.stringify(managedCache ?? {}) !== JSON.stringify(managed)) await areas.local.set({ managedCache: managed });
      },
      () => { managed = {}; }, // no schema / no policy: nothing is managed
    );
  }
  const managedRead = readManaged();

  async function load() {
    const [local, session] = await Promise.all([areas.local.get(null), areas.session.get('unsafeSites')]);
    const m = managed ?? /** @type {Record<string, unknown>} */ (local.managedCache || {});
    return resolveSettings(m, local, session);
  }

  return {
    /** Read the effective settings. chrome.storage.local/session are read every time (about a
     * millisecond): a cache here once answered a content script with the settings from before a
     * write whose onChanged event had already reached it. Only managed storage (slow) is cached.
     * @returns {Promise<Settings>} */
    async get() {
      return load();
    },
    /** IT's zero-touch pairing secret, for the companion client only (never part of the settings,
     * which content scripts receive). Waits for the first managed read when nothing is cached.
     * @returns {Promise<string|undefined>} */
    async pairingSecret() {
      if (managed === null) {
        const { managedCache } = await areas.local.get('managedCache');
        const cached = pairingSecret(/** @type {Record<string, unknown>|undefined} */ (managedCache)?.pairingSecret);
        if (cached) return cached;
        await managedRead;
      }
      return pairingSecret(/** @type {Record<string, unknown>|null} */ (managed)?.pairingSecret);
    },
    /** Resolves once the first managed read has come back (tests, options page). */
    managedRead,
    /** IT changed the policy: read managed storage again. */
    refreshManaged() { return readManaged(); },
  };
}
