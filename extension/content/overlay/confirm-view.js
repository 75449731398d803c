// @ts-check
// What the confirm card says when a post is held. One sentence about the problem (never the excerpt
// twice), the first fix as "Fix and post", Edit, and "Post anyway…". For a critical finding, "Post
// anyway…" leads to a second step: an optional reason (It's approved / It's not what it looks like /
// Other) and the final "Post anyway". A draft PostGuard could not check at all gets Wait / Post anyway.
import { h } from './layer.js';
import { POST_ANYWAY_REASONS } from '../../format.js';
import { t } from '../../i18n.js';

/** @typedef {import('../../protocol.js').Finding} Finding */

/**
 * The one sentence.
 * @param {Finding[]} items  critical findings (empty for `unchecked`)
 * @param {{unchecked?: boolean, stale?: boolean, reason?: string}} opts  reason: why the companion did not answer
 */
export function confirmSentence(items, opts) {
  const why = opts.reason ? ` (${opts.reason})` : '';
  if (opts.unchecked) return t('confirmUnchecked', why);
  const first = items[0];
  const msg = first ? first.message.replace(/[.!]\s*$/, '') : t('confirmProblem');
  const more = items.length > 2 ? t('confirmMoreMany', items.length - 1) : items.length === 2 ? t('confirmMoreOne') : '';
  return opts.stale ? `${t('confirmStale', why, msg)}${more}.` : `${msg}${more}.`;
}

/**
 * @param {(label: string, action: string, fn: () => void, cls?: string) => HTMLElement} button
 * @param {{
 *   items: Finding[], unchecked?: boolean, stale?: boolean, reason?: string,
 *   fix: {label: string}|null,
 *   onEdit: () => void, onFix: () => void, onPost: (reason: string|null) => void,
 *   onStep: (children: (Node|null)[], focus: string) => void,
 * }} p  onStep: show these children, focus the button with this data-action
 * @returns {{children: (Node|null)[], focus: string}} the first step
 */
export function confirmStep(button, p) {
  const head = () => h('div', { class: 'head' }, [h('span', { class: 'sev critical', 'aria-hidden': 'true' }), h('span', { text: t('confirmTitle') })]);
  const msg = h('p', { class: 'msg', text: confirmSentence(p.items, p) });
  if (p.unchecked) {
    return {
      children: [head(), msg, h('div', { class: 'actions' }, [
        button(t('confirmWait'), 'wait', p.onEdit, 'primary'),
        button(t('confirmPostAnyway'), 'post-anyway', () => p.onPost(null), 'danger'),
      ])],
      focus: 'wait',
    };
  }
  const fix = p.fix ? h('p', { class: 'fix', text: t('confirmFix', p.fix.label) }) : null;
  const second = () => {
    /** @type {string|null} */
    let chosen = null;
    const choices = POST_ANYWAY_REASONS.map((r) => {
      const b = button(r.label, `reason:${r.id}`, () => {
        chosen = chosen === r.id ? null : r.id;
        for (const c of choices) c.setAttribute('aria-checked', String(c.getAttribute('data-action') === `reason:${chosen}`));
      }, 'choice');
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', 'false');
      return b;
    });
    p.onStep([
      head(),
      h('p', { class: 'msg', text: t('confirmReasonAsk') }),
      h('div', { class: 'choices', role: 'radiogroup', 'aria-label': t('confirmReasonGroup') }, choices),
      h('div', { class: 'actions' }, [
        button(t('confirmBack'), 'back', () => p.onStep(first.children, first.focus), 'quiet'),
        button(t('confirmPostAnyway'), 'post-confirm', () => p.onPost(chosen), 'danger'),
      ]),
    ], `reason:${POST_ANYWAY_REASONS[0].id}`);
  };
  const first = {
    children: [head(), msg, fix, h('div', { class: 'actions' }, [
      p.fix ? button(t('confirmFixAndPost'), 'fix-post', p.onFix, 'primary') : null,
      button(t('confirmEdit'), 'edit', p.onEdit, p.fix ? undefined : 'primary'),
      button(t('confirmPostAnywayMore'), 'post-anyway', second, 'danger'),
    ].filter((x) => x !== null))],
    focus: 'edit',
  };
  return first;
}
