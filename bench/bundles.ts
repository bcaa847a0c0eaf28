/**
 * Bundles as each platform's build makes them, per function: AWS as serverless-esbuild does from
 * serverless.yml `custom.esbuild` (CommonJS, minified, names kept, source map, AWS SDK external), GCP as
 * scripts/build-gcp.ts (the Google Cloud clients external), Azure as scripts/build-azure.mjs but one
 * function at a time and minified like the others (@azure/functions external; the Cosmos and Storage
 * SDKs are bundled there, as the Functions host provides none). Sizes come from esbuild's metafile,
 * split by package, so a row shows what each dependency costs.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { parse } from 'yaml';

export interface BundleRow {
  platform: 'AWS' | 'Azure' | 'GCP';
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
  /** Bytes in the output per package (`zod`, `@aws-lambda-powertools/logger`, ...; `ours` for this repository's code). */
  byPackage: Record<string, number>;
}

const packageOf = (input: string): string => {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return 'ours';
  const [scopeOrName = '', name = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
};

function byPackage(metafile: Metafile, outfile: string): Record<string, number> {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(basename(outfile)) && !file.endsWith('.map'))?.[1];
  const sizes: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) sizes[packageOf(input)] = (sizes[packageOf(input)] ?? 0) + bytesInOutput;
  return sizes;
}

/** serverless.yml's functions: name → entry module. */
export function awsEntries(): Record<string, string> {
  const config = parse(readFileSync('serverless.yml', 'utf8'), { customTags: [{ tag: '!Ref', resolve: (v: string) => v }, { tag: '!GetAtt', resolve: (v: string) => v }] }) as {
    functions: Record<string, { handler: string }>;
  };
  return Object.fromEntries(Object.entries(config.functions).map(([name, { handler }]) => [name, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`]));
}


async function bundleOne(platform: BundleRow['platform'], name: string, entry: string, outfile: string, options: Parameters<typeof build>[0]): Promise<BundleRow> {
  const result = await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', minify: true, keepNames: true, sourcemap: true, metafile: true, logLevel: 'error', ...options });
  return { platform, name, file: outfile, bytes: statSync(outfile).size, mapBytes: statSync(`${outfile}.map`).size, byPackage: byPackage(result.metafile ?? { inputs: {}, outputs: {} }, outfile) };
}

/** Every function's bundle on every platform, written under `outDir`. */
export async function buildAllBundles(outDir: string): Promise<BundleRow[]> {
  mkdirSync(outDir, { recursive: true });
  const rows: BundleRow[] = [];
  for (const [name, entry] of Object.entries(awsEntries())) {
    rows.push(await bundleOne('AWS', name, entry, join(outDir, 'aws', `${name}.cjs`), { format: 'cjs', target: 'node22', external: ['@aws-sdk/*'] }));
  }
  const { GCP_FUNCTIONS } = await import('../scripts/build-gcp.js');
  for (const [name, { entry }] of Object.entries(GCP_FUNCTIONS)) {
    rows.push(
      await bundleOne('GCP', name, entry, join(outDir, 'gcp', `${name}.cjs`), {
        format: 'cjs',
        target: 'node20',
        external: ['@google-cloud/firestore', '@google-cloud/pubsub', '@google-cloud/functions-framework'],
      }),
    );
  }
  const { functionNames } = await import('../functions/catalogue.js');
  const { entryFile } = await import('../adapters/shared/compose.js');
  for (const name of functionNames) {
    rows.push(
      await bundleOne('Azure', name, entryFile('azure', name), join(outDir, 'azure', `${basename(entryFile('azure', name), '.ts')}.mjs`), {
        format: 'esm',
        target: 'node20',
        external: ['@azure/functions', '@azure/functions-core'],
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      }),
    );
  }
  return rows;
}

/** A small entry bundled the AWS way, for the cold-init baselines (a constant handler, SDK clients only, one library alone). */
export async function bundleSnippet(outDir: string, name: string, source: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    stdin: { contents: source, loader: 'ts', resolveDir: process.cwd(), sourcefile: `${name}.ts` },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    keepNames: true,
    sourcemap: true,
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** Zip size of the bundle, with and without its source map: each file deflated as zip does (the few bytes of zip headers left out). */
export function zipBytes(row: BundleRow): { withMap: number; withoutMap: number } {
  const code = deflateRawSync(readFileSync(row.file)).length;
  const map = deflateRawSync(readFileSync(`${row.file}.map`)).length;
  return { withMap: code + map, withoutMap: code };
}
