// Bundle the content script: MV3 manifest content scripts are classic scripts, not ES modules, so
// content/main.js and its imports become one IIFE at dist/content.js. Everything else (service
// worker, side panel, options) loads as native ES modules and needs no build.
//   node scripts/build.mjs          build once
//   node scripts/build.mjs --watch  rebuild on change
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const options = {
  absWorkingDir: root,
  entryPoints: ['content/main.js'],
  outfile: 'dist/content.js',
  bundle: true,
  format: 'iife',
  target: 'chrome116',
  charset: 'utf8',
  legalComments: 'none',
  banner: { js: '// PostGuard content script: built from content/ by scripts/build.mjs; do not edit.' },
  logLevel: 'warning',
};

if (process.argv.includes('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('watching content/ ...');
} else {
  await esbuild.build(options);
  console.log('built dist/content.js');
}
