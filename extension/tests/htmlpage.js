// @ts-check
// An extension page's HTML file as minidom elements, for the tests: tags, attributes and text
// (comments and the doctype dropped). Enough for the pages' own plain markup: every element that is
// not void is closed explicitly, and a stray or missing end tag is an error, not a guess.
import { Element } from './minidom.js';

const VOID = new Set(['META', 'LINK', 'IMG', 'INPUT', 'BR', 'HR', 'SOURCE']);
const TOKEN = /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-z0-9]+)\s*>|<([a-z0-9]+)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/gi;
const ATTR = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** @param {string} s */
const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' })[e]);

/** @param {string} src @returns {Element} the document: its one child is <html> */
export function parseHtml(src) {
  const root = new Element('#document');
  /** @type {Element[]} */
  const open = [root];
  for (const m of src.matchAll(TOKEN)) {
    const top = open[open.length - 1];
    if (m[4] !== undefined) top.append(decode(m[4]));
    else if (m[1]) {
      if (top.tagName !== m[1].toUpperCase()) throw new Error(`</${m[1]}> closes <${top.tagName.toLowerCase()}>`);
      open.pop();
    } else if (m[2]) {
      const el = new Element(m[2]);
      for (const a of m[3].matchAll(ATTR)) el.setAttribute(a[1].toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? ''));
      top.append(el);
      if (!VOID.has(el.tagName)) open.push(el);
    }
  }
  if (open.length !== 1) throw new Error(`<${open[open.length - 1].tagName.toLowerCase()}> is never closed`);
  return root;
}
