// @ts-check
// The escalation section: the pack's matrix (matrix.js), the topics flagged by an escalation finding
// in the draft or in the conversation named above it, and the pack's response targets.
import { $ } from '../dom.js';
import { t } from '../i18n.js';
import { renderMatrix } from './matrix.js';
import { rowForFinding } from '../handoff.js';
import { handoffLink, refreshHandoffLinks, renderHandoff } from './handoff-view.js';

/** @typedef {import('./state.js').PanelState} PanelState */

/** Topics flagged in the active draft (its escalation findings) or in the conversation: topic -> where. @param {PanelState} state */
export function flaggedTopics(state) {
  /** @type {Map<string, string>} */
  const out = new Map();
  const matrix = state.pack?.escalation_matrix ?? [];
  for (const f of state.report?.findings ?? []) {
    const row = rowForFinding(matrix, f);
    if (row) out.set(row.topic, t('panelFlaggedDraft', f.excerpt));
  }
  for (const e of state.suggestions?.escalations ?? []) {
    if (e.topic && !out.has(e.topic)) out.set(e.topic, t('panelFlaggedConversation', e.excerpt));
  }
  return out;
}

/** @param {PanelState} state */
export function showMatrix(state) {
  const matrix = state.pack?.escalation_matrix ?? [];
  const flagged = flaggedTopics(state);
  const rebuilt = renderMatrix($('escalations'), matrix, flagged, (text) => navigator.clipboard.writeText(text).then(
    () => { $('esc-status').textContent = t('panelCopiedText', text); },
    () => { $('esc-status').textContent = t('panelCopyTextFailed', text); },
  ), (row) => handoffLink(state, row));
  if (!rebuilt) refreshHandoffLinks(state, $('escalations'));   // kept links: bring what they open up to date
  renderHandoff(state, flagged);
  $('escalations').hidden = matrix.length === 0;
  const note = $('esc-flag');
  note.hidden = flagged.size === 0;
  if (flagged.size) {
    const names = [...flagged.keys()].map((t) => matrix.find((m) => m.topic === t)?.title ?? t);
    note.textContent = t('panelEscalate', names.join(', '));
  }
  const targets = state.pack?.response_targets ?? [];
  $('targets').textContent = targets.length ? `Response targets: ${targets.map((t) => `${t.kind.replace(/_/g, ' ')} within ${t.within}`).join('; ')}.` : '';
}
