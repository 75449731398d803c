import './locale.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDarkColor, pageIsDark, parseRgb } from '../content/overlay/theme.js';

/** A document whose body and <html> have these computed backgrounds, and a system scheme. */
function fake(body, html, systemDark = false) {
  const doc = { body: { bg: body }, documentElement: { bg: html } };
  const win = {
    getComputedStyle: (el) => ({ backgroundColor: el.bg }),
    matchMedia: () => ({ matches: systemDark }),
  };
  return [doc, win];
}

describe('the overlay follows the page, then the system', () => {
  it('reads rgb() and rgba() colours', () => {
    assert.deepEqual(parseRgb('rgb(21, 32, 43)'), [21, 32, 43, 1]);
    assert.deepEqual(parseRgb('rgba(0, 0, 0, 0)'), [0, 0, 0, 0]);
    assert.equal(parseRgb('transparent'), null);
  });
  it('calls dark what white text reads better on', () => {
    assert.equal(isDarkColor([21, 32, 43]), true);      // X "dim"
    assert.equal(isDarkColor([0, 0, 0]), true);
    assert.equal(isDarkColor([255, 255, 255]), false);
    assert.equal(isDarkColor([240, 242, 245]), false);  // Facebook's light grey
  });
  it("takes the page's background over the system's scheme", () => {
    assert.equal(pageIsDark(...fake('rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)', true)), false);
    assert.equal(pageIsDark(...fake('rgba(0, 0, 0, 0)', 'rgb(0, 0, 0)', false)), true);
  });
  it('falls back to the system when the page paints no background', () => {
    assert.equal(pageIsDark(...fake('rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)', true)), true);
    assert.equal(pageIsDark(...fake('rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)', false)), false);
  });
});
