// @ts-check
// The pack's guidance for the site of the active box, at the top of the panel (../guidance.js).
import { guidanceLines, guidanceTitle } from '../guidance.js';
import { $, el } from '../dom.js';

/** @param {import('./state.js').PanelState} state */
export function renderGuidance(state) {
  const platform = state.report?.platform ?? null;
  const lines = guidanceLines(state.pack, platform);
  $('guidance').hidden = lines.length === 0;
  $('guidance-title').textContent = platform ? guidanceTitle(platform) : '';
  $('guidance-list').replaceChildren(...lines.map((l) => el('li', undefined, l)));
}
