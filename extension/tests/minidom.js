// A small in-memory document for rendering the overlay's card under node: elements with
// attributes, classes, children, text, click listeners and simple selectors (tag, .class,
// [attr], [attr=value], descendant combinator). Enough for content/overlay/card.js, nothing more.

class Text {
  /** @param {string} data */
  constructor(data) { this.nodeType = 3; this.data = data; this.parentNode = null; }
  get textContent() { return this.data; }
}

export class Element {
  /** @param {string} tag */
  constructor(tag) {
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    /** @type {Map<string, string>} */
    this.attributes = new Map();
    /** @type {(Element|Text)[]} */
    this.childNodes = [];
    this.parentNode = null;
    this.hidden = false;
    this.style = {};
    /** @type {Record<string, string>} */
    this.dataset = {};
    /** @type {Map<string, Function[]>} */
    this.listeners = new Map();
    this.offsetWidth = 0;
    this.offsetHeight = 0;
  }

  get className() { return this.attributes.get('class') ?? ''; }
  set className(v) { this.attributes.set('class', String(v)); }
  get classList() { return { contains: (/** @type {string} */ c) => this.className.split(/\s+/).includes(c) }; }
  /** @param {string} k @param {string} v */
  setAttribute(k, v) { this.attributes.set(k, String(v)); }
  /** @param {string} k */
  getAttribute(k) { return this.attributes.has(k) ? this.attributes.get(k) : null; }
  /** @param {string} k */
  removeAttribute(k) { this.attributes.delete(k); }
  get children() { return /** @type {Element[]} */ (this.childNodes.filter((c) => c instanceof Element)); }

  get textContent() { return this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(v) { this.replaceChildren(String(v)); }
  /** Block-ish elements on their own lines, like innerText. */
  get innerText() {
    return this.childNodes.map((c) => (c instanceof Element && /^(P|DIV|LI|UL)$/.test(c.tagName) ? `\n${c.innerText}\n` : (c instanceof Element ? c.innerText : c.data)))
      .join('').replace(/\n+/g, '\n').trim();
  }

  /** @param {...(Element|Text|string)} nodes */
  append(...nodes) {
    for (const n of nodes) {
      const node = typeof n === 'string' ? new Text(n) : n;
      if (node.parentNode) node.parentNode.childNodes.splice(node.parentNode.childNodes.indexOf(node), 1);
      node.parentNode = this;
      this.childNodes.push(node);
    }
  }
  /** @param {...(Element|Text|string)} nodes */
  replaceChildren(...nodes) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    this.append(...nodes);
  }
  remove() { if (this.parentNode) this.parentNode.childNodes.splice(this.parentNode.childNodes.indexOf(this), 1); this.parentNode = null; }
  /** @param {any} other */
  contains(other) {
    for (let n = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  /** @param {string} type @param {Function} fn */
  addEventListener(type, fn) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]); }
  removeEventListener() {}
  /** @param {{type: string}} e */
  dispatchEvent(e) { for (const fn of this.listeners.get(e.type) ?? []) fn({ preventDefault() {}, stopPropagation() {}, target: this, ...e }); return true; }
  click() { this.dispatchEvent({ type: 'click' }); }
  focus() { document.activeElement = this; }
  getBoundingClientRect() { return { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0, x: 0, y: 0 }; }

  /** @param {string} sel */
  querySelectorAll(sel) {
    const parts = sel.trim().split(/\s+/).map(parseCompound);
    /** @type {Element[]} */
    const out = [];
    const walk = (/** @type {Element} */ el) => {
      for (const c of el.children) {
        if (matchesChain(c, parts, this)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  /** @param {string} sel */
  querySelector(sel) { return this.querySelectorAll(sel)[0] ?? null; }
}

/** @param {string} s */
function parseCompound(s) {
  const tag = /^[a-z]+/i.exec(s)?.[0]?.toUpperCase() ?? null;
  const classes = [...s.matchAll(/\.([\w-]+)/g)].map((m) => m[1]);
  const attrs = [...s.matchAll(/\[([\w-]+)(?:="?([^"\]]*)"?)?\]/g)].map((m) => [m[1], m[2]]);
  return { tag, classes, attrs };
}

/** @param {Element} el @param {ReturnType<typeof parseCompound>} c */
function matches(el, c) {
  if (c.tag && el.tagName !== c.tag) return false;
  if (!c.classes.every((k) => el.classList.contains(k))) return false;
  return c.attrs.every(([k, v]) => (v === undefined ? el.getAttribute(k) !== null : el.getAttribute(k) === v));
}

/** Last compound matches el, the earlier ones some ancestors (in order) below root.
 * @param {Element} el @param {ReturnType<typeof parseCompound>[]} parts @param {Element} root */
function matchesChain(el, parts, root) {
  if (!matches(el, parts[parts.length - 1])) return false;
  let i = parts.length - 2;
  for (let a = el.parentNode; a && a !== root && i >= 0; a = a.parentNode) if (matches(a, parts[i])) i -= 1;
  return i < 0;
}

export const document = {
  /** @type {Element|null} */
  activeElement: null,
  /** @param {string} tag */
  createElement(tag) { return new Element(tag); },
};

/** Install as the global document (card.js and layer.js's h() use it). */
export function installDocument() {
  Object.assign(globalThis, { document, innerWidth: 1280, innerHeight: 900 });
  return document;
}
