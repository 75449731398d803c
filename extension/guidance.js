// @ts-check
// The pack's platform guidance (`platforms.<site>.guidance` in GET /v1/pack): a few lines the company
// wants people to keep in mind on that site ("Move order details to Messenger."). Shown where people
// write: the card's summary view and the side panel, for the site of the box being written in.
import { platformLabel } from './vocabulary.js';

/**
 * The guidance lines of one platform in a /v1/pack answer (strings only, blanks dropped).
 * @param {any} pack @param {string|null|undefined} platform
 * @returns {string[]}
 */
export function guidanceLines(pack, platform) {
  const lines = platform ? pack?.platforms?.[platform]?.guidance : null;
  return Array.isArray(lines) ? lines.filter((l) => typeof l === 'string' && l.trim()).map((l) => l.trim()) : [];
}

/** "On X:" — the heading above the lines. @param {string} platform */
export function guidanceTitle(platform) {
  return `On ${platformLabel(platform) ?? platform}:`;
}
