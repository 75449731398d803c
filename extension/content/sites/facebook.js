// @ts-check
// Facebook: Lexical boxes (data-lexical-editor). Labels are localized; the English ones first,
// then the structural fallback (any Lexical textbox in a dialog or an article).
import { authorFrom, handleIn, postedAtIn, reviewMarkupIn } from './read.js';

/** @type {import('./index.js').Site} */
export default {
  id: 'facebook',
  hosts: ['www.facebook.com', 'web.facebook.com', 'm.facebook.com'],
  boxes: [
    {
      // comments: "Write a comment…" / "Write a public comment…" / "Reply to …"
      selector: '[contenteditable="true"][role="textbox"][aria-label^="Write a comment"], [contenteditable="true"][role="textbox"][aria-label^="Write a public comment"], div[role="article"] [contenteditable="true"][data-lexical-editor="true"]',
      surface: () => 'comment',
      context: (el) => {
        const post = el.closest('div[role="article"]');
        const msg = post && post.querySelector('[data-ad-preview="message"], [data-ad-comet-preview="message"]');
        return msg ? /** @type {HTMLElement} */ (msg).innerText.trim() : null;
      },
      author: (el) => {
        // the post's article is labelled by its author's name (aria-labelledby), else its first <strong>
        const post = el.closest('div[role="article"]');
        const id = post?.getAttribute('aria-labelledby');
        return post ? authorFrom((id && document.getElementById(id)) || post.querySelector('h2 strong, h3 strong, strong')) : null;
      },
      postedAt: (el) => postedAtIn(el.closest('div[role="article"]')),
      review: (el) => reviewMarkupIn(el.closest('div[role="article"]')),
    },
    {
      // the "Create post" composer ("What's on your mind?") lives in a dialog
      selector: 'div[role="dialog"] [contenteditable="true"][role="textbox"][data-lexical-editor="true"]',
      surface: () => 'post',
    },
  ],
  postControls: [
    { selector: 'div[role="dialog"] [role="button"][aria-label="Post"]' },
    { selector: '[role="button"][aria-label="Comment"]' }, // the comment box's send arrow
  ],
  submitKey: (e, surface) => surface === 'comment' && e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey,
  // Facebook shows names, not handles; a Page acting as itself shows its @username in the profile switcher
  accountHandle: () => handleIn(['[aria-label="Your profile"] [dir="auto"]', '[data-pg-account]']),
};

// Test URLs: https://www.facebook.com/
