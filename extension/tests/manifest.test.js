import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { howMatched } from '../format.js';
import { SITES, siteForHost } from '../content/sites/index.js';

const ext = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', ext), 'utf8'));

describe('manifest', () => {
  it('the key gives the ID in EXTENSION_ID.txt (sha256 of the DER key, first 32 hex digits, 0-f -> a-p)', () => {
    const der = Buffer.from(manifest.key, 'base64');
    const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
    const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
    assert.equal(id, readFileSync(new URL('EXTENSION_ID.txt', ext), 'utf8').trim());
  });
  it('asks only for what it needs', () => {
    assert.deepEqual(manifest.host_permissions, ['http://127.0.0.1/*']);
    assert.deepEqual([...manifest.permissions].sort(), ['contextMenus', 'sidePanel', 'storage']);
    assert.equal(manifest.background.type, 'module');
    assert.equal(manifest.storage.managed_schema, 'managed_schema.json');
  });
  it('content scripts run exactly on the four sites, and every match has a site record', () => {
    const matches = manifest.content_scripts.flatMap((c) => c.matches);
    assert.deepEqual(matches, ['https://x.com/*', 'https://twitter.com/*', 'https://www.facebook.com/*', 'https://www.linkedin.com/*', 'https://www.instagram.com/*']);
    for (const m of matches) assert.ok(siteForHost(new URL(m.replace('*', '')).hostname), m);
  });
  it('the managed schema declares the six settings IT can set', () => {
    const schema = JSON.parse(readFileSync(new URL('managed_schema.json', ext), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties).sort(), ['allowPause', 'companionPort', 'disabledSites', 'notifyOnly', 'pairingSecret', 'role']);
    assert.equal(schema.properties.allowPause.type, 'boolean');
    // chrome://policy masks it; the pattern is the one settings.js accepts
    assert.equal(schema.properties.pairingSecret.sensitiveValue, true);
    assert.equal(schema.properties.pairingSecret.pattern, '^[A-Za-z0-9_-]{43,128}$');
  });
});

describe('site records', () => {
  it('one file per site, each listed, each ending with its Test URLs', () => {
    const files = readdirSync(new URL('content/sites/', ext)).filter((f) => f !== 'index.js' && f !== 'read.js').sort();
    assert.deepEqual(files, ['facebook.js', 'instagram.js', 'linkedin.js', 'x.js']);
    assert.deepEqual(SITES.map((s) => s.id).sort(), ['facebook', 'instagram', 'linkedin', 'x']);
    for (const f of files) assert.match(readFileSync(new URL(`content/sites/${f}`, ext), 'utf8'), /\/\/ Test URLs: https:\/\//, f);
  });
  it('submit keys', () => {
    const x = SITES.find((s) => s.id === 'x');
    const fb = SITES.find((s) => s.id === 'facebook');
    assert.equal(x.submitKey({ key: 'Enter', ctrlKey: true }, 'post'), true);
    assert.equal(x.submitKey({ key: 'Enter' }, 'post'), false);
    assert.equal(fb.submitKey({ key: 'Enter' }, 'comment'), true);
    assert.equal(fb.submitKey({ key: 'Enter', shiftKey: true }, 'comment'), false);
    assert.equal(fb.submitKey({ key: 'Enter' }, 'post'), false);
  });
});

describe('howMatched', () => {
  const f = (detail) => ({ excerpt: 'Falcn Ridge', detail });
  it('explains exact, fuzzy and context matches', () => {
    assert.equal(howMatched(f({ match: 'exact' })), 'Matched “Falcn Ridge” exactly.');
    assert.equal(howMatched(f({ match: 'fuzzy', distance: 1, matched: 'Falcon Ridge' })),
      'Matched “Falcn Ridge” as a close spelling of “Falcon Ridge” (1 character different).');
    assert.equal(howMatched(f({ match: 'context', context: ['launch', 'April'] })), 'Matched “Falcn Ridge” together with nearby words: “launch”, “April”.');
    // the combination rules' shape (the real companion's answer is rendered in card.test.js)
    assert.equal(howMatched(f({ match: 'context', context: [{ group: 'place', text: 'parking lot' }, { group: 'night', text: '4 am' }] })),
      'Matched “Falcn Ridge” together with nearby words: “parking lot” (place), “4 am” (night).');
    assert.equal(howMatched(f(undefined)), '');
  });
});
