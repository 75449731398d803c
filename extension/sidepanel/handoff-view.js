// @ts-check
// "Send to <owner>" in the side panel: for every topic flagged in the draft or the conversation, a
// link that opens a pre-filled message to the matrix row's owner (../handoff.js). The panel leads with
// it (above the sections, whatever the role); flagged matrix rows and escalation findings carry it too.
// The employee's own draft goes in only when they tick "Include my draft"; the user sends it, never us.
import { handoffLabel, handoffUrl } from '../handoff.js';
import { $, el, rebuildUnlessShowing } from '../dom.js';
import { t } from '../i18n.js';
import { recordHandoff } from './records.js';

/** @typedef {import('./state.js').PanelState} PanelState */
/** @typedef {import('../handoff.js').MatrixRow} MatrixRow */

/** The facts of the active box's conversation, now. @param {PanelState} state */
export function handoffFacts(state) {
  return {
    url: state.report?.url ?? null,
    customerWords: state.report?.replyingTo ?? null,
    time: new Date(),
    draft: state.handoffDraft,
  };
}

/** A "Send to <owner>" link; its time (and draft) are taken again when it is clicked. @param {PanelState} state @param {MatrixRow} row */
export function handoffLink(state, row) {
  const a = /** @type {HTMLAnchorElement} */ (el('a', 'handoff', handoffLabel(row)));
  a.dataset.topic = row.topic;
  a.href = handoffUrl(row, handoffFacts(state));
  a.target = '_blank'; // the mail or chat program; the panel stays
  a.rel = 'noopener';
  a.setAttribute('aria-label', t('panelHandoffLabel', handoffLabel(row), row.title));
  a.addEventListener('click', () => { a.href = handoffUrl(row, handoffFacts(state)); recordHandoff(row.topic); });
  return a;
}

/**
 * What every "Send to <owner>" link under `root` opens, brought up to date (the conversation, the ticked
 * draft) where a list kept its links (rebuildUnlessShowing).
 * @param {PanelState} state @param {HTMLElement} root
 */
export function refreshHandoffLinks(state, root) {
  const rows = state.pack?.escalation_matrix ?? [];
  for (const a of /** @type {HTMLAnchorElement[]} */ ([...root.querySelectorAll('a.handoff')])) {
    const row = rows.find((m) => m.topic === a.dataset.topic);
    if (row) a.href = handoffUrl(row, handoffFacts(state));
  }
}

/**
 * The lead block: one link per flagged topic, and the draft tick box.
 * @param {PanelState} state @param {Map<string, string>} flagged  topic -> where it was flagged
 */
export function renderHandoff(state, flagged) {
  const rows = (state.pack?.escalation_matrix ?? []).filter((m) => flagged.has(m.topic));
  $('handoff').hidden = rows.length === 0;
  const list = $('handoff-list');
  if (!rebuildUnlessShowing(list, JSON.stringify(rows.map((row) => [row, flagged.get(row.topic) ?? ''])))) {
    refreshHandoffLinks(state, list);
    return;
  }
  for (const row of rows) {
    const li = el('li');
    li.append(handoffLink(state, row), el('span', 'small', t('panelHandoffFlagged', row.title, flagged.get(row.topic) ?? '')));
    list.append(li);
  }
}
