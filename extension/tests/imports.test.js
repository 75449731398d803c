// The extension's modules import each other without cycles (a cycle makes the load order decide
// which binding is still undefined), and no part of the shipped code is over 300 lines.
import './locale.js'; // chrome.i18n over _locales/en, as the browsers give it
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'dist', 'tests', 'scripts']);

/** @param {string} dir @returns {string[]} */
function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return SKIP.has(name) ? [] : sources(p);
    return name.endsWith('.js') ? [p] : [];
  });
}

/** Relative module specifiers of `import ... from` / `export ... from` / bare `import '...'`. @param {string} file */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]/gm)];
  return specs.map((m) => resolve(dirname(file), m[1] ?? m[2]));
}

const files = sources(root);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('modules', () => {
  it('import each other without cycles', () => {
    /** @type {Map<string, 'open'|'done'>} */
    const seen = new Map();
    /** @type {string[][]} */
    const cycles = [];
    /** @param {string} f @param {string[]} path */
    const visit = (f, path) => {
      if (seen.get(f) === 'done') return;
      if (seen.get(f) === 'open') { cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(root, p))); return; }
      seen.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
      seen.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });

  it('import only files that exist', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${relative(root, f)} -> ${relative(root, d)}`));
    assert.deepEqual(missing, []);
  });

  it('are at most 300 lines each', () => {
    const long = files.map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length])
      .filter(([, n]) => Number(n) > 300);
    assert.deepEqual(long, []);
  });
});
