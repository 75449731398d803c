// @ts-check
// Lexical (Facebook post and comment boxes, Instagram caption and DMs): root[data-lexical-editor]
// > p > span[data-lexical-text]; a LineBreakNode is a <br>; an empty paragraph is <p><br></p>.
// Insert by paste after focus + one frame (a cold insert was lost otherwise: notes, failure 5).
import { richAdapter } from './rich.js';

export default richAdapter('lexical', {
  // decorator nodes (mentions, emoji widgets) are contenteditable=false islands with their own UI
  skip: (el) => el.getAttribute('data-lexical-decorator') === 'true',
});
