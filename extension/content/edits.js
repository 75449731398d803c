// @ts-check
// Pure text edits: what a suggestion does to the draft, and how findings follow typing until the
// next answer arrives.

/** @typedef {import('../protocol.js').Finding} Finding */
/** @typedef {import('../protocol.js').Suggestion} Suggestion */
/** @typedef {{start: number, end: number, text: string}} Edit  replace text[start:end] with `text` */

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/**
 * The edit a suggestion makes (the finding model, docs/architecture.md: `replacement` replaces text[start:end]; `insert` is
 * appended at the end of the draft and carries its own leading space/newline).
 * A removal (replacement "") also takes one neighbouring space, so "launch Falcon Ridge soon"
 * becomes "launch soon", not "launch  soon".
 * @param {string} text
 * @param {Pick<Finding, 'start'|'end'>} finding
 * @param {Suggestion} suggestion
 * @returns {Edit|null}
 */
export function planEdit(text, finding, suggestion) {
  if (typeof suggestion.replacement === 'string') {
    let { start, end } = finding;
    if (start < 0 || end > text.length || start > end) return null;
    if (suggestion.replacement === '') {
      const before = text[start - 1];
      const after = text[end];
      if (before === ' ' && (after === undefined || after === ' ' || after === '\n' || /[.,;:!?)]/.test(after))) start -= 1;
      else if ((start === 0 || before === '\n') && after === ' ') end += 1;
    }
    return { start, end, text: suggestion.replacement };
  }
  if (typeof suggestion.insert === 'string' && suggestion.insert) {
    return { start: text.length, end: text.length, text: suggestion.insert };
  }
  return null;
}

/**
 * @param {string} text
 * @param {Edit} edit
 */
export function applyEdit(text, edit) {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/**
 * The single changed region between two texts (common prefix / suffix).
 * @param {string} a
 * @param {string} b
 * @returns {{start: number, oldEnd: number, newEnd: number}}
 */
export function diffRegion(a, b) {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p += 1;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s += 1;
  return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
}

/**
 * Move findings from `oldText` onto `newText` after local typing: spans before the change stay,
 * spans after it shift, spans the change touches are dropped (the next check decides about them).
 * Keeps underlines glued to their words between keystroke and answer.
 * @template {Pick<Finding, 'start'|'end'>} F
 * @param {string} oldText
 * @param {string} newText
 * @param {F[]} findings
 * @returns {F[]}
 */
export function rebaseFindings(oldText, newText, findings) {
  if (oldText === newText) return findings;
  const d = diffRegion(oldText, newText);
  const delta = d.newEnd - d.oldEnd;
  const wordAt = (/** @type {number} */ i) => i >= 0 && i < newText.length && WORD.test(newText[i]);
  /** @type {F[]} */
  const out = [];
  for (const f of findings) {
    if (f.end < d.start || (f.end === d.start && !wordAt(d.start))) {
      out.push(f); // before the change (typing a space right after a word keeps it)
    } else if (f.start > d.oldEnd || (f.start === d.oldEnd && f.end > f.start && !wordAt(d.newEnd - 1))) {
      out.push({ ...f, start: f.start + delta, end: f.end + delta }); // after the change: shift
    }
    // otherwise the change touches the span or glues letters to it: the next answer decides
  }
  return out;
}

/**
 * The key under which "Ignore" is remembered: the same rule on the same words in the same box.
 * @param {string} boxKey
 * @param {Pick<Finding, 'rule'|'excerpt'>} f
 */
export function ignoreKey(boxKey, f) {
  return `${boxKey}\u0000${f.rule}\u0000${String(f.excerpt).toLowerCase()}`;
}

/**
 * `text` with a space before it when the text before the caret ends in a non-space, and after it
 * when the text after the caret starts with a word (not before punctuation). Pure.
 * @param {string} text @param {string} before @param {string} after
 */
export function padded(text, before, after) {
  const lead = before !== '' && !/\s$/.test(before) && !/^\s/.test(text) ? ' ' : '';
  const trail = /^[\p{L}\p{N}@#]/u.test(after) && !/\s$/.test(text) ? ' ' : '';
  return lead + text + trail;
}
