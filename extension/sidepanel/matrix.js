// @ts-check
// The escalation matrix as a list that reads at 320 px: the most urgent topic first, "within 15 min"
// spelled out, every e-mail address and phone number a link (mailto:/tel:) with its own Copy button,
// and the topics flagged in the draft or the conversation marked.
import { rebuildUnlessShowing } from '../dom.js';
import { counted, t } from '../i18n.js';

/** @typedef {import('../handoff.js').MatrixRow} MatrixRow */

const UNIT_MIN = /** @type {Record<string, number>} */ ({ m: 1, min: 1, mins: 1, minute: 1, minutes: 1, h: 60, hr: 60, hrs: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440, w: 10080, week: 10080, weeks: 10080 });

/**
 * Minutes until an answer is due, for sorting ("15m", "1h", "24 hours", "1 business day"...).
 * A business day counts a little more than a day (it can span a weekend); unknown text sorts last.
 * @param {string} within
 */
export function urgencyMinutes(within) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(business\s+days?|[a-z]+)\s*$/i.exec(String(within ?? ''));
  if (!m) return Infinity;
  const unit = m[2].toLowerCase();
  if (unit.startsWith('business')) return Number(m[1]) * 1440 * 1.4;
  return UNIT_MIN[unit] === undefined ? Infinity : Number(m[1]) * UNIT_MIN[unit];
}

/** "15m" -> "15 min", "1h" -> "1 hour", "24h" -> "24 hours"; anything else as written. @param {string} within */
export function withinText(within) {
  const m = /^\s*(\d+)\s*(m|min|h)\s*$/i.exec(String(within ?? ''));
  if (!m) return String(within ?? '');
  const n = Number(m[1]);
  return m[2].toLowerCase() === 'h' ? counted('hours', n) : t('minutes', n);
}

/** Rows, most urgent first (stable for equals). @param {MatrixRow[]} rows */
export function byUrgency(rows) {
  return rows.map((r, i) => ({ r, i, u: urgencyMinutes(r.respond_within) }))
    .sort((a, b) => (a.u - b.u) || (a.i - b.i)).map((x) => x.r);
}

/**
 * The pieces of a contact field: e-mail addresses and phone numbers (with their link), other text as is.
 * "safety@x.example, +1 555 0100" -> [{kind:'email',...}, {kind:'text', text:', '}, {kind:'phone',...}]
 * @param {string} contact
 * @returns {{kind: 'email'|'phone'|'text', text: string, href?: string}[]}
 */
export function contactParts(contact) {
  const re = /([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(\+?\(?\d[\d\s().-]{5,}\d)/g;
  /** @type {{kind: 'email'|'phone'|'text', text: string, href?: string}[]} */
  const out = [];
  let last = 0;
  for (const m of String(contact ?? '').matchAll(re)) {
    if (m.index > last) out.push({ kind: 'text', text: contact.slice(last, m.index) });
    // a note in brackets after the number ("+1 555 0199 (24/7)") is not part of it
    const phone = m[2] ? m[2].replace(/\s\(.*$/, '') : '';
    if (m[1]) out.push({ kind: 'email', text: m[1], href: `mailto:${m[1]}` });
    else out.push({ kind: 'phone', text: phone, href: `tel:${phone.replace(/[^\d+]/g, '')}` });
    last = m.index + (m[1] ? m[0].length : phone.length);
  }
  if (last < String(contact ?? '').length) out.push({ kind: 'text', text: contact.slice(last) });
  return out;
}

/**
 * @param {HTMLElement} list  the <ol>
 * @param {MatrixRow[]} rows
 * @param {Map<string, string>} flagged  topic -> where it was flagged
 * @param {(text: string, what: string) => void} copy
 * @param {(row: MatrixRow) => Node} [handoff]  a flagged row's "Send to <owner>" (handoff-view.js)
 * @returns {boolean} false: the list already showed these rows and kept its elements
 */
export function renderMatrix(list, rows, flagged, copy, handoff) {
  if (!rebuildUnlessShowing(list, JSON.stringify([rows, [...flagged]]))) return false;
  for (const m of byUrgency(rows)) {
    const li = document.createElement('li');
    li.dataset.topic = m.topic;
    if (flagged.has(m.topic)) li.className = 'flagged';
    const head = document.createElement('div');
    head.className = 'm-head';
    const title = document.createElement('span');
    title.className = 'm-title';
    title.textContent = m.title;
    const within = document.createElement('span');
    within.className = 'm-within';
    within.textContent = t('panelWithin', withinText(m.respond_within));
    head.append(title, ' ', within);
    li.append(head);
    if (flagged.has(m.topic)) {
      const flag = document.createElement('span');
      flag.className = 'flag';
      flag.textContent = t('panelFlagged', flagged.get(m.topic) ?? '');
      li.append(flag);
      if (handoff) li.append(handoff(m));
    }
    const owner = document.createElement('div');
    owner.className = 'm-owner';
    owner.textContent = m.owner;
    const contacts = document.createElement('div');
    contacts.className = 'm-contact';
    for (const part of contactParts(m.contact)) {
      if (part.kind === 'text') { contacts.append(part.text); continue; }
      const a = document.createElement('a');
      a.href = /** @type {string} */ (part.href);
      a.textContent = part.text;
      a.target = '_blank'; // mail and phone apps; the panel itself stays
      a.rel = 'noopener';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'copy';
      b.textContent = t('panelCopy');
      b.dataset.copy = part.text;
      b.setAttribute('aria-label', t('panelCopyWhat', part.text));
      b.addEventListener('click', () => copy(part.text, part.text));
      const span = document.createElement('span');
      span.className = 'contact';
      span.append(a, ' ', b);
      contacts.append(span);
    }
    li.append(owner, contacts);
    if (m.instructions) {
      const how = document.createElement('div');
      how.className = 'small';
      how.textContent = m.instructions;
      li.append(how);
    }
    list.append(li);
  }
  return true;
}
