// @ts-check
// The active compose box: what it is ("Reply to Sam Rivera (@acme) on X", never its URL), its state,
// its findings (each once, in sentences) and its referral links; the note when inserting is off.
import { dedupeFindings, referralsToShow, sentence } from '../format.js';
import { SURFACE_LABEL, platformLabel } from '../vocabulary.js';
import { $, button, el, rebuildUnlessShowing } from '../dom.js';
import { t } from '../i18n.js';
import { findingItem } from './findings-view.js';
import { rowForFinding } from '../handoff.js';
import { handoffLink, refreshHandoffLinks } from './handoff-view.js';
import { insertBlockedBySite } from './state.js';

/** @typedef {import('./state.js').PanelState} PanelState */
/** @typedef {import('../protocol.js').BoxReport} BoxReport */
/**
 * What a view's buttons do with text for the page (panel.js: insert.js bound to the state).
 * @typedef {{insert: (text: string, spaced: boolean, what: string) => void, copy: (text: string, what: string) => void}} TextActions
 */

/** What the box is, in words: "Reply to Sam Rivera (@acme) on X". @param {BoxReport} r */
export function boxTitle(r) {
  const a = r.replyingToAuthor;
  const to = a ? ` to ${[a.name, a.handle && `(${a.handle})`].filter(Boolean).join(' ') || a.handle}` : '';
  const what = /** @type {Record<string, string>} */ (SURFACE_LABEL)[r.surface] ?? sentence(r.surface);
  return `${what}${to} on ${platformLabel(r.platform)}${r.account ? `, as ${r.account}` : ''}`;
}

/**
 * A referral with one-click insert (or copy where inserting is off).
 * @param {PanelState} state @param {{title: string, url: string}} r @param {string|undefined} reason @param {TextActions} act
 */
export function referralItem(state, r, reason, act) {
  const li = el('li', 'ref');
  const head = el('div');
  head.append(el('span', 'msg', r.title), reason ? el('span', 'small', ` — ${reason}`) : '');
  li.append(head, el('code', 'url', r.url));
  const row = el('div', 'actions');
  const ins = button(t('panelInsertLink'));
  ins.setAttribute('aria-label', t('panelInsertLinkTo', r.title));
  ins.dataset.url = r.url;
  ins.disabled = insertBlockedBySite(state);
  ins.addEventListener('click', () => act.insert(r.url, true, t('panelLinkWhat', r.title)));
  const copy = button(t('panelCopyLink'));
  copy.setAttribute('aria-label', t('panelCopyLinkTo', r.title));
  copy.addEventListener('click', () => act.copy(r.url, t('panelLinkWhat', r.title)));
  row.append(ins, copy);
  li.append(row);
  return li;
}

/** @param {PanelState} state @param {TextActions} act */
export function renderBox(state, act) {
  const report = state.report;
  $('box').textContent = report ? `${boxTitle(report)}. ${report.stateText}` : t('panelNoBox');
  $('no-findings').hidden = !report || report.findings.length > 0;
  const findings = $('findings');
  const shown = report ? dedupeFindings(report.findings) : [];
  const rows = shown.map((f) => rowForFinding(state.pack?.escalation_matrix ?? [], f));
  if (rebuildUnlessShowing(findings, JSON.stringify([shown, rows]))) {
    shown.forEach((f, i) => {
      const li = findingItem(f);
      if (rows[i]) li.append(handoffLink(state, rows[i]));   // an escalation: hand it over from here too
      findings.append(li);
    });
  } else {
    refreshHandoffLinks(state, findings);
  }
  // the same link already offered under "Suggested for this conversation" is not repeated here
  const suggested = new Set((state.suggestions?.referrals ?? []).map((r) => r.url));
  // and none beside a finding about the writer's own safety or an escalation (as on the card)
  const own = report ? referralsToShow(report.referrals, report.findings).filter((r) => !suggested.has(r.url)) : [];
  $('referrals').hidden = own.length === 0;
  const refs = $('referral-list');
  if (rebuildUnlessShowing(refs, JSON.stringify([own, insertBlockedBySite(state)]))) {
    for (const r of own) refs.append(referralItem(state, r, r.reason, act));
  }
}

/** The note that inserting is off on this site. @param {PanelState} state */
export function renderUnsafe(state) {
  const unsafe = insertBlockedBySite(state);
  $('unsafe').hidden = !unsafe;
  if (unsafe) {
    $('unsafe').textContent = t('panelUnsafe');
  }
}
