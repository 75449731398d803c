// @ts-check
// The one message protocol between the content scripts, the side panel, the options page and the
// service worker. Every request is `{kind, ...}`; every reply is `{ok: true, ...}` or
// `{ok: false, error: {code, message}}` (a thrown Error does not cross sendMessage, so errors are data).
// Only the service worker talks to the companion on 127.0.0.1 (Local Network Access blocks content
// scripts; see extension/README.md). Platforms, severities, categories and limits: vocabulary.js.

/** Message kinds. Adding one = a constant here, a typedef below, a handler in background/handlers.js. */
export const KIND = Object.freeze({
  check: 'check', // content -> SW: check a draft
  getStatus: 'getStatus', // any -> SW: companion health
  getSettings: 'getSettings', // any -> SW: effective settings (+ which ones IT locked)
  setSettings: 'setSettings', // options -> SW: change user settings
  setSitePaused: 'setSitePaused', // content/options -> SW: pause or resume a site
  markUnsafe: 'markUnsafe', // content -> SW: insertion failed verification on a site (session)
  reportBox: 'reportBox', // content -> SW: findings of the active box, for the side panel
  getTabReport: 'getTabReport', // side panel -> SW: the last report of a tab
  openSidePanel: 'openSidePanel', // content -> SW: open the side panel (needs a user gesture)
  getPack: 'getPack', // side panel -> SW: GET /v1/pack
  getChanges: 'getChanges', // side panel, options -> SW: GET /v1/pack/changes (what the latest pack revision changed)
  getTour: 'getTour', // tour, practice pages -> SW: GET /v1/pack/tour (extension pages only: it quotes confidential terms)
  renderReply: 'renderReply', // side panel -> SW: POST /v1/replies/render
  suggestReplies: 'suggestReplies', // side panel -> SW: POST /v1/replies/suggest
  pair: 'pair', // options -> SW: POST /v1/pair with the code; the SW stores the token
  forgetPairing: 'forgetPairing', // options -> SW: drop the token
  getPairing: 'getPairing', // options -> SW: paired or not (never the token)
  record: 'record', // content/side panel -> SW: events for the local records (records-vocabulary.js), no text
  getWeek: 'getWeek', // side panel -> SW: GET /v1/records/week ("Your week")
  getGuidance: 'getGuidance', // content -> SW: the pack's guidance lines for one platform (the card's summary)
  handOff: 'handOff', // content -> SW: open the pre-filled "Send to <owner>" message of an escalation topic (background/handoff.js)
});

/** Kinds the CONTENT SCRIPT answers (sent by the side panel with chrome.tabs.sendMessage, not to the worker). */
export const CONTENT_KIND = Object.freeze({
  insertText: 'insertText', // insert at the caret of the active box, verified ({ok, path} or a failure)
  readDraft: 'readDraft', // the active box's text, for a hand-off the user asked to include it in ({ok, text} or a failure)
  settingsChanged: 'settingsChanged', // from the worker: read the settings again (content scripts cannot see storage)
});

/** Companion states the chip and the panel show. */
export const COMPANION_STATE = Object.freeze({
  ok: 'ok',
  offline: 'offline', // connection refused / timeout: "companion not running"
  unpaired: 'unpaired', // 401: "not paired"
  noPack: 'no_pack', // 503 or health status no_pack: "no valid policy pack"
  error: 'error', // anything else (400, 403, 413, bad JSON...)
  impostor: 'impostor', // /v1/hello proof wrong or missing: something else is on the port; nothing was sent
});

// ---- companion wire types (docs/architecture.md, "The API") -------------------------------------

/**
 * @typedef {'x'|'facebook'|'linkedin'|'instagram'} Platform
 * @typedef {'post'|'reply'|'comment'|'message'|'caption'} Surface
 * @typedef {'info'|'warning'|'critical'} Severity
 * @typedef {{label: string, replacement?: string, insert?: string, handoff?: string}} Suggestion  handoff: an escalation matrix topic (the card's "Send to <owner>")
 * @typedef {{match?: 'exact'|'fuzzy'|'context'|'pattern'|'length'|'words', layer?: 'base'|'pack', distance?: number, matched?: string, context?: (string|{group: string, text: string})[], topic?: string, source?: 'replying_to', length?: number, limit?: number}} MatchDetail  context: words (codename rules) or {group, text} (combination rules)
 * @typedef {{
 *   id: string, category: string, severity: Severity, rule: string,
 *   start: number, end: number, excerpt: string, message: string, why: string,
 *   suggestions: Suggestion[], detail?: MatchDetail
 * }} Finding  start/end: UTF-16 code units into exactly the text sent
 * @typedef {{id: string, title: string, url: string, reason: string}} Referral
 * @typedef {{id: string, revision: string|number}} PackRef
 */

// ---- requests ----------------------------------------------------------------------------------

/**
 * @typedef {{kind: 'check', text: string, platform: Platform, surface?: Surface, replyingTo?: string, account?: string}} CheckRequest
 * @typedef {{kind: 'getStatus'}} GetStatusRequest
 * @typedef {{kind: 'getSettings'}} GetSettingsRequest
 * @typedef {{kind: 'setSettings', patch: Partial<LocalSettings>}} SetSettingsRequest
 * @typedef {{kind: 'setSitePaused', site: Platform, paused: boolean, duration?: 'hour'|'today'|'indefinite'}} SetSitePausedRequest  duration: how long a pause lasts (default indefinite)
 * @typedef {{kind: 'markUnsafe', site: Platform, reason: string}} MarkUnsafeRequest
 * @typedef {{kind: 'reportBox', report: BoxReport|null}} ReportBoxRequest
 * @typedef {{kind: 'getTabReport', tabId: number}} GetTabReportRequest
 * @typedef {{kind: 'openSidePanel'}} OpenSidePanelRequest
 * @typedef {{kind: 'getPack'}} GetPackRequest
 * @typedef {{kind: 'getTour'}} GetTourRequest  answered {ok: true, tour: TourView}
 * @typedef {{kind: 'getChanges'}} GetChangesRequest  answered {ok: true, changes: PackChanges}
 * @typedef {{kind: 'renderReply', replyId: string, values: Record<string, string>, platform: Platform, surface?: Surface, replyingTo?: string, account?: string, preview?: boolean}} RenderReplyRequest  preview: the text while values are being typed ([Label] where one is missing), not checked
 * @typedef {{kind: 'suggestReplies', replyingTo: string, platform: Platform, surface?: Surface}} SuggestRepliesRequest
 * @typedef {{kind: 'insertText', text: string, spaced?: boolean, canned?: boolean}} InsertTextRequest  answered by the content script: {ok: true, path} or a failure (no_box, unsafe, paused, busy); canned: a canned reply, whose answer the panel records (content/answers.js)
 * @typedef {{kind: 'pair', code: string}} PairRequest  code as typed ("1234-5678"; spaces and dashes ignored)
 * @typedef {{kind: 'forgetPairing'}} ForgetPairingRequest
 * @typedef {{kind: 'getPairing'}} GetPairingRequest
 * @typedef {{kind: 'record', events: import('./records-vocabulary.js').RecordEvent[]}} RecordRequest  answered {ok: true, queued}
 * @typedef {{kind: 'getWeek'}} GetWeekRequest  answered {ok: true, week: Week}
 * @typedef {{kind: 'getGuidance', platform: Platform}} GetGuidanceRequest  answered {ok: true, lines: string[]}
 * @typedef {{kind: 'handOff', topic: string, replyingTo?: string|null, draft?: string|null, includeDraft?: boolean}} HandOffRequest  answered {ok: true, owner}; the draft goes in only with includeDraft
 * @typedef {CheckRequest|GetStatusRequest|GetSettingsRequest|SetSettingsRequest|SetSitePausedRequest|
 *   MarkUnsafeRequest|ReportBoxRequest|GetTabReportRequest|OpenSidePanelRequest|GetPackRequest|
 *   RenderReplyRequest|GetTourRequest|GetChangesRequest|PairRequest|ForgetPairingRequest|GetPairingRequest|
 *   SuggestRepliesRequest|InsertTextRequest|RecordRequest|GetWeekRequest|HandOffRequest|GetGuidanceRequest} Request
 */

// ---- replies -----------------------------------------------------------------------------------

/**
 * @typedef {{code: string, message: string}} ErrorInfo
 * @typedef {{ok: false, error: ErrorInfo, state?: string}} Failure  state: a COMPANION_STATE when the companion is the cause
 * @typedef {{ok: true, findings: Finding[], referrals: Referral[], pack: PackRef|null, elapsedMs: number}} CheckReply
 * @typedef {{state: string, message: string, version?: string, pack?: {id: string, revision: string|number, signed?: boolean}|null, tokenStorage?: string}} CompanionStatus
 * @typedef {{ok: true, status: CompanionStatus}} StatusReply
 * @typedef {{ok: true, paired: boolean, status?: CompanionStatus}} PairingReply  pair / forgetPairing / getPairing
 * @typedef {{companionPort?: number|string|null, notifyOnly?: boolean, pausedSites?: string[], testHooks?: boolean, role?: 'employee'|'champion', agentName?: string|null}} LocalSettings
 * @typedef {{
 *   port: number, notifyOnly: boolean, disabledSites: string[], pausedSites: string[],
 *   role: string, testHooks: boolean, unsafeSites: string[],
 *   pauses?: Record<string, number|null>, allowPause?: boolean, agentName?: string,
 *   locked: {port: boolean, notifyOnly: boolean, disabledSites: boolean, role: boolean, pause?: boolean, pairing?: boolean}
 * }} Settings  disabledSites: IT's (managed); pausedSites: the user's, in force now (pauses: when each ends,
 *   null = until resumed); allowPause: false when IT forbids pausing; agentName: the champion's own name
 * @typedef {{ok: true, settings: Settings}} SettingsReply
 * @typedef {{
 *   site: Platform, platform: Platform, surface: string, url: string, state: string, stateText: string,
 *   findings: Finding[], referrals: Referral[], pack: PackRef|null, insertionUnsafe: boolean, updatedAt: number,
 *   replyingTo?: string|null, account?: string|null, replyingToAuthor?: {name: string|null, handle: string|null}|null,
 *   replyingToPostedAt?: string|null,
 *   replyingToReview?: boolean
 * }} BoxReport  replyingTo: the post being answered (replyingToAuthor: who wrote it, replyingToPostedAt: when, ISO 8601,
 *   where the site shows it); account: the logged-in handle, where the site shows it
 * @typedef {{ok: true, report: BoxReport|null}} TabReportReply
 * @typedef {{ok: true}} OkReply
 * @typedef {{rule: string, text: string, platform: Platform, surface: Surface}} PracticeDraft  a flag example, and where it flags
 * @typedef {{category: string, rule: string, why: string, message: string, severity: Severity, flag: string, pass: string|null, practice: PracticeDraft[]}} TourCategory
 * @typedef {{pack: {id: string, revision: string|number, title: string}, policy_url: string|null, categories: TourCategory[]}} TourView  GET /v1/pack/tour
 * @typedef {{change: 'added'|'changed'|'removed', reason?: string, rule?: string, message?: string, why?: string, id?: string, title?: string, url?: string, owner?: string}} DigestEntry
 * @typedef {{terms: DigestEntry[], rules: DigestEntry[], replies: DigestEntry[], links: DigestEntry[], escalation: DigestEntry[], policy_url?: string}} PackDigest  terms: by reason, never by name
 * @typedef {{pack: PackRef, from: PackRef|null, digest: PackDigest|null}} PackChanges  GET /v1/pack/changes
 * @typedef {{since: string, until: string,
 *   findings: {shown: number, fixed: number, ignored: number, overridden: number, wrong: number, rates: Record<string, number|null>},
 *   noisiest: {rule: string, category: string, shown: number, noise: number}[],
 *   responses: {answered: number, median_minutes: number|null, p90_minutes: number|null, within_target: number, within_target_share: number|null},
 *   replies_used: number}} Week  GET /v1/records/week: the last 7 days of the local records
 */

/**
 * Build a failure reply.
 * @param {string} code
 * @param {string} message
 * @param {string} [state]
 * @returns {Failure}
 */
export function failure(code, message, state) {
  /** @type {Failure} */
  const f = { ok: false, error: { code, message } };
  if (state) f.state = state;
  return f;
}

/** Human wording of each companion state (chip, panel, options). */
export const STATE_TEXT = Object.freeze({
  ok: 'connected',
  offline: 'companion not running',
  unpaired: 'not paired',
  no_pack: 'no valid policy pack',
  error: 'companion error',
  impostor: 'something else is answering on the companion port',
});
