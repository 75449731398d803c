// @ts-check
// Quill 2 (LinkedIn share box): .ql-container > .ql-editor > p; an empty line is <p><br></p>.
// Quill's MutationObserver reverts foreign DOM edits, so only paste / its own keyboard module.
import { richAdapter } from './rich.js';

export default richAdapter('quill', {
  // .ql-cursor: the caret-format guard holding "\uFEFF"; .ql-ui: list markers (Quill 2)
  skip: (el) => el.classList.contains('ql-cursor') || el.classList.contains('ql-ui'),
});
