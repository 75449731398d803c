// @ts-check
// Search-as-you-type for canned replies: a small scorer, no library. Every word of the query must
// match somewhere (as a substring, a subsequence of a word, or by shared trigrams for typos);
// matches in the title count more than in the text.

/** @param {string} s */
export function fold(s) {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** @param {string} s */
function trigrams(s) {
  const t = new Set();
  const p = ` ${s} `;
  for (let i = 0; i + 3 <= p.length; i += 1) t.add(p.slice(i, i + 3));
  return t;
}

/** Optimal-string-alignment distance (edits + adjacent swaps), stopping early past `max`.
 * @param {string} a @param {string} b @param {number} max */
export function osaDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  /** @type {number[][]} */
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length][b.length];
}

/** Is `q` a subsequence of `w`? Returns the span it needed (smaller = tighter), or -1.
 * @param {string} q @param {string} w */
function subsequence(q, w) {
  let i = 0;
  let first = -1;
  for (let j = 0; j < w.length && i < q.length; j += 1) {
    if (w[j] === q[i]) { if (first < 0) first = j; i += 1; if (i === q.length) return j - first + 1; }
  }
  return -1;
}

/**
 * Score one query word against a field's words (0 = no match, up to 1).
 * @param {string} q folded query word
 * @param {string} field folded field text
 * @param {string[]} words folded field words
 */
function wordScore(q, field, words) {
  if (!q) return 1;
  let best = 0;
  for (const w of words) {
    if (w === q) return 1;
    if (w.startsWith(q)) best = Math.max(best, 0.9);
    else if (w.includes(q)) best = Math.max(best, 0.75);
    else if (q.length >= 2) {
      const span = subsequence(q, w);
      if (span > 0 && w[0] === q[0]) best = Math.max(best, 0.35 + 0.3 * (q.length / span));
    }
  }
  if (best === 0 && field.includes(q)) best = 0.7;
  if (best === 0 && q.length >= 4) { // typos: one or two edits/swaps, or shared trigrams
    const max = q.length >= 7 ? 2 : 1;
    for (const w of words) {
      const dist = osaDistance(q, w.slice(0, q.length + max), max);
      if (dist <= max) best = Math.max(best, 0.6 - 0.1 * dist);
    }
    const tq = trigrams(q);
    for (const w of words) {
      const tw = trigrams(w);
      let common = 0;
      for (const t of tq) if (tw.has(t)) common += 1;
      const sim = common / Math.max(tq.size, tw.size);
      if (sim >= 0.4) best = Math.max(best, 0.3 + 0.4 * sim);
    }
  }
  return best;
}

/**
 * Score a reply for a query: 0 means "leave it out"; higher is better. An empty query scores 1.
 * @param {string} query
 * @param {{title: string, text: string, category?: string, topics?: string[]}} reply
 */
export function scoreReply(query, reply) {
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return 1;
  const fields = [
    { text: fold(reply.title), weight: 1 },
    { text: fold([reply.category ?? '', ...(reply.topics ?? [])].join(' ').replace(/_/g, ' ')), weight: 0.8 },
    { text: fold(reply.text), weight: 0.6 },
  ].map((f) => ({ ...f, words: f.text.split(/[^\p{L}\p{N}]+/u).filter(Boolean) }));
  let total = 0;
  for (const q of words) {
    let best = 0;
    for (const f of fields) best = Math.max(best, wordScore(q, f.text, f.words) * f.weight);
    if (best === 0) return 0;
    total += best;
  }
  return total / words.length;
}
