// @ts-check
// The hand-off: a pre-filled message to the owner of an escalation topic (a row of the pack's matrix),
// which the user opens and sends themselves; PostGuard sends nothing. It is a mailto: to the row's
// e-mail addresses, or the row's `handoff_url` template (a chat deep link: Teams, Slack) when the pack
// sets one. It says the topic, the conversation's URL, the customer's words, the time and the row's
// instructions; the employee's own draft only when they chose to include it.

/** @typedef {{topic: string, title: string, owner: string, contact: string, respond_within: string, instructions?: string, handoff_url?: string}} MatrixRow */

/** The default hand-off's topic in the local records: the pack's `social_media_team`. */
export const TEAM_TOPIC = 'social_media_team';

/**
 * The pack's default contact ("Report this post" with no topic picked) as a row; a pack without one
 * gives a message with no address, which the user addresses themselves.
 * @param {{owner: string, contact: string, respond_within?: string, instructions?: string, handoff_url?: string}|null|undefined} team
 * @returns {MatrixRow}
 */
export function teamRow(team) {
  return { topic: TEAM_TOPIC, title: 'Post to look at', owner: 'your social-media team', contact: '', respond_within: '', ...(team ?? {}) };
}
/**
 * What the message tells the owner.
 * @typedef {{url?: string|null, customerWords?: string|null, time: Date, draft?: string|null}} HandoffFacts
 */

/** Long texts are cut: mail programs refuse very long mailto: links. */
export const MAX_QUOTE = 1500;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** @param {string} text */
function quoted(text) {
  const t = text.trim();
  return t.length > MAX_QUOTE ? `${t.slice(0, MAX_QUOTE)}… (cut)` : t;
}

/** "2026-11-23 14:05 UTC": the same for the sender and the owner, wherever they are. @param {Date} d */
export function handoffTime(d) {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The e-mail addresses in a row's contact field. @param {string} contact */
export function contactEmails(contact) {
  return [...String(contact ?? '').matchAll(EMAIL)].map((m) => m[0]);
}

/** @param {MatrixRow} row */
export function handoffSubject(row) {
  return `PostGuard hand-off: ${row.title}`;
}

/** The message's text, one fact a line. @param {MatrixRow} row @param {HandoffFacts} facts */
export function handoffBody(row, facts) {
  const lines = [
    `Topic: ${row.title}`,
    `Conversation: ${facts.url || '(no address: the post is not open in a browser tab)'}`,
    `Time: ${handoffTime(facts.time)}`,
    facts.customerWords?.trim() ? `What they wrote:\n${quoted(facts.customerWords)}` : 'What they wrote: (PostGuard did not see the message being answered)',
    row.instructions ? `What to do (policy): ${row.instructions}` : null,
    row.respond_within ? `Respond within: ${row.respond_within}` : null,
    facts.draft?.trim() ? `My draft (not posted):\n${quoted(facts.draft)}` : null,
  ];
  return lines.filter((l) => l !== null).join('\n\n');
}

/**
 * The link that opens the hand-off: the row's template with {to}, {subject} and {body} filled in
 * (encoded), else a mailto: to the row's addresses.
 * @param {MatrixRow} row @param {HandoffFacts} facts
 */
export function handoffUrl(row, facts) {
  const to = contactEmails(row.contact).join(',');
  const subject = handoffSubject(row);
  const body = handoffBody(row, facts);
  if (row.handoff_url) {
    const values = /** @type {Record<string, string>} */ ({ to, subject, body });
    return row.handoff_url.replace(/\{(to|subject|body)\}/g, (_, k) => encodeURIComponent(values[k]));
  }
  // RFC 6068: line breaks are %0D%0A
  return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body.replace(/\n/g, '\r\n'))}`;
}

/** "Send to Legal": the button's words. @param {MatrixRow} row */
export function handoffLabel(row) {
  return `Send to ${row.owner}`;
}

/**
 * The matrix row an escalation finding points at: its detail.topic; the rule id or message for an
 * older companion that gives no topic.
 * @param {MatrixRow[]} matrix @param {{category: string, rule: string, message: string, detail?: {topic?: string}}} f
 */
export function rowForFinding(matrix, f) {
  if (f.category !== 'escalation') return null;
  const norm = (/** @type {string} */ s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return matrix.find((m) => m.topic === f.detail?.topic)
    // the longest topic inside the rule id: escalate.legal_threat is legal_threat, not threat
    ?? [...matrix].sort((a, b) => b.topic.length - a.topic.length).find((m) => norm(f.rule).includes(norm(m.topic)))
    ?? matrix.find((m) => f.message.toLowerCase().includes(m.title.toLowerCase()))
    ?? null;
}
