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
 * }} PageActions  markWrong: "This warning is wrong" (wrong-control.js); pauseAllowed: IT may forbid pausing (managed allowPause: false); pauseSite: from this box
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
