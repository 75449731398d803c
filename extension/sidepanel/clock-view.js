// @ts-check
// The response-time clock for the conversation being answered: the customer's message's age against
// the pack's target for its kind (told from the message, conversation-kind.js; the champion can change it), time left or overdue. Redrawn
// with each box report and every 20 seconds. Inserting a canned reply records the answer (panel.js).
import { $ } from '../dom.js';
import { t } from '../i18n.js';
import { clockFor, clockText, usableTargets } from './clock.js';
import { conversationKind } from '../conversation-kind.js';

/** @typedef {import('./state.js').PanelState} PanelState */

/** Which conversation: its page and the message's time (a feed shows many posts under one URL). @param {PanelState} state */
export function conversationKey(state) {
  const r = state.report;
  return r && r.replyingToPostedAt ? `${r.url}#${r.replyingToPostedAt}` : null;
}

/** The clock as it stands now, or null when nothing is being answered or the site shows no time. @param {PanelState} state */
export function currentClock(state) {
  const key = conversationKey(state);
  if (!key) return null;
  return clockFor(state.report?.replyingToPostedAt, state.pack?.response_targets ?? [], state.clockKinds.get(key) ?? messageKind(state), Date.now());
}

/** The kind the customer's message reads as, until the champion picks one. @param {PanelState} state */
export function messageKind(state) {
  const r = state.report;
  return r ? conversationKind(r.replyingTo, { reviewMarkup: !!r.replyingToReview }) : null;
}

/** @param {PanelState} state */
export function renderClock(state) {
  const box = $('clock');
  const answering = !!state.report && state.report.replyingTo !== undefined && state.report.replyingTo !== null;
  const targets = usableTargets(state.pack?.response_targets ?? []);
  box.hidden = !answering || !targets.length;
  if (box.hidden) return;
  const clock = currentClock(state);
  const select = /** @type {HTMLSelectElement} */ ($('clock-kind'));
  $('clock-kind-wrap').hidden = !clock;
  if (!clock) {
    box.dataset.state = 'unknown';
    $('clock-text').textContent = t('clockUnknown');
    return;
  }
  const kinds = targets.map((t) => t.kind).join('|');
  if (select.dataset.kinds !== kinds) {
    select.dataset.kinds = kinds;
    select.replaceChildren(...targets.map((t) => new Option(`${t.kind.replace(/_/g, ' ')} (within ${t.within})`, t.kind)));
  }
  select.value = clock.kind;
  box.dataset.state = clock.state;
  $('clock-text').textContent = clockText(clock);
}

/** @param {PanelState} state */
export function wireClock(state) {
  $('clock-kind').addEventListener('change', () => {
    const key = conversationKey(state);
    if (key) state.clockKinds.set(key, /** @type {HTMLSelectElement} */ ($('clock-kind')).value);
    renderClock(state);
  });
  setInterval(() => renderClock(state), 20000);
}
