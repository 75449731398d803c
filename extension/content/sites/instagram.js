// @ts-check
// Instagram: comments are a React <textarea>; the create-post caption and DMs are Lexical.
import { handleIn, postedAtIn, reviewMarkupIn } from './read.js';

/** @type {import('./index.js').Site} */
export default {
  id: 'instagram',
  hosts: ['www.instagram.com'],
  boxes: [
    {
      selector: 'textarea[aria-label^="Add a comment"], article textarea',
      surface: () => 'comment',
      context: (el) => {
        const h1 = el.closest('article')?.querySelector('h1') ?? document.querySelector('article h1');
        return h1 ? /** @type {HTMLElement} */ (h1).innerText.trim() : null;
      },
      // Instagram shows the caption's writer as a username only: a handle, no name
      author: (el) => {
        const post = el.closest('article') ?? document.querySelector('article');
        const user = post?.querySelector('.ig-caption strong, h2 a, header a[role="link"], header span');
        const name = user ? (/** @type {HTMLElement} */ (user).innerText || '').trim() : '';
        return /^[A-Za-z0-9_.]{1,30}$/.test(name) ? { name: null, handle: `@${name}` } : null;
      },
      postedAt: (el) => postedAtIn(el.closest('article') ?? document.querySelector('article')),
      review: (el) => reviewMarkupIn(el.closest('article') ?? document.querySelector('article')),
    },
    { selector: '[contenteditable="true"][aria-label^="Write a caption"], textarea[aria-label^="Write a caption"]', surface: () => 'caption' },
    { selector: '[contenteditable="true"][role="textbox"][aria-label="Message"]', surface: () => 'message' },
  ],
  postControls: [
    { selector: '[role="button"]', text: /^(Post|Share)$/ }, // comment "Post", create-post "Share"
    { selector: 'button', text: /^(Post|Share|Send)$/ },
  ],
  submitKey: (e, surface) => (surface === 'comment' || surface === 'message')
    && e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey,
  // the nav's "Profile" link carries the logged-in username
  accountHandle: () => {
    const img = document.querySelector('a[role="link"] img[alt$="\'s profile picture"]');
    const m = img && /^(.+)'s profile picture$/.exec(img.getAttribute('alt') || '');
    return m ? `@${m[1]}` : handleIn(['[data-pg-account]']);
  },
};

// Test URLs: https://www.instagram.com/p/abc123/  https://www.instagram.com/create/
