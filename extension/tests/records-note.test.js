import './locale.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weekLine } from '../options/records-note.js';

const week = (shown, fixed, answered) => ({ ok: true, week: { findings: { shown, fixed }, responses: { answered } } });

test('records note: the week in one line, counts only', () => {
  assert.equal(weekLine(week(12, 5, 1)), 'Last 7 days: warnings shown 12, fixed 5, conversations answered 1.');
});

test('records note: nothing to say when the companion cannot answer', () => {
  assert.equal(weekLine({ ok: false, error: { code: 'not_paired', message: 'not paired' } }), null);
  assert.equal(weekLine(undefined), null);
});
