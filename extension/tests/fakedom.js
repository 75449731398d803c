// A tiny stand-in for DOM nodes: just the fields textmap.js reads (nodeType, nodeName, data,
// firstChild, nextSibling, parentNode, getAttribute, classList).

/** @param {string} data */
export function t(data) {
  return { nodeType: 3, nodeName: '#text', data, parentNode: null, nextSibling: null, firstChild: null };
}

/**
 * @param {string} name
 * @param {Record<string, string>|Array<any>} [attrs]
 * @param {Array<any>} [children] strings become text nodes
 */
export function h(name, attrs = {}, children = []) {
  if (Array.isArray(attrs)) { children = attrs; attrs = {}; }
  const a = /** @type {Record<string, string>} */ (attrs);
  const node = {
    nodeType: 1,
    nodeName: name.toUpperCase(),
    parentNode: null,
    nextSibling: null,
    firstChild: null,
    childNodes: /** @type {any[]} */ ([]),
    getAttribute: (k) => (k in a ? a[k] : null),
    classList: { contains: (c) => (a.class || '').split(/\s+/).includes(c) },
  };
  let prev = null;
  for (const c of children) {
    const child = typeof c === 'string' ? t(c) : c;
    child.parentNode = node;
    if (prev) prev.nextSibling = child; else node.firstChild = child;
    node.childNodes.push(child);
    prev = child;
  }
  return node;
}
