// @ts-check
// One handler per protocol kind (protocol.js). Handlers get their dependencies injected, so the map
// runs under node's test runner with fakes.
import { COMPANION_STATE, KIND, failure } from '../protocol.js';
import { LIMITS, PLATFORMS, SEVERITIES, SURFACES } from '../vocabulary.js';
import { CompanionError, statusFromError } from './companion-client.js';
import { validatePatch } from './settings.js';
import { pauseEnd, pausePatch } from '../pauses.js';
import { handOffHandler } from './handoff.js';
import { guidanceLines } from '../guidance.js';

/** @typedef {import('../protocol.js').Finding} Finding */
/** @typedef {import('../protocol.js').Request} Request */

/**
 * Keep only well-formed findings whose span lies inside the text that was sent.
 * @param {string} text
 * @param {unknown} findings
 * @returns {Finding[]}
 */
export function sanitizeFindings(text, findings) {
  if (!Array.isArray(findings)) return [];
  return findings.filter((f) => f && typeof f === 'object'
    && Number.isInteger(f.start) && Number.isInteger(f.end)
    && f.start >= 0 && f.end <= text.length && f.start <= f.end
    && SEVERITIES.includes(f.severity) && typeof f.message === 'string')
    .map((f) => ({
      ...f,
      id: String(f.id ?? `${f.rule}:${f.start}:${f.end}`),
      why: typeof f.why === 'string' ? f.why : '',
      excerpt: typeof f.excerpt === 'string' ? f.excerpt : text.slice(f.start, f.end),
      suggestions: Array.isArray(f.suggestions) ? f.suggestions.filter((s) => s && typeof s.label === 'string') : [],
    }));
}

/**
 * @param {unknown} e
 */
function fromError(e) {
  if (e instanceof CompanionError) return failure(e.code, e.message, e.state);
  const s = statusFromError(e);
  return failure('internal', s.message, s.state);
}

/** `{ok: true, [key]: value}` from the companion, or its error as a failure. @param {string} key @param {() => Promise<unknown>} get */
async function answered(key, get) {
  try {
    return { ok: true, [key]: await get() };
  } catch (e) {
    return fromError(e);
  }
}

/**
 * @param {{
 *   client: ReturnType<typeof import('./companion-client.js').createCompanionClient>,
 *   settings: {get: () => Promise<import('../protocol.js').Settings>},
 *   local: chrome.storage.StorageArea,
 *   session: chrome.storage.StorageArea,
 *   openSidePanel?: (tabId: number) => Promise<void>,
 *   extensionOrigin: string,
 *   now?: () => number,
 *   records?: {add: (events: unknown) => number},
 *   openUrl?: (url: string) => Promise<unknown>,
 * }} deps  records: background/records.js; openUrl: a new tab (the hand-off's mailto: or chat link)  extensionOrigin: "chrome-extension://<id>/" (chrome.runtime.getURL(''))
 */
export function createHandlers(deps) {
  const now = deps.now ?? Date.now;
  /** @param {chrome.runtime.MessageSender} sender */
  const fromExtensionPage = (sender) => typeof sender.url === 'string' && sender.url.startsWith(deps.extensionOrigin);

  /** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => Promise<any>>} */
  const handlers = {
    async [KIND.check](msg) {
      if (typeof msg.text !== 'string') return failure('bad_request', 'text must be a string');
      // the companion would refuse it (413, counted in code points): say so without sending 70 kB
      if (msg.text.length > LIMITS.text && [...msg.text].length > LIMITS.text) {
        return failure('too_long', `'text' is longer than ${LIMITS.text} characters`, COMPANION_STATE.error);
      }
      if (!PLATFORMS.includes(msg.platform)) return failure('bad_request', `unknown platform ${msg.platform}`);
      if (msg.surface !== undefined && !SURFACES.includes(msg.surface)) return failure('bad_request', `unknown surface ${msg.surface}`);
      /** @type {{text: string, platform: string, surface?: string, replying_to?: string, account?: string}} */
      const body = { text: msg.text, platform: msg.platform };
      if (msg.surface) body.surface = msg.surface;
      if (typeof msg.replyingTo === 'string' && msg.replyingTo) body.replying_to = msg.replyingTo.slice(0, LIMITS.replyingTo);
      if (typeof msg.account === 'string' && msg.account) body.account = msg.account.slice(0, LIMITS.account);
      try {
        const r = await deps.client.check(body);
        return {
          ok: true,
          findings: sanitizeFindings(msg.text, r.findings),
          referrals: Array.isArray(r.referrals) ? r.referrals : [],
          pack: r.pack ?? null,
          elapsedMs: typeof r.elapsed_ms === 'number' ? r.elapsed_ms : null,
        };
      } catch (e) {
        return fromError(e);
      }
    },

    // Events for the local records (a fix, an ignore, a canned reply used...): queued, sent in a batch.
    async [KIND.record](msg) {
      return { ok: true, queued: deps.records ? deps.records.add(msg.events) : 0 };
    },

    // The card's "Send to <owner>": the pre-filled message opens in a new tab (background/handoff.js).
    [KIND.handOff]: handOffHandler({ client: deps.client, openUrl: deps.openUrl, records: deps.records, now }),

    async [KIND.getStatus]() {
      return { ok: true, status: await deps.client.health() };
    },

    async [KIND.getSettings]() {
      return { ok: true, settings: await deps.settings.get() };
    },

    async [KIND.setSettings](msg, sender) {
      // Only extension pages (options, also when opened in a tab) change settings; a content
      // script (its sender.url is the site's page) may only pause its own site.
      if (!fromExtensionPage(sender)) return failure('forbidden', 'settings are changed from the options page');
      const v = validatePatch(msg.patch);
      if (!v.ok) return failure('bad_request', v.message);
      if (v.remove.length) await deps.local.remove(v.remove);
      if (Object.keys(v.values).length) await deps.local.set(v.values);
      return { ok: true, settings: await deps.settings.get() };
    },

    // Pause (for an hour, for today, or until resumed) or resume a site: the card's menu on the site
    // itself, the paused chip's Resume / the undo toast, the options page. Refused when IT forbids pausing.
    async [KIND.setSitePaused](msg) {
      if (!PLATFORMS.includes(msg.site)) return failure('bad_request', `unknown site ${msg.site}`);
      let until = /** @type {number|null|false} */ (false);
      if (msg.paused) {
        if (!(await deps.settings.get()).allowPause) return failure('forbidden', 'Your IT department does not allow pausing PostGuard.');
        const end = pauseEnd(msg.duration ?? 'indefinite', now());
        if (end === undefined) return failure('bad_request', `unknown pause duration ${JSON.stringify(msg.duration)}`);
        until = end;
      }
      await deps.local.set(pausePatch(await deps.local.get(['pausedSites', 'pausedUntil']), msg.site, until));
      deps.records?.add([{ event: msg.paused ? 'site_paused' : 'site_resumed', site: msg.site }]);
      return { ok: true, settings: await deps.settings.get() };
    },

    async [KIND.markUnsafe](msg) {
      if (!PLATFORMS.includes(msg.site)) return failure('bad_request', `unknown site ${msg.site}`);
      const { unsafeSites: current = [] } = await deps.session.get('unsafeSites');
      const set = new Set(Array.isArray(current) ? current : []);
      set.add(msg.site);
      await deps.session.set({ unsafeSites: [...set] });
      return { ok: true, settings: await deps.settings.get() };
    },

    async [KIND.reportBox](msg, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return failure('bad_request', 'reportBox comes from a tab');
      const key = `tab:${tabId}`;
      if (msg.report === null) await deps.session.remove(key);
      else await deps.session.set({ [key]: { ...msg.report, updatedAt: now() } });
      return { ok: true };
    },

    async [KIND.getTabReport](msg) {
      if (!Number.isInteger(msg.tabId)) return failure('bad_request', 'tabId must be an integer');
      const key = `tab:${msg.tabId}`;
      const values = await deps.session.get(key);
      return { ok: true, report: values[key] ?? null };
    },

    async [KIND.openSidePanel](_msg, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined || !deps.openSidePanel) return failure('unsupported', 'no tab to open the side panel for');
      try {
        await deps.openSidePanel(tabId);
        return { ok: true };
      } catch (e) {
        return failure('side_panel', e instanceof Error ? e.message : String(e));
      }
    },

    // the user's own numbers: for the side panel, never for a content script running in a site's page
    async [KIND.getWeek](_msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'your week is shown in the side panel');
      return answered('week', () => deps.client.week());
    },

    async [KIND.getPack]() {
      return answered('pack', () => deps.client.pack());
    },

    // The card's summary shows the site's guidance: only those lines, not the whole pack.
    async [KIND.getGuidance](msg) {
      if (!PLATFORMS.includes(msg.platform)) return failure('bad_request', `unknown platform ${msg.platform}`);
      return answered('lines', async () => guidanceLines(await deps.client.pack(), msg.platform));
    },

    async [KIND.getChanges](_msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'what changed is shown by the extension\'s own pages');
      try {
        return { ok: true, changes: await deps.client.changes() };
      } catch (e) {
        return fromError(e);
      }
    },

    // The tour quotes the pack's flag examples, confidential terms included: extension pages only.
    async [KIND.getTour](_msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'the tour is shown by the extension\'s own pages');
      try {
        return { ok: true, tour: await deps.client.tour() };
      } catch (e) {
        return fromError(e);
      }
    },

    // Pairing: only extension pages (the options page). The token goes to chrome.storage.local and
    // is read only by the companion client; no reply ever carries it.
    async [KIND.pair](msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'pairing is done from the options page');
      const code = typeof msg.code === 'string' ? msg.code.replace(/[\s-]/g, '') : '';
      if (!/^\d{8}$/.test(code)) {
        return failure('bad_code_format', 'The pairing code has 8 digits, like 1234-5678. Run `postguard pair` to get one.');
      }
      try {
        const token = await deps.client.pair(code);
        await deps.local.set({ companionToken: token });
        return { ok: true, paired: true, status: await deps.client.health() };
      } catch (e) {
        return fromError(e);
      }
    },

    async [KIND.forgetPairing](_msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'pairing is changed from the options page');
      await deps.local.remove('companionToken');
      await deps.client.forgetVerified(); // the cached proof goes with the token
      return { ok: true, paired: false };
    },

    async [KIND.getPairing](_msg, sender) {
      if (!fromExtensionPage(sender)) return failure('forbidden', 'pairing is shown in the options page');
      const { companionToken } = await deps.local.get('companionToken');
      return { ok: true, paired: typeof companionToken === 'string' && companionToken !== '' };
    },

    async [KIND.renderReply](msg) {
      if (typeof msg.replyId !== 'string' || !PLATFORMS.includes(msg.platform)) {
        return failure('bad_request', 'replyId and platform are required');
      }
      /** @type {{reply_id: string, values: Record<string, string>, platform: string, surface?: string, replying_to?: string, account?: string, preview?: boolean}} */
      const body = { reply_id: msg.replyId, values: msg.values || {}, platform: msg.platform };
      if (msg.preview === true) body.preview = true;
      if (SURFACES.includes(msg.surface)) body.surface = msg.surface;
      if (typeof msg.replyingTo === 'string' && msg.replyingTo) body.replying_to = msg.replyingTo.slice(0, LIMITS.replyingTo);
      if (typeof msg.account === 'string' && msg.account) body.account = msg.account.slice(0, LIMITS.account);
      try {
        const r = await deps.client.renderReply(body);
        return { ok: true, text: String(r.text ?? ''), findings: sanitizeFindings(String(r.text ?? ''), r.findings) };
      } catch (e) {
        return fromError(e);
      }
    },

    async [KIND.suggestReplies](msg) {
      if (typeof msg.replyingTo !== 'string' || !PLATFORMS.includes(msg.platform)) {
        return failure('bad_request', 'replyingTo and platform are required');
      }
      /** @type {{replying_to: string, platform: string, surface?: string}} */
      const body = { replying_to: msg.replyingTo.slice(0, LIMITS.replyingTo), platform: msg.platform };
      if (SURFACES.includes(msg.surface)) body.surface = msg.surface;
      try {
        const r = await deps.client.suggestReplies(body);
        const list = (/** @type {unknown} */ v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : []);
        return { ok: true, replies: list(r.replies), referrals: list(r.referrals), escalations: list(r.escalations) };
      } catch (e) {
        return fromError(e);
      }
    },
  };
  return handlers;
}

/**
 * Route one message to its handler. Never throws; unknown kinds get an explicit failure.
 * @param {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => Promise<any>>} handlers
 * @param {unknown} msg
 * @param {chrome.runtime.MessageSender} sender
 */
export async function dispatch(handlers, msg, sender) {
  const kind = msg && typeof msg === 'object' ? /** @type {{kind?: unknown}} */ (msg).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(handlers, kind)) {
    return failure('unknown_kind', `unknown message kind ${JSON.stringify(kind)}`);
  }
  try {
    return await handlers[kind](msg, sender);
  } catch (e) {
    return failure('internal', e instanceof Error ? e.message : String(e));
  }
}
