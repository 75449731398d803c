// @ts-check
// Draft.js (X's post and reply box): div.public-DraftEditor-content > div[data-contents] >
// div[data-block] > div.public-DraftStyleDefault-block > span[data-offset-key] > span[data-text].
// Never execCommand into an empty Draft editor: it crashed React (notes, failure 4); paste only.
import { richAdapter } from './rich.js';

/**
 * Draft renders a leaf that ends its block with a soft newline with one extra "\n" so the caret
 * shows (DraftEditorLeaf: "Browsers collapse trailing newline characters"). That "\n" is not text.
 * @param {Text} t
 * @returns {[number, number]}
 */
function textRange(t) {
  const n = t.data.length;
  const leaf = t.parentElement;
  if (!t.data.endsWith('\n\n') || !leaf || leaf.getAttribute('data-text') !== 'true') return [0, n];
  const block = leaf.closest('[data-block="true"]');
  const leaves = block ? block.querySelectorAll('[data-text="true"]') : [];
  return leaves.length && leaves[leaves.length - 1] === leaf ? [0, n - 1] : [0, n];
}

export default richAdapter('draft', { textRange });
