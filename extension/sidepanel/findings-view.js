// @ts-check
// A finding as the side panel lists it: what is wrong, in sentences, with its severity marked;
// never character offsets (the words themselves are quoted instead).
import { howMatched, isActionable, sentence, suggestionEffect } from '../format.js';
import { categoryName, severityName, t } from '../i18n.js';
import { el } from '../dom.js';

/** @typedef {import('../protocol.js').Finding} Finding */

/** @param {Finding} f */
export function findingItem(f) {
  const li = el('li', 'finding');
  li.dataset.findingId = f.id;
  li.dataset.severity = f.severity;
  const head = el('div');
  head.append(el('span', `sev ${f.severity}`), el('span', 'sr-only', t('panelSeverity', sentence(severityName(f.severity)))), el('span', 'msg', sentence(f.message)));
  li.append(head);
  const category = categoryName(f.category);
  li.append(el('div', 'small', t('panelFindingLine', category === f.category ? sentence(f.category.replace(/_/g, ' ')) : category, sentence(severityName(f.severity)), f.excerpt)));
  if (f.why) li.append(el('div', 'small', t('cardWhy', f.why)));
  const how = howMatched(f);
  if (how) li.append(el('div', 'small', how));
  for (const s of f.suggestions) {
    // advice (no replacement, no insert) is a tip, not an edit
    li.append(el('div', 'small', isActionable(s) ? t('panelSuggestion', s.label, suggestionEffect(s)) : t('cardTip', s.label)));
  }
  return li;
}
