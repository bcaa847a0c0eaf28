#!/usr/bin/env node
// `npm run build:azure`: bundles each Azure entry module (adapters/azure/functions/*.ts) into
// dist/azure/functions/<name>.js, the files package.json `main` names for the Functions host.
// @azure/functions stays external: the Node.js worker wires the app's own copy of it to the host
// (through `@azure/functions-core`, which only exists inside the worker), so it ships in node_modules.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const entryDir = 'adapters/azure/functions';
const outdir = process.argv[2] ?? 'dist/azure/functions';
const entryPoints = readdirSync(entryDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(entryDir, file));

await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // All functions of an app run in one worker: shared chunks load the SDKs once and share one client.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  external: ['@azure/functions', '@azure/functions-core'],
  // Bundled CommonJS dependencies call require(); ESM output has none unless it is created.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`Built ${entryPoints.length} Azure entry modules into ${outdir}`);
