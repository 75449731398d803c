// www.facebook.com home: the "Create post" composer (Lexical, inside div[role=dialog]) and a feed
// post with a Lexical comment box ("Write a comment…"; Enter sends, Shift+Enter is a new line).
import { mountLexical } from '../lib/lexicalBox.js';
import { expectEditors, recordPost } from '../lib/fixture.js';

expectEditors(['fb-post', 'fb-comment']);

function wireButton(btn, name) {
  const setEnabled = (text) => btn.setAttribute('aria-disabled', String(text.trim() === ''));
  btn.addEventListener('click', () => {
    if (btn.getAttribute('aria-disabled') === 'true') return;
    recordPost(name);
  });
  btn.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); btn.click(); } });
  return setEnabled;
}

const postBtn = document.querySelector('[data-fixture-post="fb-post"]');
const setPost = wireButton(postBtn, 'fb-post');
const withPlaceholder = (phId, setEnabled) => {
  const ph = document.getElementById(phId);
  return (text) => { ph.hidden = text !== ''; setEnabled(text); };
};
mountLexical(document.getElementById('fb-post-editor'), 'fb-post', { onChange: withPlaceholder('fb-post-ph', setPost) });

const commentBtn = document.querySelector('[data-fixture-post="fb-comment"]');
const setComment = wireButton(commentBtn, 'fb-comment');
mountLexical(document.getElementById('fb-comment-editor'), 'fb-comment', { enterSubmits: true, onChange: withPlaceholder('fb-comment-ph', setComment) });
