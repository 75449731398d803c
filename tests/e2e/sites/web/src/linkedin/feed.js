// www.linkedin.com/feed/: the share box ("Start a post" modal, Quill 2) and a feed update with a
// ProseMirror/TipTap-style comment editor.
import Quill from 'quill';
import 'quill/dist/quill.core.css';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { schema } from 'prosemirror-schema-basic';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands, exitCode } from 'prosemirror-commands';
import { history, undo, redo } from 'prosemirror-history';
import 'prosemirror-view/style/prosemirror.css';
import { expectEditors, registerEditor, recordPost } from '../lib/fixture.js';

expectEditors(['li-post', 'li-comment']);

// ---- share box: Quill 2 -------------------------------------------------------------------
const postBtn = document.querySelector('[data-fixture-post="li-post"]');
const quill = new Quill(document.getElementById('li-post-editor'), {
  placeholder: 'What do you want to talk about?',
  modules: { toolbar: false },
});
const qroot = quill.root; // div.ql-editor[contenteditable=true]
qroot.setAttribute('aria-label', 'Text editor for creating content');
qroot.setAttribute('data-test-ql-editor-contenteditable', 'true');
qroot.setAttribute('role', 'textbox');
qroot.setAttribute('aria-multiline', 'true');
qroot.setAttribute('aria-placeholder', 'What do you want to talk about?');
const quillText = () => quill.getText().replace(/\n$/, ''); // Quill always keeps a final "\n"
quill.on('text-change', () => { postBtn.disabled = quillText().trim() === ''; });
registerEditor('li-post', {
  el: qroot,
  getText: quillText,
  clear: () => quill.setText('', 'api'),
});
postBtn.addEventListener('click', () => recordPost('li-post'));

// ---- comment box: ProseMirror (LinkedIn's TipTap editor) --------------------------------------
const commentBtn = document.querySelector('[data-fixture-post="li-comment"]');
const hardBreak = (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
  return true;
};
const pmText = (doc) => doc.textBetween(0, doc.content.size, '\n', (leaf) => (leaf.type.name === 'hard_break' ? '\n' : ''));
const newState = () => EditorState.create({
  schema,
  plugins: [
    history(),
    keymap({
      'Mod-z': undo, 'Shift-Mod-z': redo, 'Mod-y': redo,
      'Shift-Enter': chainCommands(exitCode, hardBreak), // TipTap's HardBreak extension
      'Mod-Enter': chainCommands(exitCode, hardBreak),
    }),
    keymap(baseKeymap),
  ],
});
const mount = document.getElementById('li-comment-mount');
const view = new EditorView(mount, {
  state: newState(),
  attributes: {
    class: 'tiptap',
    'aria-label': 'Text editor for creating comment',
    role: 'textbox',
    'aria-multiline': 'true',
    translate: 'no',
  },
  dispatchTransaction(tr) {
    view.updateState(view.state.apply(tr));
    commentBtn.disabled = pmText(view.state.doc).trim() === '';
  },
});
registerEditor('li-comment', {
  el: view.dom, // div.tiptap.ProseMirror[contenteditable=true]
  getText: () => pmText(view.state.doc),
  clear: () => {
    view.updateState(newState());
    commentBtn.disabled = true;
  },
});
commentBtn.addEventListener('click', () => recordPost('li-comment'));
