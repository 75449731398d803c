import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pct, weekRows } from '../sidepanel/week-view.js';

const WEEK = {
  since: '2026-11-24', until: '2026-11-30',
  findings: { shown: 8, fixed: 2, ignored: 1, overridden: 0, wrong: 1, rates: { fixed: 0.25, ignored: 0.125, overridden: 0, wrong: 0.125 } },
  noisiest: [{ rule: 'base.safety.alone-at-work', category: 'safety', shown: 4, noise: 2 }],
  responses: { answered: 3, median_minutes: 45, p90_minutes: 190, within_target: 2, within_target_share: 0.667 },
  replies_used: 4,
};

describe('your week', () => {
  it('lists the counts, the noisiest rule and the response times', () => {
    assert.deepEqual(weekRows(WEEK), [
      ['Findings shown', '8'], ['Fixed', '2 (25%)'], ['Ignored', '1 (13%)'], ['Posted anyway', '0 (0%)'], ['Marked wrong', '1 (13%)'],
      ['Noisiest rule', 'base.safety.alone-at-work (2 of 4)'], ['Conversations answered', '3'],
      ['Median time to answer', '45 min'], ['90% answered within', '3 h 10 min'], ['Within target', '2 (67%)'],
      ['Canned replies used', '4'],
    ]);
  });

  it('an empty week has no response times and dashes for rates', () => {
    const empty = { ...WEEK, findings: { shown: 0, fixed: 0, ignored: 0, overridden: 0, wrong: 0, rates: { fixed: null, ignored: null, overridden: null, wrong: null } },
      noisiest: [], responses: { answered: 0, median_minutes: null, p90_minutes: null, within_target: 0, within_target_share: null }, replies_used: 0 };
    assert.deepEqual(weekRows(empty).map(([k]) => k), ['Findings shown', 'Fixed', 'Ignored', 'Posted anyway', 'Marked wrong', 'Conversations answered', 'Canned replies used']);
    assert.equal(pct(null), '–');
  });
});

describe('getWeek in the worker', async () => {
  const { createHandlers } = await import('../background/handlers.js');
  const { createSettingsStore } = await import('../background/settings.js');
  const { KIND } = await import('../protocol.js');
  const { memoryArea } = await import('./fakechrome.js');
  const local = memoryArea();
  const session = memoryArea();
  let asked = 0;
  const client = { async week() { asked += 1; return WEEK; } };
  const handlers = createHandlers({ client, settings: createSettingsStore({ managed: memoryArea(), local, session }),
    local, session, extensionOrigin: 'chrome-extension://abc/' });

  it('answers the side panel with the companion\'s week', async () => {
    const r = await handlers[KIND.getWeek]({ kind: KIND.getWeek }, { url: 'chrome-extension://abc/sidepanel/index.html' });
    assert.deepEqual(r, { ok: true, week: WEEK });
  });

  it('refuses a content script in a site\'s page without asking the companion', async () => {
    const before = asked;
    const r = await handlers[KIND.getWeek]({ kind: KIND.getWeek }, { url: 'https://x.com/acme/status/1', tab: { id: 3 } });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'forbidden');
    assert.equal(asked, before);
  });
});
