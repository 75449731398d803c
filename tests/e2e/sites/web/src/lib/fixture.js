// Main-world test hooks shared by every fixture page.
//
//   window.__editorText(name)  -> the editor's MODEL text (blocks joined with "\n")
//   window.__domText(name)     -> what the editor element shows (textarea: value;
//                                 contenteditable: per-block innerText joined with "\n")
//   window.__posts             -> [{editor, text}] pushed by the site's own post/send/reply control
//   window.__clearEditor(name) -> empties the editor through its own API (test convenience)
//   window.__fixtureEditors()  -> names of the editors mounted on this page
//   window.__fixtureReady      -> true once every editor the page declares is mounted
//
// Each editor element (the contenteditable / textarea itself) carries data-fixture-editor="<name>".

const editors = new Map();
let expected = [];

window.__posts = window.__posts || [];
window.__fixtureReady = false;

function get(name) {
  const e = editors.get(name);
  if (!e) throw new Error(`no fixture editor named ${JSON.stringify(name)} on this page (have: ${[...editors.keys()].join(', ')})`);
  return e;
}

// Text a block element shows. Every editor keeps a caret helper after a trailing line break
// (Draft adds an extra "\n" to the leaf, Lexical/ProseMirror/Quill a <br>), and an empty block
// holds only a <br>: innerText then ends with one "\n" too many. Drop exactly one.
function blockText(block) {
  const t = block.innerText;
  return t.endsWith('\n') ? t.slice(0, -1) : t;
}

/**
 * @param {string} name
 * @param {{el: HTMLElement, getText: () => string, clear: () => void,
 *          blocks?: () => Element[]}} spec
 *   blocks: the block elements of a contenteditable (default: el.children).
 */
export function registerEditor(name, spec) {
  spec.el.setAttribute('data-fixture-editor', name);
  editors.set(name, spec);
  checkReady();
}

export function recordPost(name) {
  const e = get(name);
  const text = e.getText();
  if (text.trim() === '') return false;
  window.__posts.push({ editor: name, text });
  e.clear();
  flash(`Posted (${name})`);
  return true;
}

/** The page declares which editors it will mount; __fixtureReady flips when all are there. */
export function expectEditors(names) {
  expected = names;
  checkReady();
}

function checkReady() {
  if (expected.length && expected.every((n) => editors.has(n))) {
    // one more frame so the editors have painted and attached their listeners
    requestAnimationFrame(() => setTimeout(() => { window.__fixtureReady = true; }, 0));
  }
}

function flash(msg) {
  let t = document.getElementById('fixture-toast');
  if (!t) {
    t = document.createElement('div');
    t.id = 'fixture-toast';
    t.setAttribute('role', 'status');
    document.body.appendChild(t);
  }
  t.textContent = msg;
  t.classList.add('show');
  clearTimeout(flash._t);
  flash._t = setTimeout(() => t.classList.remove('show'), 1500);
}

window.__editorText = (name) => get(name).getText();
window.__domText = (name) => {
  const e = get(name);
  if (e.el.tagName === 'TEXTAREA' || e.el.tagName === 'INPUT') return e.el.value;
  const blocks = e.blocks ? e.blocks() : [...e.el.children];
  return blocks.map(blockText).join('\n');
};
window.__clearEditor = (name) => { get(name).clear(); };
window.__fixtureEditors = () => [...editors.keys()];
