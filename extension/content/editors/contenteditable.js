// @ts-check
// Any other contenteditable: paste first (a framework may handle it), else execCommand('insertText'),
// which the browser applies itself to a plain contenteditable.
import { richAdapter } from './rich.js';

export default richAdapter('contenteditable', {});
