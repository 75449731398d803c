// @ts-check
// What the side panel learns from this page and may do in it: a report of the active box (findings,
// referrals, state, the post being answered, the logged-in handle), sent to the worker which keeps it
// per tab; and the panel's inserts at the caret of that box.
import { KIND, failure } from '../protocol.js';
import { send } from '../messaging.js';

/**
 * @param {{
 *   site: import('./sites/index.js').Site,
 *   page: import('./page.js').Page,
 *   editing: import('./site-editing.js').SiteEditing,
 *   stats: import('./test-hooks.js').Stats,
 *   answers: import('./answers.js').Answers,
 * }} p
 */
export function createSidePanelLink(p) {
  const { site, page, editing } = p;
  let timer = /** @type {any} */ (null);

  /** Report the active box in 100 ms (a burst of changes sends one report). */
  function schedule() {
    timer ??= setTimeout(() => {
      timer = null;
      const b = page.active;
      send({
        kind: KIND.reportBox,
        report: b && {
          site: site.id,
          platform: b.platform,
          surface: b.surface,
          url: location.origin + location.pathname,
          state: b.state,
          stateText: b.statusText,
          findings: b.shown.map(({ _slice, ...f }) => f),
          referrals: b.referrals,
          pack: b.pack,
          insertionUnsafe: !editing.allowed,
          updatedAt: Date.now(),
          // for the side panel's "suggested for this conversation" and its checks of canned replies
          replyingTo: (b.spec.context ? b.spec.context(b.el) : null) || null,
          replyingToAuthor: (b.spec.author ? b.spec.author(b.el) : null) || null, // pre-fills the customer's name
          replyingToPostedAt: (b.spec.postedAt ? b.spec.postedAt(b.el) : null) || null, // the response-time clock
          replyingToReview: !!(b.spec.review && b.spec.review(b.el)), // the site marks it a review: the clock's kind
          account: (site.accountHandle ? site.accountHandle() : null) || null,
        },
      });
    }, 100);
  }

  /**
   * The side panel's insert: at the caret of the active box (or the only box on the page), through
   * the adapter's editor-safe path, verified.
   * @param {string} text @param {boolean} [canned]  a canned reply: its answer is the panel's to record
   */
  async function insert(text, canned = false) {
    const box = page.target();
    if (!box) return failure('no_box', 'Click into the compose box you want to answer in first.');
    if (!editing.allowed) return failure('unsafe', 'PostGuard does not edit the text on this site for this session; copy the reply instead.');
    box.el.focus({ preventScroll: true });
    const landed = await box.insertAtCaret(text);
    if (!landed) {
      return editing.allowed
        ? failure('busy', 'The compose box is busy; try again.')
        : failure('unsafe', 'The insert did not land as expected; PostGuard stopped editing on this site. Copy the reply instead.');
    }
    page.setActive(box);
    if (canned) p.answers.inserted(box.el);
    schedule();
    return { ok: true, path: p.stats.lastEditPath ?? null };
  }

  /** The text of the box the panel follows, for a hand-off the user asked to include their draft in. */
  function draft() {
    const box = page.target();
    return box ? { ok: true, text: box.adapter.readText(box.el).text } : failure('no_box', 'Click into your draft first.');
  }

  return {
    schedule,
    insert,
    draft,
    /** The page stops watching: the panel shows no box for this tab. */
    stop() { clearTimeout(timer); send({ kind: KIND.reportBox, report: null }); },
  };
}
