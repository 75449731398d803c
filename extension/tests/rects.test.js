import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipRects, hitRects, mergeLineRects, placeCard, underlineFor } from '../content/overlay/rects.js';

const box = (left, top, width, height) => ({ left, top, width, height });

describe('clipRects', () => {
  const clip = box(100, 100, 200, 50);
  it('keeps what is inside, trims what sticks out, drops what is outside', () => {
    assert.deepEqual(clipRects([box(120, 110, 30, 20)], clip), [box(120, 110, 30, 20)]);
    assert.deepEqual(clipRects([box(90, 110, 30, 20)], clip), [box(100, 110, 20, 20)]);
    assert.deepEqual(clipRects([box(280, 140, 40, 20)], clip), [box(280, 140, 20, 10)]);
    assert.deepEqual(clipRects([box(10, 10, 30, 20), box(400, 110, 5, 5)], clip), []);
  });
  it('drops slivers under half a pixel (scrolled-away lines)', () => {
    assert.deepEqual(clipRects([box(120, 149.7, 30, 20)], clip), []);
  });
});

describe('mergeLineRects', () => {
  it('joins touching rects on one line (one per text node) into one', () => {
    const out = mergeLineRects([box(10, 100, 40, 20), box(50, 100, 30, 20), box(80.5, 101, 20, 19)]);
    assert.deepEqual(out, [box(10, 100, 90.5, 20)]);
  });
  it('keeps separate lines apart and sorts them', () => {
    const out = mergeLineRects([box(10, 130, 40, 20), box(200, 100, 60, 20)]);
    assert.deepEqual(out, [box(200, 100, 60, 20), box(10, 130, 40, 20)]);
  });
  it('does not bridge a real gap on the same line', () => {
    assert.equal(mergeLineRects([box(10, 100, 40, 20), box(80, 100, 30, 20)]).length, 2);
  });
  it('does not mutate its input', () => {
    const input = [box(10, 100, 40, 20), box(50, 100, 30, 20)];
    mergeLineRects(input);
    assert.deepEqual(input, [box(10, 100, 40, 20), box(50, 100, 30, 20)]);
  });
});

describe('underline, hit test, card placement', () => {
  it('puts the underline strip at the bottom of the text rect', () => {
    assert.deepEqual(underlineFor(box(10, 100, 50, 20)), box(10, 118, 50, 2));
  });
  it('hits inside a rect with a little slop', () => {
    const rects = [box(10, 100, 50, 20)];
    assert.equal(hitRects(rects, 35, 110), true);
    assert.equal(hitRects(rects, 60.5, 110), true);
    assert.equal(hitRects(rects, 70, 110), false);
  });
  const vp = { width: 1000, height: 800 };
  it('places the card below the anchor when it fits', () => {
    assert.deepEqual(placeCard(box(100, 100, 80, 20), { width: 300, height: 150 }, vp), { left: 100, top: 126, maxHeight: null });
  });
  it('flips above near the bottom and clamps to the right edge', () => {
    assert.deepEqual(placeCard(box(900, 700, 80, 20), { width: 300, height: 150 }, vp), { left: 694, top: 544, maxHeight: null });
  });
  it('never covers the anchor: a card taller than the room on either side goes where there is more room and scrolls', () => {
    const small = { width: 420, height: 500 };
    for (const top of [120, 250, 330]) {
      const a = box(20, top, 80, 20);
      const p = placeCard(a, { width: 400, height: 380 }, small);
      const bottom = p.top + (p.maxHeight ?? 380);
      assert.ok(bottom <= a.top || p.top >= a.top + a.height, `top ${top}: ${JSON.stringify(p)}`);
      assert.ok(p.top >= 0 && bottom <= small.height, `inside the viewport: ${JSON.stringify(p)}`);
    }
  });
});
