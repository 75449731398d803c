// @ts-check
// The status chip at a box's bottom-right corner: checking / n findings / companion not running /
// not paired / no pack. A <button>, so it is reachable by keyboard; its full text is its label.
import { h } from './layer.js';
import { cardShortcutLabel } from '../../format.js';
import { t } from '../../i18n.js';

/**
 * @typedef {{state: string, short: string, text: string, severity: string|null}} ChipModel
 *   state: checking|ok|findings|offline|unpaired|no_pack|error|impostor|idle
 */

const DOWN = new Set(['offline', 'unpaired', 'no_pack', 'error', 'impostor']);

/**
 * @param {import('./layer.js').Layer} layer
 * @param {(viaKeyboard: boolean) => void} onOpen
 */
export function createChip(layer, onOpen) {
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const label = h('span');
  const el = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'chip', hidden: true }, [dot, label]));
  let viaKeyboard = false;
  el.addEventListener('mousedown', (e) => { e.preventDefault(); viaKeyboard = false; }); // keep the editor focused
  el.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') viaKeyboard = true; });
  el.addEventListener('click', () => { onOpen(viaKeyboard); viaKeyboard = false; });
  layer.chips.append(el);
  /** @type {ChipModel} */
  let model = { state: 'idle', short: '', text: '', severity: null };

  return {
    el,
    /** @param {ChipModel} m */
    update(m) {
      if (m.state === model.state && m.text === model.text && m.severity === model.severity) return;
      model = m;
      el.className = `chip ${m.state === 'checking' ? 'checking' : ''} ${m.severity ?? ''} ${DOWN.has(m.state) ? 'down' : ''}`;
      label.textContent = m.short;
      // the shortcut is told where the findings are counted (the chip's tooltip and label)
      const tip = m.state === 'findings' ? t('chipShortcut', cardShortcutLabel()) : '';
      el.setAttribute('aria-label', t('chipLabel', m.text + tip));
      el.title = t('chipLabel', m.text + tip);
    },
    /**
     * @param {DOMRect|null} box  the editor's rect, or null to hide
     */
    place(box) {
      if (!box || box.width < 4 || box.height < 4 || model.state === 'idle') { el.hidden = true; return; }
      el.hidden = false;
      const w = el.offsetWidth || 40;
      const hgt = el.offsetHeight || 20;
      el.style.left = `${Math.round(box.right - w - 4)}px`;
      el.style.top = `${Math.round(box.bottom - hgt / 2)}px`;
    },
    remove() { el.remove(); },
    snapshot() {
      const r = el.getBoundingClientRect();
      const focused = /** @type {ShadowRoot} */ (el.getRootNode()).activeElement === el;
      return { state: model.state, text: model.text, short: model.short, label: el.getAttribute('aria-label'), visible: !el.hidden, focused, x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
  };
}
