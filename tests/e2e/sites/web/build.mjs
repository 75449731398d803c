// Builds the fixture sites: copies src/pages/<host>/... to ../dist/<host>/... and bundles each
// page's script (real editor libraries) with esbuild into ../dist/<host>/_fixture/<name>.js
// (+ <name>.css when the script imports library CSS). Usage: node build.mjs
import * as esbuild from 'esbuild';
import { cpSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

// [host, source entry, output name under <host>/_fixture/]
const bundles = [
  ['x.com', 'src/x/compose.jsx', 'compose'],
  ['x.com', 'src/x/status.jsx', 'status'],
  ['www.facebook.com', 'src/facebook/home.js', 'home'],
  ['www.linkedin.com', 'src/linkedin/feed.js', 'feed'],
  ['www.instagram.com', 'src/instagram/post.jsx', 'post'],
  ['www.instagram.com', 'src/instagram/create.js', 'create'],
];

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(join(here, 'src', 'pages'), dist, { recursive: true });

await Promise.all(bundles.map(([host, entry, name]) => esbuild.build({
  entryPoints: [join(here, entry)],
  outfile: join(dist, host, '_fixture', `${name}.js`),
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome120'],
  jsx: 'transform',
  conditions: ['production'], // lexical's exports map: pick its prod build only
  loader: { '.js': 'jsx' },
  define: {
    'process.env.NODE_ENV': '"production"',
    global: 'window', // Draft.js (fbjs) reads `global`
  },
  logLevel: 'warning',
})));

// The harness compares this file's mtime with the sources' to decide whether to rebuild.
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
console.log(`fixture sites built into ${dist} in ${Date.now() - started} ms`);
