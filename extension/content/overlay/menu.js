// @ts-check
// The card's overflow menu ("⋯"): actions a user seldom needs and should not hit by accident (pause
// PostGuard on this site for a while, open the side panel). A button with aria-haspopup="menu" and a
// role=menu list of role=menuitem buttons; ↑/↓/Home/End move, Escape closes it (focus back on ⋯).
import { h } from './layer.js';
import { t } from '../../i18n.js';

/**
 * @typedef {{label: string, action: string, run: () => void}} MenuItem
 */

/**
 * @param {MenuItem[]} items
 * @param {() => void} [onToggle] called when the menu opens or closes (the card re-positions)
 * @returns {HTMLElement|null} the ⋯ button and its menu, or null when there is nothing to offer
 */
export function overflowMenu(items, onToggle = () => {}) {
  if (!items.length) return null;
  const list = h('div', { class: 'menu', role: 'menu', 'aria-label': t('menuMore') });
  list.hidden = true;
  const trigger = h('button', {
    type: 'button', class: 'icon more', 'data-action': 'more', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    'aria-label': t('menuMore'), title: t('menuMore'), text: '⋯',
  });
  const entries = items.map((it) => h('button', {
    type: 'button', role: 'menuitem', tabindex: '-1', 'data-action': it.action, text: it.label,
    onclick: () => { close(false); it.run(); },
  }));
  list.append(...entries);

  /** @param {boolean} focusTrigger */
  function close(focusTrigger) {
    if (list.hidden) return;
    list.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
    onToggle();
    if (focusTrigger) trigger.focus({ preventScroll: true });
  }
  function open() {
    list.hidden = false;
    trigger.setAttribute('aria-expanded', 'true');
    onToggle();
    entries[0].focus({ preventScroll: true });
  }
  trigger.addEventListener('click', () => (list.hidden ? open() : close(true)));
  list.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
    const i = entries.indexOf(/** @type {any} */ (e.target));
    let next = -1;
    if (e.key === 'ArrowDown') next = (i + 1) % entries.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + entries.length) % entries.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = entries.length - 1;
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); return; }
    if (next >= 0) { e.preventDefault(); e.stopPropagation(); entries[next].focus({ preventScroll: true }); }
  });
  return h('span', { class: 'more-wrap' }, [trigger, list]);
}
