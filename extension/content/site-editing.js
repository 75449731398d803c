// @ts-check
// Whether PostGuard may edit the text on this site. An edit that did not land as expected switches
// editing off for the browser session (the worker keeps the list in chrome.storage.session, so
// every tab of the site follows); the card, the chip and the side panel then offer copying instead.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { t } from '../i18n.js';

/**
 * @param {{
 *   site: import('./sites/index.js').Site,
 *   layer: import('./overlay/layer.js').Layer,
 *   unsafe: boolean,
 *   onChange: () => void,
 * }} p  unsafe: the settings already say so; onChange: editing was just switched off
 */
export function createSiteEditing(p) {
  let unsafe = p.unsafe;
  return {
    get allowed() { return !unsafe; },
    /** @param {string} reason */
    markUnsafe(reason) {
      if (unsafe) return;
      unsafe = true;
      send({ kind: KIND.markUnsafe, site: p.site.id, reason });
      p.layer.announce(t('editingStopped', reason));
      p.onChange();
    },
    /** Another tab found the site unsafe (the settings carry the session's list). @param {import('../protocol.js').Settings} s */
    follow(s) {
      if (s.unsafeSites.includes(p.site.id)) unsafe = true;
    },
  };
}

/** @typedef {ReturnType<typeof createSiteEditing>} SiteEditing */
