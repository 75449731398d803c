// @ts-check
// The side panel's state: one object, made by panel.js and passed to every view. Views read it and
// change only their own part (named below); nothing else is shared between them.

/** @typedef {import('../protocol.js').BoxReport} BoxReport */
/** @typedef {import('../protocol.js').Finding} Finding */
/**
 * @typedef {{name: string, label: string, required: boolean, default: string, hint: string, max_length: number|null}} Placeholder
 * @typedef {{id: string, title: string, category: string, text: string, preview?: string, platforms: string[], topics: string[], escalate_to: string|null, placeholders: Placeholder[]}} Reply  preview: the companion's fill with [Label] where a value goes
 * @typedef {{id: string, title: string, url: string, description?: string, topics?: string[]}} PackReferral
 * @typedef {import('../handoff.js').MatrixRow} MatrixRow
 * @typedef {{
 *   pack: {id: string, revision: string|number, title: string}, company: Record<string, any>,
 *   replies: Reply[], referrals: PackReferral[], escalation_matrix: MatrixRow[],
 *   response_targets: {kind: string, within: string}[], platforms: Record<string, {limit: number, guidance: string[]}>
 * }} PackView  GET /v1/pack
 * @typedef {{key: string, replyId: string, text: string, findings: Finding[], error: string|null}} Rendered  the companion's render of the form's values (its preview while required values are missing: error says which)
 * @typedef {{key: string, replies: any[], referrals: any[], escalations: any[]}} Suggestions  POST /v1/replies/suggest
 */

export function createState() {
  return {
    /** @type {number|null} the tab the panel follows (panel.js) */
    tabId: null,
    /** @type {BoxReport|null} that tab's active box (panel.js) */
    report: null,
    /** @type {PackView|null} (replies-view.js) */
    pack: null,
    /** @type {any} the effective settings (panel.js, reply-form.js: agentName) */
    settings: null,
    /** @type {Reply|null} the reply in the form (reply-form.js) */
    reply: null,
    /** @type {Rendered|null} (reply-form.js) */
    rendered: null,
    /** @type {Promise<void>|null} the render on its way (reply-form.js) */
    rendering: null,
    /** @type {Suggestions|null} (replies-view.js) */
    suggestions: null,
    /** @type {string|null} the draft to put in hand-offs: read from the page only when the user ticks "Include my draft" (panel.js) */
    handoffDraft: null,
    /** @type {Map<string, string>} the kind the champion picked for a conversation's clock (clock-view.js) */
    clockKinds: new Map(),
    /** the platform the last report came with: the platform filter follows it until the user changes it (panel.js) */
    lastReportPlatform: '',
    /** the pack the companion status last named (panel.js: a new one shows what changed) */
    lastPackRef: '',
  };
}

/** @typedef {ReturnType<typeof createState>} PanelState */

/** Inserting is off on the site of the active box (an edit did not verify there). @param {PanelState} state */
export function insertBlockedBySite(state) {
  return !!(state.report && state.report.insertionUnsafe);
}

/** The platform replies are rendered and counted for: the active box's, else the filter's, else X. @param {PanelState} state @param {string} filter */
export function targetPlatform(state, filter) {
  return state.report?.platform || filter || 'x';
}
