#!/usr/bin/env node
// `npm run build:azure [-- --sourcemap]`: the Function App's deployable folder, dist/azure/:
// - functions/<name>.js: each Azure entry module (adapters/azure/functions/*.ts) bundled, minified, with
//   the chunks they share (package.json `main` at the root names these files for a local `func start`);
// - host.json, and a package.json whose only dependency is @azure/functions: it stays external, as the
//   Node.js worker wires the app's own copy of it to the host (through `@azure/functions-core`, which only
//   exists inside the worker). `npm install --omit=dev` there gives the app just that at run time, instead
//   of the project's whole node_modules (dev dependencies included); README, "Azure", deploys this folder.
// No source maps unless --sourcemap: they would ship and be read only with --enable-source-maps (BENCHMARKS.md).
// --metafile <file> also writes esbuild's metafile there (npm run bench reads what each function loads from it);
// it changes nothing in the app folder.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { sourcemap: { type: 'boolean', default: false }, outdir: { type: 'string', default: 'dist/azure' }, metafile: { type: 'string' } } });
const appDir = values.outdir;
const outdir = join(appDir, 'functions');
const entryDir = 'adapters/azure/functions';
const entryPoints = readdirSync(entryDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(entryDir, file));

rmSync(appDir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // All functions of an app run in one worker: shared chunks load the SDKs once and share one client.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  keepNames: true, // error classes log by name (NotFoundError, not "ct")
  // Node prints the source line of an uncaught error: unbroken, a 700 KB line drowned the message (and the
  // worker's log cut it off). Lines of at most 500 characters cost a newline each (≈ 0.2 %).
  lineLimit: 500,
  sourcemap: values.sourcemap,
  external: ['@azure/functions', '@azure/functions-core'],
  // Bundled CommonJS dependencies call require(); ESM output has none unless it is created.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: values.metafile !== undefined,
});
if (values.metafile !== undefined) writeFileSync(values.metafile, JSON.stringify(result.metafile));

const root = JSON.parse(readFileSync('package.json', 'utf8'));
const manifest = {
  name: `${root.name}-azure`,
  version: root.version,
  private: true,
  type: 'module',
  main: 'functions/*.js',
  engines: { node: '>=22' },
  dependencies: { '@azure/functions': root.dependencies['@azure/functions'] },
};
mkdirSync(appDir, { recursive: true });
writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync('host.json', join(appDir, 'host.json'));
console.log(`Built ${entryPoints.length} Azure entry modules into ${outdir}${values.sourcemap ? ' (with source maps)' : ''}; deploy ${appDir} (README, Azure)`);
