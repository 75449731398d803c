// @ts-check
// X (twitter): Draft.js boxes. Selectors as the open-source extensions tweetGPT and opencues use them.
import { authorFrom, handleIn, postedAtIn, reviewMarkupIn } from './read.js';

/** @type {import('./index.js').Site} */
export default {
  id: 'x',
  hosts: ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'],
  boxes: [
    {
      // tweetTextarea_0, _1... (threads); the _label sibling is not contenteditable
      selector: '[data-testid^="tweetTextarea_"][contenteditable="true"]',
      surface: (el) => (replyContext(el) !== null ? 'reply' : 'post'),
      context: (el) => replyContext(el),
      author: (el) => { const post = answered(el); return post ? authorFrom(post.querySelector('[data-testid="User-Name"]')) : null; },
      postedAt: (el) => postedAtIn(answered(el)),
      review: (el) => reviewMarkupIn(answered(el)),
    },
  ],
  postControls: [
    { selector: '[data-testid="tweetButtonInline"]' }, // inline composer / reply box
    { selector: '[data-testid="tweetButton"]' }, // the compose modal
  ],
  submitKey: (e) => e.key === 'Enter' && !!(e.ctrlKey || e.metaKey), // Ctrl/Cmd+Enter posts
  // the account switcher at the bottom of the side nav shows "Name @handle"
  accountHandle: () => handleIn(['[data-testid="SideNav_AccountSwitcher_Button"]']),
};

/**
 * The post being answered: in a reply modal the quoted post; on a /status/ page the focal post.
 * @param {Element} el
 * @returns {string|null}
 */
function replyContext(el) {
  const dialog = el.closest('[role="dialog"]');
  const scope = dialog ?? (/\/status\/\d+/.test(location.pathname) ? document : null);
  if (!scope) return null;
  const text = scope.querySelector('article[data-testid="tweet"] [data-testid="tweetText"]');
  return text ? /** @type {HTMLElement} */ (text).innerText.trim() : (dialog ? null : '');
}

/** The post being answered (the article), if any. @param {Element} el */
function answered(el) {
  const dialog = el.closest('[role="dialog"]');
  const scope = dialog ?? (/\/status\/\d+/.test(location.pathname) ? document : null);
  return scope ? scope.querySelector('article[data-testid="tweet"]') : null;
}

// Test URLs: https://x.com/compose/post  https://x.com/acme/status/1
