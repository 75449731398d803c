// @ts-check
// LinkedIn: Quill share box; comments are Quill or TipTap/ProseMirror depending on the build
// (so both are supported).
import { authorFrom, handleIn, postedAtIn, reviewMarkupIn } from './read.js';

/** @type {import('./index.js').Site} */
export default {
  id: 'linkedin',
  hosts: ['www.linkedin.com'],
  boxes: [
    {
      selector: '.ProseMirror[contenteditable="true"][aria-label="Text editor for creating comment"], .comments-comment-box__form .ql-editor[contenteditable="true"], .comments-comment-texteditor [contenteditable="true"]',
      surface: () => 'comment',
      context: (el) => {
        const update = el.closest('.feed-shared-update-v2');
        const text = update && update.querySelector('.update-components-text');
        return text ? /** @type {HTMLElement} */ (text).innerText.trim() : null;
      },
      author: (el) => {
        const actor = el.closest('.feed-shared-update-v2')?.querySelector('.update-components-actor');
        return actor ? authorFrom(actor.querySelector('.update-components-actor__name, strong')) : null;
      },
      postedAt: (el) => postedAtIn(el.closest('.feed-shared-update-v2')),
      review: (el) => reviewMarkupIn(el.closest('.feed-shared-update-v2')),
    },
    {
      // the "Start a post" modal
      selector: '.ql-editor[contenteditable="true"], [data-test-modal-id="sharebox"] [contenteditable="true"]',
      surface: () => 'post',
    },
  ],
  postControls: [
    { selector: '.share-actions__primary-action' },
    { selector: '.comments-comment-box__submit-button--cr' },
    { selector: '.comments-comment-box__submit-button' },
  ],
  submitKey: () => false,
  // the "Me" menu links to /in/<vanity>/; LinkedIn has no @handles, the vanity name stands in
  accountHandle: () => {
    const a = document.querySelector('.global-nav__me a[href*="/in/"], a.feed-identity-module__actor-meta[href*="/in/"]');
    const m = a && /\/in\/([^/?#]+)/.exec(a.getAttribute('href') || '');
    return m ? `@${decodeURIComponent(m[1])}` : handleIn(['[data-pg-account]']);
  },
};

// Test URLs: https://www.linkedin.com/feed/
