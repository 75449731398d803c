// @ts-check
// "This warning is wrong" on the finding card: a quiet button that opens a short list of reasons
// (records-vocabulary.js, never free text) and "No reason". The pick is counted in the local
// records per rule (main.js markWrong): the input for the next revision of the pack.
import { h } from './layer.js';
import { WRONG_REASONS } from '../../records-vocabulary.js';
import { t } from '../../i18n.js';

/**
 * @param {(label: string, action: string, fn: () => void, cls?: string) => HTMLElement} button  card-blocks.js
 * @param {(reason: string|null) => void} onPick
 * @param {() => void} onResize  the list opened or closed: place the card again
 */
export function wrongControl(button, onPick, onResize) {
  const list = h('div', { hidden: true, role: 'group', 'aria-label': t('wrongGroup') }, [
    h('p', { class: 'tip', text: t('wrongWhy') }),
    h('div', { class: 'actions' }, [
      ...WRONG_REASONS.map((r) => button(r.label, `wrong:${r.key}`, () => onPick(r.key), 'quiet')),
      button(t('wrongNone'), 'wrong:none', () => onPick(null), 'quiet'),
    ]),
  ]);
  const toggle = button(t('wrongToggle'), 'wrong', () => {
    list.hidden = !list.hidden;
    toggle.setAttribute('aria-expanded', String(!list.hidden));
    onResize();
    if (!list.hidden) /** @type {HTMLElement|null} */ (list.querySelector('button'))?.focus({ preventScroll: true });
  }, 'quiet');
  toggle.setAttribute('aria-expanded', 'false');
  return h('div', { class: 'wrong' }, [toggle, list]);
}
