import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { entryFile } from '../adapters/shared/compose.js';
import { functionCatalogue, type FunctionName } from '../functions/catalogue.js';

/**
 * `npm run build:gcp`: one deployable source folder per function, dist/gcp/<function>/ with
 * index.js (the entry module bundled, CommonJS, node 20+) and a package.json naming the packages
 * left out of the bundle, which Cloud Build installs on deploy. The Google Cloud clients stay
 * external because they load their protobuf descriptors from their own package folders at run time;
 * functions-framework because the runtime starts it.
 */

export interface GcpFunction {
  /** The entry module, which registers the function under its name (adapters/gcp/compose.ts). */
  entry: string;
  /** functions-framework's signature type: HTTP functions, and CloudEvent functions for every other trigger. */
  signatureType: 'http' | 'cloudevent';
}

/** Every function of the catalogue (functions/catalogue.ts), in its order, with its entry module. */
export const GCP_FUNCTIONS = Object.fromEntries(
  Object.values(functionCatalogue).map((spec) => [spec.name, { entry: entryFile('gcp', spec.name), signatureType: spec.trigger === 'http' ? 'http' : 'cloudevent' }]),
) as Record<FunctionName, GcpFunction>;

export type GcpFunctionName = FunctionName;

const EXTERNAL = ['@google-cloud/firestore', '@google-cloud/pubsub', '@google-cloud/functions-framework'] as const;

/**
 * esbuild's options for one function's bundle, `<outDir>/<name>/index.js` (start:gcp's hot reload builds with the same).
 * No source map unless asked: it would be uploaded with the source (0.9–1.0 MB beside a 130–170 KB bundle) and read
 * only under --enable-source-maps (BENCHMARKS.md, "Source maps").
 */
export const gcpBundleOptions = (name: GcpFunctionName, outDir: string, sourcemap: boolean): BuildOptions => ({
  entryPoints: [GCP_FUNCTIONS[name].entry],
  outfile: join(outDir, name, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap,
  minify: true,
  keepNames: true, // error classes log by name (NotFoundError, not "ct")
  external: [...EXTERNAL],
  logLevel: 'warning',
});

/** Writes `<outDir>/<name>/package.json`, naming the packages left out of the bundle; returns the folder. */
export function writeGcpManifest(name: GcpFunctionName, outDir: string): string {
  const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  const pinned = Object.fromEntries(
    EXTERNAL.map((name) => {
      const version = dependencies[name];
      if (version === undefined) throw new Error(`package.json has no dependency on ${name}`);
      return [name, version];
    }),
  );
  const folder = join(outDir, name);
  mkdirSync(folder, { recursive: true });
  const manifest = { name: `myevents-${name}`, private: true, main: 'index.js', engines: { node: '>=20' }, dependencies: pinned };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return folder;
}

/** Builds every function into `outDir` (default dist/gcp); returns the folders written. */
export async function buildGcp(outDir = 'dist/gcp', { sourcemap = false }: { sourcemap?: boolean } = {}): Promise<Record<GcpFunctionName, string>> {
  rmSync(outDir, { recursive: true, force: true });
  const folders = {} as Record<GcpFunctionName, string>;
  for (const name of Object.keys(GCP_FUNCTIONS) as GcpFunctionName[]) {
    folders[name] = writeGcpManifest(name, outDir);
    await build(gcpBundleOptions(name, outDir, sourcemap));
  }
  return folders;
}

// Run as a script (npm run build:gcp), not when imported by start:gcp.
if (process.argv[1]?.endsWith('build-gcp.ts')) {
  const { values } = parseArgs({ options: { sourcemap: { type: 'boolean', default: false } } });
  const folders = await buildGcp('dist/gcp', { sourcemap: values.sourcemap });
  for (const [name, folder] of Object.entries(folders)) console.log(`${name.padEnd(17)} ${folder}/index.js`);
}
