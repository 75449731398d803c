// @ts-check
// The tour's steps, built from the pack's tour view (GET /v1/pack/tour): pure data, so node tests it
// and tour.js only draws it. Every word about the policy is the pack's own (its `why` texts and
// examples); the words about PostGuard's buttons name them as the card and the side panel do.
import { cardShortcutLabel } from '../format.js';
import { categoryLabel } from '../vocabulary.js';
import { t } from '../i18n.js';

/**
 * @typedef {{kind: 'p', text: string}
 *   | {kind: 'category', category: string, label: string, why: string}
 *   | {kind: 'examples', category: string, label: string, flag: string, pass: string|null}
 *   | {kind: 'link', href: string, text: string}} Block
 * @typedef {{id: string, title: string, blocks: Block[]}} Step
 */

/** @param {string} category */
export function labelOf(category) {
  return categoryLabel(category) ?? category.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * @param {import('../protocol.js').TourView} tour
 * @param {{shortcut?: string}} [opts]
 * @returns {Step[]}
 */
export function tourSteps(tour, opts = {}) {
  const shortcut = opts.shortcut ?? cardShortcutLabel();
  const title = tour.pack.title || tour.pack.id;
  return [
    {
      id: 'checks',
      title: t('tourChecksTitle'),
      blocks: [
        { kind: 'p', text: t('tourChecksText', title) },
        ...tour.categories.map((c) => /** @type {Block} */ ({ kind: 'category', category: c.category, label: labelOf(c.category), why: c.why })),
      ],
    },
    {
      id: 'examples',
      title: t('tourExamplesTitle'),
      blocks: [
        { kind: 'p', text: t('tourExamplesText') },
        ...tour.categories.map((c) => /** @type {Block} */ ({ kind: 'examples', category: c.category, label: labelOf(c.category), flag: c.flag, pass: c.pass })),
      ],
    },
    {
      id: 'policy',
      title: t('tourPolicyTitle'),
      blocks: tour.policy_url
        ? [{ kind: 'p', text: t('tourPolicyText') },
          { kind: 'link', href: tour.policy_url, text: t('tourPolicyRead', title) }]
        : [{ kind: 'p', text: t('tourPolicyNone') }],
    },
    {
      id: 'actions',
      title: t('tourActionsTitle'),
      blocks: [
        { kind: 'p', text: t('tourActionsCard', shortcut) },
        { kind: 'p', text: t('tourActionsIgnore') },
        { kind: 'p', text: t('tourActionsPause') },
        { kind: 'p', text: t('tourActionsHandover') },
      ],
    },
    {
      id: 'try',
      title: t('tourTryTitle'),
      blocks: [
        { kind: 'p', text: t('tourTryText') },
        { kind: 'link', href: 'practice.html', text: t('tourTryOpen') },
      ],
    },
  ];
}
