// @ts-check
// The tour's steps, built from the pack's tour view (GET /v1/pack/tour): pure data, so node tests it
// and tour.js only draws it. Every word about the policy is the pack's own (its `why` texts and
// examples); the words about PostGuard's buttons name them as the card and the side panel do.
import { cardShortcutLabel } from '../format.js';
import { categoryLabel } from '../vocabulary.js';

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
      title: 'What PostGuard checks',
      blocks: [
        { kind: 'p', text: `While you write on X, Facebook, LinkedIn or Instagram, PostGuard checks your draft against “${title}”, on this computer: your drafts go nowhere else.` },
        ...tour.categories.map((c) => /** @type {Block} */ ({ kind: 'category', category: c.category, label: labelOf(c.category), why: c.why })),
      ],
    },
    {
      id: 'examples',
      title: 'What it flags, and what it lets pass',
      blocks: [
        { kind: 'p', text: 'From your company’s own examples: the first draft of each pair is underlined, the second is fine.' },
        ...tour.categories.map((c) => /** @type {Block} */ ({ kind: 'examples', category: c.category, label: labelOf(c.category), flag: c.flag, pass: c.pass })),
      ],
    },
    {
      id: 'policy',
      title: 'Where to read the policy',
      blocks: tour.policy_url
        ? [{ kind: 'p', text: 'PostGuard points at problems; the whole policy says more, with the reasons behind it.' },
          { kind: 'link', href: tour.policy_url, text: `Read ${title}` }]
        : [{ kind: 'p', text: 'Your company has not linked its policy here. Ask your social-media team where to read it.' }],
    },
    {
      id: 'actions',
      title: 'Ignore, pause, hand over',
      blocks: [
        { kind: 'p', text: `Point at an underline, or press ${shortcut} in the box, to open PostGuard’s card: it says what is wrong and why, and its buttons fix it.` },
        { kind: 'p', text: 'Ignore: the card’s Ignore button leaves that one finding alone in this draft. “This warning is wrong” tells your company’s records, without your text.' },
        { kind: 'p', text: 'Pause: the card’s ⋯ menu pauses PostGuard on a site for 1 hour, for today, or until you turn it back on in the options.' },
        { kind: 'p', text: 'Hand over: a legal threat, a press question or a safety incident is not yours to answer. The card and the side panel offer “Send to …” the team that handles it, with a message you check and send yourself.' },
      ],
    },
    {
      id: 'try',
      title: 'Try it',
      blocks: [
        { kind: 'p', text: 'The practice box gives you your company’s own example drafts to fix, checked by the same checker as your real posts. Nothing you type there is posted.' },
        { kind: 'link', href: 'practice.html', text: 'Open the practice box' },
      ],
    },
  ];
}
