// @ts-check
// Wording shared by the in-page card and the side panel.

/** @typedef {import('./protocol.js').Finding} Finding */

export const CATEGORY_LABEL = Object.freeze({
  confidential: 'Confidential',
  safety: 'Personal safety',
  speaking_for_company: 'Speaking for the company',
  disclosure: 'Disclosure',
  escalation: 'Escalate instead',
  personal_data: 'Customer data',
  tone: 'Tone',
  platform_limit: 'Platform limit',
});

/**
 * "How it matched", from the finding's detail.
 * @param {Finding} f
 */
export function howMatched(f) {
  const d = f.detail;
  const ex = `“${f.excerpt}”`;
  if (!d || !d.match) return '';
  if (d.match === 'exact') return `Matched ${ex} exactly.`;
  if (d.match === 'fuzzy') {
    const of = d.matched ? ` of “${d.matched}”` : '';
    const dist = typeof d.distance === 'number' ? ` (${d.distance} character${d.distance === 1 ? '' : 's'} different)` : '';
    return `Matched ${ex} as a close spelling${of}${dist}.`;
  }
  if (d.match === 'context') {
    const words = Array.isArray(d.context) && d.context.length ? `: ${d.context.join(', ')}` : '';
    return `Matched ${ex} together with nearby words${words}.`;
  }
  return '';
}
