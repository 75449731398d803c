// @ts-check
// ProseMirror / TipTap (LinkedIn comments): .ProseMirror > p; hard breaks are <br>, the caret helper
// is br.ProseMirror-trailingBreak, img.ProseMirror-separator is not text.
// PM's plain-text clipboard parser turns any run of newlines into ONE paragraph break
// (prosemirror-view clipboard.ts parseFromClipboard), so multi-line text is pasted line by line.
import { richAdapter } from './rich.js';

export default richAdapter('prosemirror', {
  skip: (el) => el.classList.contains('ProseMirror-widget') && el.getAttribute('contenteditable') === 'false',
}, { pasteLines: true });
