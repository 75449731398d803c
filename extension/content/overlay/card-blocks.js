// @ts-check
// The pieces the card's views are built from: its buttons, the referral links, the notes on findings
// kept from an earlier check and on editing being off, the shortcut hint.
import { h } from './layer.js';
import { referralsToShow } from '../../format.js';
import { t } from '../../i18n.js';

/** @typedef {import('../../protocol.js').Finding} Finding */
/** @typedef {import('../../protocol.js').Referral} Referral */

/**
 * What the card needs from a box (implemented by BoxController).
 * @typedef {{
 *   el: HTMLElement, siteName: string,
 *   shown: Finding[], referrals: Referral[], statusText: string, packText: string,
 *   insertionAllowed: boolean, unsafeNote: string, stale: boolean, staleNote: string,
 *   anchorRect: (f: Finding|null) => DOMRect|null,
 *   applySuggestion: (f: Finding, i: number) => void,
 *   insertReferral: (r: Referral) => void,
 *   ignore: (f: Finding, opts?: {quiet?: boolean}) => void,
 *   setActive: (f: Finding|null) => void,
 * }} CardBox
 *
 * What the card does to the page itself, not to one box (main.js).
 * @typedef {{
 *   pauseAllowed: () => boolean,
 *   pauseSite: (duration: string, el: HTMLElement) => void,
 *   openSidePanel: () => void,
 *   markWrong?: (box: CardBox, f: Finding, reason: string|null) => void,
 *   handOff?: (box: CardBox, topic: string, includeDraft: boolean) => void,
 *   guidance?: () => string[],
 * }} PageActions  markWrong: "This warning is wrong" (wrong-control.js); pauseAllowed: IT may forbid pausing (managed allowPause: false); pauseSite: from this box;
 *   handOff: open the pre-filled "Send to <owner>" message of an escalation topic (through the worker);
 *   guidance: the pack's guidance lines for this site (../../guidance.js)
 */

/** @param {string} label @param {string} action @param {() => void} fn @param {string} [cls] */
export const button = (label, action, fn, cls) => h('button', { type: 'button', class: cls, 'data-action': action, onclick: fn, text: label });

/** A one-glyph button (‹ › ×) named in words for screen readers. @param {string} glyph @param {string} name @param {string} action @param {() => void} fn */
export const iconButton = (glyph, name, action, fn) => h('button', { type: 'button', class: 'icon', 'data-action': action, onclick: fn, 'aria-label': name, title: name, text: glyph });

/** The shortcut, where people look for it. @param {string} text */
export const hint = (text) => h('div', { class: 'hint', text });

/**
 * Customer links, each with "Insert link" where PostGuard may edit (else the URL as text).
 * @param {CardBox} box @param {(r: import('../../protocol.js').Referral) => void} insert
 */
export function referralsBlock(box, insert) {
  const refs = referralsToShow(box.referrals, box.shown);
  if (!refs.length) return null;
  return h('div', { class: 'refs' }, [
    h('div', { class: 'why', text: t('refsTitle') }),
    ...refs.map((r, i) => h('div', { class: 'ref' }, [
      h('span', { class: 'title', text: r.title }), ` — ${r.reason} `,
      box.insertionAllowed ? button(t('refsInsert'), `ref:${i}`, () => insert(r)) : h('span', { text: r.url }),
    ])),
  ]);
}

/** Findings kept from an earlier check while the companion is away. @param {CardBox} box */
export function staleBlock(box) {
  return box.stale ? h('div', { class: 'note stale', text: box.staleNote }) : null;
}

/** Editing from PostGuard is off on this site: say so, and offer the side panel. @param {CardBox} box @param {() => void} openSidePanel */
export function editingOffBlock(box, openSidePanel) {
  if (box.insertionAllowed) return null;
  return h('div', { class: 'note' }, [box.unsafeNote, ' ', button(t('openSidePanel'), 'panel', openSidePanel, 'quiet')]);
}

/**
 * An escalation finding's "Don't answer: send it to <owner>" as a button that opens the pre-filled
 * message (the worker opens it; nothing is sent), and "Include my draft", off unless the user ticks it.
 * @param {import('../../protocol.js').Suggestion[]} handoffs  the finding's suggestions with a `handoff` topic
 * @param {(topic: string, includeDraft: boolean) => void} handOff
 * @param {() => void} changed  the card changed (the page re-renders, test hooks included)
 */
export function handoffBlock(handoffs, handOff, changed) {
  if (!handoffs.length) return null;
  const tick = button(`☐ ${t('cardIncludeDraft')}`, 'handoff-draft', () => {
    const on = tick.getAttribute('aria-checked') !== 'true';
    tick.setAttribute('aria-checked', String(on));
    tick.textContent = `${on ? '☑' : '☐'} ${t('cardIncludeDraft')}`; // the box is seen; aria-checked is read out
    changed();
  }, 'quiet');
  tick.setAttribute('role', 'checkbox');
  tick.setAttribute('aria-checked', 'false');
  return h('div', { class: 'actions handoff' }, [
    ...handoffs.map((s) => button(s.label, `handoff:${s.handoff}`, () => handOff(String(s.handoff), tick.getAttribute('aria-checked') === 'true'), 'primary')),
    tick,
  ]);
}

/** The pack's guidance for this site, in the summary view. @param {CardBox} box @param {string[]} lines */
export function guidanceBlock(box, lines) {
  if (!lines.length) return null;
  return h('div', { class: 'guidance' }, [
    h('div', { class: 'why', text: t('cardGuidanceOn', box.siteName) }),
    h('ul', { class: 'list' }, lines.map((l) => h('li', { text: l }))),
  ]);
}
