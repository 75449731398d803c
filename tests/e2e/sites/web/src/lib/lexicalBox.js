// A Lexical rich-text editor mounted the way Meta's pages do it: setRootElement() adds
// data-lexical-editor="true"; the root starts with one empty paragraph (what @lexical/react's
// LexicalComposer creates), rich text + history registered.
import {
  createEditor, $getRoot, $createParagraphNode, KEY_ENTER_COMMAND, COMMAND_PRIORITY_HIGH,
  CLEAR_HISTORY_COMMAND,
} from 'lexical';
import { registerRichText, HeadingNode, QuoteNode } from '@lexical/rich-text';
import { registerHistory, createEmptyHistoryState } from '@lexical/history';
import { registerEditor, recordPost } from './fixture.js';

/**
 * @param {HTMLElement} el  the contenteditable div (role/aria-label already set in the HTML)
 * @param {string} name     fixture editor name
 * @param {{enterSubmits?: boolean, onChange?: (text: string) => void}} [opts]
 *   enterSubmits: Enter posts (Facebook comments), Shift+Enter inserts a line break.
 */
export function mountLexical(el, name, opts = {}) {
  const editor = createEditor({
    namespace: `fixture-${name}`,
    nodes: [HeadingNode, QuoteNode],
    onError: (e) => { console.error(e); throw e; },
    theme: { paragraph: 'lx-p' },
  });
  editor.setRootElement(el);
  registerRichText(editor);
  registerHistory(editor, createEmptyHistoryState(), 300);

  // Blocks joined with a single "\n" ($getRoot().getTextContent() would put "\n\n" between
  // paragraphs); a LineBreakNode inside a paragraph reads as "\n".
  const getText = () => editor.getEditorState().read(
    () => $getRoot().getChildren().map((c) => c.getTextContent()).join('\n'),
  );

  const clear = () => {
    const focused = document.activeElement === el;
    editor.update(() => {
      const root = $getRoot();
      root.clear();
      const p = $createParagraphNode();
      root.append(p);
      if (focused) p.select();
    }, { discrete: true });
    editor.dispatchCommand(CLEAR_HISTORY_COMMAND, undefined);
  };

  editor.update(() => {
    const root = $getRoot();
    if (root.isEmpty()) root.append($createParagraphNode());
  }, { tag: 'history-merge', discrete: true });

  if (opts.enterSubmits) {
    editor.registerCommand(KEY_ENTER_COMMAND, (event) => {
      if (event && event.shiftKey) return false; // rich text inserts a line break
      if (event) event.preventDefault();
      recordPost(name);
      return true;
    }, COMMAND_PRIORITY_HIGH);
  }
  if (opts.onChange) {
    editor.registerUpdateListener(() => opts.onChange(getText()));
  }

  registerEditor(name, { el, getText, clear, blocks: () => [...el.children] });
  return editor;
}
